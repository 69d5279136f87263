/*
 * morph: the lexicon behind the analysis chain -- from a word as written to
 * its keys.  See stemmer.h for the design; the steps, in order:
 *
 *   1. abbreviations (stemmer/data/abbreviations.tsv, embedded): a word
 *      listed there becomes the concept key ":<id>" and nothing else;
 *   2. the domain vocabulary (stemmer/data/vocabulary.tsv, embedded):
 *      form -> lemma(s);
 *   3. hunspell-ru through libhunspell: Hunspell_stem on the word as
 *      written (proper nouns are found only capitalised), then with ё -> е,
 *      then capitalised (the QueryParser hands us lower case); every lemma
 *      returned is a key, folded;
 *   4. the stem -> lemma map generated at build time from the same
 *      dictionary (stemmer/mkdata.c): the Snowball stem of an unknown word
 *      looked up there;
 *   5. Snowball "russian" on the folded word.
 * Steps 2-4 are skipped in the Snowball-only chain (no dictionary, or
 * PROTODEX_ANALYZER=snowball).
 *
 * Hunspell costs ~10 us a word, so results are cached by the word as
 * written in a bounded hash table that is emptied when full: running text
 * repeats its words, and emptying keeps the memory bounded without LRU
 * bookkeeping on the hot path.
 */
#include "config.h"

#include "stemmer/stemmer-int.h"

#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

#ifdef HAVE_HUNSPELL
#include <hunspell.h>
#endif

#ifndef HUNSPELL_DICT_DIR
#define HUNSPELL_DICT_DIR "/usr/share/hunspell"
#endif

/* Bump whenever a step changes the keys it produces. */
#define CHAIN_SERIAL "2"

#define DEFAULT_CACHE_ENTRIES 65536

/* Generated: stemmer/data.c and stemmer/lemma-map.c (stemmer/mkdata.c). */
extern const char stemmer_abbreviations_tsv[];
extern const char stemmer_vocabulary_tsv[];
extern const char stemmer_data_hash[];
extern const char stemmer_map_text[];
extern const size_t stemmer_map_count;
extern const size_t stemmer_map_size;
extern const char stemmer_map_hash[];

struct abbr {
	char *text;       /* as written in the table */
	char *id;         /* folded, spaces -> '_' */
	char *expansions; /* "a | b" */
	int caps;
};

struct morph {
	int full;
	struct sb_stemmer *sb;
#ifdef HAVE_HUNSPELL
	Hunhandle *hs;      /* created when a word first needs it */
	char *aff, *dic;
	int hs_failed;
#endif
	strbuf_t version, notice;
	/* abbreviations: folded form -> index ("any"), as written -> index ("caps") */
	struct abbr *abbrs;
	size_t nabbrs;
	strmap_t abbr_any, abbr_caps, abbr_ids;
	strmap_t vocab;     /* folded form -> "lemma\0lemma\0" */
	int vocab_loaded;   /* when a word first needs it */
	strmap_t cache;     /* word as written -> step, count, keys */
	int use_cache;
	/* Words whose keys were worked out here, for morph_take_log. */
	int logging;
	strbuf_t log;
	/* Asked before working a word out (morph_set_source). */
	morph_source_fn source;
	void *source_ctx;
	strbuf_t tmp, tmp2;
	UChar *u16;
	int32_t cap16;
};

/* ---- keys ----------------------------------------------------------------- */

void
morph_keys_init(morph_keys_t *k)
{
	memset(k, 0, sizeof *k);
	strbuf_init(&k->buf, 0);
}

void
morph_keys_release(morph_keys_t *k)
{
	strbuf_release(&k->buf);
	memset(k, 0, sizeof *k);
}

void
morph_keys_reset(morph_keys_t *k)
{
	strbuf_reset(&k->buf);
	k->n = 0;
	k->step = STEMMER_STEP_FORM;
}

void
morph_keys_add(morph_keys_t *k, const char *key, size_t len)
{
	unsigned i;
	if (len == 0 || k->n == MORPH_MAX_KEYS)
		return;
	for (i = 0; i < k->n; i++) {
		const char *o = k->buf.buf + k->off[i];
		if (strlen(o) == len && !memcmp(o, key, len))
			return;
	}
	k->off[k->n++] = k->buf.len;
	strbuf_add(&k->buf, key, len);
	strbuf_addch(&k->buf, '\0');
}

/* ---- string map ----------------------------------------------------------- */

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
strmap_init(strmap_t *m, size_t limit)
{
	memset(m, 0, sizeof *m);
	strbuf_init(&m->arena, 0);
	m->limit = limit;
	m->cap = 64; /* grown as entries come: a short-lived process uses little */
	m->slots = xcalloc(m->cap, sizeof *m->slots);
}

