/*
 * The protocol parser.  The rules it follows are written out, with the
 * reasons for them, in tests/expected/README.md; this file implements them
 * in three passes over the cleaned paragraphs ("lines"):
 *
 *   1. regions: where the header, the attendee list, the agenda and the
 *      body start (by their headings and markers);
 *   2. header fields: kind, number, date, place, municipality, chair,
 *      secretary, attendees;
 *   3. body: a small state machine that walks discussion markers and
 *      decision blocks, assigning responsible parties, parents, deadlines
 *      and agenda items.
 *
 * Matching is done on UTF-8 directly with a few helpers for the Russian
 * alphabet: protocols are short, the patterns few, and hand-written
 * matchers keep the parser fast and free of locale state.
 */
#include "indexer/protocol.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* ---- UTF-8 and the Russian alphabet ------------------------------------- */

static uint32_t
u8_next(const char *s, size_t len, size_t *adv)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len == 0) {
		*adv = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*adv = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0 && len >= 2 && (p[1] & 0xc0) == 0x80) {
		*adv = 2;
		return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0 && len >= 3 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		*adv = 3;
		return ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) |
		       (p[2] & 0x3f);
	}
	if ((p[0] & 0xf8) == 0xf0 && len >= 4) {
		*adv = 4;
		return 0xfffd;
	}
	*adv = 1;
	return 0xfffd;
}

static int
is_upper(uint32_t c)
{
	return (c >= 0x410 && c <= 0x42f) || c == 0x401 || (c >= 'A' && c <= 'Z');
}

static int
is_lower(uint32_t c)
{
	return (c >= 0x430 && c <= 0x44f) || c == 0x451 || (c >= 'a' && c <= 'z');
}

static int
is_letter(uint32_t c)
{
	return is_upper(c) || is_lower(c);
}

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* Lower case, with ё folded to е: the form every comparison uses. */
static uint32_t
fold(uint32_t c)
{
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if (c == 0x401 || c == 0x451)
		return 0x435;
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	return c;
}

/*
 * If `s` starts with `lit` (lower-case, е for ё) ignoring case and ё,
 * return the bytes of `s` matched, else 0.
 */
static size_t
ci_prefix(const char *s, size_t len, const char *lit)
{
	size_t i = 0, j = 0;
	while (lit[j]) {
		size_t a1, a2;
		uint32_t c1, c2;
		if (i >= len)
			return 0;
		/* the literal is NUL-terminated: 4 bytes are always enough */
		c2 = u8_next(lit + j, 4, &a2);
		c1 = u8_next(s + i, len - i, &a1);
		if (c1 != c2 && fold(c1) != fold(c2))
			return 0;
		i += a1;
		j += a2;
	}
	return i;
}

/* Like ci_prefix, but the match must end at a word boundary. */
static size_t
ci_word(const char *s, size_t len, const char *lit)
{
	size_t n = ci_prefix(s, len, lit), a;
	if (n && n < len && is_letter(u8_next(s + n, len - n, &a)))
		return 0;
	return n;
}

/* Find `lit` anywhere (case-insensitively); offset or -1. */
static long
ci_find(const char *s, size_t len, const char *lit)
{
	size_t i, a, la;
	uint32_t first = fold(u8_next(lit, 4, &la));
	for (i = 0; i < len; i += a) {
		uint32_t c = u8_next(s + i, len - i, &a);
		if ((c == first || fold(c) == first) && ci_prefix(s + i, len - i, lit))
			return (long)i;
	}
	return -1;
}

static uint32_t
first_char(const char *s, size_t len)
{
	size_t a;
	return u8_next(s, len, &a);
}

static uint32_t
last_char(const char *s, size_t len)
{
	size_t i = len, a;
	if (!len)
		return 0;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0)
		i--;
	return u8_next(s + i, len - i, &a);
}

static size_t
skip_spaces(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] == ' ')
		i++;
	return i;
}

/* ---- Lines ---------------------------------------------------------------- */

typedef struct line {
	char *text; /* cleaned: artefacts removed, white space collapsed */
	size_t len;
	/*
	 * A table row's cell: a docx table cell (cell = 1, its row and
	 * column), or a field of a plain-text line split by tabs into three
	 * or more fields, as a table reads when saved as text (cell = 2; the
	 * fields of one line share a row and count their columns from 0;
	 * `text` is still the whole line).
	 */
	int cell;
	unsigned row, col;
	char **fields;      /* cell == 2: the cleaned fields */
	size_t n_fields;
} line_t;

typedef struct lines {
	line_t *v;
	size_t n;
} lines_t;

/*
 * Word's artefacts in converted text ("[bookmark: _GoBack]", "[image:
 * image1.jpg]") are dropped; tabs, non-breaking and other spaces become
 * one space.
 */
static void
clean_text(const char *in, size_t len, strbuf_t *out)
{
	size_t i = 0, a;
	int space = 0;
	strbuf_reset(out);
	while (i < len) {
		uint32_t c;
		if (in[i] == '[' && (ci_prefix(in + i, len - i, "[bookmark:") ||
				     ci_prefix(in + i, len - i, "[image:"))) {
			const char *close = memchr(in + i, ']', len - i);
			if (close) {
				i = (size_t)(close - in) + 1;
				space = 1;
				continue;
			}
		}
		c = u8_next(in + i, len - i, &a);
		if (c == ' ' || c == '\t' || c == 0xa0 || c == 0x2007 || c == 0x202f ||
		    (c >= 0x2000 && c <= 0x200a) || c == '\r' || c == '\n') {
			space = 1;
		} else if (c == 0xad || c == 0x200b || c == 0xfeff) {
			/* soft hyphen, zero-width space, BOM: nothing */
		} else {
			if (space && out->len)
				strbuf_addch(out, ' ');
			space = 0;
			strbuf_add(out, in + i, a);
		}
		i += a;
	}
}

/* Split a plain-text paragraph at tabs into its non-empty cleaned fields
 * when it has three or more: one row of a table saved as text. */
static void
split_fields(line_t *l, const char *in, size_t len)
{
	strbuf_t sb = STRBUF_INIT;
	size_t i = 0, n = 0, tabs = 0;
	for (i = 0; i < len; i++)
		tabs += in[i] == '\t';
	if (tabs < 2)
		return;
	l->fields = xcalloc(tabs + 1, sizeof(*l->fields));
	for (i = 0; i <= len;) {
		const char *tab = memchr(in + i, '\t', len - i);
		size_t end = tab ? (size_t)(tab - in) : len;
		clean_text(in + i, end - i, &sb);
		if (sb.len)
			l->fields[n++] = xstrndup(sb.buf, sb.len);
		i = end + 1;
	}
	strbuf_release(&sb);
	if (n < 3) {
		while (n)
			free(l->fields[--n]);
		free(l->fields);
		l->fields = NULL;
		return;
	}
	l->n_fields = n;
	l->cell = 2;
}

static void
lines_build(lines_t *ls, const reader_para_t *paras, size_t n)
{
	strbuf_t sb = STRBUF_INIT;
	size_t i;
	ls->v = xcalloc(n ? n : 1, sizeof(*ls->v));
	ls->n = 0;
	for (i = 0; i < n; i++) {
		line_t *l = &ls->v[ls->n];
		clean_text(paras[i].text, paras[i].len, &sb);
		if (!sb.len)
			continue;
		l->text = xstrndup(sb.buf, sb.len);
		l->len = sb.len;
		if (paras[i].kind == READER_CELL) {
			l->cell = 1;
			l->row = paras[i].row;
			l->col = paras[i].col;
		} else {
			split_fields(l, paras[i].text, paras[i].len);
		}
		ls->n++;
	}
	strbuf_release(&sb);
}

static void
lines_release(lines_t *ls)
{
	size_t i, k;
	for (i = 0; i < ls->n; i++) {
		free(ls->v[i].text);
		for (k = 0; k < ls->v[i].n_fields; k++)
			free(ls->v[i].fields[k]);
		free(ls->v[i].fields);
	}
	free(ls->v);
}

/* ---- Names ------------------------------------------------------------------ */

/* A capitalised word: one upper-case letter, then at least two lower-case. */
static size_t
cap_word(const char *s, size_t len, size_t i)
{
	size_t a, start = i, lowers = 0;
	uint32_t c = u8_next(s + i, len - i, &a);
	if (!is_upper(c))
		return 0;
	i += a;
	while (i < len) {
		c = u8_next(s + i, len - i, &a);
		if (is_lower(c)) {
			lowers++;
			i += a;
		} else if (c == '-' && i + 1 < len && is_upper(u8_next(s + i + 1, len - i - 1, &a))) {
			/* a double surname: Петрова-Водкина */
			size_t more = cap_word(s, len, i + 1);
			if (!more)
				break;
			i += 1 + more;
		} else {
			break;
		}
	}
	return lowers >= 2 ? i - start : 0;
}

/* An initial: upper-case letter and a dot ("Н."); the dot may be missing
 * at the end of a name when `last`. */
static size_t
initial(const char *s, size_t len, size_t i, int last)
{
	size_t a;
	uint32_t c = u8_next(s + i, len - i, &a);
	if (!is_upper(c) || c < 0x400)
		return 0;
	if (i + a < len && s[i + a] == '.')
		return a + 1;
	if (last && (i + a >= len || !is_letter(u8_next(s + i + a, len - i - a, &a))))
		return a;
	return 0;
}

static const char *const patronymic_ends[] = {
	"вич", "вна", "чна", "ична", "ьич", NULL
};

static int
is_patronymic(const char *w, size_t len)
{
	const char *const *e;
	for (e = patronymic_ends; *e; e++) {
		size_t el = strlen(*e);
		if (len > el + 2 && !memcmp(w + len - el, *e, el))
			return 1;
	}
	return 0;
}

/* Append "Фамилия И.О." to out from a surname and two initials' letters. */
static void
put_name(strbuf_t *out, const char *sur, size_t sur_len, const char *i1, size_t i1_len,
	 const char *i2, size_t i2_len)
{
	strbuf_reset(out);
	strbuf_add(out, sur, sur_len);
	strbuf_addch(out, ' ');
	strbuf_add(out, i1, i1_len);
	strbuf_addch(out, '.');
	strbuf_add(out, i2, i2_len);
	strbuf_addch(out, '.');
}

/*
 * Match a person's name at s[i]: «Фамилия И.О.», «И.О. Фамилия» (spaces
 * optional) or «Фамилия Имя Отчество».  Returns the bytes matched and the
 * normal form «Фамилия И.О.» in out, or 0.
 */
