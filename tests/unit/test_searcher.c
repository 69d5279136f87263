/*
 * Criterion suite "searcher": records read back by searcher/searcher.h
 * from databases written here document by document through the Xapian
 * shim, so that each layout the searcher must read (also that of older
 * databases) is built exactly.
 */
#include "config.h"

#include "common/docdata.h"
#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "searcher/searcher-int.h"
#include "searcher/searcher.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[64];
static char dbpath[96];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/test_searcher.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
}

static void
teardown(void)
{
	util_remove_tree(tmpdir);
}

TestSuite(searcher, .init = setup, .fini = teardown);

/* A new database at dbpath with this build's versions, and metadata
 * `mark` set to "1" unless NULL. */
static xapian_c_wdb_t *
writer(const char *mark)
{
	xapian_c_wdb_t *wdb = NULL;
	char *msg = NULL;
	cr_assert_eq(xapian_c_wdb_open(dbpath, &wdb, &msg), XAPIAN_C_OK, "%s", msg ? msg : "");
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, META_SCHEMA, SCHEMA_VERSION), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, META_ANALYZER, stemmer_version()),
		     XAPIAN_C_OK);
	if (mark)
		cr_assert_eq(xapian_c_wdb_set_metadata(wdb, mark, "1"), XAPIAN_C_OK);
	return wdb;
}

/* The header lines a protocol gives its decisions, with `title`. */
static void
protocol_header(strbuf_t *out, const char *title)
{
	docdata_add_field(out, DATA_PATH, "uploads/a.zip!/p.docx");
	docdata_add_field(out, DATA_TITLE, title);
	docdata_add_field(out, DATA_DATE, "2021-11-02");
	docdata_add_field(out, DATA_MUNICIPALITY, "Кашинский городской округ");
}

static void
put(xapian_c_wdb_t *wdb, const char *id, const strbuf_t *data, const char *header)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	strbuf_t idterm = STRBUF_INIT;

	cr_assert_not_null(doc);
	cr_assert_eq(xapian_c_doc_set_data(doc, data->buf, data->len), XAPIAN_C_OK);
	if (header)
		cr_assert_eq(xapian_c_doc_set_value(doc, SLOT_HEADER, header, strlen(header)),
			     XAPIAN_C_OK);
	strbuf_addf(&idterm, "%s%s", PREFIX_ID, id);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, idterm.buf), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, idterm.buf, doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	strbuf_release(&idterm);
}

/*
 * A protocol "p1" whose data names it "title in the data", with (or, as
 * older databases, without) a SLOT_HEADER naming it "title in the
 * header", and its decision "p1-1".
 */
static void
build(int with_header)
{
	xapian_c_wdb_t *wdb = writer(NULL);
	strbuf_t data = STRBUF_INIT, header = STRBUF_INIT;

	docdata_add_field(&data, DATA_TYPE, TYPE_PROTOCOL);
	docdata_add_field(&data, DATA_ID, "p1");
	docdata_add_field(&data, DATA_PROTOCOL, "p1");
	protocol_header(&data, "title in the data");
	docdata_begin_body(&data);
	strbuf_adds(&data, "ПРОТОКОЛ совещания\nРЕШИЛИ:\n1. Обеспечить объективность.\n");
	protocol_header(&header, "title in the header");
	put(wdb, "p1", &data, with_header ? header.buf : NULL);

	strbuf_reset(&data);
	docdata_add_field(&data, DATA_TYPE, TYPE_DECISION);
	docdata_add_field(&data, DATA_ID, "p1-1");
	docdata_add_field(&data, DATA_PROTOCOL, "p1");
	docdata_begin_body(&data);
	strbuf_adds(&data, "Обеспечить объективность.");
	put(wdb, "p1-1", &data, NULL);

	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	strbuf_release(&data);
	strbuf_release(&header);
}

/* The test database, opened for searching. */
static searcher_t *
open_db(void)
{
	searcher_t *s = NULL;
	char *msg = NULL;
	cr_assert_eq(searcher_open(dbpath, &s, &msg), SEARCHER_OK, "%s", msg ? msg : "");
	return s;
}

/* The test database, opened, with `query`'s results in *res (every match
 * counted when `exact`); the caller releases them and closes it. */
static searcher_t *
run(const char *query, int exact, searcher_results_t *res)
{
	searcher_t *s = open_db();
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	rq.query = query;
	rq.exact = exact;
	cr_assert_eq(searcher_run_query(s, &rq, res), SEARCHER_OK, "%s", searcher_error(s));
	return s;
}