void
strmap_release(strmap_t *m)
{
	free(m->slots);
	strbuf_release(&m->arena);
	memset(m, 0, sizeof *m);
}

void
strmap_clear(strmap_t *m)
{
	memset(m->slots, 0, m->cap * sizeof *m->slots);
	strbuf_reset(&m->arena);
	m->n = 0;
}

static struct strmap_slot *
strmap_find(const strmap_t *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	for (;;) {
		struct strmap_slot *sl = &m->slots[i];
		if (sl->key_len == 0)
			return sl;
		if (sl->hash == h && sl->key_len == len &&
		    !memcmp(m->arena.buf + sl->key_off, key, len))
			return sl;
		i = (i + 1) & (m->cap - 1);
	}
}

const char *
strmap_get(const strmap_t *m, const char *key, size_t len, size_t *val_len)
{
	const struct strmap_slot *sl;
	if (len == 0 || !m->slots)
		return NULL;
	sl = strmap_find(m, key, len, hash_bytes(key, len));
	if (sl->key_len == 0)
		return NULL;
	if (val_len)
		*val_len = sl->val_len;
	return m->arena.buf + sl->val_off;
}

static void
strmap_grow(strmap_t *m)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key_len) {
			size_t j = (size_t)old[i].hash & (m->cap - 1);
			while (m->slots[j].key_len)
				j = (j + 1) & (m->cap - 1);
			m->slots[j] = old[i];
		}
	}
	free(old);
}

void
strmap_put(strmap_t *m, const char *key, size_t klen, const char *val, size_t vlen,
	   int append)
{
	uint64_t h;
	struct strmap_slot *sl;

	if (klen == 0 || klen > UINT32_MAX / 2 || vlen > UINT32_MAX / 2)
		return;
	if (m->limit && m->n >= m->limit)
		strmap_clear(m);
	if (m->arena.len + klen + vlen + 2 > UINT32_MAX)
		return;
	h = hash_bytes(key, klen);
	sl = strmap_find(m, key, klen, h);
	if (sl->key_len) {
		if (!append)
			return;
		/* Values are rewritten at the arena's end; maps built once.
		 * Grow first: the old value is copied from the arena itself. */
		size_t at = m->arena.len;
		strbuf_grow(&m->arena, (size_t)sl->val_len + vlen + 1);
		strbuf_add(&m->arena, m->arena.buf + sl->val_off, sl->val_len);
		strbuf_add(&m->arena, val, vlen);
		strbuf_addch(&m->arena, '\0');
		sl->val_off = (uint32_t)at;
		sl->val_len = (uint32_t)(sl->val_len + vlen);
		return;
	}
	sl->hash = h;
	sl->key_off = (uint32_t)m->arena.len;
	sl->key_len = (uint32_t)klen;
	strbuf_add(&m->arena, key, klen);
	strbuf_addch(&m->arena, '\0');
	sl->val_off = (uint32_t)m->arena.len;
	sl->val_len = (uint32_t)vlen;
	strbuf_add(&m->arena, val, vlen);
	strbuf_addch(&m->arena, '\0');
	m->n++;
	if (m->n * 2 > m->cap)
		strmap_grow(m);
}

/* ---- folding -------------------------------------------------------------- */