static size_t
name_at(const char *s, size_t len, size_t i, strbuf_t *out)
{
	size_t w, j, a, k, w2, w3;
	/* И.О. Фамилия */
	if ((k = initial(s, len, i, 0))) {
		size_t i1 = i, i1l = k - 1, i2, i2l;
		j = skip_spaces(s, len, i + k);
		if ((k = initial(s, len, j, 0))) {
			i2 = j;
			i2l = k - 1;
			j = skip_spaces(s, len, j + k);
			if ((w = cap_word(s, len, j))) {
				put_name(out, s + j, w, s + i1, i1l, s + i2, i2l);
				return j + w - i;
			}
		}
		return 0;
	}
	w = cap_word(s, len, i);
	if (!w)
		return 0;
	j = i + w;
	if (j < len && s[j] == ' ') {
		size_t j2 = j + 1, i1 = j2;
		/* Фамилия И.О. */
		if ((k = initial(s, len, j2, 0))) {
			size_t i1l = k - 1, i2;
			j2 = skip_spaces(s, len, j2 + k);
			if ((k = initial(s, len, j2, 1))) {
				i2 = j2;
				u8_next(s + i2, len - i2, &a);
				put_name(out, s + i, w, s + i1, i1l, s + i2, a);
				return j2 + k - i;
			}
			return 0;
		}
		/* Фамилия Имя Отчество */
		if ((w2 = cap_word(s, len, j2)) && j2 + w2 < len && s[j2 + w2] == ' ' &&
		    (w3 = cap_word(s, len, j2 + w2 + 1)) &&
		    is_patronymic(s + j2 + w2 + 1, w3)) {
			size_t p = j2 + w2 + 1, l1, l2;
			u8_next(s + j2, len - j2, &l1);
			u8_next(s + p, len - p, &l2);
			put_name(out, s + i, w, s + j2, l1, s + p, l2);
			return p + w3 - i;
		}
	}
	return 0;
}

/*
 * The first (or last) name in a line, outside «quotes» and not after
 * «имени»/«им.» (a school named after someone is not an attendee).
 */
static int
find_name(const char *s, size_t len, int want_last, strbuf_t *out, size_t *at)
{
	size_t i = 0, a;
	int quote = 0, found = 0;
	strbuf_t tmp = STRBUF_INIT;
	while (i < len) {
		uint32_t c = u8_next(s + i, len - i, &a), prev;
		size_t n;
		if (c == 0xab) {
			quote++;
		} else if (c == 0xbb) {
			if (quote)
				quote--;
		} else if (!quote) {
			prev = i ? last_char(s, i) : ' ';
			if (!is_letter(prev) && prev != '.' &&
			    (n = name_at(s, len, i, &tmp)) &&
			    !(i >= 6 && (ci_find(s + (i >= 12 ? i - 12 : 0), i - (i >= 12 ? i - 12 : 0),
						 "имени ") >= 0 ||
					 ci_find(s + (i >= 4 ? i - 4 : 0), i - (i >= 4 ? i - 4 : 0),
						 "им.") >= 0))) {
				strbuf_reset(out);
				strbuf_add(out, tmp.buf, tmp.len);
				if (at)
					*at = i;
				found = 1;
				if (!want_last)
					break;
				/* «… города Урая Д.Д. Санникова»: the initials may
				 * belong to the next word, so look on from there */
				i += a;
				continue;
			}
		}
		i += a;
	}
	strbuf_release(&tmp);
	return found;
}

/* ---- Numbers ------------------------------------------------------------------ */

/* One group of an item number: 1-2 digits, or «З» standing for 3. */
static size_t
num_group(const char *s, size_t len, size_t i)
{
	size_t n = 0, a;
	while (i + n < len && is_digit((unsigned char)s[i + n]) && n < 3)
		n++;
	if (n >= 1 && n <= 2 && !(i + n < len && is_digit((unsigned char)s[i + n])))
		return n;
	if (n == 0 && u8_next(s + i, len - i, &a) == 0x417 /* З */)
		return a;
	return 0;
}

/*
 * An item number at the start of a line: "1.", "1.1.", "12.", "1. З.",
 * "1.5. 4.", "1)", "1.4 " (two groups, no final dot).  Returns the bytes
 * consumed (number, final dot and spaces) and the length of the number as
 * written without the final dot in *num_len; 0 when there is none.
 */
static size_t
item_number(const char *s, size_t len, size_t *num_len)
{
	size_t i = 0, g, groups = 0, end = 0;
	for (;;) {
		size_t after, nx, g2;
		g = num_group(s, len, i);
		if (!g || (groups == 0 && !is_digit((unsigned char)s[i])))
			break; /* «З» counts only after a digit group: "1. З." */
		i += g;
		groups++;
		end = i;
		if (i < len && s[i] == ')') {
			i++;
			break;
		}
		if (i < len && s[i] == '.') {
			after = i + 1;
			nx = after < len && s[after] == ' ' ? after + 1 : after;
			g2 = num_group(s, len, nx);
			/* another group that ends in a dot: "1.1.", "1. З.", "1.5. 4." */
			if (g2 && nx + g2 < len && (s[nx + g2] == '.' || s[nx + g2] == ')')) {
				i = nx;
				continue;
			}
			/* a last group glued to the dot: "1.4 Провести" */
			if (g2 && nx == after && is_digit((unsigned char)s[nx])) {
				i = nx;
				continue;
			}
			i = after;
			break;
		}
		if (groups >= 2 && (i >= len || s[i] == ' '))
			break;
		/* "5 Провести …": a number whose dot was lost, before a
		 * capitalised word (a count reads "5 школ", a date "5 мая") */
		if (groups == 1 && i + 1 < len && s[i] == ' ' && s[i + 1] != ' ' &&
		    is_upper(first_char(s + i + 1, len - i - 1)) && !is_digit((unsigned char)s[i + 1]))
			break;
		return 0;
	}
	if (!groups)
		return 0;
	/* A date or a number in running text is not an item number. */
	if (i < len && is_digit((unsigned char)s[i]))
		return 0;
	i = skip_spaces(s, len, i);
	if (i < len && (s[i] == '%' || s[i] == ','))
		return 0;
	*num_len = end;
	return i;
}

/* Bullet marks: - – — · • ▪ ● ◦ * */
static size_t
bullet_mark(const char *s, size_t len)
{
	size_t a;
	uint32_t c = u8_next(s, len, &a);
	if (c == '-' || c == 0x2013 || c == 0x2014 || c == 0xb7 || c == 0x2022 ||
	    c == 0x25aa || c == 0x25cf || c == 0x25e6 || c == '*') {
		if (a < len && s[a] == '-')
			return 0; /* "--" is not a bullet */
		return skip_spaces(s, len, a);
	}
	return 0;
}

/* ---- Markers -------------------------------------------------------------------- */

static int
starts_with_any(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (ci_word(s, len, *words))
			return 1;
	return 0;
}

static const char *const section_words[] = {
	"слушали", "выступили", "выступил", "выступила", "обсудили", "обсуждение", NULL
};

static const char *const ordinal_words[] = {
	"перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят", "десят",
	NULL
};

/*
 * "По первому вопросу", "По 2 вопросу", "1. По первому вопросу ...":
 * returns the question's number (1-based), or 0.
 */
static int
discussion_marker(const char *s, size_t len)
{
	size_t i = 0, nl, n;
	int k;
	if ((n = item_number(s, len, &nl)))
		i = n;
	/* "2. Слушали: …", "3. СЛУШАЛИ:": the section of item 2, 3 */
	if (i && starts_with_any(s + i, len - i, section_words)) {
		int v = 0;
		size_t k;
		for (k = 0; k < len && is_digit((unsigned char)s[k]) && v < 100; k++)
			v = v * 10 + (s[k] - '0');
		return v;
	}
	if (!(n = ci_prefix(s + i, len - i, "по ")))
		return 0;
	i = skip_spaces(s, len, i + n);
	if (i < len && is_digit((unsigned char)s[i])) {
		int v = 0;
		while (i < len && is_digit((unsigned char)s[i]) && v < 100)
			v = v * 10 + (s[i++] - '0');
		while (i < len && (s[i] == '-' || (unsigned char)s[i] >= 0x80) && s[i] != ' ')
			i++; /* "2-му" */
		i = skip_spaces(s, len, i);
		return ci_prefix(s + i, len - i, "вопрос") ? v : 0;
	}
	for (k = 0; ordinal_words[k]; k++) {
		if ((n = ci_prefix(s + i, len - i, ordinal_words[k]))) {
			size_t a;
			i += n;
			while (i < len && is_letter(u8_next(s + i, len - i, &a)))
				i += a;
			i = skip_spaces(s, len, i);
			return ci_prefix(s + i, len - i, "вопрос") ? k + 1 : 0;
		}
	}
	return 0;
}

/* "Решили:", "РЕШИЛИ", "Решение:", "Решили: текст" -> bytes to skip, or 0. */
static size_t
decision_heading(const char *s, size_t len)
{
	static const char *const words[] = { "решили", "решение", "постановили", NULL };
	const char *const *w;
	for (w = words; *w; w++) {
		size_t n = ci_word(s, len, *w);
		if (!n)
			continue;
		n = skip_spaces(s, len, n);
		if (n < len && (s[n] == ':' || s[n] == '.'))
			return skip_spaces(s, len, n + 1);
		if (n >= len)
			return n;
		/* "Решение совета ..." is a sentence, not the heading */
		return 0;
	}
	return 0;
}

static const char *const signature_words[] = {
	"председатель", "председательствующий", "секретарь", "заведующий", "заведующего",
	"заведующая", "начальник", "глава", "подпись", NULL
};

/* A speaker in the accusative opening a report: «Щелчкову Оксану
 * Александровну, которая ...». */
static int
speaker_opening(const char *s, size_t len)
{
	size_t w = cap_word(s, len, 0), w2;
	if (!w || w + 1 >= len || s[w] != ' ')
		return 0;
	if (!(w2 = cap_word(s, len, w + 1)))
		return 0;
	return ci_find(s, len > 160 ? 160 : len, "котор") >= 0 &&
	       last_char(s, w) == 0x443 /* у */;
}

/* ---- Deadlines ----------------------------------------------------------------- */

/* "Срок:", "Сроки:", "Срок исполнения:" -> bytes before the text, or 0. */
static size_t
deadline_label(const char *s, size_t len)
{
	size_t n = ci_prefix(s, len, "срок"), a;
	if (!n)
		return 0;
	while (n < len && is_letter(u8_next(s + n, len - n, &a)))
		n += a; /* Сроки, Срока */
	n = skip_spaces(s, len, n);
	if (ci_prefix(s + n, len - n, "исполнения"))
		n = skip_spaces(s, len, n + strlen("исполнения"));
	if (ci_prefix(s + n, len - n, "выполнения"))
		n = skip_spaces(s, len, n + strlen("выполнения"));
	if (n < len && (s[n] == ':' || s[n] == '-' || s[n] == '.'))
		return skip_spaces(s, len, n + 1);
	if (n + 3 <= len && !memcmp(s + n, "\xe2\x80\x93", 3)) /* – */
		return skip_spaces(s, len, n + 3);
	return 0;
}

/* ---- Responsible parties ------------------------------------------------------ */

