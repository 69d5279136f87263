/*
 * gazetteer: recognising municipality mentions in running text.
 *
 * Design.  Every entry of the TSV (see indexer/data/gazetteer.tsv) turns
 * into keys of three kinds, kept case-folded (Cyrillic and ASCII lower
 * case, ё -> е):
 *
 *   ADJ    an adjective stem with its masculine singular endings
 *          ("вышневолоцк" + ий/ого/ому/им/ом), optionally followed by type
 *          words («ГО», «муниципального округа», «района»);
 *   NAME   a settlement name form that names the municipality by itself
 *          («Мегиона»), with or without a settlement word before it;
 *   PLACE  a settlement inside the municipality, counted only after a
 *          settlement word («г. Красный Холм», «пгт Пено»).
 *
 * Folding keeps byte offsets: every character it changes is two bytes of
 * UTF-8 before and after (А-Я, Ё, ё -> а-я, е), so a match in the folded
 * copy has the same offsets in the original text.  The scan visits each
 * word start once and tries only the keys whose first letter is the one
 * there (keys are bucketed by their first character), which keeps it
 * cheap enough to run on every paragraph of every header.
 *
 * Decisions (tested in tests/unit/test_gazetteer.c):
 *   - a region alone («Тверской области») is not a municipality, and an
 *     adjective directly followed by a region word (область, край,
 *     республика) is not a mention;
 *   - feminine, neuter and plural adjective forms are not mentions: the
 *     municipalities are all masculine («округ», «район»), and the other
 *     forms name institutions («МБОУ «Краснохолмская СОШ»»);
 *   - a masculine adjective without type words right after an opening
 *     quote is an institution's name («Краснохолмский ДДТ»), not a
 *     mention; with type words («Вышневолоцкий ГО») it is one;
 *   - adjectives marked '!' in the data (common words, surnames) need
 *     type words after them;
 *   - the first mention in text order wins; at one position the longest
 *     (settlement word + name) is taken.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/gazetteer.h"
#include "indexer/text.h"

/* indexer/gazetteer-data.c, generated from indexer/data/gazetteer.tsv. */
extern const char gazetteer_tsv[];

enum key_kind { K_ADJ, K_NAME, K_PLACE };

/* Adjective paradigms: masculine singular nom, gen, dat, ins, prep. */
enum paradigm { P_KIJ, P_SOFT, P_YJ, P_OJ_K, P_OJ, P_COUNT };
static const char *const paradigm_endings[P_COUNT][6] = {
	[P_KIJ] = { "ий", "ого", "ому", "им", "ом", NULL },
	[P_SOFT] = { "ий", "его", "ему", "им", "ем", NULL },
	[P_YJ] = { "ый", "ого", "ому", "ым", "ом", NULL },
	[P_OJ_K] = { "ой", "ого", "ому", "им", "ом", NULL },
	[P_OJ] = { "ой", "ого", "ому", "ым", "ом", NULL },
};

typedef struct gkey {
	char *s;            /* folded: the stem (ADJ) or the whole name */
	size_t len;
	enum key_kind kind;
	enum paradigm par;  /* ADJ only */
	int need_type;      /* ADJ only: type words must follow */
	size_t entry;
	unsigned bucket;
} gkey_t;

#define N_BUCKETS 257

struct gazetteer {
	gazetteer_entry_t *entries;
	char **folded_names;   /* canonical names, folded, for lookup */
	size_t n;
	gkey_t *keys;
	size_t n_keys;
	size_t bucket_start[N_BUCKETS + 1];
};

/* ---- folding ------------------------------------------------------------ */

static char *
fold_dup(const char *s, size_t len)
{
	char *f = xmalloc(len + 1);
	text_fold(s, len, f);
	f[len] = '\0';
	return f;
}

/* ---- characters --------------------------------------------------------- */