/* Full case folding and ё -> е of UTF-8 text (data files, hunspell lemmas). */
static void
fold_utf8(morph_t *m, const char *s, size_t n, strbuf_t *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0, flen;
	UChar *f;

	strbuf_reset(out);
	if (n > INT32_MAX / 4)
		return;
	if (m->cap16 < (int32_t)n * 2 + 8) {
		free(m->u16);
		m->cap16 = (int32_t)n * 2 + 8;
		m->u16 = xmalloc((size_t)m->cap16 * 2 * sizeof *m->u16);
	}
	u_strFromUTF8Lenient(m->u16, m->cap16, &len, s, (int32_t)n, &st);
	if (U_FAILURE(st))
		return;
	f = m->u16 + m->cap16;
	flen = u_strFoldCase(f, m->cap16, m->u16, len, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		return;
	for (int32_t i = 0; i < flen; i++)
		if (f[i] == 0x451)
			f[i] = 0x435;
	strbuf_grow(out, (size_t)flen * 3 + 1);
	st = U_ZERO_ERROR;
	u_strToUTF8(out->buf, (int32_t)(out->len + (size_t)flen * 3 + 1), &len, f, flen, &st);
	if (U_FAILURE(st)) {
		strbuf_reset(out);
		return;
	}
	/* strbuf_setlen only shortens: the bytes were written in place. */
	out->len = (size_t)len;
	out->buf[out->len] = '\0';
}

/* ---- data files ----------------------------------------------------------- */

/* Next line of a data file, without comments and trailing space; NULL at end. */
static const char *
next_line(const char **p, size_t *len)
{
	while (**p) {
		const char *line = *p, *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		*p = end ? end + 1 : line + n;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		*len = n;
		return line;
	}
	return NULL;
}

static void
load_abbreviations(morph_t *m)
{
	const char *p = stemmer_abbreviations_tsv, *line;
	size_t len, cap = 0;

	while ((line = next_line(&p, &len))) {
		const char *t1 = memchr(line, '\t', len), *t2;
		struct abbr *a;
		char idx[16];
		size_t i;

		if (!t1)
			continue;
		t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line));
		if (m->nabbrs == cap) {
			cap = cap ? cap * 2 : 64;
			m->abbrs = xrealloc(m->abbrs, cap * sizeof *m->abbrs);
		}
		a = &m->abbrs[m->nabbrs];
		a->text = xstrndup(line, (size_t)(t1 - line));
		a->caps = !strncmp(t1 + 1, "caps", 4);
		a->expansions = t2 ? xstrndup(t2 + 1, len - (size_t)(t2 + 1 - line)) : xstrdup("");
		fold_utf8(m, a->text, strlen(a->text), &m->tmp);
		for (i = 0; i < m->tmp.len; i++)
			if (m->tmp.buf[i] == ' ')
				m->tmp.buf[i] = '_';
		a->id = xstrndup(m->tmp.buf, m->tmp.len);
		snprintf(idx, sizeof idx, "%zu", m->nabbrs);
		strmap_put(&m->abbr_ids, a->id, strlen(a->id), idx, strlen(idx), 0);
		/* Multi-word abbreviations are phrases (stemmer.c), not words. */
		if (!strchr(a->text, ' ')) {
			if (a->caps)
				strmap_put(&m->abbr_caps, a->text, strlen(a->text), idx,
					   strlen(idx), 0);
			else
				strmap_put(&m->abbr_any, a->id, strlen(a->id), idx, strlen(idx),
					   0);
		}
		m->nabbrs++;
	}
}

static void
load_vocabulary(morph_t *m)
{
	const char *p = stemmer_vocabulary_tsv, *line;
	size_t len;

	while ((line = next_line(&p, &len))) {
		const char *tab = memchr(line, '\t', len), *q, *end = line + len;
		strbuf_t lemma = STRBUF_INIT;

		if (!tab)
			continue;
		fold_utf8(m, line, (size_t)(tab - line), &m->tmp);
		strbuf_add(&lemma, m->tmp.buf, m->tmp.len);
		strbuf_addch(&lemma, '\0');
		/* The lemma is a form of itself. */
		strmap_put(&m->vocab, lemma.buf, lemma.len - 1, lemma.buf, lemma.len, 1);
		for (q = tab + 1; q < end;) {
			const char *w = q;
			while (q < end && *q != ' ' && *q != '\t')
				q++;
			if (q > w) {
				fold_utf8(m, w, (size_t)(q - w), &m->tmp);
				if (m->tmp.len) {
					size_t vl;
					const char *v = strmap_get(&m->vocab, m->tmp.buf, m->tmp.len, &vl);
					int have = 0;
					/* Once per (form, lemma). */
					for (size_t o = 0; v && o < vl; o += strlen(v + o) + 1)
						if (!strcmp(v + o, lemma.buf))
							have = 1;
					if (!have)
						strmap_put(&m->vocab, m->tmp.buf, m->tmp.len, lemma.buf,
							   lemma.len, 1);
				}
			}
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
		}
		strbuf_release(&lemma);
	}
}

/*
 * The lemmas the map gives `stem`, or NULL; *len their length.  A binary
 * search over the bytes of the sorted lines, each probe backing up to the
 * start of its line: nothing to load or index first, so a process that
 * needs the map for one word touches a few of its pages.
 */
static const char *
map_lookup(const char *stem, size_t n, size_t *len)
{
	const char *text = stemmer_map_text;
	size_t lo = 0, hi = stemmer_map_size;
	while (lo < hi) {
		size_t at = lo + (hi - lo) / 2;
		while (at > lo && text[at - 1] != '\n')
			at--;
		const char *line = text + at;
		const char *tab = strchr(line, '\t');
		const char *nl = tab ? strchr(tab, '\n') : NULL;
		if (!nl)
			return NULL; /* not a map line: cannot happen */
		size_t sl = (size_t)(tab - line);
		int c = memcmp(line, stem, sl < n ? sl : n);
		if (c == 0)
			c = sl < n ? -1 : sl > n ? 1 : 0;
		if (c == 0) {
			*len = (size_t)(nl - tab - 1);
			return tab + 1;
		}
		if (c < 0)
			lo = (size_t)(nl - text) + 1;
		else
			hi = at;
	}
	return NULL;
}

/* ---- set-up --------------------------------------------------------------- */

