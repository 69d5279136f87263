#!/usr/bin/env python3
"""Field accuracy of the protocol parser on a generated corpus.

    accuracy.py --protodex PATH --corpus-tool PATH [--count 2000] [--seed 1]
                [--dir DIR] [--min 0.97] [--show 5]
    accuracy.py --protodex PATH --dir DIR --no-generate ...

Generates DIR with `protodex-corpus generate` (unless --no-generate),
runs `protodex parse --format json` over every protocol in batches, and
compares each record with DIR/truth.jsonl.  For every field it prints
precision (correct / extracted), recall (correct / present in the truth)
and F1, then the first mismatches per field with their files.  Exits 1
when a field's precision or recall is under --min, 2 on usage errors.
See bench/README.md for how the truth is mapped onto the parser's record.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# ---- normalisation ---------------------------------------------------------

QUOTES = str.maketrans({'«': '"', '»': '"', '“': '"', '”': '"', '„': '"', 'ё': 'е', 'Ё': 'Е'})


def squeeze(s):
    """White space squeezed; KOI8-R's "<<" ">>" read as quotes."""
    if s is None:
        return ''
    s = s.replace('<<', '«').replace('>>', '»')
    return ' '.join(s.split())


def text_key(s):
    """Texts compare with white space squeezed, quotes unified, ё = е, and
    the final punctuation ignored (a separator before a speaker or a
    bullet's ';' is not part of the decision)."""
    s = squeeze(s).translate(QUOTES)
    return s.rstrip(' .;,:')


def fold(s):
    return text_key(s).lower()


def number_key(s):
    """A number as written without its final dot or bracket: "1.1." -> "1.1"."""
    if s is None:
        return ''
    s = squeeze(s)
    while s and s[-1] in '.)':
        s = s[:-1]
    return s


# Responsible parties: the generator records ids and the form as written;
# the parser gives one normal form (tests/expected/README.md, rule
# "responsible").  The normal form expected for a truth entry is:
#   ou_heads             -> "руководители ОО", whatever the wording;
#   person               -> the person's canonical name «Фамилия И.О.»;
#   any other id         -> the form as written with names in brackets
#                           dropped, its head phrase put in the nominative
#                           and legal forms abbreviated (table below).
# Comparison ignores case, quote style and ё.
RESP_HEADS = [
    ('муниципальному автономному учреждению дополнительного профессионального образования «центр развития образования»', 'МАУ ДПО ЦРО'),
    ('муниципальное автономное учреждение дополнительного профессионального образования «центр развития образования»', 'МАУ ДПО ЦРО'),
    ('муниципальному казённому учреждению', 'МКУ'),
    ('муниципальное казённое учреждение', 'МКУ'),
    ('муниципальному бюджетному учреждению', 'МБУ'),
    ('муниципальное бюджетное учреждение', 'МБУ'),
    ('муниципальному автономному учреждению', 'МАУ'),
    ('муниципальное автономное учреждение', 'МАУ'),
    ('методическому кабинету', 'методический кабинет'),
    ('заместителям', 'заместители'),
    ('руководителям', 'руководители'),
    ('учителям-предметникам', 'учителя-предметники'),
    ('педагогическим работникам', 'педагогические работники'),
    ('администрации', 'администрация'),
    ('управлению', 'управление'),
    ('отделу', 'отдел'),
    ('комитету', 'комитет'),
    ('департаменту', 'департамент'),
]


def expected_responsible(r):
    if not r:
        return ''
    ids = r.get('ids') or []
    if 'ou_heads' in ids:
        return 'руководители ОО'
    if 'person' in ids and r.get('persons'):
        return r['persons'][0]
    s = re.sub(r'\s*\([^)]*\)', '', squeeze(r.get('as_written') or ''))
    low = s.lower()
    for head, norm in RESP_HEADS:
        if low.startswith(head):
            return norm + s[len(head):]
    return s


# ---- running ------------------------------------------------------------------


