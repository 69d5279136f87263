/*
 * Dates and deadlines as protocols write them.  The rules are in
 * protocol.h (protocol_parse_date, protocol_parse_deadline); this file
 * only explains how.
 *
 * Both work on a case-folded copy of the text (Cyrillic and ASCII lower
 * case, ё -> е; every change keeps the byte length, so offsets match the
 * original).  Dates are found by a scan for their three shapes
 * (dd.mm.yyyy, yyyy-mm-dd, d month yyyy).  Deadlines are classified in
 * a fixed order: full dates, then the words of a permanent deadline,
 * then a small grammar of calendar periods that must cover the whole
 * text (prefix, period, year words), and whatever is left is an event.
 * Requiring the grammar to cover the whole text is what keeps «в период
 * проведения ВПР в 2021 году» an event rather than the year 2021.
 */
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/protocol.h"
#include "indexer/text.h"

const char *
protocol_deadline_kind_name(protocol_deadline_kind_t kind)
{
	switch (kind) {
	case DEADLINE_NONE: return "none";
	case DEADLINE_DATE: return "date";
	case DEADLINE_RANGE: return "range";
	case DEADLINE_PERMANENT: return "permanent";
	case DEADLINE_EVENT: return "event";
	}
	return "none";
}

/* ---- characters --------------------------------------------------------- */

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A letter starts at p: ASCII, or a two-byte letter (Latin-1 .. Cyrillic). */
static size_t
letter_len(const unsigned char *p, size_t avail)
{
	if (avail == 0)
		return 0;
	if ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z'))
		return 1;
	if (p[0] >= 0xc3 && p[0] <= 0xdf && avail >= 2 && (p[1] & 0xc0) == 0x80)
		return 2;
	return 0;
}

/* Quotes around a day («02», "02", “02”). */
static size_t
quote_len(const unsigned char *s, size_t n, size_t i)
{
	static const char *const q[] = { "\xc2\xab", "\xc2\xbb", "\"", "'", "\xe2\x80\x9c",
					 "\xe2\x80\x9d", "\xe2\x80\x9e", NULL };
	for (size_t k = 0; q[k]; k++) {
		size_t l = strlen(q[k]);
		if (n - i >= l && memcmp(s + i, q[k], l) == 0)
			return l;
	}
	return 0;
}