int
morph_resolve(const stemmer_options_t *opt, int *want_full, const char **dir)
{
	stemmer_analyzer_t a = opt ? opt->analyzer : STEMMER_ANALYZER_AUTO;
	const char *env;

	*dir = opt && opt->dict_dir ? opt->dict_dir : NULL;
	if (!*dir) {
		env = getenv("PROTODEX_HUNSPELL_DIR");
		*dir = env && *env ? env : HUNSPELL_DICT_DIR;
	}
	if (a == STEMMER_ANALYZER_AUTO) {
		env = getenv("PROTODEX_ANALYZER");
		if (!env || !*env || !strcmp(env, "full"))
			a = STEMMER_ANALYZER_FULL;
		else if (!strcmp(env, "snowball"))
			a = STEMMER_ANALYZER_SNOWBALL;
		else
			return -1;
	}
	*want_full = a == STEMMER_ANALYZER_FULL;
	return 0;
}

/*
 * A fingerprint of the dictionary files: their sizes and 16 blocks of 4 KB
 * spread over each, so that every process (a search too) need not read
 * 2 MB to learn which dictionary it has.  Dictionaries of different
 * hunspell-ru versions differ in size or in the blocks.
 */
static const char *const dict_files[] = { "ru_RU.aff", "ru_RU.dic" };

static void
dict_fingerprint(const char *dir, strbuf_t *out)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	strbuf_t path = STRBUF_INIT;

	strbuf_reset(out);
	for (size_t i = 0; i < 2; i++) {
		enum { BLOCKS = 16, BLOCK = 4096 };
		char buf[BLOCK];
		struct stat st;
		int fd;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, dict_files[i]);
		if ((fd = open(path.buf, O_RDONLY | O_CLOEXEC)) < 0) {
			strbuf_release(&path);
			return;
		}
		if (fstat(fd, &st) < 0) {
			close(fd);
			strbuf_release(&path);
			return;
		}
		h ^= (uint64_t)st.st_size;
		h *= 0x100000001b3ULL;
		for (unsigned b = 0; b < BLOCKS; b++) {
			off_t at = (off_t)((uint64_t)st.st_size * b / BLOCKS);
			ssize_t n = pread(fd, buf, sizeof buf, at);
			for (ssize_t k = 0; k < n; k++) {
				h ^= (unsigned char)buf[k];
				h *= 0x100000001b3ULL;
			}
		}
		close(fd);
	}
	strbuf_release(&path);
	strbuf_addf(out, "%08llx", (unsigned long long)(h & 0xffffffffULL));
}

/*
 * What stat says of the dictionary files ("inode:size:mtime;" each), ""
 * when one cannot be read.  Files with the same identity have the same
 * bytes, so a fingerprint recorded beside it (a hint) stands for them.
 */
static void
dict_identity(const char *dir, strbuf_t *out)
{
	strbuf_t path = STRBUF_INIT;

	strbuf_reset(out);
	for (size_t i = 0; i < 2; i++) {
		struct stat st;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, dict_files[i]);
		if (stat(path.buf, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
			strbuf_reset(out);
			break;
		}
		strbuf_addf(out, "%llu:%lld:%lld.%09ld;", (unsigned long long)st.st_ino,
			    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			    (long)st.st_mtim.tv_nsec);
	}
	strbuf_release(&path);
}

static pthread_mutex_t dict_mu = PTHREAD_MUTEX_INITIALIZER;
static char *dict_dir, *dict_ident, *dict_hash, *dict_hint;

/* The hash a hint "IDENTITY=HASH" gives for `ident`, or NULL. */
static const char *
hint_hash(const char *hint, const char *ident)
{
	const char *eq;
	size_t n = strlen(ident);
	if (!hint || !n || strncmp(hint, ident, n) || hint[n] != '=')
		return NULL;
	eq = hint + n + 1;
	if (strlen(eq) != 8 || strspn(eq, "0123456789abcdef") != 8)
		return NULL;
	return eq;
}

/* The fingerprint, worked out once per directory and process, or taken
 * from the hint when the files are the ones it names. */
void
morph_dict_hash(const char *dir, strbuf_t *out)
{
	pthread_mutex_lock(&dict_mu);
	if (!dict_dir || strcmp(dict_dir, dir)) {
		strbuf_t id = STRBUF_INIT, h = STRBUF_INIT;
		const char *given;
		dict_identity(dir, &id);
		if ((given = hint_hash(dict_hint, id.buf)))
			strbuf_adds(&h, given);
		else if (id.len)
			dict_fingerprint(dir, &h);
		free(dict_dir);
		free(dict_ident);
		free(dict_hash);
		dict_dir = xstrdup(dir);
		dict_ident = strbuf_detach(&id, NULL);
		dict_hash = strbuf_detach(&h, NULL);
	}
	strbuf_reset(out);
	strbuf_adds(out, dict_hash);
	pthread_mutex_unlock(&dict_mu);
}