/* A field of the record searcher_get gives for id, malloc'd, or NULL. */
static char *
field_of(const char *id, const char *key, char **body)
{
	searcher_t *s = open_db();
	char *data = NULL, *v = NULL;
	const char *f, *b;
	size_t len = 0, fl, bl;

	cr_assert_eq(searcher_get(s, id, &data, &len), SEARCHER_OK, "%s", searcher_error(s));
	if ((f = docdata_get(data, len, key, &fl)))
		v = strndup(f, fl);
	if (body) {
		b = docdata_body(data, len, &bl);
		*body = b ? strndup(b, bl) : NULL;
	}
	free(data);
	searcher_close(s);
	return v;
}

Test(searcher, decision_takes_its_protocols_fields_from_the_header)
{
	char *v, *body = NULL;

	build(1);
	v = field_of("p1-1", DATA_TITLE, &body);
	cr_expect_str_eq(v ? v : "(none)", "title in the header");
	free(v);
	v = field_of("p1-1", DATA_MUNICIPALITY, NULL);
	cr_expect_str_eq(v ? v : "(none)", "Кашинский городской округ");
	free(v);
	/* its own fields and text stay */
	v = field_of("p1-1", DATA_TYPE, NULL);
	cr_expect_str_eq(v ? v : "(none)", TYPE_DECISION);
	free(v);
	cr_expect_str_eq(body ? body : "(none)", "Обеспечить объективность.");
	free(body);
	/* the protocol's own record is its data */
	v = field_of("p1", DATA_TITLE, NULL);
	cr_expect_str_eq(v ? v : "(none)", "title in the data");
	free(v);
}

Test(searcher, decision_of_an_older_database_reads_the_protocols_data)
{
	char *v, *body = NULL;

	build(0);
	v = field_of("p1-1", DATA_TITLE, &body);
	cr_expect_str_eq(v ? v : "(none)", "title in the data");
	free(v);
	v = field_of("p1-1", DATA_PATH, NULL);
	cr_expect_str_eq(v ? v : "(none)", "uploads/a.zip!/p.docx");
	free(v);
	cr_expect_str_eq(body ? body : "(none)", "Обеспечить объективность.");
	free(body);
}

/* ---- names found by their words ----------------------------------------- */

struct word_terms {
	strbuf_t *out; /* NUL-separated PREFIX_NAME_WORD terms */
	const char *name;
	int hashed;
};

/* The word terms of a speaker's name, as common/schema.h describes them. */
static int
add_word_term(void *vctx, const stemmer_token_t *tok)
{
	struct word_terms *w = vctx;
	strbuf_addf(w->out, "%sS%.*s ", PREFIX_NAME_WORD, (int)tok->key_len, tok->key);
	if (w->hashed)
		strbuf_addf(w->out, "#%016llx",
			    (unsigned long long)util_hash64(w->name, strlen(w->name)));
	else
		strbuf_adds(w->out, w->name);
	strbuf_addch(w->out, '\0');
	return 0;
}

/*
 * A protocol "p1" with speaker `name`: marked (META_NAME_WORDS) or not,
 * with its word terms (hashed: by the name's hash) or without.
 */
static void
build_speaker(const char *name, int marked, int words, int hashed)
{
	xapian_c_wdb_t *wdb = writer(marked ? META_NAME_WORDS : NULL);
	xapian_c_doc_t *doc = xapian_c_doc_new();
	stemmer_t *st = stemmer_new(NULL);
	strbuf_t data = STRBUF_INIT, terms = STRBUF_INIT, t = STRBUF_INIT;
	struct word_terms w = { &terms, name, hashed };

	cr_assert_not_null(st);
	docdata_add_field(&data, DATA_TYPE, TYPE_PROTOCOL);
	docdata_add_field(&data, DATA_ID, "p1");
	docdata_begin_body(&data);
	strbuf_adds(&data, "ПРОТОКОЛ совещания\n");
	cr_assert_eq(xapian_c_doc_set_data(doc, data.buf, data.len), XAPIAN_C_OK);
	strbuf_addf(&t, "%s%s", PREFIX_TYPE, TYPE_PROTOCOL);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, t.buf), XAPIAN_C_OK);
	strbuf_reset(&t);
	strbuf_addf(&t, "%s%s", PREFIX_SPEAKER, name);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, t.buf), XAPIAN_C_OK);
	if (words) {
		cr_assert_geq(stemmer_analyze(st, name, strlen(name), 0, add_word_term, &w, NULL),
			      0);
		for (const char *p = terms.buf; p < terms.buf + terms.len; p += strlen(p) + 1)
			cr_assert_eq(xapian_c_doc_add_boolean_term(doc, p), XAPIAN_C_OK);
	}
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, "Qp1", doc, NULL), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	xapian_c_doc_free(doc);
	stemmer_free(st);
	strbuf_release(&data);
	strbuf_release(&terms);
	strbuf_release(&t);
}

