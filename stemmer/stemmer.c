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
 */
#include "stemmer/stemmer.h"

#include "common/strbuf.h"
#include "common/util.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
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
	strbuf_t key;   /* key of the current word, number or part */
};

struct stemmer {
	struct sb_stemmer *sb;
	const UNormalizer2 *nfc;
	struct work doc, query;
	strbuf_t qkey;  /* stemmer_key's result */
	int qfound;
	strbuf_t err;
};

const char *
stemmer_version(void)
{
	return "icu" U_ICU_VERSION_SHORT "-nfc-fold-yo-snowball-russian-1";
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
	memset(w, 0, sizeof *w);
}

stemmer_t *
stemmer_new(char **errmsg)
{
	stemmer_t *s = xcalloc(1, sizeof *s);
	UErrorCode st = U_ZERO_ERROR;

	if (errmsg)
		*errmsg = NULL;
	strbuf_init(&s->qkey, 0);
	strbuf_init(&s->err, 0);
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
	s->sb = sb_stemmer_new("russian", "UTF_8");
	if (!s->sb) {
		if (errmsg)
			*errmsg = xstrdup("cannot create the Snowball stemmer 'russian' (UTF_8)");
		goto fail;
	}
	return s;
fail:
	stemmer_free(s);
	return NULL;
}

void
stemmer_free(stemmer_t *s)
{
	if (!s)
		return;
	sb_stemmer_delete(s->sb);
	work_release(&s->doc);
	work_release(&s->query);
	strbuf_release(&s->qkey);
	strbuf_release(&s->err);
	free(s);
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
put_utf8(strbuf_t *out, const UChar *u, int32_t n)
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
		if (c == 0x451) /* ё -> е */
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
	grow_tmp(&w->tmp1, &w->cap1, n);
	for (i = 0, m = 0; i < n;) {
		int32_t at = i;
		UChar32 c;
		U16_NEXT(u, i, n, c);
		if (!is_ignorable(c))
			while (at < i)
				w->tmp1[m++] = u[at++];
	}
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
	put_utf8(out, src, len);
	return 0;
}

/* Replace out[from..] by its Snowball stem. */
static int
stem_tail(stemmer_t *s, strbuf_t *out, size_t from)
{
	const sb_symbol *r;
	size_t n = out->len - from;
	int rl;

	if (n == 0 || n > INT_MAX)
		return 0;
	r = sb_stemmer_stem(s->sb, (const sb_symbol *)out->buf + from, (int)n);
	if (!r) {
		strbuf_reset(&s->err);
		strbuf_adds(&s->err, "the Snowball stemmer ran out of memory");
		return -1;
	}
	rl = sb_stemmer_length(s->sb);
	strbuf_setlen(out, from);
	strbuf_add(out, r, (size_t)rl);
	return 0;
}

/* Key of a single word or number (not a compound) into w->key. */
static int
simple_key(stemmer_t *s, struct work *w, int32_t a, int32_t b, int is_number)
{
	strbuf_reset(&w->key);
	if (norm_append(s, w, w->u16 + a, b - a, &w->key) < 0)
		return -1;
	if (!is_number && stem_tail(s, &w->key, 0) < 0)
		return -1;
	return 0;
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
	const char *chunk;   /* chunk start in the input */
	size_t base;         /* byte offset of the chunk in the input */
	unsigned pos;
	stemmer_token_fn fn;
	void *fnctx;
};

static int
emit(struct emit_ctx *e, stemmer_token_kind_t kind, int32_t a, int32_t b,
     const strbuf_t *key, unsigned pos)
{
	const uint32_t *map = e->w->map;
	stemmer_token_t tok;
	int rc;

	if (key->len == 0 || !e->fn)
		return 0;
	tok.surface = e->chunk + map[a];
	tok.surface_len = map[b] - map[a];
	tok.key = key->buf;
	tok.key_len = key->len;
	tok.offset = e->base + map[a];
	tok.pos = pos;
	tok.kind = kind;
	rc = e->fn(e->fnctx, &tok);
	/* Stopped: *next_pos is the position after this token. */
	if (rc && e->pos < pos + 1)
		e->pos = pos + 1;
	return rc;
}

/* Emit the parts of segment g, splitting letters from digits if mixed. */
static int
emit_parts(struct emit_ctx *e, const struct seg *g)
{
	struct work *w = e->w;
	const UChar *u = w->u16;
	int32_t k = g->a;
	int rc;

	if ((g->flags & (HAS_LETTER | HAS_DIGIT)) != (HAS_LETTER | HAS_DIGIT)) {
		if (simple_key(e->s, w, g->a, g->b, !(g->flags & HAS_LETTER)) < 0)
			return -1;
		if (w->key.len && (rc = emit(e, STEMMER_PART, g->a, g->b, &w->key, e->pos++)))
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
			} else if (cl2 == CL_LETTER || cl2 == CL_DIGIT) {
				q = at;
				break;
			}
		}
		if (simple_key(e->s, w, start, end, cl == CL_DIGIT) < 0)
			return -1;
		if (w->key.len && (rc = emit(e, STEMMER_PART, start, end, &w->key, e->pos++)))
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
		    (g->flags & (HAS_LETTER | HAS_DIGIT)) != (HAS_LETTER | HAS_DIGIT)) {
			int is_number = !(g->flags & HAS_LETTER);
			if (simple_key(s, w, g->a, g->b, is_number) < 0)
				return -1;
			if (!w->key.len)
				continue;
			rc = emit(e, is_number ? STEMMER_NUMBER : STEMMER_WORD, g->a, g->b,
				  &w->key, e->pos);
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
		rc = emit(e, STEMMER_COMPOUND, numero >= 0 ? numero : g->a, w->segs[j].b,
			  &w->ckey, e->pos);
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

static int
analyze(stemmer_t *s, struct work *w, const char *text, size_t len,
	unsigned first_pos, stemmer_token_fn fn, void *ctx, unsigned *next_pos)
{
	struct emit_ctx e;
	size_t off = 0;
	int rc = 0;

	e.s = s;
	e.w = w;
	e.pos = first_pos;
	e.fn = fn;
	e.fnctx = ctx;
	while (off < len && rc == 0) {
		size_t n = chunk_len(text + off, len - off);
		e.base = off;
		rc = run_chunk(&e, text + off, n);
		off += n;
	}
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
	return analyze(s, &s->doc, text, len, first_pos, fn, ctx, next_pos);
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
	int rc;

	if (key)
		*key = "";
	if (key_len)
		*key_len = 0;
	if (!s || (!word && len))
		return -1;
	if (s->err.len)
		strbuf_reset(&s->err);
	s->qfound = 0;
	rc = analyze(s, &s->query, word, len, 0, take_first, s, NULL);
	if (rc < 0 || !s->qfound)
		return -1;
	if (key)
		*key = s->qkey.buf;
	if (key_len)
		*key_len = s->qkey.len;
	return 0;
}
