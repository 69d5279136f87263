/*
 * What a field value in a query means: the QueryParser calls back here for
 * every `field:value` and `field:A..B` (xapian_c_qp_add_field/_range), and
 * gets a Xapian query on the terms and values of common/schema.h.
 *
 * Names (municipality, region, responsible, speaker) are matched word by
 * word through the analysis chain: a stored name matches when each word
 * of the value shares a key with one of its words.  So «мо:вышневолоцкого»
 * finds "Вышневолоцкий городской округ", «ответственный:"руководителям
 * ОО"» finds "руководители ОО".  The names are the database's own boolean
 * terms, listed once per searcher.
 */
#include "searcher/searcher-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/schema.h"
#include "common/util.h"

/* A date "YYYYMMDD" one day earlier (valid dates only). */
static void
day_before(const char in[9], char out[9])
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y = (unsigned)atoi((char[5]){ in[0], in[1], in[2], in[3], 0 });
	unsigned m = (unsigned)atoi((char[3]){ in[4], in[5], 0 });
	unsigned d = (unsigned)atoi((char[3]){ in[6], in[7], 0 });
	if (d > 1) {
		d--;
	} else {
		if (m > 1) {
			m--;
		} else {
			m = 12;
			y--;
		}
		d = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	}
	snprintf(out, 9, "%04u%02u%02u", y % 10000, m, d);
}

/* "20211201" -> "2021-12-01" */
static const char *
iso(const char d[9], char out[11])
{
	if (!*d)
		return "";
	snprintf(out, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
	return out;
}

static xapian_c_query_t *
term_query(const char *prefix, const char *value)
{
	strbuf_t t = STRBUF_INIT;
	xapian_c_query_t *q;
	strbuf_addf(&t, "%s%s", prefix, value);
	q = xapian_c_query_term(t.buf);
	strbuf_release(&t);
	return q;
}

/* A value that means nothing: noted for the searcher to report after the
 * parse, and matching nothing meanwhile. */
static xapian_c_query_t *
refuse(searcher_t *s, const char **err, const char *fmt, const char *a, const char *b)
{
	(void)err;
	if (!s->field_error.len)
		strbuf_addf(&s->field_error, fmt, a, b);
	return xapian_c_query_match_none();
}

/* ---- Names -------------------------------------------------------------- */

static const struct {
	const char *prefix;
	const char *what; /* in messages */
} name_kinds[NAMES_COUNT] = {
	[NAMES_MUNICIPALITY] = { PREFIX_MUNICIPALITY, "municipality" },
	[NAMES_REGION] = { PREFIX_REGION, "region" },
	[NAMES_RESPONSIBLE] = { PREFIX_RESPONSIBLE, "responsible party" },
	[NAMES_SPEAKER] = { PREFIX_SPEAKER, "speaker" },
};

struct keys_ctx {
	char **keys;
	size_t n, cap;
	unsigned *pos;    /* with want_pos: the position of each key */
	int want_pos;
};

static int
collect_key(void *vctx, const stemmer_token_t *tok)
{
	struct keys_ctx *c = vctx;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->keys[i], tok->key) && (!c->want_pos || c->pos[i] == tok->pos))
			return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->keys = xrealloc(c->keys, c->cap * sizeof(*c->keys));
		c->pos = xrealloc(c->pos, c->cap * sizeof(*c->pos));
	}
	c->keys[c->n] = xstrndup(tok->key, tok->key_len);
	c->pos[c->n] = tok->pos;
	c->n++;
	return 0;
}

static void
keys_release(struct keys_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->pos);
}

struct list_ctx {
	searcher_t *s;
	name_list_t *l;
	size_t prefix_len;
};