typedef struct addressee {
	const char *dative;   /* lower-case, е for ё: matched as a prefix phrase */
	const char *normal;   /* what replaces it */
} addressee_t;

/*
 * Longest phrases first within a head word.  The rest of the heading
 * (genitive complements, names in quotes) is already in the right case.
 */
static const addressee_t addressees[] = {
	{ "муниципальному казенному общеобразовательному учреждению", "МКОУ" },
	{ "муниципальному бюджетному общеобразовательному учреждению", "МБОУ" },
	{ "муниципальному автономному общеобразовательному учреждению", "МАОУ" },
	{ "муниципальному автономному учреждению дополнительного профессионального "
	  "образования «центр развития образования»", "МАУ ДПО ЦРО" },
	{ "муниципальное автономное учреждение дополнительного профессионального "
	  "образования «центр развития образования»", "МАУ ДПО ЦРО" },
	{ "муниципальному казенному учреждению", "МКУ" },
	{ "муниципальное казенное учреждение", "МКУ" },
	{ "муниципальное бюджетное учреждение", "МБУ" },
	{ "муниципальное автономное учреждение", "МАУ" },
	{ "муниципальному бюджетному учреждению", "МБУ" },
	{ "муниципальному автономному учреждению", "МАУ" },
	{ "классным руководителям", "классные руководители" },
	{ "заместителям директоров", "заместители директоров" },
	{ "учителям-предметникам", "учителя-предметники" },
	{ "учителя-предметники", "учителя-предметники" },
	{ "педагогическим работникам", "педагогические работники" },
	{ "педагогические работники", "педагогические работники" },
	{ "методическому кабинету", "методический кабинет" },
	{ "методический кабинет", "методический кабинет" },
	{ "заместителям руководителей", "заместители руководителей" },
	{ "образовательным организациям", "образовательные организации" },
	{ "общеобразовательным организациям", "общеобразовательные организации" },
	{ "руководителям", "руководители" },
	{ "руководители", "руководители" },
	{ "руководителю", "руководитель" },
	{ "департаменту", "Департамент" },
	{ "департамент", "Департамент" },
	{ "управлению", "Управление" },
	{ "управление", "Управление" },
	{ "отделу", "Отдел" },
	{ "отдел", "Отдел" },
	{ "комитету", "Комитет" },
	{ "комитет", "Комитет" },
	{ "центру", "Центр" },
	{ "администрации", "Администрация" },
	{ "администрация", "Администрация" },
	{ "заместителям", "заместители" },
	{ "заместители", "заместители" },
	{ "директорам", "директора" },
	{ "директора", "директора" },
	{ "заместителю", "заместитель" },
	{ "учителям", "учителя" },
	{ "учителя", "учителя" },
	{ "педагогам", "педагоги" },
	{ "методистам", "методисты" },
	{ "специалистам", "специалисты" },
	{ "ответственным", "ответственные" },
	{ "школам", "школы" },
	{ "председателям", "председатели" },
	{ NULL, NULL }
};

/* Abbreviations that address a body directly ("МАУ ДПО ЦРО:"). */
static const char *const addressee_abbrevs[] = {
	"мку", "мбу", "мау", "мбоу", "маоу", "мкоу", "мбдоу", "мадоу", "гбу", "гау", "цро",
	"цоко", "рмо", "шмо", "гмо", "ммо", "мо", "оо", "ноко", NULL
};

static const addressee_t *
addressee_at(const char *s, size_t len, size_t *n)
{
	const addressee_t *a;
	for (a = addressees; a->dative; a++)
		if ((*n = ci_word(s, len, a->dative)))
			return a;
	return NULL;
}

static int
abbrev_at(const char *s, size_t len)
{
	const char *const *w;
	size_t a;
	/* an abbreviation is written in capitals */
	if (!is_upper(first_char(s, len)) || len < 2 ||
	    !is_upper(u8_next(s + 2, len - 2, &a)))
		return 0;
	for (w = addressee_abbrevs; *w; w++)
		if (ci_word(s, len, *w))
			return 1;
	return 0;
}

/*
 * A first word in the dative that can only address someone: plural
 * «…ам/…ям» (Педагогам, Кураторам), adjectives «…ому/…ему» (Ведущему,
 * Главному), and nouns in «…у/…ю» (Методисту, Заместителю), which must be
 * capitalised and not be an accusative («Информацию», «Следующую»).
 */
static int
dative_word(const char *s, size_t len)
{
	size_t i = 0, a, end;
	uint32_t c = u8_next(s, len, &a), l1 = 0, l2 = 0;
	if (!is_upper(c) || c < 0x400)
		return 0;
	while (i < len) {
		c = u8_next(s + i, len - i, &a);
		if (!is_letter(c) && c != '-')
			break;
		l2 = l1;
		l1 = fold(c);
		i += a;
	}
	end = i;
	if (end < 8) /* four letters at least */
		return 0;
	if ((l2 == 0x430 || l2 == 0x44f) && l1 == 0x43c) /* ам, ям */
		return 1;
	if (l1 == 0x443 && l2 != 0x44e) /* у, not юу */
		return l2 != 0x443;
	if (l1 == 0x44e) /* ю, not ию, ую, юю */
		return l2 != 0x438 && l2 != 0x443 && l2 != 0x44e;
	return 0;
}

/* A surname in the dative put back in the nominative: Смородиной ->
 * Смородина, Покровской -> Покровская, Харитонову -> Харитонов,
 * Толстому -> Толстой, Гоголю -> Гоголь; others as written. */
static void
surname_nominative(const char *w, size_t len, strbuf_t *out)
{
#define ENDS(lit) (len > strlen(lit) + 2 && !memcmp(w + len - strlen(lit), lit, strlen(lit)))
	if (ENDS("ской") || ENDS("цкой")) {
		strbuf_add(out, w, len - 4);
		strbuf_adds(out, "ая");
	} else if (ENDS("ой")) {
		strbuf_add(out, w, len - 4);
		strbuf_adds(out, "а");
	} else if (ENDS("скому") || ENDS("цкому")) {
		strbuf_add(out, w, len - 6);
		strbuf_adds(out, "ий");
	} else if (ENDS("ому")) {
		strbuf_add(out, w, len - 6);
		strbuf_adds(out, "ой");
	} else if (ENDS("у")) {
		strbuf_add(out, w, len - 2);
	} else if (ENDS("ю")) {
		size_t a;
		uint32_t prev = len >= 4 ? u8_next(w + len - 4, 2, &a) : 0;
		strbuf_add(out, w, len - 2);
		strbuf_adds(out, (prev == 0x430 || prev == 0x435 || prev == 0x43e || prev == 0x443)
					 ? "й" : "ь");
	} else {
		strbuf_add(out, w, len);
	}
#undef ENDS
}

/*
 * A party that is a person named by role and name, the name last
 * («Ведущему специалисту отдела Смородиной П.А.», «Иванова И.И.»): the
 * name «Фамилия И.О.» in the nominative to `out`.
 */
static int
person_party(const char *s, size_t len, strbuf_t *out)
{
	strbuf_t name = STRBUF_INIT;
	size_t at, n, end, sur;
	int ok = 0;
	while (len && (s[len - 1] == '.' || s[len - 1] == ' ' || s[len - 1] == ','))
		len--;
	if (len && find_name(s, len, 1, &name, &at) && (n = name_at(s, len, at, &name)) &&
	    at + n >= len) {
		/* the surname is what precedes " И.О." in the normal form */
		end = name.len;
		sur = (size_t)((const char *)memchr(name.buf, ' ', end) - name.buf);
		surname_nominative(name.buf, sur, out);
		strbuf_add(out, name.buf + sur, end - sur);
		ok = 1;
	}
	strbuf_release(&name);
	return ok;
}

/* The members that make "руководители ОО": ОО, ОУ, МОУ and their spelled-out
 * forms, or nothing at all. */
static int
is_school_heads_rest(const char *s, size_t len)
{
	static const char *const rests[] = {
		"оо", "оу", "моу", "образовательных организаций", "образовательных учреждений",
		"общеобразовательных организаций", "общеобразовательных учреждений",
		"школ", NULL
	};
	const char *const *r;
	if (len == 0)
		return 1;
	for (r = rests; *r; r++)
		if (ci_prefix(s, len, *r) == len)
			return 1;
	return 0;
}

/* Normalise one party ("Руководителям ОУ", "МАУ ДПО ЦРО (К.Д. Ласточкина)"). */
static void
normalise_party(const char *s, size_t len, strbuf_t *out)
{
	strbuf_t clean = STRBUF_INIT;
	const addressee_t *a;
	size_t i, n = 0;
	int depth = 0;
	/* drop bracketed names, collapse spaces */
	for (i = 0; i < len; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth)
			depth--;
		else if (!depth)
			strbuf_addch(&clean, s[i]);
	}
	{
		strbuf_t tmp = STRBUF_INIT;
		clean_text(clean.buf, clean.len, &tmp);
		strbuf_reset(&clean);
		strbuf_add(&clean, tmp.buf, tmp.len);
		strbuf_release(&tmp);
	}
	while (clean.len && (clean.buf[clean.len - 1] == ':' || clean.buf[clean.len - 1] == ',' ||
			     clean.buf[clean.len - 1] == ' '))
		strbuf_setlen(&clean, clean.len - 1);
	a = addressee_at(clean.buf, clean.len, &n);
	if (person_party(clean.buf, clean.len, out)) {
		/* a person addressed by role and name: the name */
	} else if (a) {
		size_t rest = skip_spaces(clean.buf, clean.len, n);
		if (a && (!strcmp(a->normal, "руководители") ||
		  (!strcmp(a->normal, "директора") && rest < clean.len)) &&
		    is_school_heads_rest(clean.buf + rest, clean.len - rest)) {
			strbuf_adds(out, "руководители ОО");
		} else {
			strbuf_adds(out, a->normal);
			if (rest < clean.len) {
				strbuf_addch(out, ' ');
				strbuf_add(out, clean.buf + rest, clean.len - rest);
			}
		}
	} else {
		strbuf_add(out, clean.buf, clean.len);
	}
	strbuf_release(&clean);
}

static size_t inline_addressee(const char *s, size_t len, strbuf_t *norm);

/*
 * A responsible heading: names an addressee and ends with ':'.  On success
 * the normal form goes to `norm` and the text as written to `as_written`.
 */