/* How many records `query` finds; its warnings into *warnings (malloc'd). */
static unsigned
count(const char *query, char **warnings)
{
	searcher_results_t res;
	searcher_t *s = run(query, 1, &res);
	unsigned n = res.matches_estimated;
	*warnings = strdup(res.warnings ? res.warnings : "");
	searcher_results_release(&res);
	searcher_close(s);
	return n;
}

Test(searcher, speaker_found_by_the_word_terms_of_the_name)
{
	char *warn;
	build_speaker("Порошина Ю.В.", 1, 1, 0);
	cr_expect_eq(count("докладчик:Порошиной", &warn), 1);
	cr_expect_str_eq(warn, "");
	free(warn);
	cr_expect_eq(count("докладчик:Иванова", &warn), 0);
	cr_expect_not_null(strstr(warn, "no speaker"), "%s", warn);
	free(warn);
}

Test(searcher, speaker_of_a_marked_database_is_not_analysed)
{
	char *warn;
	/* marked, but the word terms are missing: nothing is found, which
	 * shows that the names themselves were not analysed */
	build_speaker("Порошина Ю.В.", 1, 0, 0);
	cr_expect_eq(count("докладчик:Порошиной", &warn), 0);
	free(warn);
	/* the name as written is still found by its own term */
	cr_expect_eq(count("докладчик:\"Порошина Ю.В.\"", &warn), 1);
	free(warn);
}

Test(searcher, speaker_of_an_older_database_is_found_by_analysis)
{
	char *warn;
	build_speaker("Порошина Ю.В.", 0, 0, 0);
	cr_expect_eq(count("докладчик:Порошиной", &warn), 1);
	cr_expect_str_eq(warn, "");
	free(warn);
}

Test(searcher, long_name_found_by_its_hashed_word_terms)
{
	char *warn;
	/* too long to be spelt out in its word terms: the documents carry
	 * them with the name's hash, and are found by them */
	const char *name = "Порошина Юлия Валентиновна, заместитель начальника управления "
			   "образования администрации Вышневолоцкого округа Тверской";
	/* its own term fits, with the word's key before it not */
	cr_assert_lt(strlen(PREFIX_SPEAKER) + strlen(name), 240);
	cr_assert_gt(strlen(PREFIX_NAME_WORD) + 1 + strlen("порошина ") + strlen(name), 240);
	build_speaker(name, 1, 1, 1);
	cr_expect_eq(count("докладчик:Порошиной", &warn), 1);
	cr_expect_str_eq(warn, "");
	free(warn);
	/* two of its words: both word terms name it the same way */
	cr_expect_eq(count("докладчик:\"Порошиной Юлии\"", &warn), 1);
	cr_expect_str_eq(warn, "");
	free(warn);
	cr_expect_eq(count("докладчик:\"Порошиной Марии\"", &warn), 0);
	free(warn);
}

/* ---- Date ranges -------------------------------------------------------- */

/* The test's dates: every 11th day from 2019-12-20, 150 of them. */
#define N_DATED 150

static void
nth_date(unsigned n, char out[9])
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y = 2019, m = 12, d = 20;
	for (unsigned k = 0; k < n * 11; k++) {
		unsigned last = days[m - 1] + (m == 2 && y % 4 == 0);
		if (++d > last) {
			d = 1;
			if (++m > 12)
				m = 1, y++;
		}
	}
	snprintf(out, 9, "%04u%02u%02u", y, m, d);
}

/* Protocol "p<n>", meeting on nth_date(n) and due on nth_date(n + 3),
 * with its year, month and day terms or without. */