/* ---- calendar ----------------------------------------------------------- */

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int
valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static void
iso(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Digits at i: their value (capped) and count. */
static size_t
digits(const unsigned char *s, size_t n, size_t i, int *val)
{
	size_t k = 0;
	int v = 0;
	while (i + k < n && is_digit(s[i + k])) {
		if (v < 100000)
			v = v * 10 + (s[i + k] - '0');
		k++;
	}
	*val = v;
	return k;
}

/* ---- month names -------------------------------------------------------- */

enum { MF_NOM = 1, MF_GEN = 2, MF_PREP = 4, MF_ABBR = 8 };

static const struct month_form {
	const char *s;
	int month;
	int form;
} month_forms[] = {
	{ "январь", 1, MF_NOM }, { "января", 1, MF_GEN }, { "январе", 1, MF_PREP },
	{ "февраль", 2, MF_NOM }, { "февраля", 2, MF_GEN }, { "феврале", 2, MF_PREP },
	{ "март", 3, MF_NOM }, { "марта", 3, MF_GEN }, { "марте", 3, MF_PREP },
	{ "апрель", 4, MF_NOM }, { "апреля", 4, MF_GEN }, { "апреле", 4, MF_PREP },
	{ "май", 5, MF_NOM }, { "мая", 5, MF_GEN }, { "мае", 5, MF_PREP },
	{ "июнь", 6, MF_NOM }, { "июня", 6, MF_GEN }, { "июне", 6, MF_PREP },
	{ "июль", 7, MF_NOM }, { "июля", 7, MF_GEN }, { "июле", 7, MF_PREP },
	{ "август", 8, MF_NOM }, { "августа", 8, MF_GEN }, { "августе", 8, MF_PREP },
	{ "сентябрь", 9, MF_NOM }, { "сентября", 9, MF_GEN }, { "сентябре", 9, MF_PREP },
	{ "октябрь", 10, MF_NOM }, { "октября", 10, MF_GEN }, { "октябре", 10, MF_PREP },
	{ "ноябрь", 11, MF_NOM }, { "ноября", 11, MF_GEN }, { "ноябре", 11, MF_PREP },
	{ "декабрь", 12, MF_NOM }, { "декабря", 12, MF_GEN }, { "декабре", 12, MF_PREP },
	/* Abbreviations count only with their dot. */
	{ "янв", 1, MF_ABBR }, { "февр", 2, MF_ABBR }, { "фев", 2, MF_ABBR },
	{ "мар", 3, MF_ABBR }, { "апр", 4, MF_ABBR }, { "июн", 6, MF_ABBR },
	{ "июл", 7, MF_ABBR }, { "авг", 8, MF_ABBR }, { "сент", 9, MF_ABBR },
	{ "сен", 9, MF_ABBR }, { "окт", 10, MF_ABBR }, { "нояб", 11, MF_ABBR },
	{ "ноя", 11, MF_ABBR }, { "дек", 12, MF_ABBR },
	{ NULL, 0, 0 }
};

/* A month word at i in one of `forms`: its end (after an abbreviation's
 * dot), or 0. */
static size_t
match_month(const unsigned char *s, size_t n, size_t i, int forms, int *month)
{
	for (size_t k = 0; month_forms[k].s; k++) {
		const struct month_form *f = &month_forms[k];
		size_t l = strlen(f->s), e = i + l;
		if (!(f->form & forms) || n - i < l || memcmp(s + i, f->s, l) != 0)
			continue;
		if (text_word_char(s + e, n - e))
			continue;
		if (f->form == MF_ABBR) {
			if (e >= n || s[e] != '.')
				continue;
			e++;
		}
		*month = f->month;
		return e;
	}
	return 0;
}

/* ---- dates -------------------------------------------------------------- */

typedef struct dhit {
	size_t start, end;   /* end excludes year words */
	int y, m, d;
} dhit_t;

/* The date whose first character is at i (folded text), or 0. */
static int
date_at(const unsigned char *s, size_t n, size_t i, dhit_t *h)
{
	int a, b, c;
	size_t k, j, l;

	if (i > 0 && is_digit(s[i - 1]))
		return 0;
	/* yyyy-mm-dd */
	k = digits(s, n, i, &a);
	if (k == 4 && i + 10 <= n && s[i + 4] == '-' && digits(s, n, i + 5, &b) == 2 &&
	    s[i + 7] == '-' && digits(s, n, i + 8, &c) == 2 && valid_ymd(a, b, c)) {
		h->start = i;
		h->end = i + 10;
		h->y = a, h->m = b, h->d = c;
		return 1;
	}
	/* d.m.yyyy */
	if (k >= 1 && k <= 2 && i + k < n && s[i + k] == '.') {
		j = i + k + 1;
		l = digits(s, n, j, &b);
		if (l >= 1 && l <= 2 && j + l < n && s[j + l] == '.') {
			size_t yj = j + l + 1;
			if (digits(s, n, yj, &c) == 4 && valid_ymd(c, b, a)) {
				h->start = i;
				h->end = yj + 4;
				h->y = c, h->m = b, h->d = a;
				return 1;
			}
		}
	}
	/* [«]d[»] month yyyy */
	j = i;
	l = quote_len(s, n, j);
	j += l;
	k = digits(s, n, j, &a);
	if (k >= 1 && k <= 2) {
		size_t e;
		int m;
		j += k;
		j += quote_len(s, n, j);
		e = text_skip_space(s, n, j);
		if (e > j && (e = match_month(s, n, e, MF_NOM | MF_GEN | MF_ABBR, &m)) != 0) {
			size_t ys = text_skip_space(s, n, e);
			if (ys > e || s[e - 1] == '.') {
				size_t yl = digits(s, n, ys, &c);
				if (yl == 4 && valid_ymd(c, m, a)) {
					h->start = i;
					h->end = ys + 4;
					h->y = c, h->m = m, h->d = a;
					return 1;
				}
			}
		}
	}
	return 0;
}

/* The first date at or after `from`. */
static int
find_date(const unsigned char *s, size_t n, size_t from, dhit_t *h)
{
	for (size_t i = from; i < n; i++) {
		if (!is_digit(s[i]) && !quote_len(s, n, i))
			continue;
		if (date_at(s, n, i, h)) {
			/* A digit right after the year: a longer number, not a date. */
			if (h->end < n && is_digit(s[h->end]))
				continue;
			return 1;
		}
	}
	return 0;
}

/* "г.", "г", "года", "год" after a year (white space allowed before). */
static size_t
year_word_end(const unsigned char *s, size_t n, size_t i)
{
	size_t j = text_skip_space(s, n, i);
	static const char *const w[] = { "года", "году", "год", "гг", "г", NULL };
	for (size_t k = 0; w[k]; k++) {
		size_t l = strlen(w[k]);
		if (n - j >= l && memcmp(s + j, w[k], l) == 0 && !text_word_char(s + j + l, n - j - l)) {
			j += l;
			if (j < n && s[j] == '.' && (k >= 3))
				j++;
			return j;
		}
	}
	return i;
}

long
protocol_parse_date(const char *text, char iso_out[11])
{
	size_t n;
	char *f;
	dhit_t h;
	long r = -1;

	if (iso_out)
		iso_out[0] = '\0';
	if (!text)
		return -1;
	n = strlen(text);
	f = xmalloc(n + 1);
	text_fold(text, n, f);
	if (find_date((const unsigned char *)f, n, 0, &h)) {
		if (iso_out)
			iso(iso_out, h.y, h.m, h.d);
		r = (long)year_word_end((const unsigned char *)f, n, h.end);
	}
	free(f);
	return r;
}

/* ---- deadline text ------------------------------------------------------ */

/*
 * The deadline as stored: white space collapsed, trimmed, a leading
 * «Срок:» dropped, final '.', ',' and ';' dropped — but not the dot of an
 * abbreviation («г.», «гг.», «уч.», «т.д.»).
 */
static char *
clean_text(const char *text)
{
	strbuf_t sb = STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = text_skip_space(s, n, 0);
	int pending = 0;

	while (i < n) {
		size_t k = text_space_at(s, n, i);
		if (k) {
			pending = 1;
			i += k;
			continue;
		}
		if (pending)
			strbuf_addch(&sb, ' ');
		pending = 0;
		strbuf_addch(&sb, (char)s[i]);
		i++;
	}
	/* A leading "Срок:" / "Срок исполнения –" the caller left in. */
	{
		char *f = xmalloc(sb.len + 1);
		size_t j = 0;
		text_fold(sb.buf, sb.len, f);
		f[sb.len] = '\0';
		if (strncmp(f, "срок", 8) == 0) {
			j = 8;
			if (strncmp(f + j, "и", 2) == 0)
				j += 2;
			if (strncmp(f + j, " исполнения", 21) == 0)
				j += 21;
			while (j < sb.len && f[j] == ' ')
				j++;
			if (f[j] == ':' || f[j] == '-')
				j++;
			else if (!strncmp(f + j, "\xe2\x80\x93", 3) || !strncmp(f + j, "\xe2\x80\x94", 3))
				j += 3;
			else
				j = 0;
			while (j && j < sb.len && f[j] == ' ')
				j++;
		}
		free(f);
		if (j) {
			memmove(sb.buf, sb.buf + j, sb.len - j);
			strbuf_setlen(&sb, sb.len - j);
		}
	}
	while (sb.len > 0) {
		char c = sb.buf[sb.len - 1];
		if (c == ',' || c == ';' || c == ' ') {
			strbuf_setlen(&sb, sb.len - 1);
			continue;
		}
		if (c == '.') {
			/* Keep the dot of a short lower-case abbreviation. */
			static const char *const abbr[] = { "г", "гг", "уч", "д", "п", "ч", NULL };
			size_t w = sb.len - 1, k;
			while (w > 0 && (((unsigned char)sb.buf[w - 1] & 0x80) ||
					 (sb.buf[w - 1] >= 'a' && sb.buf[w - 1] <= 'z')))
				w--;
			for (k = 0; abbr[k]; k++)
				if (strlen(abbr[k]) == sb.len - 1 - w &&
				    memcmp(sb.buf + w, abbr[k], sb.len - 1 - w) == 0)
					break;
			if (abbr[k])
				break;
			strbuf_setlen(&sb, sb.len - 1);
			continue;
		}
		break;
	}
	return strbuf_detach(&sb, NULL);
}

/* ---- tokens ------------------------------------------------------------- */

enum tok_type { T_WORD, T_NUM, T_DASH, T_SLASH, T_DOT, T_COMMA, T_OTHER };

typedef struct tok {
	enum tok_type type;
	int num;         /* T_NUM: value (capped) */
	int ndig;        /* T_NUM: digit count */
	char w[48];      /* T_WORD: folded, truncated */
} tok_t;

#define MAX_TOKS 48

/* Tokenise folded text; returns the count, or -1 when there are too many. */
static int
tokenize(const unsigned char *s, size_t n, tok_t *t)
{
	size_t i = 0;
	int nt = 0;

	while (i < n) {
		size_t k = text_space_at(s, n, i);
		tok_t *x;
		if (k) {
			i += k;
			continue;
		}
		if (nt == MAX_TOKS)
			return -1;
		x = &t[nt++];
		memset(x, 0, sizeof(*x));
		if (is_digit(s[i])) {
			size_t d = digits(s, n, i, &x->num);
			x->type = T_NUM;
			x->ndig = (int)d;
			i += d;
		} else if ((k = letter_len(s + i, n - i)) != 0) {
			size_t wl = 0;
			x->type = T_WORD;
			while ((k = letter_len(s + i, n - i)) != 0) {
				if (wl + k < sizeof(x->w)) {
					memcpy(x->w + wl, s + i, k);
					wl += k;
				}
				i += k;
			}
			x->w[wl] = '\0';
		} else if (s[i] == '-') {
			x->type = T_DASH;
			i++;
		} else if (n - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 && s[i + 2] >= 0x90 &&
			   s[i + 2] <= 0x95) {
			x->type = T_DASH;  /* ‐ ‑ ‒ – — ― */
			i += 3;
		} else if (s[i] == '/') {
			x->type = T_SLASH;
			i++;
		} else if (s[i] == '.') {
			x->type = T_DOT;
			i++;
		} else if (s[i] == ',' || s[i] == ';') {
			x->type = T_COMMA;
			i++;
		} else {
			x->type = T_OTHER;
			i++;
			while (i < n && (s[i] & 0xc0) == 0x80)
				i++;
		}
	}
	return nt;
}

static int
is_w(const tok_t *t, const char *w)
{
	return t->type == T_WORD && strcmp(t->w, w) == 0;
}

static int
has_prefix(const tok_t *t, const char *p)
{
	return t->type == T_WORD && strncmp(t->w, p, strlen(p)) == 0;
}

static int
is_year(const tok_t *t)
{
	return t->type == T_NUM && t->ndig == 4 && t->num >= 1900 && t->num <= 2099;
}

/* ---- the period grammar ------------------------------------------------- */

typedef struct ctx {
	const tok_t *t;
	int nt, i;
	int my, mm, md;  /* meeting date; my == 0 when unknown */
} ctx_t;

typedef struct period {
	int y1, m1, d1, y2, m2, d2;  /* y1 == 0: the year is unknown */
	int day;                     /* a single day */
} period_t;

static const tok_t *
peek(const ctx_t *c, int k)
{
	return c->i + k < c->nt ? &c->t[c->i + k] : NULL;
}

/* Optional year words after a year: г., гг., год, года, году, годы. */
static void
skip_year_words(ctx_t *c)
{
	const tok_t *t = peek(c, 0);
	if (t && (is_w(t, "г") || is_w(t, "гг") || has_prefix(t, "год"))) {
		c->i++;
		t = peek(c, 0);
		if (t && t->type == T_DOT)
			c->i++;
	}
}

/* A year token (four digits), with its words.  Returns the year or 0. */
static int
opt_year(ctx_t *c)
{
	const tok_t *t = peek(c, 0);
	if (t && is_year(t)) {
		c->i++;
		skip_year_words(c);
		return t->num;
	}
	return 0;
}

static int
is_dash(const tok_t *t)
{
	return t && t->type == T_DASH;
}

static void
set_month(period_t *p, int y, int m)
{
	p->y1 = p->y2 = y;
	p->m1 = p->m2 = m;
	p->d1 = 1;
	p->d2 = y ? days_in_month(y, m) : 1;
}

/* Resolve a missing year from the meeting: a period that starts before
 * the meeting's `unit` (month index) is next year's. */
static int
year_for(const ctx_t *c, int month_start)
{
	if (!c->my)
		return 0;
	return month_start < c->mm ? c->my + 1 : c->my;
}

/* Quarter or half-year number: "IV", "4", "4-й", "четвёртый" ... */
static int
ordinal(ctx_t *c, int max)
{
	static const char *const roman[] = { "i", "ii", "iii", "iv" };
	static const char *const words[] = { "перв", "втор", "трет", "четверт" };
	const tok_t *t = peek(c, 0);
	int v = 0;
	if (!t)
		return 0;
	if (t->type == T_NUM && t->ndig == 1 && t->num >= 1 && t->num <= max) {
		v = t->num;
		c->i++;
		/* "1-й", "1-е", "1-го", "1-м" */
		if (is_dash(peek(c, 0)) && peek(c, 1) && peek(c, 1)->type == T_WORD &&
		    strlen(peek(c, 1)->w) <= 4)
			c->i += 2;
		return v;
	}
	for (int k = 0; k < max; k++) {
		if (is_w(t, roman[k]) || has_prefix(t, words[k])) {
			c->i++;
			if (is_dash(peek(c, 0)) && peek(c, 1) && peek(c, 1)->type == T_WORD &&
			    strlen(peek(c, 1)->w) <= 4)
				c->i += 2;
			return k + 1;
		}
	}
	return 0;
}

/* The meeting's school year start (June-August look ahead to September). */
static int
school_year(const ctx_t *c)
{
	if (!c->my)
		return 0;
	return c->mm >= 6 ? c->my : c->my - 1;
}

static void
set_school(period_t *p, int y)
{
	p->y1 = y;
	p->m1 = 9;
	p->d1 = 1;
	p->y2 = y ? y + 1 : 0;
	p->m2 = 8;
	p->d2 = 31;
}

/* "учебного года", "уч. г.", "уч.год": returns 1 and consumes it. */
static int
school_words(ctx_t *c)
{
	const tok_t *t = peek(c, 0);
	if (!t)
		return 0;
	if (has_prefix(t, "учебн") || is_w(t, "уч")) {
		c->i++;
		if (peek(c, 0) && peek(c, 0)->type == T_DOT)
			c->i++;
		skip_year_words(c);
		return 1;
	}
	return 0;
}

static int
body(ctx_t *c, period_t *p, int end_mode)
{
	const tok_t *t = peek(c, 0);
	int m, m2, y, y2, q;
	size_t e;

	if (!t)
		return 0;
	memset(p, 0, sizeof(*p));

	/* d month [yyyy] */
	if (t->type == T_NUM && t->ndig <= 2 && t->num >= 1 && t->num <= 31 && peek(c, 1) &&
	    peek(c, 1)->type == T_WORD) {
		const tok_t *w = peek(c, 1);
		e = match_month((const unsigned char *)w->w, strlen(w->w), 0, MF_GEN | MF_NOM, &m);
		if (e == strlen(w->w)) {
			int d = t->num;
			c->i += 2;
			y = opt_year(c);
			if (!y && c->my)
				y = (m < c->mm || (m == c->mm && d < c->md)) ? c->my + 1 : c->my;
			if (y && !valid_ymd(y, m, d))
				return 0;
			if (!y && d > days_in_month(2000, m))
				return 0;
			p->y1 = p->y2 = y;
			p->m1 = p->m2 = m;
			p->d1 = p->d2 = d;
			p->day = 1;
			return 1;
		}
	}
	/* d.m (no year; with one, find_date took it) */
	if (t->type == T_NUM && t->ndig <= 2 && peek(c, 1) && peek(c, 1)->type == T_DOT && peek(c, 2) &&
	    peek(c, 2)->type == T_NUM && peek(c, 2)->ndig <= 2) {
		int d = t->num;
		m = peek(c, 2)->num;
		c->i += 3;
		if (peek(c, 0) && peek(c, 0)->type == T_DOT)
			c->i++;
		if (m < 1 || m > 12 || d < 1 || d > days_in_month(2000, m))
			return 0;
		y = c->my ? ((m < c->mm || (m == c->mm && d < c->md)) ? c->my + 1 : c->my) : 0;
		if (y && !valid_ymd(y, m, d))
			return 0;
		p->y1 = p->y2 = y;
		p->m1 = p->m2 = m;
		p->d1 = p->d2 = d;
		p->day = 1;
		return 1;
	}
	/* month [yyyy] [- month [yyyy]] */
	if (t->type == T_WORD &&
	    (e = match_month((const unsigned char *)t->w, strlen(t->w), 0, MF_NOM | MF_GEN | MF_PREP, &m)) ==
		    strlen(t->w)) {
		c->i++;
		y = opt_year(c);
		if (is_dash(peek(c, 0)) && peek(c, 1) && peek(c, 1)->type == T_WORD &&
		    match_month((const unsigned char *)peek(c, 1)->w, strlen(peek(c, 1)->w), 0,
				MF_NOM | MF_GEN | MF_PREP, &m2) == strlen(peek(c, 1)->w)) {
			c->i += 2;
			y2 = opt_year(c);
			if (!y && y2)
				y = m > m2 ? y2 - 1 : y2;
			if (!y)
				y = year_for(c, m);
			if (!y2 && y)
				y2 = m2 < m ? y + 1 : y;
			if (y && y2 && y2 * 12 + m2 < y * 12 + m)
				return 0;
			set_month(p, y, m);
			p->y2 = y2;
			p->m2 = m2;
			p->d2 = y2 ? days_in_month(y2, m2) : 1;
			return 1;
		}
		if (!y)
			y = year_for(c, m);
		set_month(p, y, m);
		return 1;
	}
	/* quarter / half-year */
	{
		int save = c->i;
		q = ordinal(c, 4);
		t = peek(c, 0);
		if (q && t && has_prefix(t, "квартал")) {
			c->i++;
			y = opt_year(c);
			if (!y)
				y = year_for(c, (q - 1) * 3 + 3);
			p->y1 = p->y2 = y;
			p->m1 = (q - 1) * 3 + 1;
			p->d1 = 1;
			p->m2 = q * 3;
			p->d2 = days_in_month(2001, q * 3);
			return 1;
		}
		if (q && q <= 2 && t && has_prefix(t, "полугоди")) {
			c->i++;
			y = opt_year(c);
			if (!y)
				y = year_for(c, q * 6);
			p->y1 = p->y2 = y;
			p->m1 = q == 1 ? 1 : 7;
			p->d1 = 1;
			p->m2 = q == 1 ? 6 : 12;
			p->d2 = q == 1 ? 30 : 31;
			return 1;
		}
		c->i = save;
		t = peek(c, 0);
	}
	/* yyyy [-/ yyyy] [учебного года | годы] */
	if (is_year(t)) {
		y = t->num;
		c->i++;
		if ((is_dash(peek(c, 0)) || (peek(c, 0) && peek(c, 0)->type == T_SLASH)) && peek(c, 1) &&
		    peek(c, 1)->type == T_NUM && (peek(c, 1)->ndig == 4 || peek(c, 1)->ndig == 2)) {
			int calendar = 0;
			y2 = peek(c, 1)->num;
			if (peek(c, 1)->ndig == 2)
				y2 += y / 100 * 100;
			if (y2 < y || y2 > 2099)
				return 0;
			c->i += 2;
			if (school_words(c)) {
				if (y2 != y + 1)
					return 0;
				set_school(p, y);
				return 1;
			}
			t = peek(c, 0);
			if (t && (is_w(t, "гг") || is_w(t, "годы") || is_w(t, "годов") || is_w(t, "годах")))
				calendar = 1;
			skip_year_words(c);
			if (!calendar && y2 == y + 1) {
				set_school(p, y);
				return 1;
			}
			p->y1 = y, p->m1 = 1, p->d1 = 1;
			p->y2 = y2, p->m2 = 12, p->d2 = 31;
			return 1;
		}
		skip_year_words(c);
		p->y1 = p->y2 = y;
		p->m1 = 1, p->d1 = 1, p->m2 = 12, p->d2 = 31;
		return 1;
	}
	/* [текущего] учебного года / текущего года / ... */
	{
		int current = 0;
		if (has_prefix(t, "текущ") || has_prefix(t, "нынешн") || has_prefix(t, "этого") ||
		    has_prefix(t, "этом")) {
			current = 1;
			c->i++;
			t = peek(c, 0);
			if (!t)
				return 0;
		}
		if (school_words(c)) {
			set_school(p, school_year(c));
			return 1;
		}
		if (!current && !end_mode)
			return 0;
		if (has_prefix(t, "год")) {
			c->i++;
			p->y1 = p->y2 = c->my;
			p->m1 = 1, p->d1 = 1, p->m2 = 12, p->d2 = 31;
			return 1;
		}
		if (has_prefix(t, "месяц")) {
			c->i++;
			set_month(p, c->my, c->my ? c->mm : 1);
			return 1;
		}
		if (has_prefix(t, "квартал")) {
			c->i++;
			q = c->my ? (c->mm - 1) / 3 + 1 : 1;
			p->y1 = p->y2 = c->my;
			p->m1 = (q - 1) * 3 + 1, p->d1 = 1;
			p->m2 = q * 3, p->d2 = days_in_month(2001, q * 3);
			return 1;
		}
		if (has_prefix(t, "полугоди")) {
			c->i++;
			q = c->my && c->mm > 6 ? 2 : 1;
			p->y1 = p->y2 = c->my;
			p->m1 = q == 1 ? 1 : 7, p->d1 = 1;
			p->m2 = q == 1 ? 6 : 12, p->d2 = q == 1 ? 30 : 31;
			return 1;
		}
	}
	return 0;
}

enum { MODE_RANGE, MODE_START, MODE_END };

/* The whole text as a calendar period.  Returns 1 and fills *out. */
static int
grammar(ctx_t *c, protocol_deadline_t *out)
{
	int mode = MODE_RANGE;
	const tok_t *t;
	period_t p;

	/* Leading punctuation. */
	while ((t = peek(c, 0)) && t->type != T_WORD && t->type != T_NUM)
		c->i++;
	t = peek(c, 0);
	if (!t)
		return 0;
	if (is_w(t, "в") && peek(c, 1) && is_w(peek(c, 1), "срок"))
		c->i += 2;
	else if (is_w(t, "срок") || is_w(t, "сроки"))
		c->i++;
	t = peek(c, 0);
	if (!t)
		return 0;
	if (is_w(t, "в") && peek(c, 1) && (is_w(peek(c, 1), "течение") || is_w(peek(c, 1), "течении"))) {
		c->i += 2;
		if (peek(c, 0) && is_w(peek(c, 0), "всего"))
			c->i++;
	} else if ((is_w(t, "до") || is_w(t, "к")) && peek(c, 1) &&
		   (is_w(peek(c, 1), "конца") || is_w(peek(c, 1), "концу") ||
		    is_w(peek(c, 1), "окончания") || is_w(peek(c, 1), "окончанию"))) {
		c->i += 2;
		mode = MODE_END;
	} else if (is_w(t, "не") && peek(c, 1) && (is_w(peek(c, 1), "позднее") || is_w(peek(c, 1), "позже"))) {
		c->i += 2;
		mode = MODE_END;
	} else if (is_w(t, "до") || is_w(t, "к")) {
		c->i++;
		mode = MODE_START;
	} else if (is_w(t, "по")) {
		c->i++;
		mode = MODE_END;
	} else if (is_w(t, "в") || is_w(t, "во") || is_w(t, "на") || is_w(t, "за")) {
		c->i++;
	}
	if (!body(c, &p, mode == MODE_END))
		return 0;
	/* Only closing words and punctuation may follow. */
	while ((t = peek(c, 0))) {
		if (t->type == T_DOT || t->type == T_COMMA || t->type == T_OTHER || is_w(t, "включительно"))
			c->i++;
		else
			return 0;
	}
	if (p.day) {
		out->kind = DEADLINE_DATE;
		if (p.y1) {
			iso(out->from, p.y1, p.m1, p.d1);
			memcpy(out->to, out->from, 11);
		}
		return 1;
	}
	if (mode == MODE_RANGE) {
		out->kind = DEADLINE_RANGE;
		if (p.y1 && p.y2) {
			iso(out->from, p.y1, p.m1, p.d1);
			iso(out->to, p.y2, p.m2, p.d2);
		}
		return 1;
	}
	out->kind = DEADLINE_DATE;
	if (mode == MODE_END && p.y2) {
		iso(out->to, p.y2, p.m2, p.d2);
		memcpy(out->from, out->to, 11);
	} else if (mode == MODE_START && p.y1) {
		iso(out->from, p.y1, p.m1, p.d1);
		memcpy(out->to, out->from, 11);
	}
	return 1;
}

/* ---- classification ----------------------------------------------------- */

static int
is_permanent(const tok_t *t, int nt)
{
	static const char *const words[] = { "постоянно", "ежегодно", "ежемесячно", "ежеквартально",
					     "еженедельно", "ежедневно", "систематически", "регулярно",
					     "круглогодично", "периодически", NULL };
	int words_only[MAX_TOKS], nw = 0, numbers = 0;

	for (int i = 0; i < nt; i++) {
		for (int k = 0; words[k]; k++)
			if (is_w(&t[i], words[k]))
				return 1;
		/* "на постоянной основе", "в постоянном режиме" */
		if (has_prefix(&t[i], "постоянн") && i + 1 < nt &&
		    (has_prefix(&t[i + 1], "основ") || has_prefix(&t[i + 1], "режим")))
			return 1;
		/* "1 раз в четверть", "не реже 2 раз в год", "раз в месяц" */
		if ((is_w(&t[i], "раз") || is_w(&t[i], "раза")) && i + 1 < nt && is_w(&t[i + 1], "в"))
			return 1;
		if (t[i].type == T_WORD)
			words_only[nw++] = i;
		else if (t[i].type == T_NUM || t[i].type == T_SLASH || t[i].type == T_DASH)
			numbers = 1;
	}
	if (numbers)
		return 0;
	/* "в течение года" (no year named), "в течение всего года", "весь год" */
	if (nw == 3 && is_w(&t[words_only[0]], "в") && has_prefix(&t[words_only[1]], "течени") &&
	    is_w(&t[words_only[2]], "года"))
		return 1;
	if (nw == 4 && is_w(&t[words_only[0]], "в") && has_prefix(&t[words_only[1]], "течени") &&
	    is_w(&t[words_only[2]], "всего") && is_w(&t[words_only[3]], "года"))
		return 1;
	if (nw == 2 && is_w(&t[words_only[0]], "весь") && is_w(&t[words_only[1]], "год"))
		return 1;
	return 0;
}

/* An event's bounds: the year (or school year) the text names, if one. */
static void
event_bounds(const tok_t *t, int nt, protocol_deadline_t *out)
{
	int y = 0, y2 = 0, school = 0;
	/* A malformed date ("31.02.2022") makes the year it names doubtful. */
	for (int i = 0; i + 4 < nt; i++)
		if (t[i].type == T_NUM && t[i + 1].type == T_DOT && t[i + 2].type == T_NUM &&
		    t[i + 3].type == T_DOT && t[i + 4].type == T_NUM)
			return;
	for (int i = 0; i < nt; i++) {
		if (!is_year(&t[i]))
			continue;
		if (i + 2 < nt && (t[i + 1].type == T_DASH || t[i + 1].type == T_SLASH) &&
		    t[i + 2].type == T_NUM && (t[i + 2].ndig == 4 || t[i + 2].ndig == 2)) {
			int b = t[i + 2].ndig == 2 ? t[i].num / 100 * 100 + t[i + 2].num : t[i + 2].num;
			if (b < t[i].num || b > 2099)
				return;
			if (y && (y != t[i].num || y2 != b))
				return;
			y = t[i].num;
			y2 = b;
			if (i + 3 < nt && (has_prefix(&t[i + 3], "учебн") || is_w(&t[i + 3], "уч")))
				school = 1;
			i += 2;
			continue;
		}
		if (y && (y != t[i].num || y2 != t[i].num))
			return;  /* several years: no bounds */
		y = y2 = t[i].num;
	}
	if (!y)
		return;
	if (school && y2 == y + 1) {
		iso(out->from, y, 9, 1);
		iso(out->to, y2, 8, 31);
	} else {
		iso(out->from, y, 1, 1);
		iso(out->to, y2, 12, 31);
	}
}

static int
parse_iso(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) < 10)
		return 0;
	for (int k = 0; k < 10; k++) {
		if (k == 4 || k == 7) {
			if (s[k] != '-')
				return 0;
		} else if (!is_digit((unsigned char)s[k])) {
			return 0;
		}
	}
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	return valid_ymd(*y, *m, *d);
}