static int
list_name(void *vctx, const char *term, size_t len, unsigned freq)
{
	struct list_ctx *c = vctx;
	name_list_t *l = c->l;
	struct keys_ctx k = { NULL, 0, 0, NULL, 0 };
	name_entry_t *e;
	(void)freq;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	e = &l->v[l->n++];
	e->name = xstrndup(term + c->prefix_len, len - c->prefix_len);
	if (stemmer_analyze(c->s->stemmer, e->name, strlen(e->name), 0, collect_key, &k, NULL) < 0)
		k.n = 0; /* matched by its exact spelling only */
	free(k.pos);
	e->keys = k.keys;
	e->n_keys = k.n;
	return 0;
}

static int
load_names(searcher_t *s, int which)
{
	name_list_t *l = &s->names[which];
	struct list_ctx c = { s, l, strlen(name_kinds[which].prefix) };
	if (l->loaded)
		return 0;
	if (xapian_c_rdb_terms(s->rdb, name_kinds[which].prefix, list_name, &c) != XAPIAN_C_OK)
		return -1;
	l->loaded = 1;
	return 0;
}

static int
has_key(const name_entry_t *e, const char *key)
{
	for (size_t i = 0; i < e->n_keys; i++)
		if (!strcmp(e->keys[i], key))
			return 1;
	return 0;
}

/* Every word of the value (keys grouped by position) meets the name. */
static int
name_matches(const name_entry_t *e, const struct keys_ctx *v)
{
	for (size_t i = 0; i < v->n;) {
		size_t j = i;
		int met = 0;
		while (j < v->n && v->pos[j] == v->pos[i]) {
			if (!met && has_key(e, v->keys[j]))
				met = 1;
			j++;
		}
		if (!met)
			return 0;
		i = j;
	}
	return 1;
}

/* Names found for a value: as shown, and a term of the documents with it. */
struct found {
	char *name;
	char *term;
};

struct found_list {
	struct found *v;
	size_t n, cap;
	/* while scanning: the length of "XW" + kind + key + " ", and the
	 * prefix of the names' own terms */
	size_t prefix_len;
	const char *name_prefix;
};

static void
found_add(struct found_list *l, const char *name, size_t nlen, const char *term, size_t tlen)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].name = xstrndup(name, nlen);
	l->v[l->n].term = xstrndup(term, tlen);
	l->n++;
}

static void
found_release(struct found_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].term);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
found_cmp(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->name, ((const struct found *)b)->name);
}

/* Sorted by name, each name once. */
static void
found_sort(struct found_list *l)
{
	size_t k = 0;
	if (l->n < 2)
		return; /* (qsort wants an array, even of none) */
	qsort(l->v, l->n, sizeof(*l->v), found_cmp);
	for (size_t i = 0; i < l->n; i++) {
		if (k && !strcmp(l->v[k - 1].name, l->v[i].name)) {
			free(l->v[i].name);
			free(l->v[i].term);
			continue;
		}
		l->v[k++] = l->v[i];
	}
	l->n = k;
}

/* Keep in a (sorted) the names b (sorted) has too. */
static void
found_keep_common(struct found_list *a, const struct found_list *b)
{
	size_t k = 0, j = 0;
	for (size_t i = 0; i < a->n; i++) {
		int c = 1;
		while (j < b->n && (c = strcmp(b->v[j].name, a->v[i].name)) < 0)
			j++;
		if (j < b->n && c == 0) {
			a->v[k++] = a->v[i];
		} else {
			free(a->v[i].name);
			free(a->v[i].term);
		}
	}
	a->n = k;
}

/* A name from its word term: the documents are found by the name's own
 * term, a hashed name's ("#...") by the word term itself. */
static int
found_word_name(void *vctx, const char *term, size_t len, unsigned freq)
{
	struct found_list *l = vctx;
	const char *name = term + l->prefix_len;
	size_t nlen = len - l->prefix_len;
	strbuf_t own = STRBUF_INIT;
	(void)freq;
	if (len <= l->prefix_len)
		return 0;
	if (*name == '#') {
		found_add(l, name, nlen, term, len);
		return 0;
	}
	strbuf_adds(&own, l->name_prefix);
	strbuf_add(&own, name, nlen);
	found_add(l, name, nlen, own.buf, own.len);
	strbuf_release(&own);
	return 0;
}

