/*
 * charset: decode text of unknown encoding into NFC UTF-8.
 *
 * Order of evidence, strongest first:
 *
 *   1. A byte order mark (UTF-8, UTF-16LE, UTF-16BE).
 *   2. UTF-16 without a BOM, recognised by its NUL-rich byte pattern
 *      (checked before anything else looks at NUL bytes).
 *   3. Binary data (NUL or control bytes) is refused.
 *   4. Valid UTF-8 is UTF-8, unless it decodes to a scatter of exotic
 *      scripts, which is what short IBM866 text looks like when it happens
 *      to be valid UTF-8.
 *   5. An 8-bit Cyrillic encoding: windows-1251, KOI8-R, IBM866 or
 *      ISO-8859-5.  ICU's detector (ucsdet) knows all but IBM866 and is
 *      weak on short texts, so every candidate is also decoded and scored
 *      as Russian: letter frequencies, letter case within words (KOI8-R
 *      and windows-1251 put the two cases at each other's places), vowel
 *      and consonant alternation, and penalties for characters Russian
 *      text does not use (box drawing, Serbian letters, symbols).  ICU's
 *      choice stands when it is confident and the score does not clearly
 *      prefer another candidate; otherwise the score decides.
 *
 * Scores are in tenths of a nat (10 * natural log of a probability), so
 * the model is plain integer arithmetic and needs no libm.
 */
#include "indexer/reader-int.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "common/util.h"

/* Bytes looked at to choose an 8-bit encoding: plenty for statistics. */
#define SAMPLE_MAX (64 * 1024)

/*
 * ICU confidence (0-100) from which its choice among the Cyrillic 8-bit
 * encodings counts, and the score gap (tenths of a nat) within which that
 * choice beats a better-scoring candidate: ICU breaks near-ties, the
 * score decides the rest.  Measured on fragments cut from the seed
 * protocols, re-encoded in each encoding: ICU alone is often wrong on a
 * line or two (it has no IBM866 and reports such lines as windows-1251
 * with confidence 50-75); the score alone missed 70 of 6456 one-word and
 * 31 of 5574 one-to-two-word fragments, and with ICU breaking ties 51 and
 * 17 (abbreviations in capitals, like "ВПР", which no statistics can
 * place); fragments of 30 characters or more were all right either way.
 */
#define ICU_CONFIDENT 30
#define ICU_OVERRULE_MARGIN 30

typedef struct charset {
	const char *icu;  /* converter name for ucnv_open */
	const char *name; /* what reader_doc_t.encoding reports */
} charset_t;

static const charset_t cyrillic[] = {
	{ "windows-1251", "windows-1251" },
	{ "KOI8-R", "KOI8-R" },
	{ "IBM866", "IBM866" },
	{ "ISO-8859-5", "ISO-8859-5" },
};
#define N_CYRILLIC (sizeof cyrillic / sizeof cyrillic[0])

static void
set_err(char *err, size_t err_size, const char *msg)
{
	if (err && err_size)
		snprintf(err, err_size, "%s", msg);
}

/* ---- Russian text model ---------------------------------------------- */

/*
 * 10 * ln(frequency) of the lower-case letters а..я, then ё, from the
 * usual published Russian letter frequencies.
 */
static const signed char letter_logp[33] = {
	-25, -41, -31, -41, -35, -25, -47, -41, -26, -44, -34, -31, -34, -27,
	-22, -36, -31, -29, -28, -36, -60, -46, -53, -42, -49, -56, -78, -40,
	-41, -57, -51, -39, -62,
};

enum { C_START, C_VOWEL, C_CONS, C_SIGN, C_JOT, N_CLASS };

/*
 * 10 * ln P(class of this letter | class of the previous one) inside a
 * word (C_START: first letter).  Russian alternates vowels and consonants;
 * ь and ъ follow consonants only; й follows vowels.
 */
static const signed char class_logp[N_CLASS][N_CLASS] = {
	/* to: START VOWEL CONS SIGN JOT */
	[C_START] = { 0, -12, -4, -92, -46 },
	[C_VOWEL] = { 0, -21, -2, -76, -25 },
	[C_CONS] = { 0, -6, -10, -27, -76 },
	[C_SIGN] = { 0, -8, -6, -92, -92 },
	[C_JOT] = { 0, -30, -1, -92, -92 },
};