/* Only white space, dashes, «с»/«по»/«до» between two dates: a range. */
static int
joins_range(const unsigned char *s, size_t a, size_t b)
{
	tok_t t[MAX_TOKS];
	int nt = tokenize(s + a, b - a, t);
	if (nt == 1 && t[0].type == T_DASH)
		return 1;
	if (nt == 1 && (is_w(&t[0], "по") || is_w(&t[0], "до")))
		return 1;
	return 0;
}

void
protocol_parse_deadline(const char *text, const char *meeting_date, protocol_deadline_t *out)
{
	char *clean, *f;
	const unsigned char *s;
	size_t n;
	tok_t t[MAX_TOKS];
	int nt;
	dhit_t h1, h2;
	ctx_t c;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	clean = clean_text(text ? text : "");
	out->text = clean;
	n = strlen(clean);
	if (n == 0) {
		out->kind = DEADLINE_NONE;
		return;
	}
	f = xmalloc(n + 1);
	text_fold(clean, n, f);
	f[n] = '\0';
	s = (const unsigned char *)f;

	memset(&c, 0, sizeof(c));
	if (!parse_iso(meeting_date, &c.my, &c.mm, &c.md))
		c.my = c.mm = c.md = 0;

	/* 1. Dates written in full. */
	if (find_date(s, n, 0, &h1)) {
		out->kind = DEADLINE_DATE;
		iso(out->from, h1.y, h1.m, h1.d);
		memcpy(out->to, out->from, 11);
		if (find_date(s, n, year_word_end(s, n, h1.end), &h2) &&
		    joins_range(s, year_word_end(s, n, h1.end), h2.start) &&
		    h2.y * 10000 + h2.m * 100 + h2.d > h1.y * 10000 + h1.m * 100 + h1.d) {
			out->kind = DEADLINE_RANGE;
			iso(out->to, h2.y, h2.m, h2.d);
		}
		goto done;
	}
	nt = tokenize(s, n, t);
	if (nt < 0) {
		/* Too long to be a calendar period: an event, without bounds. */
		out->kind = DEADLINE_EVENT;
		goto done;
	}
	/* 2. Permanent. */
	if (is_permanent(t, nt)) {
		out->kind = DEADLINE_PERMANENT;
		goto done;
	}
	/* 3. A calendar period, the whole text. */
	c.t = t;
	c.nt = nt;
	c.i = 0;
	if (grammar(&c, out))
		goto done;
	out->from[0] = out->to[0] = '\0';
	/* 4. Anything else is an event. */
	out->kind = DEADLINE_EVENT;
	event_bounds(t, nt, out);
done:
	free(f);
}