/*
 * The names having a key of every word of the value (keys grouped by
 * position in v), by their PREFIX_NAME_WORD terms: one prefix scan per key.
 */
static int
names_by_words(searcher_t *s, int which, const struct keys_ctx *v, struct found_list *out)
{
	strbuf_t prefix = STRBUF_INIT;
	int first = 1, ret = 0;

	for (size_t i = 0; i < v->n && ret == 0;) {
		struct found_list word = { NULL, 0, 0, 0, name_kinds[which].prefix };
		size_t j = i;
		for (; j < v->n && v->pos[j] == v->pos[i] && ret == 0; j++) {
			strbuf_reset(&prefix);
			strbuf_addf(&prefix, "%s%s%s ", PREFIX_NAME_WORD,
				    name_kinds[which].prefix + 1, v->keys[j]);
			word.prefix_len = prefix.len;
			if (xapian_c_rdb_terms(s->rdb, prefix.buf, found_word_name, &word) !=
			    XAPIAN_C_OK)
				ret = -1;
		}
		found_sort(&word);
		if (first) {
			*out = word;
			first = 0;
		} else {
			found_keep_common(out, &word);
			found_release(&word);
		}
		i = j;
	}
	strbuf_release(&prefix);
	return ret;
}

/* The same, by analysing every name (databases without the word terms). */
static int
names_by_analysis(searcher_t *s, int which, const struct keys_ctx *v, const char *val,
		  struct found_list *out)
{
	name_list_t *l;
	strbuf_t term = STRBUF_INIT;

	if (load_names(s, which) < 0)
		return -1;
	l = &s->names[which];
	for (size_t i = 0; i < l->n; i++) {
		const name_entry_t *e = &l->v[i];
		if (strcmp(e->name, val) && (v->n == 0 || !name_matches(e, v)))
			continue;
		strbuf_reset(&term);
		strbuf_addf(&term, "%s%s", name_kinds[which].prefix, e->name);
		found_add(out, e->name, strlen(e->name), term.buf, term.len);
	}
	strbuf_release(&term);
	return 0;
}

static xapian_c_query_t *
names_query(searcher_t *s, int which, const char *field, const char *value, size_t len,
	    const char **err)
{
	struct keys_ctx v = { NULL, 0, 0, NULL, 1 };
	struct found_list found = { NULL, 0, 0, 0, NULL };
	xapian_c_query_t *q = NULL;
	char *val = xstrndup(value, len);
	int r;

	if (stemmer_analyze(s->stemmer, val, len, 0, collect_key, &v, NULL) < 0)
		v.n = 0;
	if (s->name_words) {
		r = names_by_words(s, which, &v, &found);
		if (r == 0) {
			/* the name as written, even when its words are not */
			strbuf_t exact = STRBUF_INIT;
			unsigned freq = 0;
			strbuf_addf(&exact, "%s%s", name_kinds[which].prefix, val);
			if (xapian_c_rdb_termfreq(s->rdb, exact.buf, &freq) != XAPIAN_C_OK)
				r = -1;
			else if (freq) {
				found_add(&found, val, len, exact.buf, exact.len);
				found_sort(&found);
			}
			strbuf_release(&exact);
		}
	} else {
		r = names_by_analysis(s, which, &v, val, &found);
	}
	if (r < 0) {
		found_release(&found);
		keys_release(&v);
		free(val);
		return refuse(s, err, "cannot read the %s names: %s", name_kinds[which].what,
			      xapian_c_rdb_error(s->rdb));
	}
	strbuf_addf(&s->explain, "%s:%s\t", field, val);
	if (found.n) {
		const char **terms = xcalloc(found.n, sizeof(*terms));
		for (size_t i = 0; i < found.n; i++) {
			terms[i] = found.v[i].term;
			if (i < 8)
				strbuf_addf(&s->explain, "%s%s", i ? "; " : "",
					    found.v[i].name[0] == '#' ? "(a long name)"
								      : found.v[i].name);
		}
		if (found.n > 8)
			strbuf_addf(&s->explain, "; ... (%zu names)", found.n);
		q = xapian_c_query_any_term(terms, found.n);
		free(terms);
	} else {
		strbuf_addf(&s->explain, "no %s matches", name_kinds[which].what);
		strbuf_addf(&s->warnings, "no %s in the database matches '%s'\n",
			    name_kinds[which].what, val);
		q = xapian_c_query_match_none();
	}
	strbuf_addch(&s->explain, '\n');
	found_release(&found);
	keys_release(&v);
	free(val);
	return q;
}

