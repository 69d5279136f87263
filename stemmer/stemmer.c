/*
 * stemmer: the analysis chain (see stemmer.h for the contract).
 *
 * Design.  The input is cut into chunks at line ends (ICU always breaks
 * words around a newline, so the cut changes nothing), each chunk is decoded
 * to UTF-16 by hand so that every UTF-16 unit keeps the byte offset it came
 * from (map[]), and ICU's word break iterator runs over that buffer.  Nothing
 * is inserted or removed while decoding -- invalid bytes become U+FFFD,
 * ZERO WIDTH SPACE becomes WORD JOINER, U+2010/U+2011 become '-' -- so a
 * UTF-16 range always maps back to a byte range of the input.  Soft hyphens
 * and the other default-ignorable characters are Format/Extend to the word
 * break rules, so ICU keeps "об<SHY>щество" together; they are dropped only
 * when the key is built.
 *
 * Normalisation (NFC, full case folding, ё -> е) is done per token rather
 * than over the whole text, again to keep offsets exact; nearly all tokens
 * are plain ASCII or basic Cyrillic and take a table-free fast path that
 * gives the same result as the ICU path.
 *
 * stemmer_key runs the same code over the single word and takes the first
 * token's key, so the two entry points cannot drift apart.  It uses its own
 * break iterator and buffers (struct work), which makes it safe to call from
 * inside a stemmer_analyze callback.
 *
 * Words get their keys from the lexicon (morph.c).  Tokens then pass
 * through the phrase matcher on their way to the callback: the expansions
 * of abbreviations are sequences of keys, and while the last tokens could
 * still be the beginning of one, they are held back (struct held), so that
 * a completed match can add its CONCEPT token at every position of the
 * match before those tokens go out, in position order.
 */
#include "config.h"

#include "stemmer/stemmer.h"
#include "stemmer/stemmer-int.h"

#include "common/strbuf.h"
#include "common/util.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

/*
 * Largest chunk handed to ICU at once.  It bounds the UTF-16 and offset
 * buffers and keeps offsets within a chunk in 32 bits.
 */
#define CHUNK_MAX ((size_t)1 << 20)

/* stemmer_key's answers kept (then forgotten all at once). */
#define KEY_MEMO_MAX 16384
#define NUMERO 0x2116 /* № */
#define NUMERO_UTF8 "\xE2\x84\x96"

/* Character classes inside a token. */
enum { CL_OTHER, CL_LETTER, CL_DIGIT, CL_MARK, CL_IGNORE };

/* Token flags computed when segments are collected. */
enum { HAS_LETTER = 1, HAS_DIGIT = 2, FIRST_DIGIT = 4 };

struct seg {
	int32_t a, b; /* UTF-16 range, ignorables trimmed from both ends */
	unsigned flags;
};

/* Per-entry-point state: the document path and the query path each own one. */
struct work {
	UBreakIterator *bi;
	UChar *u16;     /* decoded chunk */
	uint32_t *map;  /* map[i]: byte offset in the chunk of unit i; map[n] = end */
	size_t cap16;   /* units allocated in u16 and map */
	struct seg *segs;
	size_t nsegs, capsegs;
	UChar *tmp1, *tmp2; /* normalisation scratch */
	int32_t cap1, cap2;
	strbuf_t ckey;  /* key of the current compound */
	strbuf_t key;   /* folded form of the current word, number or part */
	strbuf_t orig;  /* the current word as written (NFC, no ignorables) */
	morph_keys_t mk; /* keys of the current token */
	morph_keys_t mk2; /* scratch */
	/* The phrase matcher: tokens held back, matches under way, concepts
	 * found for held tokens. */
	struct held *held;
	size_t nheld, capheld;
	strbuf_t heldkeys;
	struct active *act;
	size_t nact, capact;
	struct attach *att;
	size_t natt, capatt;
};

/* A token held back by the phrase matcher. */
struct held {
	stemmer_token_kind_t kind;
	stemmer_step_t step;
	size_t off, len;   /* absolute, in the analysed text */
	unsigned pos;
	size_t keys_at;    /* NUL-separated keys in work.heldkeys */
	unsigned nkeys;
	int matchable;
};

/* A match under way: phrase, index in held of its first token, words matched. */
struct active {
	unsigned phrase;
	size_t start;
	unsigned k;
};

/* A concept to emit after held token `at`, spanning [off, off + len). */
struct attach {
	size_t at;
	int concept;
	size_t off, len;
};

/* A phrase: the key sets of its words, for one concept. */
struct phrase {
	int concept;
	size_t word0;    /* first entry in stemmer.pwords */
	unsigned nwords;
};

/* One word of a phrase: its keys, NUL-separated, in stemmer.pkeys. */
struct pword {
	size_t keys_at;
	unsigned nkeys;
};

struct stemmer {
	morph_t *m;
	const UNormalizer2 *nfc;
	struct work doc, query;
	strbuf_t qkey;  /* stemmer_key's result */
	int qfound;
	strmap_t keys;  /* stemmer_key's answers: word -> "1" + key, or "0"; kept,
			   like the lexicon's, across stemmer_set_word_source */
	strbuf_t memo;
	strbuf_t err;
	struct phrase *phrases;
	size_t nphrases;
	struct pword *pwords;
	size_t npwords;
	strbuf_t pkeys;
	strmap_t first; /* key -> indices (uint32) of phrases whose first word has it */
	int phrases_loaded; /* at the first text that could hold one (analyze) */
};

static const char *const step_names[] = {
	"form", "abbreviation", "expansion", "vocabulary", "dictionary", "stem-map",
	"snowball"
};

const char *
stemmer_step_name(stemmer_step_t step)
{
	if ((unsigned)step >= sizeof step_names / sizeof step_names[0])
		return "unknown";
	return step_names[step];
}

static pthread_once_t version_once = PTHREAD_ONCE_INIT;
static strbuf_t default_version = STRBUF_INIT;

/* The dictionary directory of the default chain, or NULL (Snowball only). */
static const char *
default_dictionary(void)
{
	const char *dir;
	int full = 0;
	if (morph_resolve(NULL, &full, &dir) < 0)
		full = 0;
#ifndef HAVE_HUNSPELL
	full = 0;
#endif
	return full ? dir : NULL;
}

static void
compute_default_version(void)
{
	const char *dir = default_dictionary();
	strbuf_t hash = STRBUF_INIT;

	if (dir)
		morph_dict_hash(dir, &hash);
	morph_compose_version(&default_version, hash.len > 0, hash.buf);
	strbuf_release(&hash);
}

const char *
stemmer_version(void)
{
	pthread_once(&version_once, compute_default_version);
	return default_version.buf;
}