void
morph_dict_hint(const char *dir, strbuf_t *out)
{
	strbuf_t h = STRBUF_INIT;
	morph_dict_hash(dir, &h);
	strbuf_reset(out);
	pthread_mutex_lock(&dict_mu);
	if (h.len && *dict_ident)
		strbuf_addf(out, "%s=%s", dict_ident, dict_hash);
	pthread_mutex_unlock(&dict_mu);
	strbuf_release(&h);
}

void
morph_use_dict_hint(const char *hint)
{
	pthread_mutex_lock(&dict_mu);
	free(dict_hint);
	dict_hint = hint && *hint ? xstrdup(hint) : NULL;
	pthread_mutex_unlock(&dict_mu);
}

void
morph_compose_version(strbuf_t *out, int full, const char *dict_hash)
{
	strbuf_reset(out);
	strbuf_addf(out, "icu%s-nfc-fold-yo-", U_ICU_VERSION_SHORT);
	if (full)
		strbuf_addf(out, "hunspell-ru-%s-map-%s-vocab-", dict_hash, stemmer_map_hash);
	strbuf_addf(out, "abbr-%s-snowball-russian-%s", stemmer_data_hash, CHAIN_SERIAL);
}

morph_t *
morph_new(const stemmer_options_t *opt, char **errmsg)
{
	morph_t *m = xcalloc(1, sizeof *m);
	const char *dir;
	int want_full;
	strbuf_t hash = STRBUF_INIT;

	strbuf_init(&m->version, 0);
	strbuf_init(&m->notice, 0);
	strbuf_init(&m->tmp, 0);
	strbuf_init(&m->tmp2, 0);
	strbuf_init(&m->log, 0);
	strmap_init(&m->abbr_any, 0);
	strmap_init(&m->abbr_caps, 0);
	strmap_init(&m->abbr_ids, 0);
	strmap_init(&m->vocab, 0);
	if (morph_resolve(opt, &want_full, &dir) < 0) {
		if (errmsg)
			*errmsg = xstrdup("PROTODEX_ANALYZER must be 'full' or 'snowball'");
		goto fail;
	}
	m->sb = sb_stemmer_new("russian", "UTF_8");
	if (!m->sb) {
		if (errmsg)
			*errmsg = xstrdup("cannot create the Snowball stemmer 'russian' (UTF_8)");
		goto fail;
	}
	if (want_full) {
#ifdef HAVE_HUNSPELL
		strbuf_t aff = STRBUF_INIT, dic = STRBUF_INIT;
		strbuf_addf(&aff, "%s/%s", dir, dict_files[0]);
		strbuf_addf(&dic, "%s/%s", dir, dict_files[1]);
		/* "" when the files cannot be read (dict_identity) */
		morph_dict_hash(dir, &hash);
		if (hash.len) {
			/* Loading it takes ~150 ms: only when a word needs it. */
			m->aff = strbuf_detach(&aff, NULL);
			m->dic = strbuf_detach(&dic, NULL);
			m->full = 1;
		}
		if (!m->full)
			strbuf_addf(&m->notice,
				    "the Russian dictionary is not installed (no %s): words are "
				    "matched by Snowball stems only; install it with "
				    "'apt-get install hunspell-ru' and re-index",
				    dic.buf);
		strbuf_release(&aff);
		strbuf_release(&dic);
#else
		strbuf_adds(&m->notice,
			    "protodex was built without libhunspell: words are matched by "
			    "Snowball stems only; rebuild with libhunspell-dev and "
			    "hunspell-ru installed");
#endif
	}
	morph_compose_version(&m->version, m->full, hash.buf);
	strbuf_release(&hash);
	load_abbreviations(m);
	/* The vocabulary and the stem map (6 MB) are read when a word first
	 * needs them: a search finds its words in the database's list. */
	m->use_cache = !opt || opt->cache_entries >= 0;
	m->logging = opt && opt->log_words;
	strmap_init(&m->cache, !opt || opt->cache_entries == 0 ? DEFAULT_CACHE_ENTRIES
					       : opt->cache_entries > 0 ? (size_t)opt->cache_entries
									: 1);
	return m;
fail:
	strbuf_release(&hash);
	morph_free(m);
	return NULL;
}

void
morph_free(morph_t *m)
{
	if (!m)
		return;
	if (m->sb)
		sb_stemmer_delete(m->sb);
#ifdef HAVE_HUNSPELL
	if (m->hs)
		Hunspell_destroy(m->hs);
	free(m->aff);
	free(m->dic);
#endif
	strbuf_release(&m->log);
	for (size_t i = 0; i < m->nabbrs; i++) {
		free(m->abbrs[i].text);
		free(m->abbrs[i].id);
		free(m->abbrs[i].expansions);
	}
	free(m->abbrs);
	strmap_release(&m->abbr_any);
	strmap_release(&m->abbr_caps);
	strmap_release(&m->abbr_ids);
	strmap_release(&m->vocab);
	strmap_release(&m->cache);
	strbuf_release(&m->version);
	strbuf_release(&m->notice);
	strbuf_release(&m->tmp);
	strbuf_release(&m->tmp2);
	free(m->u16);
	free(m);
}