/* The start of the character before position i, or SIZE_MAX at 0. */
static size_t
prev_char(const unsigned char *s, size_t i)
{
	size_t k = 0;
	if (i == 0)
		return (size_t)-1;
	i--;
	while (i > 0 && k < 3 && (s[i] & 0xc0) == 0x80) {
		i--;
		k++;
	}
	return i;
}

static int
word_before(const unsigned char *s, size_t n, size_t i)
{
	size_t p = prev_char(s, i);
	return p != (size_t)-1 && text_word_char(s + p, n - p);
}

/* An opening quote ends just before position i. */
static int
quote_before(const unsigned char *s, size_t i)
{
	static const char *const quotes[] = { "\xc2\xab", "\"", "\xe2\x80\x9c", "\xe2\x80\x9e", "'",
					      "\xe2\x80\x98", "\xe2\x80\xb9", NULL };
	for (size_t q = 0; quotes[q]; q++) {
		size_t l = strlen(quotes[q]);
		if (i >= l && memcmp(s + i - l, quotes[q], l) == 0)
			return 1;
	}
	return 0;
}

static unsigned
bucket_of(const unsigned char *p, size_t avail)
{
	if (avail >= 2 && (p[0] == 0xd0 || p[0] == 0xd1))
		return (unsigned)(((p[0] & 1) << 6) | (p[1] & 0x3f));
	if (avail >= 1 && p[0] < 0x80)
		return 128u + p[0];
	return 256;  /* everything else: one shared bucket */
}

/*
 * Compare key k (folded; a space in it stands for any run of white space)
 * with the folded text at i.  Returns the end offset, or 0 when no match.
 */
static size_t
match_words(const unsigned char *s, size_t n, size_t i, const char *k, size_t klen)
{
	size_t j = 0;
	while (j < klen) {
		if (k[j] == ' ') {
			size_t e = text_skip_space(s, n, i);
			if (e == i)
				return 0;
			i = e;
			j++;
			continue;
		}
		if (i >= n || s[i] != (unsigned char)k[j])
			return 0;
		i++;
		j++;
	}
	return i;
}

/* ---- type words --------------------------------------------------------- */

static const char *const end_oj[] = { "ой", "ого", "ому", "им", "ом", NULL };
static const char *const end_yj[] = { "ый", "ого", "ому", "ым", "ом", NULL };
static const char *const end_noun[] = { "", "а", "у", "ом", "е", NULL };
static const char *const end_none[] = { "", NULL };

typedef struct tword {
	const char *stem;
	const char *const *endings;
} tword_t;

typedef struct tphrase {
	tword_t w[3];
} tphrase_t;

static const tphrase_t type_phrases[] = {
	{ { { "городск", end_oj }, { "округ", end_noun } } },
	{ { { "муниципальн", end_yj }, { "округ", end_noun } } },
	{ { { "муниципальн", end_yj }, { "район", end_noun } } },
	{ { { "национальн", end_yj }, { "муниципальн", end_yj }, { "район", end_noun } } },
	{ { { "район", end_noun } } },
	{ { { "округ", end_noun } } },
	{ { { "р-н", end_none } } },
	{ { { "р-на", end_none } } },
	{ { { "р-не", end_none } } },
	{ { { "р-ну", end_none } } },
	{ { { "го", end_none } } },
	{ { { "мо", end_none } } },
	{ { { "мр", end_none } } },
	{ { { "г.о.", end_none } } },
	{ { { "м.о.", end_none } } },
	{ { { "м.р.", end_none } } },
};

/* A stem followed by the longest of its endings and a word boundary. */
static size_t
match_inflected(const unsigned char *s, size_t n, size_t i, const char *stem, size_t slen,
		const char *const *endings)
{
	size_t best = 0;
	if (n - i < slen || memcmp(s + i, stem, slen) != 0)
		return 0;
	for (size_t e = 0; endings[e]; e++) {
		size_t el = strlen(endings[e]);
		size_t at = i + slen;
		if (n - at < el || memcmp(s + at, endings[e], el) != 0)
			continue;
		at += el;
		/* "г.о." ends in a dot: the dot is its own boundary. */
		if (s[at - 1] != '.' && text_word_char(s + at, n - at))
			continue;
		if (at > best)
			best = at;
	}
	return best;
}