static void
put_dated(xapian_c_wdb_t *wdb, unsigned n, int terms)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	strbuf_t data = STRBUF_INIT, t = STRBUF_INIT, id = STRBUF_INIT;
	char date[9], due[9];
	nth_date(n, date);
	nth_date(n + 3, due);
	strbuf_addf(&id, "p%u", n);
	docdata_add_field(&data, DATA_TYPE, TYPE_PROTOCOL);
	docdata_add_field(&data, DATA_ID, id.buf);
	docdata_begin_body(&data);
	cr_assert_eq(xapian_c_doc_set_data(doc, data.buf, data.len), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_value(doc, SLOT_DATE, date, 8), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_value(doc, SLOT_DUE_TO, due, 8), XAPIAN_C_OK);
	if (terms) {
		const char *const v[] = {
			PREFIX_YEAR,       date, "4", PREFIX_MONTH,      date, "6",
			PREFIX_MONTH,      date, "8", PREFIX_DUE_PERIOD, due,  "4",
			PREFIX_DUE_PERIOD, due,  "6", PREFIX_DUE_PERIOD, due,  "8",
		};
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k += 3) {
			strbuf_reset(&t);
			strbuf_addf(&t, "%s%.*s", v[k], atoi(v[k + 2]), v[k + 1]);
			cr_assert_eq(xapian_c_doc_add_boolean_term(doc, t.buf), XAPIAN_C_OK);
		}
	}
	strbuf_reset(&t);
	strbuf_addf(&t, "%s%s", PREFIX_ID, id.buf);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, t.buf), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, t.buf, doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	strbuf_release(&data);
	strbuf_release(&t);
	strbuf_release(&id);
}

/* N_DATED protocols (put_dated): with their date terms, in a database
 * marked META_DATE_TERMS, or, as older databases, by the value slots only. */
static void
build_dated(int terms)
{
	xapian_c_wdb_t *wdb = writer(terms ? META_DATE_TERMS : NULL);
	for (unsigned n = 0; n < N_DATED; n++)
		put_dated(wdb, n, terms);
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
}

/* How many of the test's dates (shifted by `shift`) are in [from, to]. */
static unsigned
dated_in(unsigned shift, const char *from, const char *to)
{
	unsigned n = 0;
	for (unsigned k = 0; k < N_DATED; k++) {
		char d[9];
		nth_date(k + shift, d);
		n += (!*from || strcmp(d, from) >= 0) && (!*to || strcmp(d, to) <= 0);
	}
	return n;
}

static const struct {
	const char *query, *from, *to; /* from, to: the range as YYYYMMDD */
	unsigned shift;                 /* 0: meeting dates, 3: deadlines */
} dated_queries[] = {
	{ "date:2021", "20210101", "20211231", 0 },
	{ "date:2021-09..2022-05", "20210901", "20220531", 0 },
	{ "date:2020-02-11..2021-03-17", "20200211", "20210317", 0 },
	{ "date:..2020-06-05", "", "20200605", 0 },
	{ "date:2021-07-04..", "20210704", "", 0 },
	{ "date:2020-02-29", "20200229", "20200229", 0 },
	{ "date:2019", "20190101", "20191231", 0 },
	{ "date:2030..", "20300101", "", 0 },
	{ "due:2022-12", "20221201", "20221231", 3 },
	{ "due:..2021-12-01", "", "20211201", 3 },
	{ "due:2020-03-05..2020-03-30", "20200305", "20200330", 3 },
	{ "due:2020..2021", "20200101", "20211231", 3 },
};

static void
check_dated(int terms)
{
	build_dated(terms);
	for (size_t i = 0; i < sizeof(dated_queries) / sizeof(dated_queries[0]); i++) {
		char *warn;
		unsigned want = dated_in(dated_queries[i].shift, dated_queries[i].from,
					 dated_queries[i].to);
		cr_expect_eq(count(dated_queries[i].query, &warn), want, "%s: want %u",
			     dated_queries[i].query, want);
		free(warn);
	}
}

Test(searcher, dates_by_their_year_month_and_day_terms)
{
	check_dated(1);
}

Test(searcher, dates_of_an_older_database_by_the_value_slots)
{
	check_dated(0);
}

Test(searcher, marked_database_finds_dates_by_the_terms)
{
	char *warn;
	/* marked, and a date in the middle of the range without its terms:
	 * the value slot is not read */
	build_dated(1);
	{
		/* p30 meets on nth_date(30): take its date terms away */
		xapian_c_wdb_t *wdb = writer(META_DATE_TERMS);
		put_dated(wdb, 30, 0);
		cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
		xapian_c_wdb_close(wdb);
	}
	cr_expect_eq(count("date:2019-01-01..2024-12-31", &warn),
		     dated_in(0, "20190101", "20241231") - 1);
	free(warn);
}