void
stemmer_dictionary_hint(strbuf_t *out)
{
	const char *dir = default_dictionary();

	strbuf_reset(out);
	if (dir)
		morph_dict_hint(dir, out);
}

void
stemmer_use_dictionary_hint(const char *hint)
{
	morph_use_dict_hint(hint);
}

static void
set_error(stemmer_t *s, const char *what, UErrorCode st)
{
	strbuf_reset(&s->err);
	strbuf_addf(&s->err, "%s: %s", what, u_errorName(st));
}

static int
work_init(struct work *w, char **errmsg)
{
	UErrorCode st = U_ZERO_ERROR;
	memset(w, 0, sizeof *w);
	strbuf_init(&w->ckey, 0);
	strbuf_init(&w->key, 0);
	strbuf_init(&w->orig, 0);
	strbuf_init(&w->heldkeys, 0);
	morph_keys_init(&w->mk);
	morph_keys_init(&w->mk2);
	w->bi = ubrk_open(UBRK_WORD, "root", NULL, 0, &st);
	if (U_FAILURE(st)) {
		if (errmsg) {
			strbuf_t sb = STRBUF_INIT;
			strbuf_addf(&sb, "cannot open the ICU word break iterator: %s",
				    u_errorName(st));
			*errmsg = strbuf_detach(&sb, NULL);
		}
		w->bi = NULL;
		return -1;
	}
	return 0;
}

static void
work_release(struct work *w)
{
	if (w->bi)
		ubrk_close(w->bi);
	free(w->u16);
	free(w->map);
	free(w->segs);
	free(w->tmp1);
	free(w->tmp2);
	strbuf_release(&w->ckey);
	strbuf_release(&w->key);
	strbuf_release(&w->orig);
	strbuf_release(&w->heldkeys);
	morph_keys_release(&w->mk);
	morph_keys_release(&w->mk2);
	free(w->held);
	free(w->act);
	free(w->att);
	memset(w, 0, sizeof *w);
}

static int load_phrases(stemmer_t *s);

stemmer_t *
stemmer_new_with(const stemmer_options_t *opt, char **errmsg)
{
	stemmer_t *s = xcalloc(1, sizeof *s);
	UErrorCode st = U_ZERO_ERROR;

	if (errmsg)
		*errmsg = NULL;
	strbuf_init(&s->qkey, 0);
	strbuf_init(&s->err, 0);
	strbuf_init(&s->pkeys, 0);
	strmap_init(&s->first, 0);
	strmap_init(&s->keys, KEY_MEMO_MAX);
	strbuf_init(&s->memo, 0);
	s->nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st)) {
		if (errmsg) {
			strbuf_t sb = STRBUF_INIT;
			strbuf_addf(&sb, "cannot load ICU NFC data: %s", u_errorName(st));
			*errmsg = strbuf_detach(&sb, NULL);
		}
		goto fail;
	}
	if (work_init(&s->doc, errmsg) < 0 || work_init(&s->query, errmsg) < 0)
		goto fail;
	s->m = morph_new(opt, errmsg);
	if (!s->m)
		goto fail;
	if (opt && opt->preload)
		morph_preload(s->m, opt->preload, opt->preload_len); /* damaged: worked out */
	if (!(opt && opt->lazy_phrases) && load_phrases(s) < 0) {
		if (errmsg)
			*errmsg = xstrdup(s->err.buf);
		goto fail;
	}
	return s;
fail:
	stemmer_free(s);
	return NULL;
}

stemmer_t *
stemmer_new(char **errmsg)
{
	return stemmer_new_with(NULL, errmsg);
}

void
stemmer_free(stemmer_t *s)
{
	if (!s)
		return;
	morph_free(s->m);
	work_release(&s->doc);
	work_release(&s->query);
	strbuf_release(&s->qkey);
	strbuf_release(&s->err);
	strbuf_release(&s->pkeys);
	strmap_release(&s->first);
	strmap_release(&s->keys);
	strbuf_release(&s->memo);
	free(s->phrases);
	free(s->pwords);
	free(s);
}

const char *
stemmer_get_version(const stemmer_t *s)
{
	return s ? morph_version(s->m) : "";
}

int
stemmer_has_dictionary(const stemmer_t *s)
{
	return s ? morph_full(s->m) : 0;
}

const char *
stemmer_notice(const stemmer_t *s)
{
	return s ? morph_notice(s->m) : "";
}

void
stemmer_export_words(const stemmer_t *s, strbuf_t *out)
{
	morph_export_cache(s->m, out);
}

void
stemmer_take_words(stemmer_t *s, strbuf_t *out)
{
	morph_take_log(s->m, out);
}

int
stemmer_word_list_next(const char **list, size_t *len, const char **word, size_t *word_len,
		       const char **keys, size_t *keys_len)
{
	return morph_log_next(list, len, word, word_len, keys, keys_len);
}

void
stemmer_set_word_source(stemmer_t *s, stemmer_word_source_fn fn, void *ctx)
{
	morph_set_source(s->m, fn, ctx);
}

size_t
stemmer_cache_entries(const stemmer_t *s)
{
	return s ? morph_cache_entries(s->m) : 0;
}

const char *
stemmer_error(const stemmer_t *s)
{
	return s ? s->err.buf : "";
}

/* ---- decoding ---------------------------------------------------------- */

static void
work_reserve(struct work *w, size_t units)
{
	if (units <= w->cap16)
		return;
	free(w->u16);
	free(w->map);
	w->u16 = xmalloc(units * sizeof *w->u16);
	w->map = xmalloc(units * sizeof *w->map);
	w->cap16 = units;
}

/*
 * Decode UTF-8 p[0..n) into w->u16, one or two units per code point and
 * one U+FFFD per byte that does not start a well-formed sequence.  Returns
 * the number of units; w->map gets n + 1 entries at most.
 */