/* Type words starting at i (after white space): the end offset, or 0. */
static size_t
match_type_words(const unsigned char *s, size_t n, size_t i)
{
	size_t best = 0;
	for (size_t t = 0; t < sizeof(type_phrases) / sizeof(type_phrases[0]); t++) {
		const tphrase_t *ph = &type_phrases[t];
		size_t at = i;
		int ok = 1;
		for (size_t w = 0; w < 3 && ph->w[w].stem; w++) {
			size_t e;
			if (w > 0) {
				size_t sp = text_skip_space(s, n, at);
				if (sp == at) {
					ok = 0;
					break;
				}
				at = sp;
			}
			e = match_inflected(s, n, at, ph->w[w].stem, strlen(ph->w[w].stem),
					    ph->w[w].endings);
			if (!e) {
				ok = 0;
				break;
			}
			at = e;
		}
		if (ok && at > best)
			best = at;
	}
	return best;
}

/* A region word (область, обл., край, республика) starts at i. */
static int
region_word_at(const unsigned char *s, size_t n, size_t i)
{
	static const char *const stems[] = { "област", "обл", "кра", "республик", NULL };
	static const char *const kra_end[] = { "й", "я", "ю", "ем", "е", NULL };
	for (size_t k = 0; stems[k]; k++) {
		size_t l = strlen(stems[k]);
		size_t at;
		if (n - i < l || memcmp(s + i, stems[k], l) != 0)
			continue;
		at = i + l;
		if (k == 1)  /* "обл" alone or "обл." */
			return !text_word_char(s + at, n - at);
		if (k == 2)
			return match_inflected(s, n, i, "кра", 6, kra_end) != 0;
		return 1;
	}
	return 0;
}

/* ---- settlement words --------------------------------------------------- */

static const char *const settlement_words[] = {
	"г.", "г", "гор.", "город", "города", "городу", "городом", "городе",
	"пгт.", "пгт", "п.г.т.", "рп", "р.п.", "п.", "пос.", "поселок", "поселка", "поселке",
	"с.", "село", "села", "селе", "д.", "дер.", "деревня", "зато", NULL
};

/* A settlement word at i followed by white space (or, after a dot, none):
 * the offset of the name after it, or 0. */
static size_t
match_settlement_word(const unsigned char *s, size_t n, size_t i)
{
	size_t best = 0;
	for (size_t k = 0; settlement_words[k]; k++) {
		const char *w = settlement_words[k];
		size_t l = strlen(w), at, sp;
		if (n - i < l || memcmp(s + i, w, l) != 0)
			continue;
		at = i + l;
		sp = text_skip_space(s, n, at);
		if (w[l - 1] == '.') {
			if (text_word_char(s + sp, n - sp) && sp > best)
				best = sp;
		} else if (sp > at && !text_word_char(s + at, n - at) && sp > best) {
			best = sp;
		}
	}
	return best;
}

/* ---- matching ----------------------------------------------------------- */

enum { M_FIND = 0, M_LOOKUP = 1 };

typedef struct hit {
	size_t entry, start, end;
} hit_t;

/* NAME (or, after a settlement word or in lookup mode, PLACE) keys at i. */
static size_t
match_names(const gazetteer_t *g, const unsigned char *s, size_t n, size_t i, int places,
	    size_t *entry)
{
	unsigned b = bucket_of(s + i, n - i);
	size_t best = 0;
	for (size_t k = g->bucket_start[b]; k < g->bucket_start[b + 1]; k++) {
		const gkey_t *key = &g->keys[k];
		size_t e;
		if (key->kind == K_ADJ || (key->kind == K_PLACE && !places))
			continue;
		e = match_words(s, n, i, key->s, key->len);
		if (!e || text_word_char(s + e, n - e))
			continue;
		if (e > best) {
			best = e;
			*entry = key->entry;
		}
	}
	return best;
}