int
morph_full(const morph_t *m)
{
	return m->full;
}

const char *
morph_notice(const morph_t *m)
{
	return m->notice.buf;
}

const char *
morph_version(const morph_t *m)
{
	return m->version.buf;
}

size_t
morph_cache_entries(const morph_t *m)
{
	return m->use_cache ? m->cache.n : 0;
}

size_t
morph_abbr_count(const morph_t *m)
{
	return m->nabbrs;
}

const char *
morph_abbr_text(const morph_t *m, size_t i)
{
	return m->abbrs[i].text;
}

const char *
morph_abbr_id(const morph_t *m, size_t i)
{
	return m->abbrs[i].id;
}

const char *
morph_abbr_expansions(const morph_t *m, size_t i)
{
	return m->abbrs[i].expansions;
}

int
morph_concept_by_id(const morph_t *m, const char *id, size_t len)
{
	const char *v = strmap_get(&m->abbr_ids, id, len, NULL);
	return v ? atoi(v) : -1;
}

/* ---- one word ------------------------------------------------------------- */

static int
snowball(morph_t *m, const char *w, size_t n, strbuf_t *out, strbuf_t *err)
{
	const sb_symbol *r;
	strbuf_reset(out);
	if (n > INT_MAX)
		n = 0;
	r = sb_stemmer_stem(m->sb, (const sb_symbol *)w, (int)n);
	if (!r) {
		strbuf_reset(err);
		strbuf_adds(err, "the Snowball stemmer ran out of memory");
		return -1;
	}
	strbuf_add(out, r, (size_t)sb_stemmer_length(m->sb));
	return 0;
}

#ifdef HAVE_HUNSPELL
static int
has_cyrillic(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xD0 || (unsigned char)s[i] == 0xD1)
			return 1;
	return 0;
}

/* Hunspell's lemmas of `word` (NUL-terminated) into out, folded. */
static int
hunspell_lemmas(morph_t *m, const char *word, const char *fold, size_t flen,
		morph_keys_t *out)
{
	char **list = NULL;
	int n;
	if (!m->hs && !m->hs_failed) {
		m->hs = Hunspell_create(m->aff, m->dic);
		m->hs_failed = !m->hs;
	}
	if (!m->hs)
		return 0;
	n = Hunspell_stem(m->hs, &list, word);
	int first_is_self = -1;

	if (n <= 0) {
		if (list)
			Hunspell_free_list(m->hs, &list, n);
		return 0;
	}
	/* The lemma equal to the word itself first: it is the primary key. */
	for (int i = 0; i < n; i++) {
		fold_utf8(m, list[i], strlen(list[i]), &m->tmp2);
		if (m->tmp2.len == flen && !memcmp(m->tmp2.buf, fold, flen)) {
			first_is_self = i;
			morph_keys_add(out, m->tmp2.buf, m->tmp2.len);
			break;
		}
	}
	for (int i = 0; i < n; i++) {
		if (i == first_is_self)
			continue;
		fold_utf8(m, list[i], strlen(list[i]), &m->tmp2);
		morph_keys_add(out, m->tmp2.buf, m->tmp2.len);
	}
	Hunspell_free_list(m->hs, &list, n);
	return out->n > 0;
}

/* Try the word as written, with ё -> е, then capitalised. */
static void
dictionary(morph_t *m, const char *orig, size_t olen, const char *fold, size_t flen,
	   morph_keys_t *out)
{
	strbuf_t *w = &m->tmp;
	int changed = 0;
	size_t i;

	if (olen > 200 || memchr(orig, '\0', olen))
		return;
	strbuf_reset(w);
	strbuf_add(w, orig, olen);
	if (hunspell_lemmas(m, w->buf, fold, flen, out))
		return;
	for (i = 0; i + 1 < w->len; i++) {
		unsigned char a = (unsigned char)w->buf[i], b = (unsigned char)w->buf[i + 1];
		if (a == 0xD1 && b == 0x91) { /* ё */
			w->buf[i] = (char)0xD0;
			w->buf[i + 1] = (char)0xB5;
			changed = 1;
		} else if (a == 0xD0 && b == 0x81) { /* Ё */
			w->buf[i + 1] = (char)0x95;
			changed = 1;
		}
	}
	if (changed && hunspell_lemmas(m, w->buf, fold, flen, out))
		return;
	/* Lower case (as QueryParser hands queries over): try Capitalised,
	 * where proper nouns live.  Only the first letter changes. */
	{
		unsigned char a = (unsigned char)w->buf[0], b = (unsigned char)w->buf[1];
		if (a == 0xD0 && b >= 0xB0 && b <= 0xBF) {
			w->buf[1] = (char)(b - 0x20);
		} else if (a == 0xD1 && b >= 0x80 && b <= 0x8F) {
			w->buf[0] = (char)0xD0;
			w->buf[1] = (char)(b + 0x20);
		} else {
			return;
		}
		hunspell_lemmas(m, w->buf, fold, flen, out);
	}
}
#endif