static int
responsible_heading(const char *s, size_t len, strbuf_t *norm, strbuf_t *as_written)
{
	size_t n, i, start;
	if (!len || s[len - 1] != ':' || len > 400)
		return 0;
	if (!addressee_at(s, len, &n) && !abbrev_at(s, len) && !dative_word(s, len))
		return 0;
	/* «Руководителям ОО обеспечить:» is an item that ends with ':' */
	if (inline_addressee(s, len, norm))
		return 0;
	strbuf_reset(norm);
	strbuf_reset(as_written);
	strbuf_add(as_written, s, len - 1);
	strbuf_trim(as_written);
	/* several parties: "X (name) и Y (name)" -> "X; Y" */
	start = 0;
	for (i = 0; i + 3 <= len; i++) {
		size_t nx;
		if (s[i] != ' ' || !ci_prefix(s + i + 1, len - i - 1, "и "))
			continue;
		nx = skip_spaces(s, len, i + 3);
		if (addressee_at(s + nx, len - nx, &n) || abbrev_at(s + nx, len - nx)) {
			normalise_party(s + start, i - start, norm);
			strbuf_adds(norm, "; ");
			start = nx;
		}
	}
	normalise_party(s + start, len - start, norm);
	return 1;
}

/* ---- Building the record ----------------------------------------------------- */

static char *
dup_buf(const strbuf_t *sb)
{
	return xstrndup(sb->buf, sb->len);
}

static void
set_str(char **field, const char *s, size_t len)
{
	free(*field);
	*field = xstrndup(s, len);
}

void
protocol_init(protocol_t *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = xstrdup("протокол");
	p->number = xstrdup("");
	p->date_text = xstrdup("");
	p->place = xstrdup("");
	p->municipality = xstrdup("");
	p->municipality_text = xstrdup("");
	p->municipality_type = xstrdup("");
	p->region = xstrdup("");
	p->chair = xstrdup("");
	p->secretary = xstrdup("");
	p->attendees_count = -1;
}

static void
deadline_release(protocol_deadline_t *d)
{
	free(d->text);
	d->text = NULL;
}

void
protocol_release(protocol_t *p)
{
	size_t i;
	if (!p)
		return;
	free(p->kind);
	free(p->number);
	free(p->date_text);
	free(p->place);
	free(p->municipality);
	free(p->municipality_text);
	free(p->municipality_type);
	free(p->region);
	free(p->chair);
	free(p->secretary);
	for (i = 0; i < p->n_attendees; i++)
		free(p->attendees[i]);
	free(p->attendees);
	for (i = 0; i < p->n_agenda; i++) {
		free(p->agenda[i].number);
		free(p->agenda[i].text);
		free(p->agenda[i].speaker);
	}
	free(p->agenda);
	for (i = 0; i < p->n_decisions; i++) {
		protocol_decision_t *d = &p->decisions[i];
		free(d->number);
		free(d->parent);
		free(d->text);
		free(d->responsible);
		free(d->responsible_text);
		deadline_release(&d->deadline);
	}
	free(p->decisions);
	memset(p, 0, sizeof(*p));
}

/*
 * Room for one more element in an array of n: the capacity is implicit,
 * doubling at every power of two, so appending stays amortised O(1)
 * without a capacity field in the public struct.
 */
static void *
grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return xrealloc(v, 4 * size);
	if (n >= 4 && (n & (n - 1)) == 0)
		return xrealloc(v, 2 * n * size);
	return v;
}

static protocol_agenda_item_t *
add_agenda(protocol_t *p, const char *num, size_t num_len, const char *text, size_t len)
{
	protocol_agenda_item_t *it;
	p->agenda = grow(p->agenda, p->n_agenda, sizeof(*p->agenda));
	it = &p->agenda[p->n_agenda++];
	it->number = xstrndup(num, num_len);
	it->text = xstrndup(text, len);
	it->speaker = xstrdup("");
	return it;
}

/*
 * Appending continuation lines to one text: the text's length, capacity
 * and bracket depth are kept here, so a protocol whose item runs over
 * thousands of lines still parses in linear time.  Reset (text = NULL)
 * whenever a new item starts.
 */
typedef struct tail {
	char *text;
	size_t len, cap;
	long paren; /* brackets opened minus closed */
} tail_t;

static long
paren_depth(const char *s, size_t len)
{
	long depth = 0;
	size_t i;
	for (i = 0; i < len; i++)
		depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
	return depth;
}

static void
tail_attach(tail_t *t, char *text)
{
	if (t->text == text)
		return;
	t->text = text;
	t->len = strlen(text);
	t->cap = t->len + 1;
	t->paren = paren_depth(text, t->len);
}

/* Append s to *field, a space between. */
static void
append_text(tail_t *t, char **field, const char *s, size_t len)
{
	size_t need;
	tail_attach(t, *field);
	need = t->len + len + 2;
	if (need > t->cap) {
		size_t cap = t->cap * 2 > need ? t->cap * 2 : need;
		*field = xrealloc(*field, cap);
		t->text = *field;
		t->cap = cap;
	}
	if (t->len)
		(*field)[t->len++] = ' ';
	memcpy(*field + t->len, s, len);
	t->len += len;
	(*field)[t->len] = '\0';
	t->paren += paren_depth(s, len);
}

/* ---- Header -------------------------------------------------------------------- */

static const char *const attendee_words[] = {
	"присутствовали", "присутствуют", "присутствовало", "участники", "приглашены",
	"приглашенные", NULL
};

static const char *const agenda_words[] = { "повестка", NULL };

/* Sum of "N человек" counts in a line; -1 when none. */
static int
people_count(const char *s, size_t len)
{
	size_t i;
	int total = -1;
	for (i = 0; i < len; i++) {
		int v = 0;
		size_t j = i, k;
		if (!is_digit((unsigned char)s[i]) || (i && is_digit((unsigned char)s[i - 1])))
			continue;
		while (j < len && is_digit((unsigned char)s[j]) && v < 100000)
			v = v * 10 + (s[j++] - '0');
		k = skip_spaces(s, len, j);
		if (ci_prefix(s + k, len - k, "человек") || ci_prefix(s + k, len - k, "чел.")) {
			total = (total < 0 ? 0 : total) + v;
			i = j;
		}
	}
	return total;
}

static int
is_kind_line(const char *s, size_t len, const char **kind)
{
	if (ci_prefix(s, len, "выписка из протокола")) {
		*kind = "выписка из протокола";
		return 1;
	}
	if (ci_word(s, len, "протокол") || ci_word(s, len, "п р о т о к о л")) {
		*kind = "протокол";
		return 1;
	}
	if (ci_word(s, len, "решение") && len < 80) {
		*kind = "решение";
		return 1;
	}
	return 0;
}

/*
 * Where a number sign ends: «№», or «No» / «N» standing for it (a file
 * passed through KOI8-R, which has no «№», or typed on a Latin keyboard)
 * as a word of its own before a digit.  Returns the offset after the sign
 * or -1.
 */
static long
number_sign(const char *s, size_t len)
{
	size_t i;
	long at = ci_find(s, len, "\xe2\x84\x96"); /* № */
	if (at >= 0)
		return at + 3;
	for (i = 0; i + 1 < len; i++) {
		size_t n, j;
		if (s[i] != 'N' || (i && is_letter(last_char(s, i))))
			continue;
		n = i + 1 < len && s[i + 1] == 'o' ? 2 : 1;
		j = skip_spaces(s, len, i + n);
		if (j < len && is_digit((unsigned char)s[j]) && (j > i + n || n == 2))
			return (long)(i + n);
	}
	return -1;
}

/* "№ 8", "№11", "№ 3-р": the number after a «№» sign. */
static int
number_after_sign(const char *s, size_t len, strbuf_t *out)
{
	long at = number_sign(s, len);
	size_t i, st;
	if (at < 0)
		return 0;
	i = skip_spaces(s, len, (size_t)at);
	st = i;
	while (i < len && s[i] != ' ' && s[i] != ',' && s[i] != ';' && s[i] != ')' &&
	       (unsigned char)s[i] != 0xc2)
		i++;
	while (i > st && s[i - 1] == '.')
		i--;
	if (i == st || !is_digit((unsigned char)s[st]))
		return 0;
	strbuf_reset(out);
	strbuf_add(out, s + st, i - st);
	return 1;
}

static void
parse_place(protocol_t *p, const char *s, size_t len)
{
	static const char *const marks[] = { "г. ", "г.", "город ", "пгт ", "пос. ", "с. ", NULL };
	const char *const *m;
	for (m = marks; *m; m++) {
		size_t n = ci_prefix(s, len, *m), i, w;
		if (!n || !(n < len && is_upper(first_char(s + n, len - n))))
			continue;
		i = n;
		while ((w = cap_word(s, len, i))) {
			i += w;
			if (i + 1 < len && s[i] == ' ' && cap_word(s, len, i + 1))
				i++;
			else
				break;
		}
		if (i > n) {
			set_str(&p->place, s, i);
			return;
		}
	}
}

/* A name on this line after a label, or on the next non-empty lines. */
static int
name_near(const lines_t *ls, size_t at, size_t label_len, strbuf_t *out)
{
	const line_t *l = &ls->v[at];
	size_t k;
	if (find_name(l->text + label_len, l->len - label_len, 1, out, NULL))
		return 1;
	for (k = at + 1; k < ls->n && k <= at + 3; k++) {
		const line_t *n = &ls->v[k];
		size_t pos;
		if (decision_heading(n->text, n->len) || starts_with_any(n->text, n->len, signature_words))
			break;
		if (find_name(n->text, n->len, 0, out, &pos) && pos < 8)
			return 1;
	}
	return 0;
}

/*
 * Chair and secretary: the first person marked as such, so the header
 * wins over the signature at the end.
 */
static void
parse_people(protocol_t *p, const lines_t *ls)
{
	strbuf_t name = STRBUF_INIT;
	size_t i;
	for (i = 0; i < ls->n; i++) {
		const line_t *l = &ls->v[i];
		size_t n;
		if (!*p->chair && ((n = ci_word(l->text, l->len, "председательствующий")) ||
				   (n = ci_word(l->text, l->len, "председатель")))) {
			/* "председатель комитета ..." in a job title is not a chair */
			size_t j = skip_spaces(l->text, l->len, n), k;
			k = ci_word(l->text + j, l->len - j, "совещания");
			if (!k)
				k = ci_word(l->text + j, l->len - j, "комиссии");
			if (!k)
				k = ci_word(l->text + j, l->len - j, "заседания");
			j = skip_spaces(l->text, l->len, j + k);
			if ((j >= l->len || l->text[j] == ':' || l->text[j] == '-' || l->text[j] == '_' ||
			     ci_prefix(l->text + j, l->len - j, "\xe2\x80\x93") ||
			     ci_prefix(l->text + j, l->len - j, "\xe2\x80\x94") ||
			     name_at(l->text, l->len, j, &name)) &&
			    name_near(ls, i, n, &name))
				set_str(&p->chair, name.buf, name.len);
		}
		if (!*p->secretary && (n = ci_word(l->text, l->len, "секретарь")) &&
		    name_near(ls, i, n, &name))
			set_str(&p->secretary, name.buf, name.len);
	}
	strbuf_release(&name);
}

/*
 * An uncounted group among the attendees: «Руководители и методисты
 * школ», «руководители ОО (по списку)», «… (лист регистрации
 * прилагается)».  With one, the named attendees are not everyone present.
 * A group that introduces a list («Директора школ:») is not one.
 */
