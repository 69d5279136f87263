// bench/morphology-gold.js: build a gold list of Russian word forms with
// their lemmas from OpenCorpora's dictionary, as shipped by the npm package
// "az" (Az.js) -- a source independent of hunspell-ru (AOT/Lebedev).
//
//   node bench/morphology-gold.js AZ_DIR LEXEMES SEED > gold.tsv
//
// AZ_DIR is the installed package (node_modules/az).  LEXEMES lexemes are
// drawn by a seeded random walk over the dictionary's word graph (uniform
// over its words); each gives every form of its paradigm with the
// dictionary's normal form as the lemma: nouns, adjectives (full, short
// and comparative forms) and verbs (infinitive and finite forms).
// Participles, gerunds and superlatives (нижайший), and the colloquial
// comparatives with по- (посмачнее) are left out: dictionaries disagree on
// whether they are forms of the verb or adjective (OpenCorpora) or lexemes
// of their own (hunspell-ru, Zaliznyak for participles), so neither answer
// can be gold.  So are proper names,
// abbreviations and words with digits or hyphens.  Output: "form<TAB>lemma"
// lines, forms as the dictionary spells them (with ё).
'use strict';
const path = require('path');
const [azDir, nArg, seedArg] = process.argv.slice(2);
if (!azDir) {
  console.error('usage: node morphology-gold.js AZ_DIR [LEXEMES] [SEED]');
  process.exit(2);
}
const Az = require(path.join(path.resolve(azDir), 'dist', 'az.js'));
const want = parseInt(nArg || '600', 10);
let seed = parseInt(seedArg || '7', 10) >>> 0;
function rand() { // xorshift32: reproducible across runs and machines
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
function cp1251(b) {
  if (b >= 0xC0) return String.fromCharCode(0x410 + b - 0xC0);
  if (b === 0xA8) return 'Ё';
  if (b === 0xB8) return 'ё';
  return String.fromCharCode(b);
}
const SKIP = ['Name', 'Surn', 'Patr', 'Geox', 'Orgn', 'Trad', 'Abbr', 'Init', 'Erro', 'Dist', 'Infr', 'Slng', 'Arch'];
const VERBAL = { PRTF: 1, PRTS: 1, GRND: 1 };
const dict = path.join(path.resolve(azDir), 'dicts');
Az.Morph.init(dict, function (err) {
  if (err) { console.error(err); process.exit(1); }
  Az.DAWG.load(dict + '/words.dawg', 'words', function (err2, dawg) {
    if (err2) { console.error(err2); process.exit(1); }
    const g = dawg.guide;
    function children(idx) {
      const out = [];
      let label = g[idx << 1];
      while (label) {
        const c = dawg.followByte(label, idx);
        if (c < 0) break;
        out.push([label, c]);
        label = g[(c << 1) + 1];
      }
      return out;
    }
    // Words below each node, so the walk draws words uniformly, not
    // letters (a uniform pick of the next letter favours rare letters).
    const count = new Map();
    function words(idx) {
      let n = count.get(idx);
      if (n !== undefined) return n;
      n = 0;
      for (const [label, c] of children(idx)) n += label === 1 ? 1 : words(c);
      count.set(idx, n);
      return n;
    }
    const lemmas = new Map(); // lemma -> Set(forms)
    const tried = new Set();
    let attempts = 0;
    while (lemmas.size < want && attempts < want * 400) {
      attempts++;
      let idx = 0, word = '';
      for (let depth = 0; depth < 40; depth++) {
        const ch = children(idx);
        if (!ch.length) break;
        let r = rand() * words(idx), pick = ch[ch.length - 1];
        for (const e of ch) {
          r -= e[0] === 1 ? 1 : words(e[1]);
          if (r < 0) { pick = e; break; }
        }
        const [label, c] = pick;
        if (label === 1) break; // separator: a whole word
        word += cp1251(label);
        idx = c;
      }
      if (word.length < 2 || tried.has(word) || !/^[а-яё]+$/.test(word)) continue;
      tried.add(word);
      const parses = Az.Morph(word).filter(p => p.score === 1 && p.paradigm && !p.prefix && !p.suffix);
      if (!parses.length) continue;
      const p = parses[0];
      if (SKIP.some(t => p.tag[t]) || VERBAL[p.tag.POS]) continue;
      const norm = p.normalize();
      if (!norm) continue;
      const lemma = norm.toString();
      if (lemmas.has(lemma) || !/^[а-яё]+$/.test(lemma)) continue;
      const forms = new Set();
      for (let i = 0; i < p.formCnt; i++) {
        const f = p.inflect(i);
        if (!f) continue;
        if (VERBAL[f.tag.POS] || f.tag.Supr || f.tag.Cmp2) continue;
        const s = f.toString();
        if (/^[а-яё]+$/.test(s)) forms.add(s);
      }
      if (forms.size) lemmas.set(lemma, forms);
    }
    const out = [];
    for (const [lemma, forms] of lemmas)
      for (const f of forms) out.push(f + '\t' + lemma);
    process.stdout.write(out.join('\n') + '\n');
    console.error('morphology-gold: ' + lemmas.size + ' lexemes, ' + out.length + ' forms');
  });
});