/* One entry of a word list (morph_log_next reads it back). */
static void
log_entry(strbuf_t *out, const char *word, size_t wl, const char *value, size_t vl)
{
	strbuf_addf(out, "%zu:%zu:", wl, vl);
	strbuf_add(out, word, wl);
	strbuf_add(out, value, vl);
}

static void
cache_store(morph_t *m, const char *orig, size_t olen, const morph_keys_t *k)
{
	char head[2];
	strbuf_t *v = &m->tmp;

	head[0] = (char)('0' + k->step);
	head[1] = (char)('0' + k->n);
	strbuf_reset(v);
	strbuf_add(v, head, 2);
	strbuf_add(v, k->buf.buf, k->buf.len);
	if (m->use_cache)
		strmap_put(&m->cache, orig, olen, v->buf, v->len, 0);
	if (m->logging)
		log_entry(&m->log, orig, olen, v->buf, v->len);
}

/* The keys of a cached value ("<step><count>key\0key\0...") into out. */
static void
keys_from_value(const char *v, size_t vl, morph_keys_t *out)
{
	const char *p = v + 2, *end = v + vl;
	out->step = (stemmer_step_t)(v[0] - '0');
	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));
		morph_keys_add(out, p, n);
		p += n + 1;
	}
}

/* A value as cache_store writes it, checked (it may come from a file). */
static int
value_ok(const char *v, size_t vl)
{
	return vl >= 3 && v[0] >= '0' && v[0] <= '0' + STEMMER_STEP_SNOWBALL && v[1] > '0' &&
	       v[1] <= '0' + MORPH_MAX_KEYS && v[vl - 1] == '\0';
}

static int lower_case(const char *orig, const char *fold, size_t n, char *lower);

int
morph_word(morph_t *m, const char *orig, size_t olen, const char *fold, size_t flen,
	   morph_keys_t *out, strbuf_t *err)
{
	const char *v;
	size_t vl;

	morph_keys_reset(out);
	if (m->use_cache && (v = strmap_get(&m->cache, orig, olen, &vl)) && vl >= 2) {
		keys_from_value(v, vl, out);
		return 0;
	}
	/* Worked out before, elsewhere (the database's word list). */
	if (m->source) {
		strbuf_reset(&m->tmp2);
		if (m->source(m->source_ctx, orig, olen, &m->tmp2) == 1 &&
		    value_ok(m->tmp2.buf, m->tmp2.len)) {
			keys_from_value(m->tmp2.buf, m->tmp2.len, out);
			if (m->use_cache)
				strmap_put(&m->cache, orig, olen, m->tmp2.buf, m->tmp2.len, 0);
			return 0;
		}
	}

	/* 1. Abbreviations: any-case ones by the folded form, capitals-only
	 * ones exactly as written. */
	if ((v = strmap_get(&m->abbr_any, fold, flen, NULL)) ||
	    (v = strmap_get(&m->abbr_caps, orig, olen, NULL))) {
		const struct abbr *a = &m->abbrs[atoi(v)];
		strbuf_t *k = &m->tmp;
		strbuf_reset(k);
		strbuf_addch(k, CONCEPT_MARK);
		strbuf_adds(k, a->id);
		morph_keys_add(out, k->buf, k->len);
		out->step = STEMMER_STEP_ABBREVIATION;
		goto done;
	}
	if (m->full) {
		/* 2. The domain vocabulary. */
		if (!m->vocab_loaded) {
			load_vocabulary(m);
			m->vocab_loaded = 1;
		}
		if ((v = strmap_get(&m->vocab, fold, flen, &vl))) {
			for (size_t o = 0; o < vl; o += strlen(v + o) + 1)
				morph_keys_add(out, v + o, strlen(v + o));
			out->step = STEMMER_STEP_VOCABULARY;
			goto done;
		}
#ifdef HAVE_HUNSPELL
		/* 3. The dictionary. */
		if (has_cyrillic(orig, olen)) {
			dictionary(m, orig, olen, fold, flen, out);
			/*
			 * Imperatives of the first person plural ("скрасимте",
			 * "пойдёмте") are the dictionary's "скрасим" + "те",
			 * a form hunspell-ru does not list.
			 */
			if (!out->n && olen >= 10 && !memcmp(orig + olen - 4, "\xd1\x82\xd0\xb5", 4) &&
			    (!memcmp(orig + olen - 6, "\xd0\xbc", 2)))
				dictionary(m, orig, olen - 4, fold, flen - 4, out);
			if (out->n) {
				out->step = STEMMER_STEP_DICTIONARY;
				goto done;
			}
		}
#endif
	}
	if (snowball(m, fold, flen, &m->tmp, err) < 0)
		return -1;
	if (m->full && stemmer_map_count) {
		/* 4. The stem -> lemma map. */
		const char *lemma = map_lookup(m->tmp.buf, m->tmp.len, &vl);
		if (lemma) {
			/* "lemma lemma ...", the most likely first. */
			const char *end = lemma + vl;
			while (lemma < end) {
				const char *sp = memchr(lemma, ' ', (size_t)(end - lemma));
				size_t n = sp ? (size_t)(sp - lemma) : (size_t)(end - lemma);
				morph_keys_add(out, lemma, n);
				lemma += n + 1;
			}
			out->step = STEMMER_STEP_STEM_MAP;
			goto done;
		}
	}
	/* 5. Snowball. */
	morph_keys_add(out, m->tmp.buf, m->tmp.len);
	out->step = STEMMER_STEP_SNOWBALL;
done:
	if (out->n)
		cache_store(m, orig, olen, out);
	/*
	 * A logged word with capitals: its lower-case form too, which is how
	 * QueryParser and the snippet maker hand words over ("Руководителям"
	 * at the start of a decision, "руководителям" in a query).
	 */
	if (m->logging && out->n && olen == flen && olen <= 256) {
		char lower[256];
		if (lower_case(orig, fold, flen, lower) && memcmp(lower, orig, olen)) {
			morph_keys_t lk;
			int r;
			morph_keys_init(&lk);
			r = morph_word(m, lower, olen, fold, flen, &lk, err);
			morph_keys_release(&lk);
			return r;
		}
	}
	return 0;
}