static int
attendee_group(const char *s, size_t len)
{
	static const char *const groups[] = {
		"руководители", "директора", "заместители", "методисты", "педагоги", "учителя",
		"представители", "специалисты", "члены", "сотрудники", NULL
	};
	if (len && s[len - 1] == ':')
		return 0;
	if (ci_find(s, len, "по списку") >= 0 || ci_find(s, len, "список") >= 0 ||
	    ci_find(s, len, "лист регистрации") >= 0)
		return 1;
	return starts_with_any(s, len, groups);
}

static void
parse_attendees(protocol_t *p, const lines_t *ls, size_t from, size_t to)
{
	strbuf_t name = STRBUF_INIT;
	size_t i;
	int stated = -1, names = 0, group = 0;
	for (i = from; i < to; i++) {
		const line_t *l = &ls->v[i];
		size_t off = 0, at;
		int c = people_count(l->text, l->len);
		if (c >= 0)
			stated = (stated < 0 ? 0 : stated) + c;
		else if (attendee_group(l->text, l->len) && !find_name(l->text, l->len, 0, &name, NULL))
			group = 1;
		if (ci_word(l->text, l->len, "председатель") || ci_word(l->text, l->len, "секретарь") ||
		    ci_word(l->text, l->len, "председательствующий"))
			continue;
		/* one attendee per line at most; a list item "1. Корина Е.В. - ..." */
		{
			size_t nl;
			off = item_number(l->text, l->len, &nl);
		}
		if (find_name(l->text + off, l->len - off, 0, &name, &at) && at < 40) {
			p->attendees = grow(p->attendees, p->n_attendees, sizeof(*p->attendees));
			p->attendees[p->n_attendees++] = dup_buf(&name);
			names++;
		}
	}
	if (stated >= 0)
		p->attendees_count = stated;
	else if (names > 0 && !group)
		p->attendees_count = names;
	strbuf_release(&name);
}

static void
parse_municipality(protocol_t *p, const lines_t *ls, size_t limit, const gazetteer_t *gaz)
{
	size_t i;
	gazetteer_match_t m;
	if (!gaz)
		return;
	for (i = 0; i < limit && i < ls->n; i++) {
		if (gazetteer_find(gaz, ls->v[i].text, ls->v[i].len, &m)) {
			set_str(&p->municipality, m.entry->name, strlen(m.entry->name));
			set_str(&p->municipality_type, m.entry->type, strlen(m.entry->type));
			set_str(&p->region, m.entry->region, strlen(m.entry->region));
			set_str(&p->municipality_text, ls->v[i].text + m.start, m.len);
			p->municipality_known = 1;
			return;
		}
	}
}

/*
 * An unknown municipality kept as written: an adjective in -ского/-ский
 * followed by the type words.
 */
static void
parse_unknown_municipality(protocol_t *p, const lines_t *ls, size_t limit)
{
	static const struct {
		const char *words;
		const char *type;
	} types[] = {
		{ "городского округа", "ГО" }, { "городской округ", "ГО" },
		{ "муниципального округа", "МО" }, { "муниципальный округ", "МО" },
		{ "муниципального района", "МР" }, { "муниципальный район", "МР" },
		{ "района", "МР" }, { "го", "ГО" }, { "мо", "МО" }, { "мр", "МР" },
		{ NULL, NULL }
	};
	size_t i, j, a;
	for (i = 0; i < limit && i < ls->n; i++) {
		const char *s = ls->v[i].text;
		size_t len = ls->v[i].len;
		for (j = 0; j < len; j += a) {
			size_t w = cap_word(s, len, j), k, t;
			u8_next(s + j, len - j, &a);
			if (!w || (j && is_letter(last_char(s, j))))
				continue;
			/* an adjective: -кого, -кий, -кому (Вышневолоцкого, Нижнезадонский) */
			if (!((w > 8 && !memcmp(s + j + w - 8, "кого", 8)) ||
			      (w > 6 && !memcmp(s + j + w - 6, "кий", 6)) ||
			      (w > 8 && !memcmp(s + j + w - 8, "кому", 8))))
				continue;
			k = skip_spaces(s, len, j + w);
			for (t = 0; types[t].words; t++) {
				size_t n = ci_word(s + k, len - k, types[t].words);
				if (n && (strlen(types[t].words) > 2 ||
					  is_upper(first_char(s + k, len - k)))) {
					set_str(&p->municipality_text, s + j, k + n - j);
					set_str(&p->municipality, s + j, k + n - j);
					set_str(&p->municipality_type, types[t].type,
						strlen(types[t].type));
					return;
				}
			}
		}
	}
}

/* ---- Agenda ---------------------------------------------------------------------- */

/* "… – Петрова Е.С." at the end of an agenda item: the speaker. */
static int
trailing_speaker(const char *s, size_t len, size_t *cut, strbuf_t *name)
{
	size_t i;
	for (i = len; i > 2; i--) {
		size_t k;
		if (!(s[i - 1] == ' ' && i >= 4 &&
		      (s[i - 2] == '-' || !memcmp(s + i - 4, "\xe2\x80\x93", 3) ||
		       !memcmp(s + i - 4, "\xe2\x80\x94", 3))))
			continue;
		k = name_at(s, len, i, name);
		if (k && i + k >= len - 1) {
			size_t c = i - 1;
			while (c > 0 && (s[c - 1] == ' ' || s[c - 1] == '-' ||
					 (unsigned char)s[c - 1] >= 0x80))
				if ((unsigned char)s[c - 1] >= 0x80) {
					/* strip a UTF-8 dash */
					if (c >= 3 && ((unsigned char)s[c - 3] == 0xe2))
						c -= 3;
					else
						break;
				} else {
					c--;
				}
			*cut = c;
			return 1;
		}
	}
	return 0;
}

/*
 * "… (докладчик – Тарасова С.В.)" at the end of an agenda item: the
 * speaker, and where the item's text ends.
 */
static int
paren_speaker(const char *s, size_t len, size_t *cut, strbuf_t *name)
{
	long at = ci_find(s, len, "(докладчик");
	size_t i, n, c;
	if (at < 0)
		return 0;
	i = (size_t)at + strlen("(докладчик");
	while (i < len && is_letter(first_char(s + i, len - i)))
		i += ci_prefix(s + i, len - i, "и") ? 2 : 1; /* «докладчики» */
	i = skip_spaces(s, len, i);
	if (i < len && (s[i] == ':' || s[i] == '-'))
		i++;
	else if ((n = ci_prefix(s + i, len - i, "\xe2\x80\x93")) || (n = ci_prefix(s + i, len - i, "\xe2\x80\x94")))
		i += n;
	i = skip_spaces(s, len, i);
	if (!(n = name_at(s, len, i, name)))
		return 0;
	c = (size_t)at;
	while (c && s[c - 1] == ' ')
		c--;
	*cut = c;
	return 1;
}

/*
 * A label from `words` followed by ':', '-', '–' or '—' («Докладчик:»,
 * «Ответственные –»): the bytes up to what follows it, or 0.
 */
static size_t
label_at(const char *s, size_t len, const char *const *words)
{
	const char *const *w;
	for (w = words; *w; w++) {
		size_t n = ci_word(s, len, *w), k;
		if (!n)
			continue;
		n = skip_spaces(s, len, n);
		if (n < len && (s[n] == ':' || s[n] == '-'))
			return skip_spaces(s, len, n + 1);
		if ((k = ci_prefix(s + n, len - n, "\xe2\x80\x93")) ||
		    (k = ci_prefix(s + n, len - n, "\xe2\x80\x94")))
			return skip_spaces(s, len, n + k);
		return 0;
	}
	return 0;
}

/* "Докладчик:", "Докладчики –", "Выступающий:": bytes to skip, or 0. */
static size_t
speaker_label(const char *s, size_t len)
{
	static const char *const words[] = { "докладчики", "докладчик", "выступающий",
					      "выступающие", "ответственный", NULL };
	return label_at(s, len, words);
}

/* Parse the agenda from line `at` (the heading); returns the first line after. */
static size_t
parse_agenda(protocol_t *p, const lines_t *ls, size_t at)
{
	strbuf_t name = STRBUF_INIT;
	size_t i = at, hn;
	const line_t *h = &ls->v[at];
	tail_t tail = { NULL, 0, 0, 0 };
	/* "Повестка дня: 1. ..." on the heading line itself */
	hn = ci_word(h->text, h->len, "повестка");
	hn = skip_spaces(h->text, h->len, hn);
	if (ci_word(h->text + hn, h->len - hn, "дня"))
		hn = skip_spaces(h->text, h->len, hn + strlen("дня"));
	if (hn < h->len && h->text[hn] == ':')
		hn = skip_spaces(h->text, h->len, hn + 1);
	for (i = at; i < ls->n; i++) {
		const line_t *l = &ls->v[i];
		const char *s = l->text + (i == at ? hn : 0);
		size_t len = l->len - (i == at ? hn : 0), nl, n, cut, pos;
		if (!len)
			continue;
		if (i > at && (discussion_marker(s, len) || decision_heading(s, len) ||
			       starts_with_any(s, len, section_words)))
			break;
		if ((n = item_number(s, len, &nl)) && n == len && i > at) {
			/* "2." alone: the item's words follow on the next lines */
			add_agenda(p, s, nl, "", 0);
			tail.text = NULL;
			continue;
		}
		if (p->n_agenda && !*p->agenda[p->n_agenda - 1].text) {
			append_text(&tail, &p->agenda[p->n_agenda - 1].text, s, len);
			continue;
		}
		if ((n = item_number(s, len, &nl)) && n < len) {
			protocol_agenda_item_t *it = add_agenda(p, s, nl, s + n, len - n);
			tail.text = NULL;
			if (trailing_speaker(it->text, strlen(it->text), &cut, &name) ||
			    paren_speaker(it->text, strlen(it->text), &cut, &name)) {
				it->text[cut] = '\0';
				set_str(&it->speaker, name.buf, name.len);
			}
			continue;
		}
		if (p->n_agenda && (n = speaker_label(s, len)) &&
		    find_name(s + n, len - n, 0, &name, &pos) && pos == 0) {
			/* «Докладчик: Петрова Е.С., методист …» under the item */
			protocol_agenda_item_t *it = &p->agenda[p->n_agenda - 1];
			if (!*it->speaker)
				set_str(&it->speaker, name.buf, name.len);
			continue;
		}
		if (p->n_agenda && find_name(s, len, 0, &name, &pos) && pos == 0) {
			protocol_agenda_item_t *it = &p->agenda[p->n_agenda - 1];
			if (!*it->speaker)
				set_str(&it->speaker, name.buf, name.len);
			continue;
		}
		if (p->n_agenda && (is_lower(first_char(s, len)) || is_digit((unsigned char)s[0]))) {
			protocol_agenda_item_t *it = &p->agenda[p->n_agenda - 1];
			size_t old;
			tail_attach(&tail, it->text);
			old = tail.len;
			append_text(&tail, &it->text, s, len);
			/* a line broken before the speaker: «… за 2018 год. –
			 * М.В. Яковлева» ends on this line (looked for in it alone,
			 * to stay linear) */
			if (!*it->speaker && trailing_speaker(s, len, &cut, &name)) {
				size_t end = old + (old ? 1 : 0) + cut;
				while (end > 0 && it->text[end - 1] == ' ')
					end--;
				it->text[end] = '\0';
				tail.text = NULL;
				set_str(&it->speaker, name.buf, name.len);
			}
			continue;
		}
		if (i > at && p->n_agenda)
			break;
	}
	strbuf_release(&name);
	return i;
}