static size_t
match_adjectives(const gazetteer_t *g, const unsigned char *s, size_t n, size_t i, int mode,
		 size_t *entry)
{
	unsigned b = bucket_of(s + i, n - i);
	size_t best = 0;
	for (size_t k = g->bucket_start[b]; k < g->bucket_start[b + 1]; k++) {
		const gkey_t *key = &g->keys[k];
		size_t e, sp, t;
		if (key->kind != K_ADJ)
			continue;
		e = match_inflected(s, n, i, key->s, key->len, paradigm_endings[key->par]);
		if (!e)
			continue;
		sp = text_skip_space(s, n, e);
		t = sp > e ? match_type_words(s, n, sp) : 0;
		if (t) {
			e = t;
		} else if (mode == M_FIND) {
			if (key->need_type || quote_before(s, i))
				continue;
			if (sp > e && region_word_at(s, n, sp))
				continue;
		}
		if (e > best) {
			best = e;
			*entry = key->entry;
		}
	}
	return best;
}

/* The mention starting at word start i, if any. */
static int
match_at(const gazetteer_t *g, const unsigned char *s, size_t n, size_t i, int mode, hit_t *h)
{
	size_t q = match_settlement_word(s, n, i);
	size_t e, entry = 0;

	if (q && (e = match_names(g, s, n, q, 1, &entry)) != 0) {
		h->entry = entry;
		h->start = i;
		h->end = e;
		return 1;
	}
	if ((e = match_adjectives(g, s, n, i, mode, &entry)) != 0 ||
	    (e = match_names(g, s, n, i, mode == M_LOOKUP, &entry)) != 0) {
		h->entry = entry;
		h->start = i;
		h->end = e;
		return 1;
	}
	return 0;
}

int
gazetteer_find(const gazetteer_t *g, const char *text, size_t len, gazetteer_match_t *m)
{
	char stackbuf[1024];
	char *f;
	const unsigned char *s;
	int found = 0;

	if (!g || !text || !m)
		return 0;
	f = len <= sizeof(stackbuf) ? stackbuf : xmalloc(len);
	text_fold(text, len, f);
	s = (const unsigned char *)f;
	for (size_t i = 0; i < len; i++) {
		hit_t h;
		if ((s[i] & 0xc0) == 0x80 || !text_word_char(s + i, len - i) || word_before(s, len, i))
			continue;
		if (match_at(g, s, len, i, M_FIND, &h)) {
			m->entry = &g->entries[h.entry];
			m->start = h.start;
			m->len = h.end - h.start;
			found = 1;
			break;
		}
	}
	if (f != stackbuf)
		free(f);
	return found;
}

/* Fold and collapse white space (for comparing whole names). */
static char *
fold_squeeze(const char *s, size_t len)
{
	strbuf_t sb = STRBUF_INIT;
	char *f = fold_dup(s, len);
	const unsigned char *u = (const unsigned char *)f;
	size_t i = text_skip_space(u, len, 0);
	int pending = 0;

	while (i < len) {
		size_t k = text_space_at(u, len, i);
		if (k) {
			pending = 1;
			i += k;
			continue;
		}
		if (pending)
			strbuf_addch(&sb, ' ');
		pending = 0;
		strbuf_addch(&sb, f[i]);
		i++;
	}
	free(f);
	return strbuf_detach(&sb, NULL);
}

const gazetteer_entry_t *
gazetteer_lookup(const gazetteer_t *g, const char *name)
{
	char *f;
	size_t n, i;
	hit_t h;
	const gazetteer_entry_t *r = NULL;

	if (!g || !name)
		return NULL;
	f = fold_squeeze(name, strlen(name));
	n = strlen(f);
	for (i = 0; i < g->n; i++) {
		if (strcmp(g->folded_names[i], f) == 0) {
			r = &g->entries[i];
			goto out;
		}
	}
	if (n && match_at(g, (const unsigned char *)f, n, 0, M_LOOKUP, &h)) {
		/* The whole name, give or take closing punctuation. */
		for (i = h.end; i < n; i++)
			if (!strchr(" .,;:)\"'", f[i]))
				goto out;
		r = &g->entries[h.entry];
	}
out:
	free(f);
	return r;
}