/*
 * Letter case, judged per word (a run of Russian letters): lower case
 * words are the norm, capitalised ones common, all-capitals ones are
 * abbreviations (frequent in protocols: МБОУ, ОГЭ).  KOI8-R read as
 * windows-1251, or the reverse, swaps the cases, so running text turns
 * into capitals and capitalised words into "cAPITALISED".
 */
#define CASE_CAPITALISED (-15)
#define CASE_ALL_CAPS (-20)
#define CASE_MIXED (-60)
/* Words of two letters or more need a vowel, except abbreviations. */
#define PEN_NO_VOWEL_LOWER (-60)
#define PEN_NO_VOWEL_CAPS (-10)
/* A lower-case one-letter word that is not а в и к о с у я. */
#define PEN_ODD_SINGLE (-30)

/* Characters Russian text uses rarely, or never. */
#define PEN_TYPOGRAPHIC (-45)  /* « » — – № … NBSP and friends */
#define PEN_OTHER_CYRILLIC (-60) /* Ukrainian and Belarusian letters */
#define PEN_JUNK (-90)         /* box drawing, Serbian letters, symbols */
#define PEN_RARE_START (-40)   /* ы ь ъ starting a word */

/* Index 0..32 of a Russian letter (ё = 32) and its case, or -1. */
static int
russian_letter(UChar c, int *upper)
{
	if (c >= 0x0410 && c <= 0x042f) {
		*upper = 1;
		return c - 0x0410;
	}
	if (c >= 0x0430 && c <= 0x044f) {
		*upper = 0;
		return c - 0x0430;
	}
	if (c == 0x0401 || c == 0x0451) {
		*upper = c == 0x0401;
		return 32;
	}
	return -1;
}

static int
letter_class(int idx)
{
	switch (idx) {
	case 0: case 5: case 8: case 14: case 19: case 27: case 29: case 30:
	case 31: case 32: /* а е и о у ы э ю я ё */
		return C_VOWEL;
	case 26: case 28: /* ъ ь */
		return C_SIGN;
	case 9: /* й */
		return C_JOT;
	default:
		return C_CONS;
	}
}

static int
is_typographic(UChar c)
{
	switch (c) {
	case 0x00a0: case 0x00ab: case 0x00bb: case 0x00b7: case 0x00b0:
	case 0x00a7: case 0x2013: case 0x2014: case 0x2116: case 0x2026:
	case 0x201c: case 0x201d: case 0x201e: case 0x2018: case 0x2019:
		return 1;
	default:
		return 0;
	}
}

static int
is_other_cyrillic(UChar c)
{
	switch (c) {
	case 0x0406: case 0x0456: /* І і */
	case 0x0407: case 0x0457: /* Ї ї */
	case 0x0404: case 0x0454: /* Є є */
	case 0x0490: case 0x0491: /* Ґ ґ */
	case 0x040e: case 0x045e: /* Ў ў */
		return 1;
	default:
		return 0;
	}
}

/*
 * The commonest Russian letter pairs and word endings, from published
 * bigram tables (not from any text of ours):
 *
 *   ст, но, ен, то, на, ов, ни, ра, во, ко, ер,
 *   по, ол, ор, ет, ал, ли, ре, го, та, ле, не,
 *   пр, он, ва, ие, ос, ан, ес, ел, ит, ом, от,
 *   те, ри, ий, ый, ем, ог, ны, ло, де, ин, тв,
 *   ед, ия, да, ла, ве, од, ак, ка, ся, ть, ой,
 *   ая, их, ам, ми, ым, ки, ат, об, ти, ей, ск,
 *   че, ча, ци, ль, зо, ме, ма, уч, ую, ют, вы,
 *   се, ди, за,
 *
 * as one row of bits per first letter (bit b: second letter b; а = 0,
 * ..., я = 31; ё has no row).  Each one found inside a word adds
 * COMMON_BIGRAM: a misdecoding permutes the letters and rarely lands on
 * them.
 */