/* ---- Decisions ------------------------------------------------------------------- */

typedef struct block_state {
	int open;
	size_t first;          /* first decision of the block */
	size_t deadline_from;  /* first decision a coming «Срок» applies to */
	int numbered_seen;
	strbuf_t resp, resp_text;
	char *heading_number;  /* "" when the heading has none or no heading */
	int bullets_continue;  /* the last item ends with ':': bullets extend it */
	int have_heading;
	int agenda_item;
	int opened_before;     /* agenda items opened before the block */
	size_t resp_from;      /* first decision a coming «Ответственный» applies to */
	tail_t tail;           /* the last item's text, as it grows */
} block_state_t;

static int
ends_with_colon(const char *s)
{
	size_t l = strlen(s);
	while (l && s[l - 1] == ' ')
		l--;
	return l && s[l - 1] == ':';
}

/*
 * An item that opens with its addressee before the verb: «Руководителям
 * ОО обеспечить …», «Ведущему специалисту отдела Шараповой Р.П.
 * организовать …», «МКУ «Методический центр» осуществлять …».  Returns
 * the bytes of the addressee (normal form in `norm`), or 0.  The verb is
 * the first lower-case infinitive within a few words.
 */
static size_t
inline_addressee(const char *s, size_t len, strbuf_t *norm)
{
	size_t i, words = 0, n, a;
	if (!addressee_at(s, len, &n) && !abbrev_at(s, len) && !dative_word(s, len))
		return 0;
	for (i = 0; i < len && words < 16;) {
		size_t st, e;
		uint32_t c;
		while (i < len && s[i] == ' ')
			i++;
		st = i;
		while (i < len && s[i] != ' ')
			i++;
		e = i;
		words++;
		if (st == 0)
			continue;
		while (e > st) {
			size_t k = e - 1;
			while (k > st && ((unsigned char)s[k] & 0xc0) == 0x80)
				k--;
			if (is_letter(u8_next(s + k, e - k, &a)))
				break;
			e = k;
		}
		c = u8_next(s + st, len - st, &a);
		if (!is_lower(c) || e - st < 6)
			continue;
		if (!memcmp(s + e - 4, "ть", 4) || !memcmp(s + e - 4, "ти", 4) ||
		    !memcmp(s + e - 4, "чь", 4) || (e - st >= 8 && !memcmp(s + e - 4, "ся", 4) &&
						    !memcmp(s + e - 8, "ть", 4))) {
			size_t end = st;
			while (end && (s[end - 1] == ' ' || s[end - 1] == ','))
				end--;
			strbuf_reset(norm);
			normalise_party(s, end, norm);
			return end;
		}
	}
	return 0;
}

#define PARENT_LOOKBACK 256

static protocol_decision_t *
add_decision(protocol_t *p, block_state_t *b, const char *num, size_t num_len,
	     const char *text, size_t len)
{
	protocol_decision_t *d;
	size_t k, best = 0;
	const char *parent = "";
	p->decisions = grow(p->decisions, p->n_decisions, sizeof(*p->decisions));
	d = &p->decisions[p->n_decisions++];
	memset(d, 0, sizeof(*d));
	d->number = xstrndup(num, num_len);
	d->ordinal = (unsigned)p->n_decisions;
	d->text = xstrndup(text, len);
	d->agenda_item = b->agenda_item;
	{
		strbuf_t norm = STRBUF_INIT;
		size_t n = inline_addressee(text, len, &norm);
		if (n) {
			/* «Руководителям ОО обеспечить …»: the item names its own */
			d->responsible = dup_buf(&norm);
			d->responsible_text = xstrndup(text, n);
		} else {
			d->responsible = xstrndup(b->resp.buf, b->resp.len);
			d->responsible_text = xstrndup(b->resp_text.buf, b->resp_text.len);
		}
		strbuf_release(&norm);
	}
	/* the parent: the longest earlier number of this block that prefixes
	 * ours, among the last few hundred (a bound that keeps a block of a
	 * million items linear; real parents are a few items back) */
	for (k = p->n_decisions - 1 > b->first + PARENT_LOOKBACK ? p->n_decisions - 1 - PARENT_LOOKBACK
								 : b->first;
	     k + 1 < p->n_decisions; k++) {
		const char *pn = p->decisions[k].number;
		size_t pl = strlen(pn);
		if (pl && pl < num_len && !memcmp(num, pn, pl) && num[pl] == '.' && pl > best) {
			best = pl;
			parent = pn;
		}
	}
	if (!best && b->have_heading)
		parent = b->heading_number;
	d->parent = xstrdup(parent);
	b->tail.text = NULL;
	d->deadline.text = xstrdup("");
	b->bullets_continue = ends_with_colon(d->text);
	return d;
}

static void
apply_deadline(protocol_t *p, block_state_t *b, const char *text, size_t len, const char *date)
{
	/* protocol_parse_deadline stores the text without its final period */
	char *t = xstrndup(text, len);
	size_t k;
	for (k = b->deadline_from; k < p->n_decisions; k++) {
		if (p->decisions[k].deadline.kind != DEADLINE_NONE)
			continue; /* an inline deadline of its own */
		deadline_release(&p->decisions[k].deadline);
		protocol_parse_deadline(t, date, &p->decisions[k].deadline);
	}
	b->deadline_from = b->resp_from = p->n_decisions;
	free(t);
}

/* "Ответственный:", "Ответственные –", "Исполнитель:" -> bytes before the
 * party, or 0. */
static size_t
responsible_label(const char *s, size_t len)
{
	static const char *const words[] = { "ответственные", "ответственный", "ответственная",
					     "исполнители", "исполнитель", NULL };
	size_t n = label_at(s, len, words);
	return n < len ? n : 0; /* a label with no party after it is none */
}

/* Set one decision's party from a party as written (nominative or dative). */
static void
set_responsible(protocol_decision_t *d, const char *s, size_t len)
{
	strbuf_t norm = STRBUF_INIT;
	while (len && (s[len - 1] == '.' || s[len - 1] == ';' || s[len - 1] == ' '))
		len--;
	normalise_party(s, len, &norm);
	free(d->responsible);
	free(d->responsible_text);
	d->responsible = dup_buf(&norm);
	d->responsible_text = xstrndup(s, len);
	strbuf_release(&norm);
}

/*
 * «Ответственный: …» names the party of every item since the previous
 * «Ответственный:» or «Срок:» line of the block (or since the block's
 * start); written after the item's «Срок:» line, of that item.
 */
static void
apply_responsible(protocol_t *p, block_state_t *b, const char *s, size_t len)
{
	size_t k = b->resp_from;
	if (k == p->n_decisions && k > b->first && !*p->decisions[k - 1].responsible)
		k--;
	for (; k < p->n_decisions; k++)
		set_responsible(&p->decisions[k], s, len);
	b->resp_from = p->n_decisions;
}

static void
block_close(block_state_t *b)
{
	b->open = 0;
	b->have_heading = 0;
	strbuf_reset(&b->resp);
	strbuf_reset(&b->resp_text);
	free(b->heading_number);
	b->heading_number = xstrdup("");
}

static void
block_open(protocol_t *p, block_state_t *b, int agenda_item)
{
	block_close(b);
	b->open = 1;
	b->first = b->deadline_from = b->resp_from = p->n_decisions;
	b->numbered_seen = 0;
	b->bullets_continue = 0;
	b->agenda_item = agenda_item;
}

/* Index of the agenda item numbered `n` (by its number, then by position). */
static int
agenda_index(const protocol_t *p, int n)
{
	size_t i;
	for (i = 0; i < p->n_agenda; i++)
		if (atoi(p->agenda[i].number) == n)
			return (int)i;
	if (n >= 1 && (size_t)n <= p->n_agenda)
		return n - 1;
	return -1;
}

/*
 * Split "2.1. Текст … 2.2. Текст" (two items run together) at the second
 * number: returns the offset of the second item, or 0.
 */
static size_t
run_together(const char *s, size_t len, const char *num, size_t num_len)
{
	size_t i, dots = 0, first_group;
	for (i = 0; i < num_len; i++)
		dots += num[i] == '.';
	if (!dots)
		return 0;
	first_group = strcspn(num, ".");
	for (i = 2; i + num_len < len; i++) {
		size_t nl, n;
		if (s[i - 1] != ' ' || !(s[i - 2] == '.' || s[i - 2] == ';'))
			continue;
		if (!is_digit((unsigned char)s[i]))
			continue;
		if ((n = item_number(s + i, len - i, &nl)) && nl > first_group &&
		    !memcmp(s + i, num, first_group + 1) && n < len - i &&
		    is_upper(first_char(s + i + n, len - i - n))) {
			size_t d2 = 0, k;
			for (k = 0; k < nl; k++)
				d2 += s[i + k] == '.';
			if (d2 == dots)
				return i;
		}
	}
	return 0;
}

/*
 * A deadline written into an item, which is that item's own (the item's
 * text keeps it): «… (срок – декабрь 2022).», «… (срок: постоянно)»,
 * «… в срок до 01.10.2022.», «… в срок не позднее 15 мая 2022 г.».
 * Returns the offset of the deadline's text and its length in *dl_len,
 * or -1.
 */
static long
own_deadline(const char *s, size_t len, size_t *dl_len)
{
	long at = ci_find(s, len, "(срок");
	size_t i, n;
	if (at >= 0) {
		const char *close;
		i = (size_t)at + 1;
		if (!(n = deadline_label(s + i, len - i)))
			return -1;
		i += n;
		close = memchr(s + i, ')', len - i);
		if (!close || close == s + i)
			return -1;
		*dl_len = (size_t)(close - s) - i;
		return (long)i;
	}
	at = ci_find(s, len, " в срок ");
	if (at < 0)
		return -1;
	i = (size_t)at + strlen(" в срок ");
	if (!ci_word(s + i, len - i, "до") && !ci_word(s + i, len - i, "не позднее"))
		return -1;
	n = len;
	while (n > i && (s[n - 1] == '.' || s[n - 1] == ' ' || s[n - 1] == ';'))
		n--;
	*dl_len = n - i;
	return (long)i;
}