void
fields_forget(searcher_t *s)
{
	for (int w = 0; w < NAMES_COUNT; w++) {
		name_list_t *l = &s->names[w];
		for (size_t i = 0; i < l->n; i++) {
			for (size_t k = 0; k < l->v[i].n_keys; k++)
				free(l->v[i].keys[k]);
			free(l->v[i].keys);
			free(l->v[i].name);
		}
		free(l->v);
		memset(l, 0, sizeof(*l));
	}
}

/* ---- Dates -------------------------------------------------------------- */

/* A bound on a range's terms, never reached by dates of 1900-2099 (a
 * term a year, at most 22 whole months and 60 days); past it the value
 * range is searched. */
#define DATE_PIECES_MAX 400

/* The terms of a date range's pieces (query_date_pieces). */
struct date_pieces {
	const char *year_prefix, *prefix; /* years; months and days */
	strbuf_t terms;                   /* NUL-separated */
	size_t n;
};

static int
date_piece(void *vctx, const char *period)
{
	struct date_pieces *dp = vctx;
	if (dp->n >= DATE_PIECES_MAX)
		return 1;
	strbuf_addf(&dp->terms, "%s%s", strlen(period) == 4 ? dp->year_prefix : dp->prefix, period);
	strbuf_addch(&dp->terms, '\0');
	dp->n++;
	return 0;
}

/*
 * [from, to] of the date in `slot` (SLOT_DATE or SLOT_DUE_TO) by year,
 * month and day terms (META_DATE_TERMS), an open end taken at the values'
 * bounds; NULL to search by the value slot instead (no value in the
 * range, too many pieces).
 */
static xapian_c_query_t *
date_terms_query(searcher_t *s, unsigned slot, const char *from, const char *to)
{
	int due = slot == SLOT_DUE_TO;
	struct date_pieces dp = { due ? PREFIX_DUE_PERIOD : PREFIX_YEAR,
				  due ? PREFIX_DUE_PERIOD : PREFIX_MONTH, STRBUF_INIT, 0 };
	char *lo = NULL, *hi = NULL, a[9], b[9];
	xapian_c_query_t *q = NULL;

	if (xapian_c_rdb_value_bounds(s->rdb, slot, &lo, &hi) != XAPIAN_C_OK)
		return NULL;
	/* Nothing is outside the values' bounds: an end beyond one goes to
	 * its year's end, for whole years.  No value, or none in the range:
	 * the value range finds that at once. */
	if (strlen(lo) != 8 || strlen(hi) != 8) {
		free(lo), free(hi);
		return NULL;
	}
	if (*from && strcmp(from, lo) > 0)
		snprintf(a, sizeof(a), "%s", from);
	else
		snprintf(a, sizeof(a), "%.4s0101", lo);
	if (*to && strcmp(to, hi) < 0)
		snprintf(b, sizeof(b), "%s", to);
	else
		snprintf(b, sizeof(b), "%.4s1231", hi);
	free(lo), free(hi);
	if (strcmp(a, b) <= 0 && query_date_pieces(a, b, date_piece, &dp) > 0) {
		const char **terms = xcalloc(dp.n, sizeof(*terms));
		const char *t = dp.terms.buf;
		for (size_t i = 0; i < dp.n; i++, t += strlen(t) + 1)
			terms[i] = t;
		q = xapian_c_query_any_term(terms, dp.n);
		free(terms);
	}
	strbuf_release(&dp.terms);
	return q;
}