static int32_t
decode_chunk(struct work *w, const unsigned char *p, size_t n)
{
	UChar *u;
	uint32_t *map;
	size_t i = 0;
	int32_t k = 0;

	work_reserve(w, n + 1);
	u = w->u16;
	map = w->map;
	while (i < n) {
		unsigned c = p[i];
		uint32_t cp;
		size_t len;

		if (c < 0x80) {
			map[k] = (uint32_t)i;
			u[k++] = (UChar)c;
			i++;
			continue;
		}
		len = 0;
		cp = 0xFFFD;
		if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
				cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
				len = 2;
			}
		} else if (c >= 0xE0 && c <= 0xEF) {
			unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
			unsigned hi = c == 0xED ? 0x9F : 0xBF;
			if (i + 2 < n && p[i + 1] >= lo && p[i + 1] <= hi &&
			    (p[i + 2] & 0xC0) == 0x80) {
				cp = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3Fu) << 6) |
				     (p[i + 2] & 0x3F);
				len = 3;
			}
		} else if (c >= 0xF0 && c <= 0xF4) {
			unsigned lo = c == 0xF0 ? 0x90 : 0x80;
			unsigned hi = c == 0xF4 ? 0x8F : 0xBF;
			if (i + 3 < n && p[i + 1] >= lo && p[i + 1] <= hi &&
			    (p[i + 2] & 0xC0) == 0x80 && (p[i + 3] & 0xC0) == 0x80) {
				cp = ((c & 0x07) << 18) | ((p[i + 1] & 0x3Fu) << 12) |
				     ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3F);
				len = 4;
			}
		}
		map[k] = (uint32_t)i;
		if (len == 0) { /* invalid: a separator, one per byte */
			u[k++] = 0xFFFD;
			i++;
			continue;
		}
		i += len;
		if (cp >= 0x10000) {
			map[k + 1] = map[k];
			u[k++] = U16_LEAD(cp);
			u[k++] = U16_TRAIL(cp);
			continue;
		}
		/*
		 * Keep the unit count, change what the word breaker sees:
		 * ZWSP would split a word, WORD JOINER is ignored inside one;
		 * the Unicode hyphens join words like '-'.
		 */
		if (cp == 0x200B)
			cp = 0x2060;
		else if (cp == 0x2010 || cp == 0x2011)
			cp = '-';
		u[k++] = (UChar)cp;
	}
	map[k] = (uint32_t)n;
	return k;
}

/* ---- character classes ------------------------------------------------- */

static int
cp_class(UChar32 c)
{
	if (c < 0x80) {
		if (c >= '0' && c <= '9')
			return CL_DIGIT;
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return CL_LETTER;
		return CL_OTHER;
	}
	if (c >= 0x400 && c <= 0x4FF) { /* Cyrillic */
		if (c == 0x482)
			return CL_OTHER;
		if (c >= 0x483 && c <= 0x489)
			return CL_MARK;
		return CL_LETTER;
	}
	if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
		return CL_IGNORE;
	switch (u_charType(c)) {
	case U_DECIMAL_DIGIT_NUMBER:
		return CL_DIGIT;
	case U_UPPERCASE_LETTER:
	case U_LOWERCASE_LETTER:
	case U_TITLECASE_LETTER:
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
	case U_LETTER_NUMBER:
	case U_OTHER_NUMBER:
		return CL_LETTER;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
		return CL_MARK;
	default:
		return CL_OTHER;
	}
}