/*
 * Add one item line to the block (a numbered, bulleted or plain item),
 * handling two items run together and a «Срок:» written inline.
 */
static void
add_item_line(protocol_t *p, block_state_t *b, const char *num, size_t num_len,
	      const char *s, size_t len)
{
	long srok, dl;
	size_t dl_len;
	protocol_decision_t *d;
	size_t split = num_len ? run_together(s, len, num, num_len) : 0;
	if (split) {
		size_t nl, n = item_number(s + split, len - split, &nl);
		size_t end = split;
		while (end && s[end - 1] == ' ')
			end--;
		add_item_line(p, b, num, num_len, s, end);
		add_item_line(p, b, s + split, nl, s + split + n, len - split - n);
		return;
	}
	srok = ci_find(s, len, "срок");
	if (srok > 0 && (s[srok - 1] == ' ') && deadline_label(s + srok, len - (size_t)srok)) {
		size_t cut = (size_t)srok, lab = deadline_label(s + srok, len - (size_t)srok);
		while (cut && s[cut - 1] == ' ')
			cut--;
		add_decision(p, b, num, num_len, s, cut);
		apply_deadline(p, b, s + srok + lab, len - (size_t)srok - lab, p->date);
		return;
	}
	d = add_decision(p, b, num, num_len, s, len);
	if ((dl = own_deadline(s, len, &dl_len)) >= 0) {
		char *t = xstrndup(s + dl, dl_len);
		deadline_release(&d->deadline);
		protocol_parse_deadline(t, p->date, &d->deadline);
		free(t);
	}
}

/* More brackets opened than closed in the item's text. */
static int
paren_open(block_state_t *b, protocol_decision_t *d)
{
	tail_attach(&b->tail, d->text);
	return b->tail.paren > 0;
}

/* Append a paragraph to an item; a deadline written into the item may
 * now be complete (looked for near the end only, to stay linear). */
static void
continue_item(protocol_t *p, block_state_t *b, protocol_decision_t *d, const char *s, size_t len)
{
	long dl;
	size_t dl_len, from, old;
	tail_attach(&b->tail, d->text);
	old = b->tail.len;
	append_text(&b->tail, &d->text, s, len);
	from = old > 256 ? old - 256 : 0;
	while (from && ((unsigned char)d->text[from] & 0xc0) == 0x80)
		from--;
	if (d->deadline.kind == DEADLINE_NONE &&
	    (dl = own_deadline(d->text + from, b->tail.len - from, &dl_len)) >= 0) {
		char *t = xstrndup(d->text + from + dl, dl_len);
		deadline_release(&d->deadline);
		protocol_parse_deadline(t, p->date, &d->deadline);
		free(t);
	}
}

/*
 * Handle one line inside an open decision block.  Returns 1 when the line
 * was consumed, 0 when it ends the block (the caller then treats it as
 * body text).
 */
static int
block_line(protocol_t *p, block_state_t *b, const char *s, size_t len)
{
	size_t n, nl, bm;
	protocol_decision_t *last = p->n_decisions > b->first ? &p->decisions[p->n_decisions - 1]
							       : NULL;
	if ((n = deadline_label(s, len))) {
		apply_deadline(p, b, s + n, len - n, p->date);
		return 1;
	}
	if ((n = responsible_label(s, len))) {
		apply_responsible(p, b, s + n, len - n);
		return 1;
	}
	if (discussion_marker(s, len) || starts_with_any(s, len, section_words) ||
	    starts_with_any(s, len, signature_words) || speaker_opening(s, len))
		return 0;
	/* A bracket left open, or a paragraph opening with one, continues
	 * the item: «… (срок» / «– июнь 2021 г.).» is one broken line. */
	if (last && (s[0] == '(' || paren_open(b, last)) && !item_number(s, len, &nl)) {
		continue_item(p, b, last, s, len);
		return 1;
	}
	if ((n = item_number(s, len, &nl)) && n < len) {
		strbuf_t norm = STRBUF_INIT, written = STRBUF_INIT;
		if (responsible_heading(s + n, len - n, &norm, &written)) {
			b->have_heading = 1;
			strbuf_reset(&b->resp);
			strbuf_add(&b->resp, norm.buf, norm.len);
			strbuf_reset(&b->resp_text);
			strbuf_add(&b->resp_text, written.buf, written.len);
			set_str(&b->heading_number, s, nl);
		} else {
			add_item_line(p, b, s, nl, s + n, len - n);
		}
		b->numbered_seen = 1;
		strbuf_release(&norm);
		strbuf_release(&written);
		return 1;
	}
	if ((bm = bullet_mark(s, len)) && bm < len) {
		if (last && b->bullets_continue) {
			continue_item(p, b, last, s + bm, len - bm);
		} else {
			add_item_line(p, b, "", 0, s + bm, len - bm);
		}
		return 1;
	}
	if (is_lower(first_char(s, len)) || is_digit((unsigned char)s[0])) {
		if (last)
			continue_item(p, b, last, s, len);
		return 1;
	}
	{
		strbuf_t norm = STRBUF_INIT, written = STRBUF_INIT;
		int heading = responsible_heading(s, len, &norm, &written);
		if (heading) {
			b->have_heading = 1;
			strbuf_reset(&b->resp);
			strbuf_add(&b->resp, norm.buf, norm.len);
			strbuf_reset(&b->resp_text);
			strbuf_add(&b->resp_text, written.buf, written.len);
			set_str(&b->heading_number, "", 0);
		}
		strbuf_release(&norm);
		strbuf_release(&written);
		if (heading)
			return 1;
	}
	if (b->numbered_seen)
		return 0;
	if (s[len - 1] == ':')
		return 1; /* an introduction */
	add_item_line(p, b, "", 0, s, len);
	return 1;
}

/* ---- Decision tables ---------------------------------------------------------- */

enum { TCOL_NUM, TCOL_TEXT, TCOL_RESP, TCOL_DEADLINE, TCOL_N };
#define TABLE_COLS 16

typedef struct table_row {
	strbuf_t cell[TABLE_COLS];
	size_t n_cols;
} table_row_t;

/*
 * Read one table row starting at line `i` into `row`: a tab-split line
 * (cell 2), or the consecutive docx cells of one row (cell 1).  Returns
 * the line after the row, or `i` when line i starts no row continuing the
 * table whose previous row was `prev_row` (-1: a new table).
 */
static size_t
table_row_read(const lines_t *ls, size_t i, long prev_row, table_row_t *row)
{
	size_t k;
	for (k = 0; k < TABLE_COLS; k++)
		strbuf_reset(&row->cell[k]);
	row->n_cols = 0;
	if (i >= ls->n || !ls->v[i].cell)
		return i;
	if (ls->v[i].cell == 2) {
		const line_t *l = &ls->v[i];
		for (k = 0; k < l->n_fields && k < TABLE_COLS; k++)
			strbuf_adds(&row->cell[k], l->fields[k]);
		row->n_cols = k;
		return i + 1;
	}
	if (prev_row >= 0 && (long)ls->v[i].row <= prev_row)
		return i;
	for (k = i; k < ls->n && ls->v[k].cell == 1 && ls->v[k].row == ls->v[i].row; k++) {
		unsigned c = ls->v[k].col;
		if (c >= TABLE_COLS)
			continue;
		if (row->cell[c].len)
			strbuf_addch(&row->cell[c], ' ');
		strbuf_add(&row->cell[c], ls->v[k].text, ls->v[k].len);
		if (c + 1 > row->n_cols)
			row->n_cols = c + 1;
	}
	return k;
}

/*
 * Which column holds what, from a header row: «№ (п/п)», «Содержание
 * решения» / «Мероприятие» / «Решение» / «Поручение», «Ответственный» /
 * «Исполнитель», «Срок (исполнения)».  Returns 1 when it has a text
 * column and one more of them.
 */
static int
table_header(const table_row_t *row, int cols[TCOL_N])
{
	static const char *const text_words[] = { "содержание", "мероприят", "решение", "решения",
						   "поручение", "наименование", NULL };
	size_t k;
	int found = 0;
	for (k = 0; k < TCOL_N; k++)
		cols[k] = -1;
	for (k = 0; k < row->n_cols; k++) {
		const char *c = row->cell[k].buf;
		size_t len = row->cell[k].len;
		const char *const *w;
		if (!len)
			continue;
		if ((!strncmp(c, "\xe2\x84\x96", 3) || ci_word(c, len, "n")) && len <= 16)
			cols[TCOL_NUM] = (int)k;
		else if (ci_prefix(c, len, "ответствен") || ci_prefix(c, len, "исполнител"))
			cols[TCOL_RESP] = (int)k;
		else if (ci_prefix(c, len, "срок"))
			cols[TCOL_DEADLINE] = (int)k;
		else
			for (w = text_words; *w; w++)
				if (ci_prefix(c, len, *w) && cols[TCOL_TEXT] < 0)
					cols[TCOL_TEXT] = (int)k;
	}
	for (k = 0; k < TCOL_N; k++)
		found += cols[k] >= 0;
	return cols[TCOL_TEXT] >= 0 && found >= 2;
}

/* A number cell ("1", "2.1", "3)"): its length without the final dot or
 * bracket, or 0. */
static size_t
bare_number(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]) && s[i] != '.' && !(s[i] == ')' && i + 1 == len))
			return 0;
	while (len && (s[len - 1] == '.' || s[len - 1] == ')'))
		len--;
	return len && len <= 8 ? len : 0;
}

/*
 * A decision table inside a block: a header row naming its columns, then
 * one decision a row, with its number, party and deadline from their
 * columns.  Returns the line after the table, or `i` when no table starts
 * at line i.
 */
static size_t
decision_table(protocol_t *p, block_state_t *b, const lines_t *ls, size_t i)
{
	table_row_t row;
	int cols[TCOL_N];
	size_t k, next;
	long prev_row;
	for (k = 0; k < TABLE_COLS; k++)
		strbuf_init(&row.cell[k], 0);
	next = table_row_read(ls, i, -1, &row);
	if (next == i || !table_header(&row, cols)) {
		next = i;
		goto out;
	}
	prev_row = ls->v[i].cell == 1 ? (long)ls->v[i].row : -1;
	for (;;) {
		size_t after = table_row_read(ls, next, prev_row, &row), nl = 0, n = 0;
		const strbuf_t *num, *text;
		protocol_decision_t *d;
		if (after == next)
			break;
		if (ls->v[next].cell == 1)
			prev_row = (long)ls->v[next].row;
		next = after;
		text = &row.cell[cols[TCOL_TEXT]];
		if (!text->len)
			continue;
		num = cols[TCOL_NUM] >= 0 ? &row.cell[cols[TCOL_NUM]] : NULL;
		if (num && num->len && (item_number(num->buf, num->len, &nl) == num->len ||
					(nl = bare_number(num->buf, num->len)))) {
			d = add_decision(p, b, num->buf, nl, text->buf, text->len);
		} else if ((n = item_number(text->buf, text->len, &nl)) && n < text->len) {
			d = add_decision(p, b, text->buf, nl, text->buf + n, text->len - n);
		} else {
			d = add_decision(p, b, "", 0, text->buf, text->len);
		}
		if (cols[TCOL_RESP] >= 0 && row.cell[cols[TCOL_RESP]].len)
			set_responsible(d, row.cell[cols[TCOL_RESP]].buf, row.cell[cols[TCOL_RESP]].len);
		if (cols[TCOL_DEADLINE] >= 0 && row.cell[cols[TCOL_DEADLINE]].len) {
			/* protocol_parse_deadline trims the final dot itself */
			deadline_release(&d->deadline);
			protocol_parse_deadline(row.cell[cols[TCOL_DEADLINE]].buf, p->date, &d->deadline);
		}
		b->numbered_seen = 1;
	}
	b->deadline_from = b->resp_from = p->n_decisions;
out:
	for (k = 0; k < TABLE_COLS; k++)
		strbuf_release(&row.cell[k]);
	return next;
}