/* Meeting date or deadline end within [from, to] ("" for an open end). */
static xapian_c_query_t *
date_query(searcher_t *s, int field, const char *as_written, const char from[9],
	   const char to[9])
{
	char a[11], b[11];
	unsigned slot = field == QUERY_FIELD_DUE ? SLOT_DUE_TO : SLOT_DATE;
	const char *what = field == QUERY_FIELD_DUE ? "deadline ends" : "meeting";
	strbuf_addf(&s->explain, "%s:%s\t", query_field_name((query_field_t)field), as_written);
	if (*from && *to && !strcmp(from, to))
		strbuf_addf(&s->explain, "%s on %s\n", what, iso(from, a));
	else if (*from && *to)
		strbuf_addf(&s->explain, "%s from %s to %s\n", what, iso(from, a), iso(to, b));
	else if (*from)
		strbuf_addf(&s->explain, "%s on or after %s\n", what, iso(from, a));
	else
		strbuf_addf(&s->explain, "%s on or before %s\n", what, iso(to, b));
	if (s->date_terms) {
		xapian_c_query_t *q = date_terms_query(s, slot, from, to);
		if (q)
			return q;
	}
	return xapian_c_query_value_range(slot, *from ? from : NULL, *to ? to : NULL);
}

static xapian_c_query_t *
range_cb(void *ctx, const char *field, const char *begin, size_t blen, const char *end,
	 size_t elen, const char **err)
{
	searcher_t *s = ctx;
	int f = query_field_lookup(field, strlen(field));
	char from[9] = "", to[9] = "", x[9], why[128];
	strbuf_t written = STRBUF_INIT;
	xapian_c_query_t *q;

	strbuf_add(&written, begin, blen);
	strbuf_adds(&written, "..");
	strbuf_add(&written, end, elen);
	if (!blen && !elen) {
		strbuf_release(&written);
		return refuse(s, err, "'%s:..' needs a date on at least one side%s", field, "");
	}
	if ((blen && query_period(begin, blen, s->today, from, x, why, sizeof(why)) < 0) ||
	    (elen && query_period(end, elen, s->today, x, to, why, sizeof(why)) < 0) ||
	    (*from && *to && strcmp(from, to) > 0)) {
		if (*from && *to && strcmp(from, to) > 0)
			snprintf(why, sizeof(why), "the range ends before it starts");
		q = refuse(s, err, "bad range '%s': %s", written.buf, why);
		strbuf_release(&written);
		return q;
	}
	q = date_query(s, f, written.buf, from, to);
	strbuf_release(&written);
	return q;
}

static xapian_c_query_t *
due_keyword_query(searcher_t *s, int kw, const char *val)
{
	char a[11], before[9];
	static const char *const kinds[] = {
		[QUERY_DUE_PERMANENT] = "permanent",
		[QUERY_DUE_EVENT] = "event",
		[QUERY_DUE_NO_DEADLINE] = "none",
	};
	strbuf_addf(&s->explain, "due:%s\t", val);
	if (kw == QUERY_DUE_OVERDUE) {
		day_before(s->today, before);
		strbuf_addf(&s->explain, "deadline ended before today, %s\n", iso(s->today, a));
		return xapian_c_query_value_range(SLOT_DUE_TO, NULL, before);
	}
	strbuf_addf(&s->explain, "deadline kind %s\n", kinds[kw]);
	return term_query(PREFIX_DEADLINE_KIND, kinds[kw]);
}

