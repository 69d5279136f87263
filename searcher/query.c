/*
 * The query language's front end: see query.h.
 *
 * The query is read once, left to right, as a sequence of tokens: white
 * space, brackets, "phrases", field clauses (name:value) and words.  Free
 * text (words, phrases, operators, brackets) is collected into text
 * segments as written, apart from operators spelled in Russian and
 * guillemets; each field clause becomes a segment of its own, so that the
 * abbreviation rewrite of stemmer/ never touches a field value.
 */
#include "searcher/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "common/strbuf.h"
#include "common/util.h"

/* ---- Fields ----------------------------------------------------------- */

static const struct field_names {
	const char *en;
	const char *ru;
	const char *more[3];  /* further accepted spellings */
} fields[QUERY_FIELD_COUNT + 1] = {
	[QUERY_FIELD_MUNICIPALITY] = { "municipality", "мо", { "муниципалитет", NULL } },
	[QUERY_FIELD_REGION] = { "region", "регион", { NULL } },
	[QUERY_FIELD_TYPE] = { "type", "тип", { NULL } },
	[QUERY_FIELD_RESPONSIBLE] = { "responsible", "ответственный", { "ответственные", NULL } },
	[QUERY_FIELD_SPEAKER] = { "speaker", "докладчик", { NULL } },
	[QUERY_FIELD_NUMBER] = { "number", "номер", { NULL } },
	[QUERY_FIELD_DATE] = { "date", "дата", { NULL } },
	[QUERY_FIELD_DUE] = { "due", "срок", { NULL } },
	[QUERY_FIELD_PATH] = { "path", "путь", { "файл", NULL } },
	/* Never looked up: a user who writes it gets "unknown field". */
	[QUERY_FIELD_ALL] = { "protodexall", "protodexall", { NULL } },
};

const char *
query_field_name(query_field_t f)
{
	return (unsigned)f <= QUERY_FIELD_COUNT ? fields[f].en : "";
}

const char *
query_field_name_ru(query_field_t f)
{
	return (unsigned)f <= QUERY_FIELD_COUNT ? fields[f].ru : "";
}

/*
 * Lower case of s[0..len) into out (ICU simple case mapping, ё -> е),
 * NUL-terminated; 0, or -1 when it does not fit or is not UTF-8.
 */
static int
lower(const char *s, size_t len, char *out, size_t size)
{
	int32_t i = 0, n = (int32_t)len, o = 0;
	if (len >= (size_t)INT32_MAX)
		return -1;
	while (i < n) {
		UChar32 c;
		UBool err = 0;
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return -1;
		c = u_tolower(c);
		if (c == 0x451)
			c = 0x435;
		if ((size_t)o + U8_LENGTH(c) + 1 > size)
			return -1;
		U8_APPEND((uint8_t *)out, o, (int32_t)size, c, err);
		if (err)
			return -1;
	}
	out[o] = '\0';
	return 0;
}

/* 1 when s[0..len) in lower case is one of the NULL-terminated words. */
static int
lower_is(const char *s, size_t len, const char *const *words)
{
	char buf[64];
	if (lower(s, len, buf, sizeof(buf)) < 0)
		return 0;
	for (; *words; words++)
		if (!strcmp(buf, *words))
			return 1;
	return 0;
}

int
query_field_lookup(const char *name, size_t len)
{
	for (int f = 0; f < QUERY_FIELD_COUNT; f++) {
		const char *names[] = { fields[f].en, fields[f].ru, fields[f].more[0],
					fields[f].more[1], fields[f].more[2], NULL };
		if (lower_is(name, len, names))
			return f;
	}
	return -1;
}

const char *
query_type_value(const char *s, size_t len)
{
	static const char *const protocol[] = { "protocol", "protocols", "протокол",
						"протоколы", NULL };
	static const char *const decision[] = { "decision", "decisions", "решение",
						"решения", NULL };
	if (lower_is(s, len, protocol))
		return "protocol";
	if (lower_is(s, len, decision))
		return "decision";
	return NULL;
}

int
query_due_keyword(const char *s, size_t len)
{
	static const char *const kw[][6] = {
		[QUERY_DUE_PERMANENT] = { "permanent", "постоянно", "постоянный", NULL },
		[QUERY_DUE_EVENT] = { "event", "событие", NULL },
		[QUERY_DUE_NO_DEADLINE] = { "none", "нет", NULL },
		[QUERY_DUE_OVERDUE] = { "overdue", "просрочено", "просрочен", "просроченные",
					"просрочены", NULL },
	};
	for (int k = 0; k < (int)(sizeof(kw) / sizeof(kw[0])); k++)
		if (lower_is(s, len, kw[k]))
			return k;
	return QUERY_DUE_NONE_KEYWORD;
}