static const uint32_t common_pair[32] = {
	0x80043c00, 0x00000000, 0x08004021, 0x00004000,
	0x00000121, 0x00073a10, 0x00000000, 0x00004001,
	0x80242220, 0x00000000, 0x00004101, 0x10004121,
	0x00000121, 0x08004121, 0x00073a1e, 0x00014000,
	0x00000121, 0x80040420, 0x10004125, 0x40800000,
	0x00000000, 0x00000000, 0x00000100, 0x00000021,
	0x00000000, 0x00000000, 0x00000000, 0x00001200,
	0x00000000, 0x00000000, 0x00040000, 0x00000000,
};
#define COMMON_BIGRAM 15

typedef struct word {
	int len, upper, vowels, first_upper, case_breaks, first;
} word_t;

/* The word-level part of the score, when a word ends. */
static long
word_score(const word_t *w)
{
	long s = 0;
	if (w->len == 0)
		return 0;
	if (w->case_breaks)
		s += CASE_MIXED;
	else if (w->upper == w->len && w->len > 1)
		s += CASE_ALL_CAPS;
	else if (w->first_upper)
		s += CASE_CAPITALISED;
	if (w->len == 1 && !w->upper) {
		switch (w->first) {
		case 0: case 2: case 8: case 10: case 14: case 17: case 19: case 31:
			break; /* а в и к о с у я */
		default:
			s += PEN_ODD_SINGLE;
		}
	} else if (w->len > 1 && w->vowels == 0) {
		s += w->upper == w->len ? PEN_NO_VOWEL_CAPS : PEN_NO_VOWEL_LOWER;
	}
	return s;
}

/*
 * How Russian u[0..n) looks: a log-likelihood, higher is better.  ASCII
 * scores nothing (every candidate decodes it alike).
 */
static long
russian_score(const UChar *u, int32_t n)
{
	long score = 0;
	int prev_class = C_START;
	int prev_idx = -1;
	word_t w = { 0 };
	for (int32_t i = 0; i <= n; i++) {
		UChar c = i < n ? u[i] : 0;
		int upper, idx = i < n ? russian_letter(c, &upper) : -1, cls;
		if (idx < 0) {
			score += word_score(&w);
			memset(&w, 0, sizeof w);
			prev_class = C_START;
			prev_idx = -1;
			if (c < 0x80)
				continue;
			if (is_typographic(c))
				score += PEN_TYPOGRAPHIC;
			else if (is_other_cyrillic(c))
				score += PEN_OTHER_CYRILLIC;
			else
				score += PEN_JUNK;
			continue;
		}
		score += letter_logp[idx];
		cls = letter_class(idx);
		score += class_logp[prev_class][cls];
		if (prev_class == C_START && (idx == 26 || idx == 27 || idx == 28))
			score += PEN_RARE_START;
		if (w.len == 0) {
			w.first_upper = upper;
			w.first = idx;
		} else if (upper && w.upper < w.len) {
			w.case_breaks++; /* upper after lower */
		} else if (!upper && w.upper == w.len && w.len > 1) {
			w.case_breaks++; /* lower after two capitals: "МБОУа" */
		}
		w.len++;
		w.upper += upper;
		w.vowels += cls == C_VOWEL;
		if (prev_idx >= 0 && prev_idx < 32 && idx < 32 &&
		    (common_pair[prev_idx] >> idx & 1))
			score += COMMON_BIGRAM;
		prev_idx = idx;
		prev_class = cls;
	}
	return score;
}

/* ---- conversions ----------------------------------------------------- */