static xapian_c_query_t *
field_cb(void *ctx, const char *field, const char *value, size_t len, const char **err)
{
	searcher_t *s = ctx;
	int f = query_field_lookup(field, strlen(field));
	char from[9], to[9], why[128];
	char *val = xstrndup(value, len);
	xapian_c_query_t *q = NULL;
	const char *type;
	int kw;

	if (f < 0) { /* the every-record clause of an exclusion-only query */
		free(val);
		strbuf_addf(&s->explain, "(only exclusions)\tfrom every record\n");
		return xapian_c_query_match_all();
	}
	switch (f) {
	case QUERY_FIELD_MUNICIPALITY:
		q = names_query(s, NAMES_MUNICIPALITY, field, value, len, err);
		break;
	case QUERY_FIELD_REGION:
		q = names_query(s, NAMES_REGION, field, value, len, err);
		break;
	case QUERY_FIELD_RESPONSIBLE:
		q = names_query(s, NAMES_RESPONSIBLE, field, value, len, err);
		break;
	case QUERY_FIELD_SPEAKER:
		q = names_query(s, NAMES_SPEAKER, field, value, len, err);
		break;
	case QUERY_FIELD_TYPE:
		type = query_type_value(value, len);
		if (!type) {
			q = refuse(s, err, "unknown record type '%s'%s", val, "");
			break;
		}
		strbuf_addf(&s->explain, "type:%s\t%s records only\n", val, type);
		q = term_query(PREFIX_TYPE, type);
		break;
	case QUERY_FIELD_NUMBER: {
		const char *n = val;
		if (!strncmp(n, "№", strlen("№")))
			n += strlen("№");
		strbuf_addf(&s->explain, "number:%s\tprotocol number %s\n", val, n);
		q = term_query(PREFIX_NUMBER, n);
		break;
	}
	case QUERY_FIELD_PATH: {
		/* every part given, each a whole part of the source path */
		const char *part = val;
		strbuf_addf(&s->explain, "path:%s\tsource path has the part(s)", val);
		while (*part) {
			size_t n = strcspn(part, "/");
			size_t keep = n && part[n] == '/' && part[n - 1] == '!' ? n - 1 : n;
			if (keep) {
				char *one = xstrndup(part, keep);
				xapian_c_query_t *t = term_query(PREFIX_PATH, one), *both;
				strbuf_addf(&s->explain, " '%s'", one);
				both = q ? xapian_c_query_combine(XAPIAN_C_OP_AND, q, t) : NULL;
				if (q) {
					xapian_c_query_free(q);
					xapian_c_query_free(t);
					q = both;
				} else {
					q = t;
				}
				free(one);
			}
			part += n;
			while (*part == '/')
				part++;
		}
		strbuf_addch(&s->explain, '\n');
		if (!q)
			q = refuse(s, err, "no path in '%s'%s", val, "");
		break;
	}
	case QUERY_FIELD_DATE:
	case QUERY_FIELD_DUE:
		if (f == QUERY_FIELD_DUE && (kw = query_due_keyword(value, len)) >= 0) {
			q = due_keyword_query(s, kw, val);
			break;
		}
		if (query_period(value, len, s->today, from, to, why, sizeof(why)) < 0) {
			q = refuse(s, err, "bad date '%s': %s", val, why);
			break;
		}
		q = date_query(s, f, val, from, to);
		break;
	}
	free(val);
	if (!q && !*err)
		*err = "out of memory";
	return q;
}

int
fields_install(searcher_t *s)
{
	for (int f = 0; f <= QUERY_FIELD_COUNT; f++) {
		const char *name = query_field_name((query_field_t)f);
		if (xapian_c_qp_add_field(s->qp, name, field_cb, s) != XAPIAN_C_OK ||
		    ((f == QUERY_FIELD_DATE || f == QUERY_FIELD_DUE) &&
		     xapian_c_qp_add_range(s->qp, name, range_cb, s) != XAPIAN_C_OK)) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot set up the query parser: %s",
				    xapian_c_qp_error(s->qp));
			return -1;
		}
	}
	return 0;
}