typedef struct body_state {
	block_state_t b;
	int current_item;     /* agenda item under discussion, -1 */
	int opened;           /* items opened since the last decision block */
	int prev_item;        /* agenda item of the previous decision block */
	int blocks;           /* decision blocks with at least one item */
	int first_opened;     /* items opened before the first such block */
} body_state_t;

static void
body_finish_block(protocol_t *p, body_state_t *st)
{
	if (!st->b.open)
		return;
	if (p->n_decisions > st->b.first) {
		if (st->blocks++ == 0)
			st->first_opened = st->b.opened_before;
		st->prev_item = st->b.agenda_item;
	}
	block_close(&st->b);
}

static void
parse_body(protocol_t *p, const lines_t *ls, size_t from)
{
	body_state_t st;
	size_t i;

	memset(&st, 0, sizeof(st));
	strbuf_init(&st.b.resp, 0);
	strbuf_init(&st.b.resp_text, 0);
	st.b.heading_number = xstrdup("");
	st.current_item = st.prev_item = -1;

	for (i = from; i < ls->n; i++) {
		const char *s = ls->v[i].text;
		size_t len = ls->v[i].len, n;
		int q;
		if ((n = decision_heading(s, len))) {
			int item;
			/* close the previous block first: with no item opened
			 * since, this block belongs to that block's item */
			body_finish_block(p, &st);
			item = st.opened ? st.current_item : st.prev_item;
			block_open(p, &st.b, p->n_agenda ? item : -1);
			st.b.opened_before = st.opened;
			st.opened = 0;
			if (n < len)
				block_line(p, &st.b, s + n, len - n);
			continue;
		}
		if (st.b.open && ls->v[i].cell) {
			size_t next = decision_table(p, &st.b, ls, i);
			if (next > i) {
				i = next - 1;
				continue;
			}
		}
		if (st.b.open) {
			if (block_line(p, &st.b, s, len))
				continue;
			body_finish_block(p, &st);
		}
		if ((q = discussion_marker(s, len))) {
			st.current_item = agenda_index(p, q);
			st.opened++;
		}
	}
	body_finish_block(p, &st);
	/* A lone decision block after several items sums up the whole meeting. */
	if (st.blocks == 1 && st.first_opened > 1) {
		size_t k;
		for (k = 0; k < p->n_decisions; k++)
			p->decisions[k].agenda_item = -1;
	}
	free(st.b.heading_number);
	strbuf_release(&st.b.resp);
	strbuf_release(&st.b.resp_text);
}

/* ---- The whole ---------------------------------------------------------------- */

void
protocol_parse(protocol_t *p, const reader_para_t *paras, size_t n_paras,
	       const gazetteer_t *gaz)
{
	lines_t ls;
	size_t i, header_end, attendees_at = (size_t)-1, attendees_end, agenda_at = (size_t)-1;
	size_t body_start;
	strbuf_t sb = STRBUF_INIT;
	const char *kind = NULL;

	lines_build(&ls, paras, n_paras);

	/* 1. Regions. */
	header_end = ls.n;
	for (i = 0; i < ls.n; i++) {
		const line_t *l = &ls.v[i];
		if (attendees_at == (size_t)-1 && starts_with_any(l->text, l->len, attendee_words))
			attendees_at = i;
		if (starts_with_any(l->text, l->len, agenda_words)) {
			agenda_at = i;
			break;
		}
		if (i == 0 && is_kind_line(l->text, l->len, &kind))
			continue; /* «РЕШЕНИЕ» as the title */
		if (discussion_marker(l->text, l->len) || decision_heading(l->text, l->len) ||
		    starts_with_any(l->text, l->len, section_words))
			break;
	}
	body_start = i;
	header_end = attendees_at != (size_t)-1 ? attendees_at : body_start;
	attendees_end = body_start;

	/* 2. Header fields. */
	for (i = 0; i < header_end && i < 12; i++) {
		if (is_kind_line(ls.v[i].text, ls.v[i].len, &kind)) {
			set_str(&p->kind, kind, strlen(kind));
			if (number_after_sign(ls.v[i].text, ls.v[i].len, &sb))
				set_str(&p->number, sb.buf, sb.len);
			break;
		}
	}
	for (i = 0; i < header_end && !*p->number; i++) {
		const line_t *l = &ls.v[i];
		if (l->len <= 24 && number_sign(l->text, l->len) >= 0 &&
		    number_after_sign(l->text, l->len, &sb))
			set_str(&p->number, sb.buf, sb.len);
	}
	for (i = 0; i < header_end; i++) {
		char iso[11];
		const line_t *l = &ls.v[i];
		long end;
		size_t k;
		/* the date's own text: from its first digit or quote; «<<02>>
		 * сентября» (KOI8-R has no guillemets) reads as «02» */
		char *q = NULL;
		const char *t = l->text;
		if ((end = protocol_parse_date(t, iso)) < 0 && strstr(t, "<<")) {
			char *at;
			q = xstrdup(t);
			while ((at = strstr(q, "<<")) || (at = strstr(q, ">>"))) {
				at[0] = '\xc2';
				at[1] = at[1] == '<' ? '\xab' : '\xbb';
			}
			t = q;
			end = protocol_parse_date(t, iso);
		}
		if (end > 0) {
			size_t st = 0;
			for (k = 0; k < (size_t)end; k++) {
				unsigned char c = (unsigned char)t[k];
				if (is_digit(c) || (c == 0xc2 && (unsigned char)t[k + 1] == 0xab)) {
					st = k;
					break;
				}
			}
			memcpy(p->date, iso, sizeof(p->date));
			set_str(&p->date_text, t + st, (size_t)end - st);
			free(q);
			break;
		}
		free(q);
	}
	for (i = 0; i < header_end && !*p->place; i++)
		parse_place(p, ls.v[i].text, ls.v[i].len);

	parse_municipality(p, &ls, body_start, gaz);
	if (!*p->municipality)
		parse_unknown_municipality(p, &ls, body_start);
	if (!*p->municipality)
		parse_municipality(p, &ls, ls.n, gaz);

	parse_people(p, &ls);
	if (attendees_at != (size_t)-1)
		parse_attendees(p, &ls, attendees_at, attendees_end);

	/* 3. Agenda and body. */
	if (agenda_at != (size_t)-1)
		body_start = parse_agenda(p, &ls, agenda_at);
	parse_body(p, &ls, body_start);

	strbuf_release(&sb);
	lines_release(&ls);
}

/* ---- JSON ------------------------------------------------------------------------ */

static void
json_field(strbuf_t *out, const char *key, const char *value, int comma)
{
	if (comma)
		strbuf_addch(out, ',');
	strbuf_add_json_string(out, key, strlen(key));
	strbuf_addch(out, ':');
	strbuf_add_json_string(out, value, strlen(value));
}

static void
deadline_to_json(const protocol_deadline_t *d, strbuf_t *out)
{
	strbuf_adds(out, "{");
	json_field(out, "kind", protocol_deadline_kind_name(d->kind), 0);
	json_field(out, "text", d->text ? d->text : "", 1);
	json_field(out, "from", d->from, 1);
	json_field(out, "to", d->to, 1);
	strbuf_adds(out, "}");
}

void
protocol_decision_to_json(const protocol_t *p, const protocol_decision_t *d, strbuf_t *out)
{
	(void)p;
	strbuf_addch(out, '{');
	json_field(out, "number", d->number, 0);
	json_field(out, "parent", d->parent, 1);
	strbuf_addf(out, ",\"ordinal\":%u", d->ordinal);
	json_field(out, "text", d->text, 1);
	strbuf_addf(out, ",\"agenda_item\":%d", d->agenda_item);
	json_field(out, "responsible", d->responsible, 1);
	json_field(out, "responsible_text", d->responsible_text, 1);
	strbuf_adds(out, ",\"deadline\":");
	deadline_to_json(&d->deadline, out);
	strbuf_addch(out, '}');
}

void
protocol_to_json(const protocol_t *p, strbuf_t *out)
{
	strbuf_addch(out, '{');
	protocol_to_json_fields(p, out);
	strbuf_addch(out, '}');
}

void
protocol_to_json_fields(const protocol_t *p, strbuf_t *out)
{
	size_t i;
	json_field(out, "kind", p->kind, 0);
	json_field(out, "number", p->number, 1);
	json_field(out, "date", p->date, 1);
	json_field(out, "date_text", p->date_text, 1);
	json_field(out, "place", p->place, 1);
	json_field(out, "municipality", p->municipality, 1);
	json_field(out, "municipality_text", p->municipality_text, 1);
	json_field(out, "municipality_type", p->municipality_type, 1);
	strbuf_addf(out, ",\"municipality_known\":%s", p->municipality_known ? "true" : "false");
	json_field(out, "region", p->region, 1);
	json_field(out, "chair", p->chair, 1);
	json_field(out, "secretary", p->secretary, 1);
	if (p->attendees_count >= 0)
		strbuf_addf(out, ",\"attendees_count\":%d", p->attendees_count);
	else
		strbuf_adds(out, ",\"attendees_count\":null");
	strbuf_adds(out, ",\"agenda\":[");
	for (i = 0; i < p->n_agenda; i++) {
		if (i)
			strbuf_addch(out, ',');
		strbuf_addch(out, '{');
		json_field(out, "number", p->agenda[i].number, 0);
		json_field(out, "text", p->agenda[i].text, 1);
		json_field(out, "speaker", p->agenda[i].speaker, 1);
		strbuf_addch(out, '}');
	}
	strbuf_adds(out, "],\"decisions\":[");
	for (i = 0; i < p->n_decisions; i++) {
		if (i)
			strbuf_addch(out, ',');
		protocol_decision_to_json(p, &p->decisions[i], out);
	}
	strbuf_addch(out, ']');
}