/* Decode bytes with ICU converter `icu` into a malloc'd UTF-16 string. */
static int
to_utf16(const char *icu, const char *buf, size_t len, UChar **out,
	 int32_t *out_len)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u;
	int32_t n;

	*out = NULL;
	*out_len = 0;
	if (len > INT32_MAX - 1)
		return -1;
	cv = ucnv_open(icu, &st);
	if (U_FAILURE(st))
		return -1;
	/*
	 * No encoding used here turns one byte into more than one UTF-16
	 * unit: UTF-8 needs 4 bytes for a surrogate pair, the 8-bit sets are
	 * BMP-only, and a bad byte becomes one U+FFFD.
	 */
	u = xmalloc(((size_t)len + 1) * sizeof *u);
	n = ucnv_toUChars(cv, u, (int32_t)len + 1, buf, (int32_t)len, &st);
	ucnv_close(cv);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
		free(u);
		return -1;
	}
	*out = u;
	*out_len = n;
	return 0;
}

/* NFC-normalize u[0..n) and append it to `sb` as UTF-8. */
static int
utf16_to_nfc_utf8(const UChar *u, int32_t n, strbuf_t *sb)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	UChar *norm = NULL;
	const UChar *src = u;
	int32_t src_len = n, need;

	if (U_FAILURE(st))
		return -1;
	if (!unorm2_isNormalized(nfc, u, n, &st) && U_SUCCESS(st)) {
		need = unorm2_normalize(nfc, u, n, NULL, 0, &st);
		if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
			return -1;
		st = U_ZERO_ERROR;
		norm = xmalloc(((size_t)need + 1) * sizeof *norm);
		src_len = unorm2_normalize(nfc, u, n, norm, need + 1, &st);
		if (U_FAILURE(st)) {
			free(norm);
			return -1;
		}
		src = norm;
	} else if (U_FAILURE(st)) {
		return -1;
	}

	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(NULL, 0, &need, src, src_len, 0xfffd, NULL, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
		free(norm);
		return -1;
	}
	st = U_ZERO_ERROR;
	strbuf_grow(sb, (size_t)need);
	u_strToUTF8WithSub(sb->buf + sb->len, need + 1, NULL, src, src_len,
			   0xfffd, NULL, &st);
	free(norm);
	if (U_FAILURE(st)) {
		sb->buf[sb->len] = '\0';
		return -1;
	}
	sb->len += (size_t)need;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
reader_priv_append_nfc(strbuf_t *out, const char *text, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;
	int32_t n;
	size_t i;
	int ret;

	for (i = 0; i < len && (unsigned char)text[i] < 0x80; i++)
		;
	if (i == len) { /* ASCII is always NFC */
		strbuf_add(out, text, len);
		return 0;
	}
	if (len > INT32_MAX - 1)
		return -1;
	u = xmalloc((len + 1) * sizeof *u);
	u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, text, (int32_t)len, 0xfffd,
			     NULL, &st);
	if (U_FAILURE(st)) {
		free(u);
		return -1;
	}
	ret = utf16_to_nfc_utf8(u, n, out);
	free(u);
	return ret;
}

/* ---- detection --------------------------------------------------------- */

int
reader_priv_looks_binary(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t nul = 0, ctrl = 0, i;
	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
			 (b[0] == 0xfe && b[1] == 0xff)))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = b[i];
		if (c == 0)
			nul++;
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
			  c != '\f' && c != '\v' && c != 0x1a && c != 0x1b) ||
			 c == 0x7f)
			ctrl++;
	}
	/*
	 * Text has no NUL bytes; allow one in a thousand for a stray one.
	 * Random or compressed data has about 11% control bytes, text ~0.
	 */
	return nul * 1000 > len || ctrl * 20 > len;
}

/*
 * UTF-16 without a BOM: nearly every code unit is Latin-1 or Cyrillic or
 * general punctuation (high byte 00, 04, 20 or 21), none is NUL or a
 * control, and the ASCII ones (spaces at least) put NULs in the high bytes.
 * Returns 1 for little endian, 2 for big endian, 0 for neither.
 */
static int
looks_utf16(const unsigned char *b, size_t len)
{
	size_t units, i;
	if (len < 4 || len % 2)
		return 0;
	units = len / 2;
	for (int be = 0; be <= 1; be++) {
		size_t good = 0, ascii = 0;
		for (i = 0; i < units; i++) {
			unsigned char hi = b[2 * i + !be], lo = b[2 * i + be];
			if (hi == 0x00) {
				if (lo == 0 || (lo < 0x20 && lo != '\t' && lo != '\n' &&
						lo != '\r' && lo != '\f'))
					continue;
				ascii++;
				good++;
			} else if (hi == 0x04 || hi == 0x20 || hi == 0x21) {
				good++;
			}
		}
		if (good * 100 >= units * 95 && ascii * 20 >= units)
			return be ? 2 : 1;
	}
	return 0;
}