/* ---- loading ------------------------------------------------------------ */

size_t
gazetteer_size(const gazetteer_t *g)
{
	return g ? g->n : 0;
}

const gazetteer_entry_t *
gazetteer_entry(const gazetteer_t *g, size_t i)
{
	return g && i < g->n ? &g->entries[i] : NULL;
}

void
gazetteer_free(gazetteer_t *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free((char *)g->entries[i].name);
		free((char *)g->entries[i].type);
		free((char *)g->entries[i].region);
		free(g->folded_names[i]);
	}
	for (size_t k = 0; k < g->n_keys; k++)
		free(g->keys[k].s);
	free(g->entries);
	free(g->folded_names);
	free(g->keys);
	free(g);
}

typedef struct loader {
	gazetteer_t *g;
	size_t alloc_entries, alloc_keys;
	size_t *entry_line;
	const char *where;   /* "gazetteer" or "'path'" */
	char *err;
} loader_t;

static void
fail(loader_t *ld, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
fail(loader_t *ld, size_t line, const char *fmt, ...)
{
	strbuf_t sb = STRBUF_INIT;
	va_list ap;
	if (ld->err)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (line)
		strbuf_addf(&sb, " in %s line %zu", ld->where, line);
	else
		strbuf_addf(&sb, " in %s", ld->where);
	ld->err = strbuf_detach(&sb, NULL);
}

static void
add_key(loader_t *ld, const char *s, size_t len, enum key_kind kind, enum paradigm par,
	int need_type)
{
	gazetteer_t *g = ld->g;
	gkey_t *k;
	if (g->n_keys == ld->alloc_keys) {
		ld->alloc_keys = ld->alloc_keys ? 2 * ld->alloc_keys : 64;
		g->keys = xrealloc(g->keys, ld->alloc_keys * sizeof(*g->keys));
	}
	k = &g->keys[g->n_keys++];
	k->s = fold_squeeze(s, len);
	k->len = strlen(k->s);
	k->kind = kind;
	k->par = par;
	k->need_type = need_type;
	k->entry = g->n;
	k->bucket = bucket_of((const unsigned char *)k->s, k->len);
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t l = strlen(suffix);
	return len >= l && memcmp(s + len - l, suffix, l) == 0;
}

/* One comma-separated key field.  Returns the number of keys added. */
static size_t
parse_keys(loader_t *ld, size_t line, const char *f, size_t flen, enum key_kind kind)
{
	size_t added = 0, i = 0;
	if (flen == 1 && f[0] == '-')
		return 0;
	while (i < flen && !ld->err) {
		size_t j = i, a, b;
		int need_type = 0;
		while (j < flen && f[j] != ',')
			j++;
		a = i;
		b = j;
		while (a < b && (f[a] == ' ' || f[a] == '\t'))
			a++;
		while (b > a && (f[b - 1] == ' ' || f[b - 1] == '\t'))
			b--;
		i = j + 1;
		if (a == b)
			continue;
		if (kind == K_ADJ) {
			char *w;
			size_t wl;
			enum paradigm par;
			if (f[b - 1] == '!') {
				need_type = 1;
				b--;
			}
			w = fold_squeeze(f + a, b - a);
			wl = strlen(w);
			if (ends_with(w, wl, "ий") && wl > 4) {
				const char *st = w + wl - 6;  /* the letter before "ий" */
				if (wl >= 6 && (!memcmp(st, "к", 2) || !memcmp(st, "г", 2) ||
						!memcmp(st, "х", 2)))
					par = P_KIJ;
				else
					par = P_SOFT;
			} else if (ends_with(w, wl, "ый") && wl > 4) {
				par = P_YJ;
			} else if (ends_with(w, wl, "ой") && wl > 4) {
				const char *st = w + wl - 6;
				if (wl >= 6 && (!memcmp(st, "к", 2) || !memcmp(st, "г", 2) ||
						!memcmp(st, "х", 2) || !memcmp(st, "ж", 2) ||
						!memcmp(st, "ш", 2)))
					par = P_OJ_K;
				else
					par = P_OJ;
			} else {
				fail(ld, line, "adjective '%.*s' does not end in -ий, -ый or -ой",
				     (int)(b - a), f + a);
				free(w);
				return added;
			}
			add_key(ld, w, wl - 4, K_ADJ, par, need_type);
			free(w);
		} else {
			add_key(ld, f + a, b - a, kind, P_KIJ, 0);
		}
		added++;
	}
	return added;
}

static void
parse_line(loader_t *ld, size_t line, const char *s, size_t len)
{
	const char *field[7];
	size_t flen[7], nf = 0, i = 0, keys = 0;
	gazetteer_t *g = ld->g;
	gazetteer_entry_t *e;
	static const char *const types[] = { "ГО", "МО", "МР", "город", NULL };
	size_t t;

	while (nf < 7) {
		size_t j = i;
		while (j < len && s[j] != '\t')
			j++;
		field[nf] = s + i;
		flen[nf] = j - i;
		nf++;
		if (j >= len)
			break;
		i = j + 1;
	}
	if (nf < 4 || nf > 6) {
		fail(ld, line, "expected 4 to 6 TAB-separated fields, found %s", nf > 6 ? "more" : "fewer");
		return;
	}
	for (i = 0; i < nf; i++) {
		while (flen[i] && (field[i][0] == ' '))
			field[i]++, flen[i]--;
		while (flen[i] && field[i][flen[i] - 1] == ' ')
			flen[i]--;
	}
	if (flen[0] == 0 || (flen[0] == 1 && field[0][0] == '-')) {
		fail(ld, line, "empty name");
		return;
	}
	for (t = 0; types[t]; t++)
		if (strlen(types[t]) == flen[1] && memcmp(types[t], field[1], flen[1]) == 0)
			break;
	if (!types[t]) {
		fail(ld, line, "unknown type '%.*s' (expected ГО, МО, МР or город)", (int)flen[1], field[1]);
		return;
	}
	if (flen[2] == 0 || (flen[2] == 1 && field[2][0] == '-')) {
		fail(ld, line, "empty region");
		return;
	}
	{
		char *fn = fold_squeeze(field[0], flen[0]);
		for (i = 0; i < g->n; i++) {
			if (strcmp(g->folded_names[i], fn) == 0) {
				fail(ld, line, "duplicate name '%.*s' (first on line %zu)", (int)flen[0],
				     field[0], ld->entry_line[i]);
				free(fn);
				return;
			}
		}
		if (g->n == ld->alloc_entries) {
			ld->alloc_entries = ld->alloc_entries ? 2 * ld->alloc_entries : 32;
			g->entries = xrealloc(g->entries, ld->alloc_entries * sizeof(*g->entries));
			g->folded_names = xrealloc(g->folded_names, ld->alloc_entries * sizeof(char *));
			ld->entry_line = xrealloc(ld->entry_line, ld->alloc_entries * sizeof(size_t));
		}
		keys += parse_keys(ld, line, field[3], flen[3], K_ADJ);
		if (nf > 4)
			keys += parse_keys(ld, line, field[4], flen[4], K_NAME);
		if (nf > 5)
			keys += parse_keys(ld, line, field[5], flen[5], K_PLACE);
		if (!ld->err && keys == 0)
			fail(ld, line, "no adjective, name or place to recognise '%.*s' by", (int)flen[0],
			     field[0]);
		if (ld->err) {
			/* Drop the keys this line added. */
			while (g->n_keys && g->keys[g->n_keys - 1].entry == g->n)
				free(g->keys[--g->n_keys].s);
			free(fn);
			return;
		}
		e = &g->entries[g->n];
		e->name = xstrndup(field[0], flen[0]);
		e->type = xstrdup(types[t]);
		e->region = xstrndup(field[2], flen[2]);
		g->folded_names[g->n] = fn;
		ld->entry_line[g->n] = line;
		g->n++;
	}
}

static int
cmp_key(const void *a, const void *b)
{
	const gkey_t *x = a, *y = b;
	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static gazetteer_t *
load(const char *tsv, size_t len, const char *where, char **errmsg)
{
	loader_t ld = { 0 };
	size_t i = 0, line = 0;

	ld.g = xcalloc(1, sizeof(*ld.g));
	ld.where = where;
	if (errmsg)
		*errmsg = NULL;
	if (!tsv)
		len = 0;
	if (len >= 3 && memcmp(tsv, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && !ld.err) {
		size_t j = i, e;
		while (j < len && tsv[j] != '\n')
			j++;
		line++;
		e = j;
		if (e > i && tsv[e - 1] == '\r')
			e--;
		if (!util_utf8_valid(tsv + i, e - i))
			fail(&ld, line, "invalid UTF-8");
		else if (memchr(tsv + i, '\0', e - i))
			fail(&ld, line, "NUL byte");
		else {
			size_t k = i;
			while (k < e && (tsv[k] == ' ' || tsv[k] == '\t'))
				k++;
			if (k < e && tsv[k] != '#')
				parse_line(&ld, line, tsv + i, e - i);
		}
		i = j + 1;
	}
	if (!ld.err && ld.g->n == 0)
		fail(&ld, 0, "no entries");
	free(ld.entry_line);
	if (ld.err) {
		gazetteer_free(ld.g);
		if (errmsg)
			*errmsg = ld.err;
		else
			free(ld.err);
		return NULL;
	}
	/* Bucket the keys by first character; within a bucket, data order. */
	qsort(ld.g->keys, ld.g->n_keys, sizeof(*ld.g->keys), cmp_key);
	{
		size_t k = 0;
		for (unsigned b = 0; b <= N_BUCKETS; b++) {
			while (k < ld.g->n_keys && ld.g->keys[k].bucket < b)
				k++;
			ld.g->bucket_start[b] = k;
		}
	}
	return ld.g;
}

gazetteer_t *
gazetteer_new_from_text(const char *tsv, size_t len, char **errmsg)
{
	return load(tsv, len, "gazetteer", errmsg);
}

gazetteer_t *
gazetteer_new_from_file(const char *path, char **errmsg)
{
	char *data = NULL, *where;
	size_t len = 0;
	gazetteer_t *g;
	int rc;

	if (errmsg)
		*errmsg = NULL;
	rc = util_read_file(path, 64u << 20, &data, &len);
	if (rc != 0) {
		if (errmsg) {
			strbuf_t sb = STRBUF_INIT;
			if (rc == -2)
				strbuf_addf(&sb, "gazetteer file '%s' is too large", path);
			else
				strbuf_addf(&sb, "cannot read gazetteer '%s': %s", path, strerror(errno));
			*errmsg = strbuf_detach(&sb, NULL);
		}
		return NULL;
	}
	{
		strbuf_t sb = STRBUF_INIT;
		strbuf_addf(&sb, "'%s'", path);
		where = strbuf_detach(&sb, NULL);
	}
	g = load(data, len, where, errmsg);
	free(where);
	free(data);
	return g;
}

gazetteer_t *
gazetteer_new_default(void)
{
	char *err = NULL;
	gazetteer_t *g = load(gazetteer_tsv, strlen(gazetteer_tsv), "built-in gazetteer", &err);
	if (!g) {
		/* The data is checked by `make check`; a bad build is a bug. */
		fprintf(stderr, "protodex: %s\n", err);
		abort();
	}
	return g;
}