/*
 * Length normalisation: protocols of 10, 40 and 250 words (average 100,
 * WDF_NORM_LENGTH) with «школа» 1, 2 and 3 times.  By its wdf alone the
 * longest comes first; BM25 with the lengths puts the 40 words first.
 */
static const struct {
	const char *id;
	unsigned school, length;
} lengths[] = { { "p10", 1, 10 }, { "p40", 2, 40 }, { "p250", 3, 250 } };

/* The protocols of `lengths`, their wdf normalised as the indexer does in
 * a database marked META_WDF_NORMALISED, or as written. */
static void
build_lengths(int normalised)
{
	xapian_c_wdb_t *wdb = writer(normalised ? META_WDF_NORMALISED : NULL);
	strbuf_t data = STRBUF_INIT, idterm = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		xapian_c_doc_t *doc = xapian_c_doc_new();
		unsigned long length = 0;
		for (unsigned pos = 1; pos <= lengths[i].length; pos++)
			cr_assert_eq(xapian_c_doc_add_posting(doc,
							      pos <= lengths[i].school
								      ? PREFIX_STEM "школа"
								      : PREFIX_STEM "слово",
							      pos, 1),
				     XAPIAN_C_OK);
		cr_assert_eq(xapian_c_doc_length(doc, &length), XAPIAN_C_OK);
		cr_assert_eq(length, lengths[i].length);
		if (normalised)
			cr_assert_eq(xapian_c_doc_scale_wdf(doc, wdf_norm_factor(length)),
				     XAPIAN_C_OK);
		strbuf_reset(&data);
		docdata_add_field(&data, DATA_TYPE, TYPE_PROTOCOL);
		docdata_add_field(&data, DATA_ID, lengths[i].id);
		docdata_begin_body(&data);
		strbuf_adds(&data, "школа");
		cr_assert_eq(xapian_c_doc_set_data(doc, data.buf, data.len), XAPIAN_C_OK);
		strbuf_reset(&idterm);
		strbuf_addf(&idterm, "%s%s", PREFIX_ID, lengths[i].id);
		cr_assert_eq(xapian_c_doc_add_boolean_term(doc, idterm.buf), XAPIAN_C_OK);
		cr_assert_eq(xapian_c_wdb_replace_document(wdb, idterm.buf, doc, NULL),
			     XAPIAN_C_OK);
		xapian_c_doc_free(doc);
	}
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	strbuf_release(&data);
	strbuf_release(&idterm);
}

/* The ids and scores of the results for «школа», best first. */
static size_t
ranked(char ids[][8], double *scores)
{
	searcher_results_t res;
	searcher_t *s = run("школа", 0, &res);
	size_t n;
	for (n = 0; n < res.n && n < 3; n++) {
		char *id = searcher_hit_dup(&res.hits[n], DATA_ID);
		snprintf(ids[n], 8, "%s", id);
		scores[n] = res.hits[n].score;
		free(id);
	}
	searcher_results_release(&res);
	searcher_close(s);
	return n;
}

Test(searcher, normalised_wdf_ranks_as_bm25_with_the_lengths)
{
	char raw[3][8], norm[3][8];
	double raw_score[3], norm_score[3];
	build_lengths(0);
	cr_assert_eq(ranked(raw, raw_score), 3);
	cr_expect_str_eq(raw[0], "p40");
	cr_expect_str_eq(raw[1], "p250");
	cr_expect_str_eq(raw[2], "p10");
	util_remove_tree(dbpath);
	build_lengths(1);
	cr_assert_eq(ranked(norm, norm_score), 3);
	for (int i = 0; i < 3; i++) {
		cr_expect_str_eq(norm[i], raw[i], "rank %d", i + 1);
		/* the same scores, but for the wdf's rounding */
		cr_expect_float_eq(norm_score[i], raw_score[i], 0.02 * raw_score[i], "rank %d",
				   i + 1);
	}
}

/* The warnings of «школа» over the shards `paths`. */
static char *
shard_warnings(const char *const *paths, size_t n)
{
	searcher_t *s = NULL;
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	searcher_options_t so = { 0, 0 };
	searcher_results_t res;
	char *msg = NULL, *w;
	cr_assert_eq(searcher_open_shards(paths, n, &so, &s, &msg), SEARCHER_OK, "%s",
		     msg ? msg : "");
	rq.query = "школа";
	cr_assert_eq(searcher_run_query(s, &rq, &res), SEARCHER_OK, "%s", searcher_error(s));
	cr_assert_eq(res.n, 6);
	w = strdup(res.warnings);
	searcher_results_release(&res);
	searcher_close(s);
	return w;
}