/* ---- Dates ------------------------------------------------------------ */

static int
leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
month_days(unsigned y, unsigned m)
{
	static const unsigned d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* "YYYYMMDD" of a date already checked. */
static void
put_date(char out[9], unsigned y, unsigned m, unsigned d)
{
	unsigned v[] = { y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10,
			 m / 10 % 10,   m % 10,       d / 10 % 10,  d % 10 };
	for (int i = 0; i < 8; i++)
		out[i] = (char)('0' + v[i]);
	out[8] = '\0';
}

/* Digits s[0..n) as a number; -1 unless all are digits (n <= 4). */
static long
digits(const char *s, size_t n)
{
	long v = 0;
	if (n == 0 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
why_set(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	if (!why || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
}

int
query_date_pieces(const char *from, const char *to, query_date_piece_fn piece, void *ctx)
{
	unsigned y = 0, m = 0, ty = 0, tm = 0;
	int n = 0;
	if (sscanf(from, "%4u%2u", &y, &m) != 2 || sscanf(to, "%4u%2u", &ty, &tm) != 2 || m < 1 ||
	    m > 12 || tm < 1 || tm > 12)
		return 0;
	while (y < ty || (y == ty && m <= tm)) {
		char first[9], last[9], period[9];
		put_date(first, y, m, 1);
		put_date(last, y, m, month_days(y, m));
		if (strcmp(from, first) > 0 || strcmp(to, last) < 0) {
			/* a month cut by an end: its days within [from, to] */
			for (unsigned d = 1; d <= month_days(y, m); d++) {
				put_date(period, y, m, d);
				if (strcmp(period, from) < 0 || strcmp(period, to) > 0)
					continue;
				if (piece(ctx, period))
					return -1;
				n++;
			}
		} else if (m == 1 && (ty > y || strcmp(to + 4, "1231") >= 0)) {
			/* January and all the year through: the year */
			snprintf(period, sizeof(period), "%.4s", first);
			if (piece(ctx, period))
				return -1;
			y++, n++;
			continue;
		} else {
			snprintf(period, sizeof(period), "%.6s", first);
			if (piece(ctx, period))
				return -1;
			n++;
		}
		if (++m > 12)
			m = 1, y++;
	}
	return n;
}

int
query_period(const char *s, size_t len, const char *today, char from[9], char to[9],
	     char *why, size_t why_size)
{
	static const char *const today_words[] = { "today", "сегодня", NULL };
	const char *part[3];
	size_t plen[3], np = 0, i, start = 0;
	char sep = 0;
	long y = -1, m = -1, d = -1;

	from[0] = to[0] = '\0';
	if (lower_is(s, len, today_words)) {
		if (!today || strlen(today) != 8) {
			why_set(why, why_size, "no date for today");
			return -1;
		}
		memcpy(from, today, 9);
		memcpy(to, today, 9);
		return 0;
	}
	/* Up to three numbers separated by one kind of separator, '-' or '.'. */
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '-' && s[i] != '.')
			continue;
		if (i < len) {
			if (sep && s[i] != sep)
				goto bad;
			sep = s[i];
		}
		if (np == 3)
			goto bad;
		part[np] = s + start;
		plen[np] = i - start;
		np++;
		start = i + 1;
	}
	for (i = 0; i < np; i++)
		if (digits(part[i], plen[i]) < 0)
			goto bad;
	if (sep == '.' || np == 1) {
		/* 2021; 12.2021; 01.12.2021 (Russian order); 01.12.21 */
		size_t yi = np - 1;
		if (plen[yi] != 4 && !(np == 3 && plen[yi] == 2))
			goto bad;
		y = digits(part[yi], plen[yi]);
		if (plen[yi] == 2)
			y += 2000;
		if (np >= 2) {
			if (plen[np - 2] > 2)
				goto bad;
			m = digits(part[np - 2], plen[np - 2]);
		}
		if (np == 3) {
			if (plen[0] > 2)
				goto bad;
			d = digits(part[0], plen[0]);
		}
	} else {
		/* 2021-12; 2021-12-01 */
		if (plen[0] != 4 || plen[1] > 2 || (np == 3 && plen[2] > 2))
			goto bad;
		y = digits(part[0], plen[0]);
		m = digits(part[1], plen[1]);
		if (np == 3)
			d = digits(part[2], plen[2]);
	}
	if (y < 1900 || y > 2199) {
		why_set(why, why_size, "year %ld is out of range", y);
		return -1;
	}
	if (m != -1 && (m < 1 || m > 12)) {
		why_set(why, why_size, "there is no month %ld", m);
		return -1;
	}
	if (d != -1 && (d < 1 || (unsigned long)d > month_days((unsigned)y, (unsigned)m))) {
		why_set(why, why_size, "there is no day %ld in %04ld-%02ld", d, y, m);
		return -1;
	}
	put_date(from, (unsigned)y, m == -1 ? 1u : (unsigned)m, d == -1 ? 1u : (unsigned)d);
	put_date(to, (unsigned)y, m == -1 ? 12u : (unsigned)m,
		 d != -1 ? (unsigned)d : month_days((unsigned)y, m == -1 ? 12u : (unsigned)m));
	return 0;
bad:
	why_set(why, why_size, "not a date");
	return -1;
}

int
query_range(const char *s, size_t len, const char *today, char from[9], char to[9],
	    char *why, size_t why_size)
{
	const char *dots = NULL;
	char f2[9], t2[9];
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			if (dots) {
				why_set(why, why_size, "more than one '..'");
				return -1;
			}
			dots = s + i;
			i++;
		}
	if (!dots)
		return query_period(s, len, today, from, to, why, why_size);
	from[0] = to[0] = '\0';
	if (dots == s && dots + 2 == s + len) {
		why_set(why, why_size, "'..' needs a date on at least one side");
		return -1;
	}
	if (dots > s && query_period(s, (size_t)(dots - s), today, from, t2, why, why_size) < 0)
		return -1;
	if (dots + 2 < s + len &&
	    query_period(dots + 2, (size_t)(s + len - dots - 2), today, f2, to, why, why_size) < 0)
		return -1;
	if (*from && *to && strcmp(from, to) > 0) {
		why_set(why, why_size, "the range ends before it starts");
		return -1;
	}
	return 0;
}

/* ---- The lexer ---------------------------------------------------------- */

typedef enum last_token {
	LAST_NONE,   /* start of the query */
	LAST_OPEN,   /* ( */
	LAST_ITEM,   /* a word, phrase, field clause or ) */
	LAST_BINARY, /* AND OR XOR NEAR */
	LAST_NOT     /* NOT */
} last_token_t;

typedef struct lexer {
	const char *s;
	size_t len, i;
	query_t *q;
	query_error_t *err;
	strbuf_t text;         /* the free-text segment being collected */
	size_t text_offset;
	last_token_t last;
	size_t last_offset;    /* of the last operator */
	size_t *open;          /* offsets of the open brackets */
	char *negated;         /* per open bracket: it follows NOT */
	size_t depth, open_cap;
	size_t neg_depth;      /* inside NOT ( ... ): depth + 1 of its bracket */
	int negate_next;       /* the next item follows NOT */
	size_t not_offset;     /* of that NOT */
	int last_is_and;       /* the last binary operator was AND */
	size_t not_group_end;  /* depth + 1 after a NOT ( ... ) closed there:
				  nothing may be ANDed after it (QueryParser
				  would read "a NOT (b) c" as a NOT (b c)) */
	int has_positive;
	int has_item;
} lexer_t;

static unsigned
column_of(const char *s, size_t offset)
{
	unsigned col = 1;
	for (size_t i = 0; i < offset; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static int
lex_error(lexer_t *lx, size_t offset, const char *hint, const char *fmt, ...)
{
	va_list ap;
	lx->err->offset = offset;
	lx->err->column = column_of(lx->s, offset);
	va_start(ap, fmt);
	vsnprintf(lx->err->message, sizeof(lx->err->message), fmt, ap);
	va_end(ap);
	snprintf(lx->err->hint, sizeof(lx->err->hint), "%s", hint ? hint : "");
	return -1;
}

/* The code point at s[i] and its byte length (invalid bytes: U+FFFD, 1). */
static UChar32
cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	int32_t j = 0, m = (int32_t)(len - i < 8 ? len - i : 8);
	UChar32 c;
	U8_NEXT(s + i, j, m, c);
	*n = (size_t)j;
	return c < 0 ? 0xfffd : c;
}

/* White space, and NUL (never passed on inside a word). */
static int
is_space(UChar32 c)
{
	return c == 0 || u_isUWhiteSpace(c);
}

/* The quote that closes `open`, or 0 when `open` is not an opening quote. */
static UChar32
closing_quote(UChar32 open)
{
	switch (open) {
	case '"': return '"';
	case 0xab: return 0xbb;     /* « » */
	case 0x201c: return 0x201d; /* “ ” */
	case 0x201e: return 0x201c; /* „ “ */
	}
	return 0;
}

/* Where a word ends: white space, a bracket or an opening quote. */
static size_t
word_end(const char *s, size_t len, size_t i)
{
	while (i < len) {
		size_t n;
		UChar32 c = cp_at(s, len, i, &n);
		if (is_space(c) || c == '(' || c == ')' || closing_quote(c))
			break;
		i += n;
	}
	return i;
}

/*
 * A quoted text starting at s[i] (an opening quote): its content's bounds
 * and the end of the closing quote; -1 when it is not closed.
 */
static int
quoted(const char *s, size_t len, size_t i, size_t *c_start, size_t *c_end, size_t *end)
{
	size_t n;
	UChar32 open = cp_at(s, len, i, &n), close = closing_quote(open);
	size_t j = i + n;
	*c_start = j;
	while (j < len) {
		UChar32 c = cp_at(s, len, j, &n);
		/* “ may be closed by ", as people type; „ by ” too. */
		if (c == close || (open != '"' && c == '"' && open != 0xab) ||
		    (open == 0x201e && c == 0x201d)) {
			*c_end = j;
			*end = j + n;
			return 0;
		}
		j += n;
	}
	return -1;
}

static void
flush_text(lexer_t *lx)
{
	size_t i;
	for (i = 0; i < lx->text.len; i++)
		if (lx->text.buf[i] != ' ')
			break;
	while (lx->text.len && lx->text.buf[lx->text.len - 1] == ' ')
		strbuf_setlen(&lx->text, lx->text.len - 1);
	if (i < lx->text.len) {
		query_t *q = lx->q;
		q->segments = xrealloc(q->segments, (q->n + 1) * sizeof(*q->segments));
		q->segments[q->n].field = -1;
		q->segments[q->n].text = strbuf_detach(&lx->text, NULL);
		q->segments[q->n].offset = lx->text_offset;
		q->n++;
	}
	strbuf_reset(&lx->text);
	lx->text_offset = lx->i;
}

static void
push_field(lexer_t *lx, int field, const char *text, size_t offset)
{
	query_t *q = lx->q;
	flush_text(lx);
	q->segments = xrealloc(q->segments, (q->n + 1) * sizeof(*q->segments));
	q->segments[q->n].field = field;
	q->segments[q->n].text = xstrdup(text);
	q->segments[q->n].offset = offset;
	q->n++;
}

/* Text between items: one space keeps them apart. */
static void
add_space(lexer_t *lx)
{
	if (lx->text.len && lx->text.buf[lx->text.len - 1] != ' ' &&
	    lx->text.buf[lx->text.len - 1] != '(')
		strbuf_addch(&lx->text, ' ');
}

/* An item (word, phrase, clause, or a closing bracket) arrives. */
/* Before an item or '(' at this depth: not right after a NOT group. */
static int
check_after_not_group(lexer_t *lx, size_t at)
{
	if (lx->not_group_end && lx->not_group_end == lx->depth + 1 && lx->last == LAST_ITEM)
		return lex_error(lx, at,
				 "put the NOT ( ... ) group last, or bracket what it excludes "
				 "from: (a NOT (b OR c)) d",
				 "a NOT group followed by more words");
	lx->not_group_end = 0;
	return 0;
}

static void
item(lexer_t *lx, int sign, int meaningful)
{
	int negative = sign == '-' || lx->negate_next || lx->neg_depth;
	if (meaningful) {
		lx->has_item = 1;
		if (!negative)
			lx->has_positive = 1;
	}
	lx->negate_next = 0;
	lx->last = LAST_ITEM;
}

static const char operand_hint[] =
	"put a word, phrase or field on both sides of the operator, or quote it to "
	"search for the word itself";

/* Before ')' and at the end: the last operator must have its operand. */
static int
check_operand(lexer_t *lx)
{
	if (lx->last == LAST_BINARY || lx->last == LAST_NOT)
	{
		size_t n = word_end(lx->s, lx->len, lx->last_offset) - lx->last_offset;
		return lex_error(lx, lx->last_offset, operand_hint, "'%.*s' has nothing after it",
				 (int)n, lx->s + lx->last_offset);
	}
	return 0;
}

static const char *const binary_ops[][2] = {
	/* as typed (any case for English, capitals for Russian), as parsed */
	{ "AND", "AND" }, { "OR", "OR" }, { "XOR", "XOR" }, { "NEAR", "NEAR" },
	{ "И", "AND" }, { "ИЛИ", "OR" }, { "РЯДОМ", "NEAR" },
};

/* The operator a word is: its English spelling, and whether it is NOT. */
static const char *
operator_word(const char *w, size_t n, int *is_not)
{
	*is_not = 0;
	if ((n == 3 && !strncasecmp(w, "NOT", 3)) || (n == 4 && !memcmp(w, "НЕ", 4))) {
		*is_not = 1;
		return "NOT";
	}
	for (size_t k = 0; k < sizeof(binary_ops) / sizeof(binary_ops[0]); k++) {
		size_t l = strlen(binary_ops[k][0]);
		if (l != n)
			continue;
		if ((unsigned char)w[0] < 0x80 ? !strncasecmp(w, binary_ops[k][0], n)
					       : !memcmp(w, binary_ops[k][0], n))
			return binary_ops[k][1];
	}
	return NULL;
}

/* A letter or digit somewhere in s[0..n): a word QueryParser will index. */
static int
has_alnum(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k;
		UChar32 c = cp_at(s, n, i, &k);
		if (u_isalnum(c))
			return 1;
		i += k;
	}
	return 0;
}

/*
 * Edit distance of two short UTF-8 strings by code point, case folded,
 * a swap of neighbours counting as one edit ("dtae" is 1 from "date").
 */
static unsigned
distance(const char *a, const char *b)
{
	enum { MAX = 32 };
	UChar32 x[MAX], y[MAX];
	unsigned nx = 0, ny = 0, d[MAX + 1][MAX + 1], i, j;
	for (size_t p = 0, k, l = strlen(a); p < l && nx < MAX; p += k)
		x[nx++] = u_tolower(cp_at(a, l, p, &k));
	for (size_t p = 0, k, l = strlen(b); p < l && ny < MAX; p += k)
		y[ny++] = u_tolower(cp_at(b, l, p, &k));
	for (i = 0; i <= nx; i++)
		d[i][0] = i;
	for (j = 0; j <= ny; j++)
		d[0][j] = j;
	for (i = 1; i <= nx; i++)
		for (j = 1; j <= ny; j++) {
			unsigned best = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[nx][ny];
}

/* Characters in UTF-8 text. */
static unsigned
chars(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int
unknown_field(lexer_t *lx, const char *name, size_t n, size_t offset)
{
	char *nm = xstrndup(name, n);
	const char *best = NULL;
	/* one edit in a short name, two in a longer one */
	unsigned best_d = chars(nm) <= 5 ? 2 : 3;
	char hint[256];
	for (int f = 0; f < QUERY_FIELD_COUNT; f++) {
		const char *names[] = { fields[f].en, fields[f].ru, fields[f].more[0] };
		for (size_t k = 0; k < 3; k++) {
			unsigned d;
			if (!names[k])
				continue;
			d = distance(nm, names[k]);
			if (d < best_d) {
				best_d = d;
				best = names[k];
			}
		}
	}
	if (best)
		snprintf(hint, sizeof(hint),
			 "did you mean '%s:'? To search for the text itself, put it in quotes",
			 best);
	else
		snprintf(hint, sizeof(hint),
			 "fields are municipality/мо, region/регион, type/тип, "
			 "responsible/ответственный, speaker/докладчик, number/номер, "
			 "date/дата, due/срок, path/путь; to search for the text itself, put it "
			 "in quotes");
	lex_error(lx, offset, hint, "unknown field '%s'", nm);
	free(nm);
	return -1;
}

static const char date_hint[] =
	"write a date as 2021-12-01 or 01.12.2021, a month as 2021-12, a year as 2021, "
	"or today; a range as A..B, ..B or A..";

/* Check a field's value; 0, or -1 with the error. */
static int
check_value(lexer_t *lx, int field, const char *name, const char *v, size_t n, size_t at)
{
	char from[9], to[9], why[128];
	switch (field) {
	case QUERY_FIELD_TYPE:
		if (!query_type_value(v, n))
			return lex_error(lx, at, "write type:protocol or type:decision "
						 "(тип:протокол, тип:решение)",
					 "unknown record type '%.*s'", (int)n, v);
		return 0;
	case QUERY_FIELD_DUE:
		if (query_due_keyword(v, n) >= 0)
			return 0;
		if (query_range(v, n, "20000101", from, to, why, sizeof(why)) < 0)
			return lex_error(lx, at,
					 "a deadline is a date or range (due:..2021-12-01, "
					 "due:2022-12) or one of permanent, event, none, overdue "
					 "(постоянно, событие, нет, просрочено)",
					 "bad deadline '%.*s' after '%s:': %s", (int)n, v, name, why);
		return 0;
	case QUERY_FIELD_DATE:
		if (query_range(v, n, "20000101", from, to, why, sizeof(why)) < 0)
			return lex_error(lx, at, date_hint, "bad date '%.*s' after '%s:': %s",
					 (int)n, v, name, why);
		return 0;
	default:
		if (!has_alnum(v, n))
			return lex_error(lx, at, "give a name or a word of it after the colon",
					 "no words in the value of '%s:'", name);
		return 0;
	}
}

/*
 * A field clause at lx->i: [+-]name:value.  Returns 1 when it was one
 * (consumed), 0 when the word is not a field clause, -1 on an error.
 */
static int
field_clause(lexer_t *lx)
{
	const char *s = lx->s;
	size_t len = lx->len, start = lx->i, i = start, name_start, name_end, n;
	size_t v_start, v_end, end;
	int sign = 0, field;
	UChar32 c;
	strbuf_t clause = STRBUF_INIT;

	if (s[i] == '-' || s[i] == '+')
		sign = s[i++];
	name_start = i;
	/* Letters; '_' too, so that "дата_заседания:" is an unknown field
	 * rather than text QueryParser would half read as a field. */
	while (i < len && (u_isalpha(cp_at(s, len, i, &n)) || s[i] == '_'))
		i += n;
	name_end = i;
	if (name_end == name_start || i >= len || s[i] != ':')
		return 0;
	i++; /* the colon */
	field = query_field_lookup(s + name_start, name_end - name_start);
	c = i < len ? cp_at(s, len, i, &n) : 0;
	if (i >= len || is_space(c) || c == ')') {
		/* "Решили:" pasted with its text is a word; a known name is a
		 * field without a value. */
		if (field < 0)
			return 0;
		return lex_error(lx, i, "write the value right after the colon, quoted if it "
					"has spaces: мо:\"Вышний Волочек\"",
				 "'%.*s:' has no value", (int)(name_end - start), s + start);
	}
	if (field < 0) {
		if (i + 1 < len && s[i] == '/' && s[i + 1] == '/')
			return 0; /* a web address */
		return unknown_field(lx, s + name_start, name_end - name_start, name_start);
	}
	if (c == '(')
		return lex_error(lx, i, "a field takes one value: write мо:A OR мо:B",
				 "brackets cannot follow '%.*s:'", (int)(name_end - start), s + start);
	if (closing_quote(c)) {
		if (quoted(s, len, i, &v_start, &v_end, &end) < 0)
			return lex_error(lx, i, "close the quote", "unclosed quote after '%.*s:'",
					 (int)(name_end - start), s + start);
	} else {
		v_start = i;
		v_end = end = word_end(s, len, i);
	}
	if (check_value(lx, field, query_field_name((query_field_t)field), s + v_start,
			v_end - v_start, v_start) < 0)
		return -1;
	if (check_after_not_group(lx, start) < 0)
		return -1;
	if (lx->negate_next)
		sign = '-';

	if (sign)
		strbuf_addch(&clause, (char)sign);
	strbuf_addf(&clause, "%s:", query_field_name((query_field_t)field));
	{
		/* Quoted for QueryParser when it has more than one word; quotes
		 * and white space inside become spaces (a value is matched word
		 * by word).  Dates stay bare: a range must reach the range
		 * processor, which never sees quoted text. */
		strbuf_t v = STRBUF_INIT;
		for (size_t k = v_start; k < v_end;) {
			size_t m;
			UChar32 ch = cp_at(s, v_end, k, &m);
			if (ch == '"' || is_space(ch))
				strbuf_addch(&v, ' ');
			else
				strbuf_add(&v, s + k, m);
			k += m;
		}
		if (field != QUERY_FIELD_DATE && field != QUERY_FIELD_DUE &&
		    strpbrk(v.buf, " ()"))
			strbuf_addf(&clause, "\"%s\"", v.buf);
		else
			strbuf_add(&clause, v.buf, v.len);
		strbuf_release(&v);
	}
	push_field(lx, field, clause.buf, start);
	strbuf_release(&clause);
	item(lx, sign, 1);
	lx->i = end;
	lx->text_offset = end;
	return 1;
}

static int
lex(lexer_t *lx)
{
	const char *s = lx->s;
	size_t len = lx->len;

	while (lx->i < len) {
		size_t n, start = lx->i;
		UChar32 c = cp_at(s, len, start, &n);
		int r;

		if (c == 0 || is_space(c)) {
			add_space(lx);
			lx->i += n;
			continue;
		}
		if (c == '(') {
			if (lx->depth == lx->open_cap) {
				lx->open_cap = lx->open_cap ? 2 * lx->open_cap : 8;
				lx->open = xrealloc(lx->open, lx->open_cap * sizeof(*lx->open));
				lx->negated = xrealloc(lx->negated, lx->open_cap);
			}
			if (check_after_not_group(lx, start) < 0)
				return -1;
			lx->negated[lx->depth] = (char)lx->negate_next;
			lx->open[lx->depth++] = start;
			add_space(lx);
			if (lx->negate_next) {
				if (!lx->neg_depth)
					lx->neg_depth = lx->depth;
				strbuf_adds(&lx->text, "NOT ");
			}
			lx->negate_next = 0;
			strbuf_addch(&lx->text, '(');
			lx->last = LAST_OPEN;
			lx->i += n;
			continue;
		}
		if (c == ')') {
			if (!lx->depth)
				return lex_error(lx, start, "remove it, or add '(' where the group "
							    "starts",
						 "unmatched ')'");
			if (lx->last == LAST_OPEN)
				return lex_error(lx, lx->open[lx->depth - 1],
						 "put something between the brackets, or remove "
						 "them",
						 "empty brackets");
			if (check_operand(lx) < 0)
				return -1;
			if (lx->neg_depth == lx->depth)
				lx->neg_depth = 0;
			lx->depth--;
			strbuf_addch(&lx->text, ')');
			/* a closing bracket ends any NOT group inside it */
			lx->not_group_end = 0;
			if (lx->negated[lx->depth])
				lx->not_group_end = lx->depth + 1;
			lx->last = LAST_ITEM;
			lx->i += n;
			continue;
		}
		if (closing_quote(c) || ((c == '-' || c == '+') && start + 1 < len &&
					 closing_quote(cp_at(s, len, start + 1, &n)))) {
			size_t cs, ce, end, q = start;
			int sign = 0;
			if (c == '-' || c == '+') {
				sign = (int)c;
				q++;
			}
			if (quoted(s, len, q, &cs, &ce, &end) < 0)
				return lex_error(lx, q, "add the closing quote where the phrase "
							"ends",
						 "unclosed quote");
			if (check_after_not_group(lx, start) < 0)
				return -1;
			if (lx->negate_next)
				sign = '-';
			add_space(lx);
			if (sign)
				strbuf_addch(&lx->text, (char)sign);
			strbuf_addch(&lx->text, '"');
			for (size_t k = cs; k < ce;) {
				size_t m;
				UChar32 ch = cp_at(s, ce, k, &m);
				if (ch == '"' || closing_quote(ch) || ch == 0xbb || ch == 0x201d ||
				    ch == 0)
					strbuf_addch(&lx->text, ' ');
				else
					strbuf_add(&lx->text, s + k, m);
				k += m;
			}
			strbuf_addch(&lx->text, '"');
			item(lx, sign, has_alnum(s + cs, ce - cs));
			lx->i = end;
			continue;
		}
		r = field_clause(lx);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		{
			size_t end = word_end(s, len, start);
			int is_not;
			const char *op = operator_word(s + start, end - start, &is_not);
			if (op) {
				if (is_not) {
					/* NOT x becomes -x, which binds to x alone:
					 * QueryParser reads "a NOT b c" as
					 * "a NOT (b c)".  "a AND NOT b" is "a -b". */
					if (lx->last == LAST_NOT)
						return lex_error(lx, start, "write NOT once",
								 "NOT after NOT");
					if (lx->last == LAST_BINARY && !lx->last_is_and)
						return lex_error(lx, start,
								 "write a NOT b for \"a and not b\", or "
								 "bracket: a OR (b NOT c)",
								 "NOT cannot follow '%.*s'",
								 (int)(word_end(s, len, lx->last_offset) -
								       lx->last_offset),
								 s + lx->last_offset);
					if (lx->last == LAST_BINARY) {
						/* drop the AND just written */
						while (lx->text.len &&
						       lx->text.buf[lx->text.len - 1] == ' ')
							strbuf_setlen(&lx->text, lx->text.len - 1);
						if (lx->text.len >= 3)
							strbuf_setlen(&lx->text, lx->text.len - 3);
						lx->last = LAST_ITEM;
					}
					if (check_after_not_group(lx, start) < 0)
						return -1;
					lx->negate_next = 1;
					lx->not_offset = start;
					lx->last = LAST_NOT;
				} else {
					if (lx->last != LAST_ITEM)
						return lex_error(lx, start, operand_hint,
								 "'%.*s' has nothing before it",
								 (int)(end - start), s + start);
					lx->last = LAST_BINARY;
					lx->last_is_and = !strcmp(op, "AND");
					lx->not_group_end = 0;
					add_space(lx);
					strbuf_adds(&lx->text, op);
				}
				lx->last_offset = start;
			} else {
				int sign = s[start] == '-' || s[start] == '+' ? s[start] : 0;
				const char *dots = memmem(s + start, end - start, "..", 2);
				if (dots && has_alnum(s + start, end - start))
					return lex_error(lx, start,
							 "a range belongs to a field: date:A..B or "
							 "due:A..B",
							 "a range without a field");
				if (check_after_not_group(lx, start) < 0)
					return -1;
				add_space(lx);
				if (lx->negate_next) {
					size_t skip = sign ? 1 : 0;
					strbuf_addch(&lx->text, '-');
					strbuf_add(&lx->text, s + start + skip, end - start - skip);
					sign = '-';
				} else {
					strbuf_add(&lx->text, s + start, end - start);
				}
				item(lx, sign, has_alnum(s + start, end - start));
			}
			lx->i = end;
		}
	}
	if (check_operand(lx) < 0)
		return -1;
	if (lx->depth)
		return lex_error(lx, lx->open[lx->depth - 1],
				 "add ')' where the group ends, or remove the '('", "unmatched '('");
	flush_text(lx);
	if (!lx->has_item)
		return lex_error(lx, 0, "give words, a \"phrase\" or a field such as мо:Мегион",
				 "the query has nothing to search for");
	return 0;
}

int
query_prepare(const char *text, size_t len, query_t *q, query_error_t *err)
{
	lexer_t lx;
	int r;

	memset(q, 0, sizeof(*q));
	memset(err, 0, sizeof(*err));
	memset(&lx, 0, sizeof(lx));
	if (!text)
		text = "", len = 0;
	lx.s = text;
	lx.len = len;
	lx.q = q;
	lx.err = err;
	strbuf_init(&lx.text, 0);
	if (!util_utf8_valid(text, len)) {
		/* the first byte that does not start or continue a character */
		int32_t at = 0, bad = 0;
		while (at < (int32_t)len) {
			UChar32 c;
			bad = at;
			U8_NEXT(text, at, (int32_t)len, c);
			if (c < 0)
				break;
			bad = at;
		}
		r = lex_error(&lx, (size_t)bad, "type the query in UTF-8 (check the terminal's "
					"locale)",
			      "the query is not valid UTF-8");
	} else {
		r = lex(&lx);
	}
	if (r == 0 && !lx.has_positive) {
		/* Exclusions alone: from every record. */
		query_segment_t all = { QUERY_FIELD_ALL, NULL, 0 };
		strbuf_t t = STRBUF_INIT;
		strbuf_addf(&t, "%s:all", fields[QUERY_FIELD_ALL].en);
		all.text = strbuf_detach(&t, NULL);
		q->segments = xrealloc(q->segments, (q->n + 1) * sizeof(*q->segments));
		memmove(q->segments + 1, q->segments, q->n * sizeof(*q->segments));
		q->segments[0] = all;
		q->n++;
	}
	q->has_text = 0;
	for (size_t i = 0; i < q->n; i++)
		if (q->segments[i].field < 0)
			q->has_text = 1;
	strbuf_release(&lx.text);
	free(lx.open);
	free(lx.negated);
	if (r < 0)
		query_release(q);
	return r;
}

void
query_release(query_t *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->segments[i].text);
	free(q->segments);
	memset(q, 0, sizeof(*q));
}