/*
 * The lower-case form of `orig` from its folded form (same length): the
 * folded form with ё put back where `orig` has ё or Ё.  0 when the two do
 * not line up.
 */
static int
lower_case(const char *orig, const char *fold, size_t n, char *lower)
{
	memcpy(lower, fold, n);
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char a = (unsigned char)orig[i], b = (unsigned char)orig[i + 1];
		if ((a == 0xD1 && b == 0x91) || (a == 0xD0 && b == 0x81)) {
			if ((unsigned char)fold[i] != 0xD0 || (unsigned char)fold[i + 1] != 0xB5)
				return 0;
			lower[i] = (char)0xD1;
			lower[i + 1] = (char)0x91;
			i++;
		}
	}
	return 1;
}


void
morph_set_source(morph_t *m, morph_source_fn fn, void *ctx)
{
	m->source = fn;
	m->source_ctx = ctx;
}

void
morph_take_log(morph_t *m, strbuf_t *out)
{
	strbuf_t t = *out;
	*out = m->log;
	m->log = t;
	strbuf_reset(&m->log);
}

void
morph_export_cache(const morph_t *m, strbuf_t *out)
{
	if (!m->use_cache)
		return;
	for (size_t i = 0; i < m->cache.cap; i++) {
		const struct strmap_slot *sl = &m->cache.slots[i];
		if (sl->key_len)
			log_entry(out, m->cache.arena.buf + sl->key_off, sl->key_len,
				  m->cache.arena.buf + sl->val_off, sl->val_len);
	}
}

int
morph_preload(morph_t *m, const char *list, size_t len)
{
	size_t n = 0;
	const char *word, *value;
	size_t wl, vl;
	while (morph_log_next(&list, &len, &word, &wl, &value, &vl) == 1) {
		if (!value_ok(value, vl))
			return -1;
		if (m->use_cache)
			strmap_put(&m->cache, word, wl, value, vl, 0);
		n++;
	}
	return len ? -1 : (int)n;
}

int
morph_log_next(const char **list, size_t *len, const char **word, size_t *wl, const char **value,
	       size_t *vl)
{
	/* "<word length>:<value length>:<word><value>": values hold NULs */
	const char *p = *list, *end = *list + *len;
	unsigned long a, b;
	char *e;
	if (p == end)
		return 0;
	a = strtoul(p, &e, 10);
	if (e == p || e >= end || *e != ':')
		return -1;
	p = e + 1;
	b = strtoul(p, &e, 10);
	if (e == p || e >= end || *e != ':')
		return -1;
	p = e + 1;
	if (a == 0 || a > (size_t)(end - p) || b > (size_t)(end - p) - a)
		return -1;
	*word = p;
	*wl = a;
	*value = p + a;
	*vl = b;
	p += a + b;
	*len -= (size_t)(p - *list);
	*list = p;
	return 1;
}