/*
 * Valid UTF-8 whose non-ASCII characters are mostly outside the blocks
 * Russian (or any European) text uses: likely 8-bit text that only happens
 * to be valid UTF-8 (short IBM866 text can be).
 */
static int
utf8_looks_exotic(const unsigned char *b, size_t len)
{
	size_t i = 0, high = 0, exotic = 0;
	while (i < len) {
		uint32_t cp;
		unsigned char c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xe0) {
			cp = ((uint32_t)(c & 0x1f) << 6) | (b[i + 1] & 0x3f);
			i += 2;
		} else if (c < 0xf0) {
			cp = ((uint32_t)(c & 0x0f) << 12) |
			     ((uint32_t)(b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
			i += 3;
		} else {
			cp = 0x10000;
			i += 4;
		}
		high++;
		if (!(cp < 0x0530 || (cp >= 0x2000 && cp < 0x2200) ||
		      (cp >= 0x2500 && cp < 0x2600) || cp == 0xfeff || cp == 0xfffd))
			exotic++;
	}
	return high && exotic * 2 > high;
}

/* Which 8-bit Cyrillic encoding buf[0..len) most likely is. */
static const charset_t *
detect_cyrillic(const char *buf, size_t len)
{
	size_t sample = len < SAMPLE_MAX ? len : SAMPLE_MAX;
	long score[N_CYRILLIC];
	int32_t icu_conf[N_CYRILLIC] = { 0 };
	size_t k, best = 0, icu_best = N_CYRILLIC;
	UErrorCode st = U_ZERO_ERROR;
	UCharsetDetector *det;

	for (k = 0; k < N_CYRILLIC; k++) {
		UChar *u;
		int32_t n;
		if (to_utf16(cyrillic[k].icu, buf, sample, &u, &n) < 0) {
			score[k] = LONG_MIN;
			continue;
		}
		score[k] = russian_score(u, n);
		free(u);
		if (score[k] > score[best])
			best = k;
	}

	/* ICU may only overrule a close call: when every other encoding
	 * scores far below the best, asking it cannot change the answer. */
	for (k = 0; k < N_CYRILLIC; k++)
		if (k != best && score[k] != LONG_MIN &&
		    score[best] - score[k] <= ICU_OVERRULE_MARGIN)
			break;
	if (k == N_CYRILLIC)
		return &cyrillic[best];

	det = ucsdet_open(&st);
	if (U_SUCCESS(st)) {
		int32_t n_matches = 0;
		const UCharsetMatch **m;
		ucsdet_setText(det, buf, (int32_t)sample, &st);
		m = ucsdet_detectAll(det, &n_matches, &st);
		for (int32_t i = 0; U_SUCCESS(st) && i < n_matches; i++) {
			UErrorCode st2 = U_ZERO_ERROR;
			const char *name = ucsdet_getName(m[i], &st2);
			int32_t conf = ucsdet_getConfidence(m[i], &st2);
			if (U_FAILURE(st2) || !name)
				continue;
			for (k = 0; k < N_CYRILLIC; k++)
				if (strcmp(name, cyrillic[k].icu) == 0 &&
				    conf > icu_conf[k])
					icu_conf[k] = conf;
		}
		ucsdet_close(det);
	}
	for (k = 0; k < N_CYRILLIC; k++)
		if (icu_conf[k] > 0 &&
		    (icu_best == N_CYRILLIC || icu_conf[k] > icu_conf[icu_best]))
			icu_best = k;

	if (icu_best < N_CYRILLIC && icu_conf[icu_best] >= ICU_CONFIDENT &&
	    score[icu_best] != LONG_MIN &&
	    score[best] - score[icu_best] <= ICU_OVERRULE_MARGIN)
		best = icu_best;
	return &cyrillic[best];
}

/* 1 if nearly all non-ASCII characters of buf in `cs` are Russian letters. */
static int
mostly_russian(const charset_t *cs, const char *buf, size_t len)
{
	size_t high = 0, letters = 0;
	UChar *u;
	int32_t n;
	int upper;
	if (to_utf16(cs->icu, buf, len < SAMPLE_MAX ? len : SAMPLE_MAX, &u, &n) < 0)
		return 0;
	for (int32_t i = 0; i < n; i++) {
		if (u[i] < 0x80)
			continue;
		high++;
		letters += russian_letter(u[i], &upper) >= 0;
	}
	free(u);
	return high && letters * 100 >= high * 95;
}

static reader_status_t
decode_with(const char *icu, const char *buf, size_t len, char **out,
	    size_t *out_len, char *err, size_t err_size)
{
	strbuf_t sb = STRBUF_INIT;
	UChar *u;
	int32_t n;

	if (to_utf16(icu, buf, len, &u, &n) < 0) {
		set_err(err, err_size, "cannot decode text: character conversion failed");
		return READER_MALFORMED;
	}
	if (utf16_to_nfc_utf8(u, n, &sb) < 0) {
		free(u);
		strbuf_release(&sb);
		set_err(err, err_size, "cannot decode text: normalization failed");
		return READER_MALFORMED;
	}
	free(u);
	if (sb.len > READER_MAX_TEXT) {
		char msg[128];
		snprintf(msg, sizeof msg, "text too large (%zu bytes decoded, limit %u)",
			 sb.len, READER_MAX_TEXT);
		strbuf_release(&sb);
		set_err(err, err_size, msg);
		return READER_TOO_LARGE;
	}
	*out = strbuf_detach(&sb, out_len);
	return READER_OK;
}

reader_status_t
reader_decode_text(const void *buf, size_t len, char **out, size_t *out_len,
		   const char **encoding, char *err, size_t err_size)
{
	const unsigned char *b = buf;
	const char *text = buf;
	const charset_t *cs;
	reader_status_t st;
	int u16;

	*out = NULL;
	*out_len = 0;
	*encoding = "UTF-8";
	set_err(err, err_size, "");
	if (!buf || len == 0) {
		*out = xstrdup("");
		return READER_OK;
	}
	if (len > READER_MAX_INPUT) {
		char msg[128];
		snprintf(msg, sizeof msg, "text too large (%zu bytes, limit %u)", len,
			 READER_MAX_INPUT);
		set_err(err, err_size, msg);
		return READER_TOO_LARGE;
	}

	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		*encoding = "UTF-8 (BOM)";
		return decode_with("UTF-8", text + 3, len - 3, out, out_len, err,
				   err_size);
	}
	if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		*encoding = "UTF-16LE";
		return decode_with("UTF-16LE", text + 2, len - 2, out, out_len, err,
				   err_size);
	}
	if (len >= 2 && b[0] == 0xfe && b[1] == 0xff) {
		*encoding = "UTF-16BE";
		return decode_with("UTF-16BE", text + 2, len - 2, out, out_len, err,
				   err_size);
	}
	if (memchr(b, 0, len) && (u16 = looks_utf16(b, len)) != 0) {
		*encoding = u16 == 1 ? "UTF-16LE" : "UTF-16BE";
		return decode_with(*encoding, text, len, out, out_len, err, err_size);
	}
	if (reader_priv_looks_binary(b, len)) {
		set_err(err, err_size, "binary data, not text");
		return READER_UNSUPPORTED;
	}
	if (util_utf8_valid(text, len)) {
		/* Exotic UTF-8 is 8-bit text only if it then reads as Russian. */
		if (!utf8_looks_exotic(b, len) ||
		    !mostly_russian((cs = detect_cyrillic(text, len)), text, len))
			return decode_with("UTF-8", text, len, out, out_len, err,
					   err_size);
	} else {
		cs = detect_cyrillic(text, len);
	}
	st = decode_with(cs->icu, text, len, out, out_len, err, err_size);
	if (st == READER_OK)
		*encoding = cs->name;
	return st;
}