static int
is_ignorable(UChar32 c)
{
	if (c < 0xAD || (c >= 0x400 && c <= 0x4FF))
		return 0;
	return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* Horizontal white space: what may stand between "№" and its number. */
static int
is_hspace(UChar32 c)
{
	if (c == ' ' || c == '\t' || c == 0xA0)
		return 1;
	if (c < 0x80 || c == 0x85 || c == 0x2028 || c == 0x2029)
		return 0;
	return u_isUWhiteSpace(c);
}

/* ---- normalisation ----------------------------------------------------- */

static void
put_utf8(strbuf_t *out, const UChar *u, int32_t n, int fold_yo)
{
	char *p;
	int32_t i = 0;

	strbuf_grow(out, (size_t)n * 3);
	p = out->buf + out->len;
	while (i < n) {
		UChar32 c;
		U16_NEXT(u, i, n, c);
		if (U_IS_SURROGATE(c))
			c = 0xFFFD;
		if (c == 0x451 && fold_yo) /* ё -> е */
			c = 0x435;
		if (c < 0x80) {
			*p++ = (char)c;
		} else if (c < 0x800) {
			*p++ = (char)(0xC0 | (c >> 6));
			*p++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*p++ = (char)(0xE0 | (c >> 12));
			*p++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*p++ = (char)(0x80 | (c & 0x3F));
		} else {
			*p++ = (char)(0xF0 | (c >> 18));
			*p++ = (char)(0x80 | ((c >> 12) & 0x3F));
			*p++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*p++ = (char)(0x80 | (c & 0x3F));
		}
	}
	out->len = (size_t)(p - out->buf);
	out->buf[out->len] = '\0';
}

static void
grow_tmp(UChar **buf, int32_t *cap, int32_t want)
{
	if (want <= *cap)
		return;
	free(*buf);
	*buf = xmalloc((size_t)want * sizeof **buf);
	*cap = want;
}

/*
 * Copy u[0..n) into w->tmp1 without the default-ignorable characters (soft
 * hyphen, zero-width ones, BOM); returns the length copied.
 */
static int32_t
drop_ignorables(struct work *w, const UChar *u, int32_t n)
{
	int32_t i, m;
	grow_tmp(&w->tmp1, &w->cap1, n);
	for (i = 0, m = 0; i < n;) {
		int32_t at = i;
		UChar32 c;
		U16_NEXT(u, i, n, c);
		if (!is_ignorable(c))
			while (at < i)
				w->tmp1[m++] = u[at++];
	}
	return m;
}

/*
 * Append the normalised form of u[0..n) to out: default-ignorable code
 * points dropped, NFC, full case folding, ё -> е, as UTF-8.
 */
static int
norm_append(stemmer_t *s, struct work *w, const UChar *u, int32_t n, strbuf_t *out)
{
	UErrorCode st = U_ZERO_ERROR;
	const UChar *src;
	int32_t i, m, len;

	/*
	 * Fast path: ASCII and U+0400..U+045F only.  These are all NFC and
	 * nothing in the token can combine with them; folding is A-Z +0x20,
	 * U+0400..U+040F +0x50, U+0410..U+042F +0x20, exactly as
	 * u_strFoldCase does.
	 */
	for (i = 0; i < n; i++)
		if (u[i] >= 0x80 && (u[i] < 0x400 || u[i] >= 0x460))
			break;
	if (i == n) {
		char *p;
		strbuf_grow(out, (size_t)n * 2);
		p = out->buf + out->len;
		for (i = 0; i < n; i++) {
			unsigned c = u[i];
			if (c < 0x80) {
				*p++ = (char)(c >= 'A' && c <= 'Z' ? c + 0x20 : c);
				continue;
			}
			if (c < 0x410)
				c += 0x50;
			else if (c < 0x430)
				c += 0x20;
			if (c == 0x451)
				c = 0x435;
			*p++ = (char)(0xC0 | (c >> 6));
			*p++ = (char)(0x80 | (c & 0x3F));
		}
		out->len = (size_t)(p - out->buf);
		out->buf[out->len] = '\0';
		return 0;
	}

	/* Drop the ignorables (soft hyphen, zero-width characters, ...). */
	m = drop_ignorables(w, u, n);
	if (m == 0)
		return 0;
	src = w->tmp1;
	if (unorm2_quickCheck(s->nfc, src, m, &st) != UNORM_YES) {
		st = U_ZERO_ERROR;
		len = unorm2_normalize(s->nfc, src, m, w->tmp2, w->cap2, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			grow_tmp(&w->tmp2, &w->cap2, len);
			st = U_ZERO_ERROR;
			len = unorm2_normalize(s->nfc, src, m, w->tmp2, w->cap2, &st);
		}
		if (U_FAILURE(st)) {
			set_error(s, "ICU NFC normalisation failed", st);
			return -1;
		}
		/* Fold from tmp2 into tmp1. */
		grow_tmp(&w->tmp1, &w->cap1, len);
		src = w->tmp2;
		m = len;
		st = U_ZERO_ERROR;
		len = u_strFoldCase(w->tmp1, w->cap1, src, m, U_FOLD_CASE_DEFAULT, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			grow_tmp(&w->tmp1, &w->cap1, len);
			st = U_ZERO_ERROR;
			len = u_strFoldCase(w->tmp1, w->cap1, src, m, U_FOLD_CASE_DEFAULT,
					    &st);
		}
		src = w->tmp1;
	} else {
		st = U_ZERO_ERROR;
		len = u_strFoldCase(w->tmp2, w->cap2, src, m, U_FOLD_CASE_DEFAULT, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			grow_tmp(&w->tmp2, &w->cap2, len);
			st = U_ZERO_ERROR;
			len = u_strFoldCase(w->tmp2, w->cap2, src, m, U_FOLD_CASE_DEFAULT,
					    &st);
		}
		src = w->tmp2;
	}
	if (U_FAILURE(st)) {
		set_error(s, "ICU case folding failed", st);
		return -1;
	}
	put_utf8(out, src, len, 1);
	return 0;
}

/*
 * Append u[0..n) as written to out: default-ignorable code points dropped
 * and NFC, but neither folded nor ё -> е (what the dictionary wants).
 */
static int
orig_append(stemmer_t *s, struct work *w, const UChar *u, int32_t n, strbuf_t *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t i, m, len;

	for (i = 0; i < n; i++)
		if (u[i] >= 0x80 && (u[i] < 0x400 || u[i] >= 0x460))
			break;
	if (i == n) {
		put_utf8(out, u, n, 0);
		return 0;
	}
	m = drop_ignorables(w, u, n);
	if (m == 0)
		return 0;
	if (unorm2_quickCheck(s->nfc, w->tmp1, m, &st) == UNORM_YES) {
		put_utf8(out, w->tmp1, m, 0);
		return 0;
	}
	st = U_ZERO_ERROR;
	len = unorm2_normalize(s->nfc, w->tmp1, m, w->tmp2, w->cap2, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		grow_tmp(&w->tmp2, &w->cap2, len);
		st = U_ZERO_ERROR;
		len = unorm2_normalize(s->nfc, w->tmp1, m, w->tmp2, w->cap2, &st);
	}
	if (U_FAILURE(st)) {
		set_error(s, "ICU NFC normalisation failed", st);
		return -1;
	}
	put_utf8(out, w->tmp2, len, 0);
	return 0;
}

/* Keys of u16[a..b) into w->mk: a word or letter part (lexicon), or a number. */
static int
token_keys(stemmer_t *s, struct work *w, int32_t a, int32_t b, int is_number)
{
	strbuf_reset(&w->key);
	if (is_number) {
		morph_keys_reset(&w->mk);
		if (norm_append(s, w, w->u16 + a, b - a, &w->key) < 0)
			return -1;
		morph_keys_add(&w->mk, w->key.buf, w->key.len);
		w->mk.step = STEMMER_STEP_FORM;
		return 0;
	}
	strbuf_reset(&w->orig);
	if (orig_append(s, w, w->u16 + a, b - a, &w->orig) < 0 ||
	    norm_append(s, w, w->u16 + a, b - a, &w->key) < 0)
		return -1;
	if (w->key.len == 0) {
		morph_keys_reset(&w->mk);
		return 0;
	}
	return morph_word(s->m, w->orig.buf, w->orig.len, w->key.buf, w->key.len, &w->mk,
			  &s->err);
}

/* ---- segmentation ------------------------------------------------------ */

static void
push_seg(struct work *w, int32_t a, int32_t b, unsigned flags)
{
	if (w->nsegs == w->capsegs) {
		w->capsegs = w->capsegs ? w->capsegs * 2 : 256;
		w->segs = xrealloc(w->segs, w->capsegs * sizeof *w->segs);
	}
	w->segs[w->nsegs].a = a;
	w->segs[w->nsegs].b = b;
	w->segs[w->nsegs].flags = flags;
	w->nsegs++;
}

/*
 * Trim ignorables from both ends of a word segment and classify it; record
 * it if it holds a letter or a digit.
 */
static void
add_segment(struct work *w, int32_t a, int32_t b)
{
	const UChar *u = w->u16;
	unsigned flags = 0;
	int32_t i, first = -1, last = -1;

	for (i = a; i < b;) {
		int32_t at = i;
		UChar32 c;
		int cl;
		U16_NEXT(u, i, b, c);
		cl = cp_class(c);
		if (cl == CL_IGNORE)
			continue;
		if (first < 0) {
			first = at;
			if (cl == CL_DIGIT)
				flags |= FIRST_DIGIT;
		}
		last = i;
		if (cl == CL_LETTER)
			flags |= HAS_LETTER;
		else if (cl == CL_DIGIT)
			flags |= HAS_DIGIT;
	}
	if (flags & (HAS_LETTER | HAS_DIGIT))
		push_seg(w, first, last, flags);
}

static int
collect_segments(stemmer_t *s, struct work *w, int32_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t prev, b;

	w->nsegs = 0;
	ubrk_setText(w->bi, w->u16, n, &st);
	if (U_FAILURE(st)) {
		set_error(s, "ICU word breaking failed", st);
		return -1;
	}
	prev = ubrk_first(w->bi);
	for (b = ubrk_next(w->bi); b != UBRK_DONE; prev = b, b = ubrk_next(w->bi)) {
		if (ubrk_getRuleStatus(w->bi) >= UBRK_WORD_NONE_LIMIT)
			add_segment(w, prev, b);
	}
	return 0;
}

/* 1 if u[from..to) is one '-' among ignorables. */
static int
gap_is_hyphen(const UChar *u, int32_t from, int32_t to)
{
	int hyphens = 0;
	while (from < to) {
		UChar32 c;
		U16_NEXT(u, from, to, c);
		if (c == '-')
			hyphens++;
		else if (!is_ignorable(c))
			return 0;
	}
	return hyphens == 1;
}

/*
 * The index of a "№" that ends u[from..to) followed only by horizontal
 * space (or ignorables), or -1.
 */
static int32_t
numero_before(const UChar *u, int32_t from, int32_t to)
{
	while (to > from) {
		UChar32 c;
		U16_PREV(u, from, to, c);
		if (c == NUMERO)
			return to;
		if (!is_hspace(c) && !is_ignorable(c))
			return -1;
	}
	return -1;
}

/* ---- emission ---------------------------------------------------------- */

struct emit_ctx {
	stemmer_t *s;
	struct work *w;
	const char *text;    /* the whole input */
	const char *chunk;   /* chunk start in the input */
	size_t base;         /* byte offset of the chunk in the input */
	unsigned pos;
	int match;           /* run the phrase matcher */
	stemmer_token_fn fn;
	void *fnctx;
};

/* Hand one token to the callback, once per key. */
static int
emit_keys(struct emit_ctx *e, stemmer_token_kind_t kind, stemmer_step_t step, size_t off,
	  size_t len, unsigned pos, const char *keys, unsigned nkeys)
{
	stemmer_token_t tok;
	const char *k = keys;
	unsigned i;
	int rc;

	tok.surface = e->text + off;
	tok.surface_len = len;
	tok.offset = off;
	tok.pos = pos;
	tok.kind = kind;
	tok.step = step;
	tok.nkeys = nkeys;
	for (i = 0; i < nkeys; i++) {
		tok.key = k;
		tok.key_len = strlen(k);
		tok.key_index = i;
		k += tok.key_len + 1;
		rc = e->fn(e->fnctx, &tok);
		if (rc) {
			/* Stopped: *next_pos is the position after this token. */
			e->pos = pos + 1;
			return rc;
		}
	}
	return 0;
}

/* Emit the concepts attached to held token i (each once). */
static int
emit_concepts(struct emit_ctx *e, size_t i)
{
	struct work *w = e->w;
	strbuf_t *k = &w->ckey;
	int last = -1;
	int rc;

	for (size_t a = 0; a < w->natt; a++) {
		const struct attach *t = &w->att[a];
		int dup = 0;
		if (t->at != i || t->concept == last)
			continue;
		for (size_t b = 0; b < a; b++)
			if (w->att[b].at == i && w->att[b].concept == t->concept)
				dup = 1;
		if (dup)
			continue;
		last = t->concept;
		strbuf_reset(k);
		strbuf_addch(k, CONCEPT_MARK);
		strbuf_adds(k, morph_abbr_id(e->s->m, (size_t)t->concept));
		strbuf_addch(k, '\0');
		rc = emit_keys(e, STEMMER_CONCEPT, STEMMER_STEP_EXPANSION, t->off, t->len,
			       w->held[i].pos, k->buf, 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* Emit and drop the first n held tokens. */
static int
flush_held(struct emit_ctx *e, size_t n)
{
	struct work *w = e->w;
	size_t i, a, keep;
	int rc = 0;

	if (n > w->nheld)
		n = w->nheld;
	for (i = 0; i < n && !rc; i++) {
		const struct held *h = &w->held[i];
		rc = emit_keys(e, h->kind, h->step, h->off, h->len, h->pos,
			       w->heldkeys.buf + h->keys_at, h->nkeys);
		if (!rc && w->natt)
			rc = emit_concepts(e, i);
	}
	if (rc) {
		w->nheld = w->nact = w->natt = 0;
		strbuf_reset(&w->heldkeys);
		return rc;
	}
	if (n == 0)
		return 0;
	/* Shift what is left. */
	memmove(w->held, w->held + n, (w->nheld - n) * sizeof *w->held);
	w->nheld -= n;
	for (a = 0, keep = 0; a < w->natt; a++) {
		if (w->att[a].at < n)
			continue;
		w->att[keep] = w->att[a];
		w->att[keep++].at -= n;
	}
	w->natt = keep;
	for (a = 0; a < w->nact; a++)
		w->act[a].start -= n;
	if (w->nheld == 0) {
		strbuf_reset(&w->heldkeys);
	} else if (w->held[0].keys_at > 4096 && w->held[0].keys_at * 2 > w->heldkeys.len) {
		size_t drop = w->held[0].keys_at;
		memmove(w->heldkeys.buf, w->heldkeys.buf + drop, w->heldkeys.len - drop);
		strbuf_setlen(&w->heldkeys, w->heldkeys.len - drop);
		for (i = 0; i < w->nheld; i++)
			w->held[i].keys_at -= drop;
	}
	return 0;
}

/* 1 when one of the keys (NUL-separated, n of them) equals one of phrase word pw's. */
static int
keys_meet(const stemmer_t *s, const struct pword *pw, const char *keys, unsigned n)
{
	const char *k = keys;
	for (unsigned i = 0; i < n; i++) {
		const char *p = s->pkeys.buf + pw->keys_at;
		for (unsigned j = 0; j < pw->nkeys; j++) {
			if (!strcmp(k, p))
				return 1;
			p += strlen(p) + 1;
		}
		k += strlen(k) + 1;
	}
	return 0;
}

static void
add_active(struct work *w, unsigned phrase, size_t start, unsigned k)
{
	for (size_t i = 0; i < w->nact; i++)
		if (w->act[i].phrase == phrase && w->act[i].start == start)
			return;
	if (w->nact == w->capact) {
		w->capact = w->capact ? w->capact * 2 : 16;
		w->act = xrealloc(w->act, w->capact * sizeof *w->act);
	}
	w->act[w->nact].phrase = phrase;
	w->act[w->nact].start = start;
	w->act[w->nact].k = k;
	w->nact++;
}

static void
add_attach(struct work *w, size_t at, int concept, size_t off, size_t len)
{
	if (w->natt == w->capatt) {
		w->capatt = w->capatt ? w->capatt * 2 : 16;
		w->att = xrealloc(w->att, w->capatt * sizeof *w->att);
	}
	w->att[w->natt].at = at;
	w->att[w->natt].concept = concept;
	w->att[w->natt].off = off;
	w->att[w->natt].len = len;
	w->natt++;
}

/* Advance the matches under way with held token `cur`, start new ones. */
static void
match_token(stemmer_t *s, struct work *w, size_t cur)
{
	const struct held *h = &w->held[cur];
	const char *keys = w->heldkeys.buf + h->keys_at;
	size_t a, keep = 0;
	const char *k;

	if (!h->matchable) {
		if (h->kind != STEMMER_COMPOUND)
			w->nact = 0; /* a number breaks every phrase */
		return;
	}
	for (a = 0; a < w->nact; a++) {
		struct active act = w->act[a];
		const struct phrase *ph = &s->phrases[act.phrase];
		if (!keys_meet(s, &s->pwords[ph->word0 + act.k], keys, h->nkeys))
			continue;
		if (act.k + 1 < ph->nwords) {
			act.k++;
			w->act[keep++] = act;
			continue;
		}
		/* Complete: the concept goes on every word of the match. */
		{
			size_t off = w->held[act.start].off;
			size_t len = h->off + h->len - off;
			for (size_t i = act.start; i <= cur; i++)
				if (w->held[i].matchable)
					add_attach(w, i, ph->concept, off, len);
		}
	}
	w->nact = keep;
	k = keys;
	for (unsigned i = 0; i < h->nkeys; i++) {
		size_t vl;
		const char *v = strmap_get(&s->first, k, strlen(k), &vl);
		for (size_t o = 0; v && o + 4 <= vl; o += 4) {
			uint32_t ph;
			memcpy(&ph, v + o, 4);
			add_active(w, ph, cur, 1);
		}
		k += strlen(k) + 1;
	}
}

/*
 * The way out for every token: straight to the callback, or through the
 * phrase matcher when there are phrases to match.
 */
static int
push_token(struct emit_ctx *e, stemmer_token_kind_t kind, int32_t a, int32_t b,
	   const morph_keys_t *mk, unsigned pos)
{
	struct work *w = e->w;
	const uint32_t *map = w->map;
	size_t off = e->base + map[a], len = map[b] - map[a];
	struct held *h;
	size_t first;

	if (mk->n == 0 || !e->fn)
		return 0;
	if (!e->match || !e->s->nphrases)
		return emit_keys(e, kind, mk->step, off, len, pos, mk->buf.buf, mk->n);
	if (w->nheld == w->capheld) {
		w->capheld = w->capheld ? w->capheld * 2 : 16;
		w->held = xrealloc(w->held, w->capheld * sizeof *w->held);
	}
	h = &w->held[w->nheld++];
	h->kind = kind;
	h->step = mk->step;
	h->off = off;
	h->len = len;
	h->pos = pos;
	h->keys_at = w->heldkeys.len;
	h->nkeys = mk->n;
	h->matchable = (kind == STEMMER_WORD || kind == STEMMER_PART) &&
		       mk->step != STEMMER_STEP_FORM;
	strbuf_add(&w->heldkeys, mk->buf.buf, mk->buf.len);
	match_token(e->s, w, w->nheld - 1);
	first = w->nheld;
	for (size_t i = 0; i < w->nact; i++)
		if (w->act[i].start < first)
			first = w->act[i].start;
	return flush_held(e, first);
}

/* The single key of a number, compound or number part, in w->mk. */
static void
form_key(struct work *w, const strbuf_t *key)
{
	morph_keys_reset(&w->mk);
	morph_keys_add(&w->mk, key->buf, key->len);
	w->mk.step = STEMMER_STEP_FORM;
}

/*
 * 1 for letters joined by dots, "О.С", "т.д", "У.Е.": ICU keeps them one
 * word, Xapian's QueryParser reads the letters as a phrase ("о" "с"), so
 * they are a compound whose parts are the letter runs.
 */
static int
is_dotted(const struct work *w, const struct seg *g)
{
	if ((g->flags & (HAS_LETTER | HAS_DIGIT)) != HAS_LETTER)
		return 0;
	for (int32_t i = g->a; i < g->b; i++)
		if (w->u16[i] == '.')
			return 1;
	return 0;
}

/* Emit the parts of segment g, splitting letters from digits if mixed. */
static int
emit_parts(struct emit_ctx *e, const struct seg *g)
{
	struct work *w = e->w;
	const UChar *u = w->u16;
	int32_t k = g->a;
	int dotted = is_dotted(w, g);
	int rc;

	if ((g->flags & (HAS_LETTER | HAS_DIGIT)) != (HAS_LETTER | HAS_DIGIT) && !dotted) {
		if (e->fn && token_keys(e->s, w, g->a, g->b, !(g->flags & HAS_LETTER)) < 0)
			return -1;
		if ((rc = push_token(e, STEMMER_PART, g->a, g->b, &w->mk, e->pos++)))
			return rc;
		return 0;
	}
	/*
	 * A run is a maximal stretch of one class (letters or digits); other
	 * characters inside it ("10.07.2022") belong to it when the same class
	 * follows them, marks always belong to the run they follow.
	 */
	while (k < g->b) {
		int32_t start = k, end, q;
		UChar32 c;
		int cl;

		U16_NEXT(u, k, g->b, c);
		cl = cp_class(c);
		if (cl != CL_LETTER && cl != CL_DIGIT)
			continue;
		end = q = k;
		while (q < g->b) {
			int32_t at = q;
			int cl2;
			U16_NEXT(u, q, g->b, c);
			cl2 = cp_class(c);
			if (cl2 == cl || cl2 == CL_MARK) {
				end = q;
			} else if (cl2 == CL_LETTER || cl2 == CL_DIGIT || (dotted && c == '.')) {
				q = at;
				break;
			}
		}
		if (e->fn && token_keys(e->s, w, start, end, cl == CL_DIGIT) < 0)
			return -1;
		if ((rc = push_token(e, STEMMER_PART, start, end, &w->mk, e->pos++)))
			return rc;
		k = q;
	}
	return 0;
}

static int
run_chunk(struct emit_ctx *e, const char *chunk, size_t n)
{
	stemmer_t *s = e->s;
	struct work *w = e->w;
	int32_t n16 = decode_chunk(w, (const unsigned char *)chunk, n);
	size_t i, j;
	int rc;

	e->chunk = chunk;
	if (collect_segments(s, w, n16) < 0)
		return -1;
	for (i = 0; i < w->nsegs; i = j + 1) {
		const struct seg *g = &w->segs[i];
		int32_t numero = -1;

		j = i;
		while (j + 1 < w->nsegs &&
		       gap_is_hyphen(w->u16, w->segs[j].b, w->segs[j + 1].a))
			j++;
		if (g->flags & FIRST_DIGIT)
			numero = numero_before(w->u16, i ? w->segs[i - 1].b : 0, g->a);

		if (numero < 0 && j == i &&
		    (g->flags & (HAS_LETTER | HAS_DIGIT)) != (HAS_LETTER | HAS_DIGIT) &&
		    !is_dotted(w, g)) {
			int is_number = !(g->flags & HAS_LETTER);
			if (!e->fn) {
				/* Counting positions only: no keys needed. */
				e->pos++;
				continue;
			}
			if (token_keys(s, w, g->a, g->b, is_number) < 0)
				return -1;
			if (!w->mk.n)
				continue;
			rc = push_token(e, is_number ? STEMMER_NUMBER : STEMMER_WORD, g->a, g->b,
					&w->mk, e->pos);
			if (rc)
				return rc;
			e->pos++;
			continue;
		}

		/* A compound: the whole form, then its parts. */
		strbuf_reset(&w->ckey);
		if (numero >= 0)
			strbuf_add(&w->ckey, NUMERO_UTF8, 3);
		if (norm_append(s, w, w->u16 + g->a, w->segs[j].b - g->a, &w->ckey) < 0)
			return -1;
		form_key(w, &w->ckey);
		rc = push_token(e, STEMMER_COMPOUND, numero >= 0 ? numero : g->a, w->segs[j].b,
				&w->mk, e->pos);
		if (rc)
			return rc;
		for (size_t k = i; k <= j; k++)
			if ((rc = emit_parts(e, &w->segs[k])))
				return rc;
	}
	return 0;
}

/*
 * Length of the next chunk of text[0..len): up to CHUNK_MAX bytes, cut
 * after a newline in the second half of that window if there is one (no
 * token spans a newline), else after a space (which can only separate
 * "№" from its number), else at a character boundary (splitting a word of
 * more than half a megabyte, which is no word).
 */
static size_t
chunk_len(const char *text, size_t len)
{
	size_t n;

	if (len <= CHUNK_MAX)
		return len;
	for (n = CHUNK_MAX; n > CHUNK_MAX / 2; n--)
		if (text[n - 1] == '\n')
			return n;
	for (n = CHUNK_MAX; n > CHUNK_MAX / 2; n--)
		if (text[n - 1] == ' ')
			return n;
	n = CHUNK_MAX;
	while (n > CHUNK_MAX - 4 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/*
 * Whether `text` has two runs of letters or digits (any non-ASCII byte
 * counting as one) apart: a phrase has two words at least, and one run
 * is one word or less.
 */
static int
words_at_least_two(const char *text, size_t len)
{
	int runs = 0, in = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		int word = c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		if (word && !in && ++runs == 2)
			return 1;
		in = word;
	}
	return 0;
}

static int
analyze(stemmer_t *s, struct work *w, const char *text, size_t len, unsigned first_pos,
	int match, stemmer_token_fn fn, void *ctx, unsigned *next_pos)
{
	struct emit_ctx e;
	size_t off = 0;
	int rc = 0;

	/* A search of one word needs no phrase table: it is built when a
	 * text of two words or more is first matched. */
	if (match && !s->phrases_loaded && words_at_least_two(text, len) &&
	    load_phrases(s) < 0)
		return -1;
	e.s = s;
	e.w = w;
	e.text = text;
	e.pos = first_pos;
	e.match = match;
	e.fn = fn;
	e.fnctx = ctx;
	w->nheld = w->nact = w->natt = 0;
	strbuf_reset(&w->heldkeys);
	while (off < len && rc == 0) {
		size_t n = chunk_len(text + off, len - off);
		e.base = off;
		rc = run_chunk(&e, text + off, n);
		off += n;
	}
	if (rc == 0) {
		unsigned pos = e.pos;
		rc = flush_held(&e, w->nheld);
		if (rc == 0)
			e.pos = pos;
	}
	w->nheld = w->nact = w->natt = 0;
	if (next_pos)
		*next_pos = e.pos;
	return rc;
}

int
stemmer_analyze(stemmer_t *s, const char *text, size_t len, unsigned first_pos,
		stemmer_token_fn fn, void *ctx, unsigned *next_pos)
{
	if (next_pos)
		*next_pos = first_pos;
	if (!s)
		return -1;
	if (s->err.len)
		strbuf_reset(&s->err);
	if (!text && len) {
		strbuf_reset(&s->err);
		strbuf_adds(&s->err, "stemmer_analyze: NULL text");
		return -1;
	}
	return analyze(s, &s->doc, text, len, first_pos, 1, fn, ctx, next_pos);
}

static int
take_first(void *ctx, const stemmer_token_t *tok)
{
	stemmer_t *s = ctx;
	strbuf_reset(&s->qkey);
	strbuf_add(&s->qkey, tok->key, tok->key_len);
	s->qfound = 1;
	return 1;
}

int
stemmer_key(stemmer_t *s, const char *word, size_t len, const char **key,
	    size_t *key_len)
{
	const char *memo;
	size_t memo_len = 0;
	int rc;

	if (key)
		*key = "";
	if (key_len)
		*key_len = 0;
	if (!s || (!word && len))
		return -1;
	if (s->err.len)
		strbuf_reset(&s->err);
	/* A marker word of stemmer_rewrite_query: "_впр" -> ":впр". */
	if (len > 1 && word[0] == QUERY_MARK &&
	    morph_concept_by_id(s->m, word + 1, len - 1) >= 0) {
		strbuf_reset(&s->qkey);
		strbuf_addch(&s->qkey, CONCEPT_MARK);
		strbuf_add(&s->qkey, word + 1, len - 1);
		goto found;
	}
	/* The same words come back: a snippet asks for each word of a text. */
	memo = strmap_get(&s->keys, word, len, &memo_len);
	if (memo) {
		if (memo[0] != '1')
			return -1;
		strbuf_reset(&s->qkey);
		strbuf_add(&s->qkey, memo + 1, memo_len - 1);
		goto found;
	}
	s->qfound = 0;
	rc = analyze(s, &s->query, word, len, 0, 0, take_first, s, NULL);
	if (rc < 0)
		return -1;
	if (len) {
		strbuf_reset(&s->memo);
		strbuf_addch(&s->memo, s->qfound ? '1' : '0');
		if (s->qfound)
			strbuf_add(&s->memo, s->qkey.buf, s->qkey.len);
		strmap_put(&s->keys, word, len, s->memo.buf, s->memo.len, 0);
	}
	if (!s->qfound)
		return -1;
found:
	if (key)
		*key = s->qkey.buf;
	if (key_len)
		*key_len = s->qkey.len;
	return 0;
}

/* ---- phrases ----------------------------------------------------------- */

struct phrase_words {
	stemmer_t *s;
	size_t last_off;
	unsigned last_pos;
	int have;
	unsigned n;
	int bad;
};

/* Collect the key sets of the matchable tokens of a phrase's text. */
static int
collect_phrase_word(void *ctx, const stemmer_token_t *t)
{
	struct phrase_words *pc = ctx;
	stemmer_t *s = pc->s;
	struct pword *pw;

	if (t->kind == STEMMER_COMPOUND)
		return 0;
	if (t->step == STEMMER_STEP_FORM) {
		pc->bad = 1; /* numbers break phrases: such a phrase never matches */
		return 0;
	}
	if (t->key_index == 0) {
		s->pwords = xrealloc(s->pwords, (s->npwords + 1) * sizeof *s->pwords);
		pw = &s->pwords[s->npwords++];
		pw->keys_at = s->pkeys.len;
		pw->nkeys = 0;
		pc->n++;
	}
	pw = &s->pwords[s->npwords - 1];
	strbuf_add(&s->pkeys, t->key, t->key_len);
	strbuf_addch(&s->pkeys, '\0');
	pw->nkeys++;
	return 0;
}

static int
add_phrase(stemmer_t *s, int concept, const char *text, size_t len)
{
	struct phrase_words pc;
	size_t word0 = s->npwords;
	uint32_t idx;
	const char *k;

	memset(&pc, 0, sizeof pc);
	pc.s = s;
	if (analyze(s, &s->query, text, len, 0, 0, collect_phrase_word, &pc, NULL) < 0)
		return -1;
	if (pc.n < 2 || pc.bad) {
		s->npwords = word0;
		return 0;
	}
	s->phrases = xrealloc(s->phrases, (s->nphrases + 1) * sizeof *s->phrases);
	s->phrases[s->nphrases].concept = concept;
	s->phrases[s->nphrases].word0 = word0;
	s->phrases[s->nphrases].nwords = pc.n;
	idx = (uint32_t)s->nphrases++;
	k = s->pkeys.buf + s->pwords[word0].keys_at;
	for (unsigned i = 0; i < s->pwords[word0].nkeys; i++) {
		strmap_put(&s->first, k, strlen(k), (const char *)&idx, 4, 1);
		k += strlen(k) + 1;
	}
	return 0;
}

/*
 * The phrases: multi-word abbreviations and every expansion.  Tried once
 * (at the start, or by analyze when lazy); a failure is in s->err.
 */
static int
load_phrases(stemmer_t *s)
{
	size_t n = morph_abbr_count(s->m);
	s->phrases_loaded = 1;
	for (size_t i = 0; i < n; i++) {
		const char *text = morph_abbr_text(s->m, i);
		const char *x = morph_abbr_expansions(s->m, i);
		if (strchr(text, ' ') && add_phrase(s, (int)i, text, strlen(text)) < 0)
			goto fail;
		while (*x) {
			const char *bar = strchr(x, '|');
			size_t l = bar ? (size_t)(bar - x) : strlen(x);
			if (add_phrase(s, (int)i, x, l) < 0)
				goto fail;
			x += l;
			if (*x == '|')
				x++;
		}
	}
	return 0;
fail:
	if (!s->err.len)
		strbuf_adds(&s->err, "cannot load the abbreviations");
	return -1;
}

/* ---- queries ----------------------------------------------------------- */

struct span {
	size_t off, len;
	int concept;
	int phrase; /* an expansion: check what stands between its words */
};

struct span_list {
	stemmer_t *s;
	struct span *v;
	size_t n, cap;
};

static int
collect_span(void *ctx, const stemmer_token_t *t)
{
	struct span_list *l = ctx;
	int concept;

	if (t->key_index != 0 || t->key[0] != CONCEPT_MARK)
		return 0;
	if (t->step != STEMMER_STEP_ABBREVIATION && t->kind != STEMMER_CONCEPT)
		return 0;
	concept = morph_concept_by_id(l->s->m, t->key + 1, t->key_len - 1);
	if (concept < 0)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].off == t->offset && l->v[i].len == t->surface_len)
			return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].off = t->offset;
	l->v[l->n].len = t->surface_len;
	l->v[l->n].concept = concept;
	l->v[l->n].phrase = t->kind == STEMMER_CONCEPT;
	l->n++;
	return 0;
}

/* Longest first, then leftmost. */
static int
cmp_span_len(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int
cmp_span_off(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * 1 when the text of an expansion can become one word without changing
 * the query's syntax: only letters, digits, spaces and in-word hyphens.
 */
static int
span_is_plain(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			continue;
		if (c == ' ' || c == '\t')
			continue;
		if (c == '-' && i > 0 && i + 1 < n && p[i - 1] != ' ' && p[i + 1] != ' ')
			continue;
		return 0;
	}
	return 1;
}

/*
 * 1 when query[at] is inside a "quoted phrase".  An expansion there stays
 * as it is: its k words must keep their k positions for the phrase around
 * them, and as words they match the long form, which is what a phrase of
 * the long form asks for.
 */
static int
in_quotes(const char *query, size_t at)
{
	int in = 0;
	for (size_t i = 0; i < at; i++)
		if (query[i] == '"')
			in = !in;
	return in;
}

int
stemmer_rewrite_query(stemmer_t *s, const char *query, size_t len, char **out)
{
	struct span_list l;
	strbuf_t sb = STRBUF_INIT;
	size_t i, keep, at;
	int rc;

	if (out)
		*out = NULL;
	if (!s || !out || (!query && len))
		return -1;
	if (s->err.len)
		strbuf_reset(&s->err);
	if (!query)
		query = "";
	memset(&l, 0, sizeof l);
	l.s = s;
	rc = analyze(s, &s->doc, query, len, 0, 1, collect_span, &l, NULL);
	if (rc < 0) {
		free(l.v);
		return -1;
	}
	/* Keep the longest spans that do not overlap. */
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, cmp_span_len);
	for (i = 0, keep = 0; i < l.n; i++) {
		int clash = 0;
		if (l.v[i].phrase && (!span_is_plain(query + l.v[i].off, l.v[i].len) ||
				      in_quotes(query, l.v[i].off)))
			continue;
		for (size_t j = 0; j < keep; j++)
			if (l.v[i].off < l.v[j].off + l.v[j].len &&
			    l.v[j].off < l.v[i].off + l.v[i].len)
				clash = 1;
		if (!clash)
			l.v[keep++] = l.v[i];
	}
	if (keep)
		qsort(l.v, keep, sizeof *l.v, cmp_span_off);
	for (i = 0, at = 0; i < keep; i++) {
		strbuf_add(&sb, query + at, l.v[i].off - at);
		strbuf_addch(&sb, QUERY_MARK);
		strbuf_adds(&sb, morph_abbr_id(s->m, (size_t)l.v[i].concept));
		at = l.v[i].off + l.v[i].len;
	}
	strbuf_add(&sb, query + at, len - at);
	free(l.v);
	*out = strbuf_detach(&sb, NULL);
	return 0;
}