Test(searcher, shards_ranked_two_ways_are_named_in_a_warning)
{
	char first[sizeof dbpath], second[sizeof dbpath], *w;
	const char *const paths[] = { first, second };
	snprintf(first, sizeof first, "%s", dbpath);
	build_lengths(1);
	snprintf(dbpath, sizeof dbpath, "%s/db2", tmpdir);
	snprintf(second, sizeof second, "%s", dbpath);
	build_lengths(0);
	w = shard_warnings(paths, 2);
	cr_expect(strstr(w, "older protodex"), "warnings: %s", w);
	free(w);
	util_remove_tree(second);
	build_lengths(1);
	w = shard_warnings(paths, 2);
	cr_expect_str_eq(w, "");
	free(w);
}

/* The shards searcher_parse_stub reads from `len` bytes of `text` for the
 * stub at "/data/stub", joined by '|'; "ERROR: message" when it refuses. */
static char *
stub_shards(const char *text, size_t len)
{
	char **list = NULL;
	size_t n = 0, i;
	strbuf_t err = STRBUF_INIT, out = STRBUF_INIT;

	if (searcher_parse_stub(text, len, "/data/stub", &list, &n, &err) < 0) {
		cr_assert_eq(n, 0, "a refused stub appends nothing");
		strbuf_addf(&out, "ERROR: %s", err.buf);
	}
	for (i = 0; i < n; i++) {
		strbuf_addf(&out, "%s%s", i ? "|" : "", list[i]);
		free(list[i]);
	}
	free(list);
	strbuf_release(&err);
	return strbuf_detach(&out, NULL);
}

Test(searcher, stub_lines_name_shards_as_xapian_reads_them)
{
	static const char with_nul[] = "auto a\0b\n";
	struct {
		const char *text;
		size_t len; /* 0: strlen */
		const char *want;
	} cases[] = {
		{ "auto tver\nglass /abs/karelia\nremote 10.0.0.5:8100\n", 0,
		  "/data/tver|/abs/karelia|tcp://10.0.0.5:8100" },
		/* the rest of the line is the path, spaces and all */
		{ "auto Тверская область/db\n", 0, "/data/Тверская область/db" },
		/* comments, blank lines, CRLF and trailing blanks */
		{ "# shards\r\n\r\n  \t\r\nauto a \r\nglass\tb", 0, "/data/a|/data/b" },
		{ "", 0, "" },
		{ "auto\n", 0,
		  "ERROR: stub database '/data/stub': the line 'auto' names no database" },
		{ "remote :xapian-progsrv db\n", 0,
		  "ERROR: stub database '/data/stub': only TCP remotes are supported, not "
		  "'remote :xapian-progsrv db'" },
		/* a refused line takes back the shards of the lines before it */
		{ "auto a\nchert b\n", 0,
		  "ERROR: stub database '/data/stub': unknown kind 'chert' (auto, glass or "
		  "remote)" },
		{ with_nul, sizeof with_nul - 1,
		  "ERROR: stub database '/data/stub': not a text file (it holds NUL bytes)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = stub_shards(cases[i].text,
					cases[i].len ? cases[i].len : strlen(cases[i].text));
		cr_expect_str_eq(got, cases[i].want, "stub %zu", i);
		free(got);
	}
}

Test(searcher, stub_file_opens_a_shard_whose_path_has_a_space)
{
	char shard[160], stub[160];
	searcher_t *s = NULL;
	char *msg = NULL;
	FILE *f;
	char *data = NULL;
	size_t len = 0;

	build(1);
	snprintf(shard, sizeof shard, "%s/Тверская область", tmpdir);
	cr_assert_eq(rename(dbpath, shard), 0, "rename: %s", strerror(errno));
	snprintf(stub, sizeof stub, "%s/all.stub", tmpdir);
	cr_assert_not_null(f = fopen(stub, "w"));
	fputs("# one shard\nauto Тверская область\n", f);
	cr_assert_eq(fclose(f), 0);

	cr_assert_eq(searcher_open(stub, &s, &msg), SEARCHER_OK, "%s", msg ? msg : "");
	cr_assert_eq(searcher_get(s, "p1-1", &data, &len), SEARCHER_OK, "%s", searcher_error(s));
	cr_expect_not_null(strstr(data, "Обеспечить объективность."));
	free(data);
	searcher_close(s);
}