def run_parser(protodex, root, files, batch=200):
    out = {}
    for i in range(0, len(files), batch):
        paths = [os.path.join(root, f) for f in files[i:i + batch]]
        res = subprocess.run([protodex, 'parse', '--format', 'json'] + paths,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if res.returncode not in (0, 5):
            sys.exit('accuracy: protodex parse failed: %s' % res.stderr.decode(errors='replace'))
        for line in res.stdout.decode().splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            out[os.path.relpath(rec['file'], root)] = rec
    return out


# ---- scoring --------------------------------------------------------------------


class Field:
    def __init__(self, name):
        self.name = name
        self.extracted = 0
        self.present = 0
        self.correct = 0
        self.examples = []

    def add(self, file, truth, got, eq=None, where=''):
        """truth/got: '' or None mean absent."""
        t_has = truth not in ('', None)
        g_has = got not in ('', None)
        self.present += t_has
        self.extracted += g_has
        ok = t_has and g_has and (eq(truth, got) if eq else truth == got)
        self.correct += ok
        if (t_has or g_has) and not ok:
            self.examples.append((file, where, truth, got))

    def scores(self):
        p = self.correct / self.extracted if self.extracted else 1.0
        r = self.correct / self.present if self.present else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def similarity(a, b):
    wa, wb = set(fold(a).split()), set(fold(b).split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def align(truths, gots, key_t, key_g, threshold=0.5):
    """Order-preserving alignment maximising total similarity (pairs under
    `threshold` never match): a missed or extra item does not shift the
    rest.  Returns a list of (i or None, j or None)."""
    n, m = len(truths), len(gots)
    sim = [[similarity(key_t(truths[i]), key_g(gots[j])) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            b = max(best[i + 1][j], best[i][j + 1])
            if sim[i][j] >= threshold:
                b = max(b, sim[i][j] + best[i + 1][j + 1])
            best[i][j] = b
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= threshold and abs(best[i][j] - (sim[i][j] + best[i + 1][j + 1])) < 1e-9:
            pairs.append((i, j))
            i += 1
            j += 1
        elif abs(best[i][j] - best[i + 1][j]) < 1e-9:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


FIELDS = ['kind', 'number', 'date', 'place', 'municipality', 'region', 'chair', 'secretary',
          'attendees_count', 'agenda.item', 'agenda.number', 'agenda.text', 'agenda.speaker',
          'decision.item', 'decision.number', 'decision.text', 'decision.responsible',
          'decision.deadline_kind', 'decision.deadline_from', 'decision.deadline_to',
          'decision.agenda_item']

KIND = {'protocol': 'протокол', 'extract': 'выписка из протокола', 'decision': 'решение'}


def compare(file, t, g, F):
    F['kind'].add(file, KIND.get(t['kind'], t['kind']), g['kind'])
    F['number'].add(file, squeeze(t['number']), g['number'])
    F['date'].add(file, t['date'], g['date'])
    F['place'].add(file, squeeze(t['place']), g['place'])
    # The gazetteer names a city that is a municipality on its own by the
    # city alone ("Мегион"); the generator writes "город Мегион".
    muni = (t.get('municipality') or {}).get('name') or ''
    if muni.startswith('город '):
        muni = muni[len('город '):]
    F['municipality'].add(file, muni, g['municipality'])
    # Dashes in a region's name ("… округ — Югра") are typography.
    F['region'].add(file, t.get('region'), g['region'],
                    eq=lambda a, b: re.sub('[-–—]', '-', a) == re.sub('[-–—]', '-', b))
    F['chair'].add(file, (t.get('chair') or {}).get('name'), g['chair'], eq=lambda a, b: fold(a) == fold(b))
    F['secretary'].add(file, (t.get('secretary') or {}).get('name'), g['secretary'],
                       eq=lambda a, b: fold(a) == fold(b))
    F['attendees_count'].add(file, (t.get('attendees') or {}).get('count'), g['attendees_count'])

    # Agenda: by number when both sides number their items, else by position.
    ta, ga = t.get('agenda') or [], g.get('agenda') or []
    gi_by_n = {}
    for j, it in enumerate(ga):
        gi_by_n.setdefault(number_key(it['number']), j)
    used = set()
    for i, it in enumerate(ta):
        j = gi_by_n.get(str(it['n']))
        if j is None and i < len(ga) and i not in used:
            j = i
        used.add(j)
        git = ga[j] if j is not None else {'number': '', 'text': '', 'speaker': ''}
        where = 'agenda %s' % it['n']
        F['agenda.item'].add(file, 'x', 'x' if j is not None else '', where=where)
        F['agenda.number'].add(file, str(it['n']), number_key(git['number']), where=where)
        F['agenda.text'].add(file, text_key(it['text']), text_key(git['text']), where=where)
        F['agenda.speaker'].add(file, it.get('speaker'), git['speaker'],
                                eq=lambda a, b: fold(a) == fold(b), where=where)
    for j, it in enumerate(ga):
        if j not in used:
            where = 'agenda (extra) %s' % it['number']
            for f, v in (('agenda.item', 'x'), ('agenda.number', number_key(it['number'])),
                         ('agenda.text', text_key(it['text'])), ('agenda.speaker', it['speaker'])):
                F[f].add(file, '', v, where=where)

    # Agenda item of a decision: the truth gives the item's n, the parser
    # the 0-based index into its agenda; map n through the truth's agenda.
    n_to_index = {it['n']: k for k, it in enumerate(ta)}

    td, gd = t.get('decisions') or [], g.get('decisions') or []
    for i, j in align(td, gd, lambda d: d['text'], lambda d: d['text']):
        d = td[i] if i is not None else None
        e = gd[j] if j is not None else None
        where = 'decision %s' % (d['ordinal'] if d else '(extra) ' + (e['number'] or '·'))
        if d:
            dl = d.get('deadline') or {}
            kind = dl.get('kind') or 'none'
            tv = {
                'decision.item': 'x',
                'decision.number': number_key(d.get('number')),
                'decision.text': text_key(d['text']),
                'decision.responsible': expected_responsible(d.get('responsible')),
                'decision.deadline_kind': '' if kind == 'none' else kind,
                # a date's from is its to; an event's bounds are not recorded
                'decision.deadline_from': (dl.get('to') if kind == 'date' else dl.get('from')) or '',
                'decision.deadline_to': dl.get('to') or '',
                'decision.agenda_item': n_to_index.get(d.get('agenda_item'), -1) if ta else -1,
            }
            if kind == 'event':
                tv['decision.deadline_from'] = tv['decision.deadline_to'] = None
        else:
            tv = {f: '' for f in FIELDS if f.startswith('decision.')}
        if e:
            ek = e['deadline']['kind']
            gv = {
                'decision.item': 'x',
                'decision.number': e['number'],
                'decision.text': text_key(e['text']),
                'decision.responsible': e['responsible'],
                'decision.deadline_kind': '' if ek == 'none' else ek,
                'decision.deadline_from': e['deadline']['from'],
                'decision.deadline_to': e['deadline']['to'],
                'decision.agenda_item': e['agenda_item'],
            }
        else:
            gv = {f: '' for f in tv}
        for f in tv:
            tval, gval = tv[f], gv[f]
            if f == 'decision.agenda_item':
                tval = '' if tval == -1 else tval
                gval = '' if gval in (-1, '') else gval
            if tval is None:  # not recorded by the truth: not scored
                continue
            eq = None
            if f in ('decision.responsible', 'decision.text'):
                eq = lambda a, b: fold(a) == fold(b)
            F[f].add(file, tval, gval, eq=eq, where=where)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--protodex', default='./protodex')
    ap.add_argument('--corpus-tool', default='./corpus/protodex-corpus')
    ap.add_argument('--dir', help='corpus directory (default: a temporary one)')
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--no-generate', action='store_true', help='use the corpus already in --dir')
    ap.add_argument('--min', type=float, default=0.97, help='fail under this precision or recall')
    ap.add_argument('--show', type=int, default=5, help='mismatches shown per field')
    ap.add_argument('--only', help='comma-separated fields whose mismatches are shown')
    a = ap.parse_args()

    tmp = None
    root = a.dir
    if not root:
        tmp = tempfile.TemporaryDirectory(prefix='protodex-accuracy-')
        root = tmp.name
    if not a.no_generate:
        subprocess.run([a.corpus_tool, 'generate', '--out', root, '--count', str(a.count),
                        '--seed', str(a.seed)], check=True, stdout=subprocess.DEVNULL)
    truth = [json.loads(l) for l in open(os.path.join(root, 'truth.jsonl'), encoding='utf-8')]
    parsed = run_parser(a.protodex, root, [t['file'] for t in truth])

    F = {f: Field(f) for f in FIELDS}
    missing = 0
    for t in truth:
        g = parsed.get(t['file'])
        if g is None:
            missing += 1
            continue
        compare(t['file'], t, g, F)

    only = set(a.only.split(',')) if a.only else None
    if a.show:
        for f in FIELDS:
            if only and f not in only:
                continue
            ex = F[f].examples[:a.show]
            if not ex:
                continue
            print('--- %s: %d mismatches' % (f, len(F[f].examples)))
            for file, where, tv, gv in ex:
                print('  %s %s\n    truth: %r\n    got:   %r' % (file, where, tv, gv))
    print('\n%d protocols (seed %s), %d not parsed' % (len(truth), a.seed, missing))
    print('%-24s %7s %7s %7s %8s %8s %8s' % ('field', 'P', 'R', 'F1', 'correct', 'extract', 'truth'))
    bad = missing > 0
    for f in FIELDS:
        p, r, f1 = F[f].scores()
        flag = ''
        if p < a.min or r < a.min:
            flag = '  <'
            bad = True
        print('%-24s %7.4f %7.4f %7.4f %8d %8d %8d%s' % (f, p, r, f1, F[f].correct,
                                                       F[f].extracted, F[f].present, flag))
    if tmp:
        tmp.cleanup()
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
