/*
 * The Xapian shim against a real Xapian database in a fresh temporary
 * directory per test (Criterion runs each test in its own process; .init
 * makes the directory, .fini removes it).
 *
 * Documents are indexed the way the indexer does it (common/schema.h):
 * positional "Z" + key terms where the key comes from a stem callback,
 * a "Q" + id unique term, an "XF" + format boolean term, a value and data.
 * The test stemmer truncates ASCII words to 4 bytes, so "alphabet" and
 * "alphas" share the key "alph"; words starting with 'k' are refused (the
 * callback returns non-zero) and must come back unchanged.
 */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xapian-c/xapian-c.h"

static char tmpdir[64];
static char dbpath[128];

static void setup(void)
{
	strcpy(tmpdir, "/tmp/test_xapian_c.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void teardown(void)
{
	if (tmpdir[0])
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(xapian_c, .init = setup, .fini = teardown);

/* ---- Helpers ----------------------------------------------------------- */

struct stem_ctx {
	char buf[64];
	int calls;
};

/* Truncate to 4 bytes; refuse words starting with 'k'. */
static int test_stem(void *ctx, const char *word, size_t len, const char **out,
		     size_t *out_len)
{
	struct stem_ctx *sc = ctx;
	sc->calls++;
	if (len > 0 && word[0] == 'k')
		return 1;
	if (len > 4)
		len = 4;
	if (len >= sizeof sc->buf)
		return 1;
	memcpy(sc->buf, word, len);
	sc->buf[len] = '\0';
	*out = sc->buf;
	*out_len = len;
	return 0;
}

static void key_of(const char *word, char *term, size_t size)
{
	struct stem_ctx sc = {0};
	const char *out;
	size_t out_len;
	if (test_stem(&sc, word, strlen(word), &out, &out_len) != 0) {
		out = word;
		out_len = strlen(word);
	}
	snprintf(term, size, "Z%.*s", (int)out_len, out);
}

static xapian_c_wdb_t *open_writer(void)
{
	xapian_c_wdb_t *wdb = NULL;
	char *msg = NULL;
	xapian_c_status_t st = xapian_c_wdb_open(dbpath, &wdb, &msg);
	cr_assert_eq(st, XAPIAN_C_OK, "wdb_open: %s", msg ? msg : "(no message)");
	cr_assert_not_null(wdb);
	cr_assert_null(msg);
	return wdb;
}

static xapian_c_rdb_t *open_reader(void)
{
	xapian_c_rdb_t *rdb = NULL;
	char *msg = NULL;
	xapian_c_status_t st = xapian_c_rdb_open(dbpath, &rdb, &msg);
	cr_assert_eq(st, XAPIAN_C_OK, "rdb_open: %s", msg ? msg : "(no message)");
	cr_assert_not_null(rdb);
	return rdb;
}

/*
 * Index `text` (space-separated ASCII words) as document `id`, the way the
 * indexer does, with data "<id>:<text>" and value 0 "stamp-<id>".
 */
static xapian_c_docid_t put_doc(xapian_c_wdb_t *wdb, const char *id, const char *text)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	cr_assert_not_null(doc);
	char copy[512], term[128], data[600];
	snprintf(copy, sizeof copy, "%s", text);
	unsigned pos = 1;
	for (char *save, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		key_of(w, term, sizeof term);
		cr_assert_eq(xapian_c_doc_add_posting(doc, term, pos++, 1), XAPIAN_C_OK);
	}
	snprintf(term, sizeof term, "Q%s", id);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, term), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "XFtxt"), XAPIAN_C_OK);
	snprintf(data, sizeof data, "stamp-%s", id);
	cr_assert_eq(xapian_c_doc_set_value(doc, 0, data, strlen(data)), XAPIAN_C_OK);
	snprintf(data, sizeof data, "%s:%s", id, text);
	cr_assert_eq(xapian_c_doc_set_data(doc, data, strlen(data)), XAPIAN_C_OK);

	xapian_c_docid_t docid = 0;
	xapian_c_status_t st = xapian_c_wdb_replace_document(wdb, term, doc, &docid);
	xapian_c_doc_free(doc);
	cr_assert_eq(st, XAPIAN_C_OK, "replace: %s", xapian_c_wdb_error(wdb));
	cr_assert_neq(docid, 0);
	return docid;
}

static unsigned wdb_count(xapian_c_wdb_t *wdb)
{
	unsigned n = 12345;
	cr_assert_eq(xapian_c_wdb_doccount(wdb, &n), XAPIAN_C_OK);
	return n;
}

static unsigned rdb_count(xapian_c_rdb_t *rdb)
{
	unsigned n = 12345;
	cr_assert_eq(xapian_c_rdb_doccount(rdb, &n), XAPIAN_C_OK);
	return n;
}

/* Parse `q` and run it; the caller frees the mset and query. */
static xapian_c_mset_t *search(xapian_c_rdb_t *rdb, xapian_c_qp_t *qp, const char *q,
			       unsigned flags, xapian_c_query_t **query)
{
	xapian_c_status_t st = xapian_c_qp_parse(qp, q, flags, query);
	cr_assert_eq(st, XAPIAN_C_OK, "parse '%s': %s", q, xapian_c_qp_error(qp));
	xapian_c_mset_t *mset = NULL;
	st = xapian_c_rdb_search(rdb, *query, qp, 0, 10, &mset);
	cr_assert_eq(st, XAPIAN_C_OK, "search '%s': %s", q, xapian_c_rdb_error(rdb));
	cr_assert_not_null(mset);
	return mset;
}

/* The ids ("a", "b", ...) of the results, in docid order, as one string. */
static void result_ids(xapian_c_mset_t *mset, char *ids, size_t size)
{
	unsigned n = xapian_c_mset_size(mset);
	size_t k = 0;
	for (unsigned i = 0; i < n && k + 1 < size; i++) {
		char *data = NULL;
		size_t len = 0;
		cr_assert_eq(xapian_c_mset_data(mset, i, &data, &len), XAPIAN_C_OK);
		cr_assert(len > 0);
		ids[k++] = data[0];
		free(data);
	}
	ids[k] = '\0';
	/* Sort so that the expectation does not depend on ranking. */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			char t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
}

/* `q`'s results, by id, are `want`. */
static void expect_ids(xapian_c_rdb_t *rdb, xapian_c_qp_t *qp, const char *q,
		       unsigned flags, const char *want)
{
	xapian_c_query_t *query;
	xapian_c_mset_t *m = search(rdb, qp, q, flags, &query);
	char ids[16];
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, want, "'%s' found '%s'", q, ids);
	xapian_c_mset_free(m);
	xapian_c_query_free(query);
}

/* Index three documents "a", "b", "c" and commit. */
static void put_three(void)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "alphabet beta gamma delta");
	put_doc(wdb, "b", "beta alphas epsilon");
	put_doc(wdb, "c", "gamma epsilon kappas zeta");
	xapian_c_wdb_close(wdb);
}

/* ---- Writing ----------------------------------------------------------- */

Test(xapian_c, open_creates_database)
{
	struct stat st;
	cr_assert_neq(stat(dbpath, &st), 0, "database exists before the test");
	xapian_c_wdb_t *wdb = open_writer();
	cr_assert_eq(stat(dbpath, &st), 0, "wdb_open did not create '%s'", dbpath);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(wdb_count(wdb), 0);
	cr_assert_str_eq(xapian_c_wdb_error(wdb), "");
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 0);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, document_terms_values_and_data_round_trip)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_doc_t *doc = xapian_c_doc_new();
	cr_assert_eq(xapian_c_doc_add_posting(doc, "Zalph", 1, 1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_posting(doc, "Zbeta", 2, 1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_term(doc, "Xunpositioned", 0), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "Qdoc1"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_value(doc, 0, "12:34", 5), XAPIAN_C_OK);
	/* Data and values may hold NULs. */
	cr_assert_eq(xapian_c_doc_set_value(doc, 3, "x\0y", 3), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_data(doc, "head\0body", 9), XAPIAN_C_OK);
	xapian_c_docid_t id = 0;
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, "Qdoc1", doc, &id), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	cr_assert_eq(id, 1);

	/* The writer sees its own uncommitted document. */
	char *value = NULL;
	size_t len = 0;
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qdoc1", 0, &value, &len),
		     XAPIAN_C_OK);
	cr_assert_eq(len, 5);
	cr_assert_str_eq(value, "12:34");
	free(value);
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qdoc1", 3, &value, &len),
		     XAPIAN_C_OK);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(value, "x\0y", 3), 0);
	free(value);
	/* An unset slot reads as empty, not as an error. */
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qdoc1", 7, &value, &len),
		     XAPIAN_C_OK);
	cr_assert_eq(len, 0);
	cr_assert_str_eq(value, "");
	free(value);
	value = (char *)"untouched";
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qnope", 0, &value, &len),
		     XAPIAN_C_NOT_FOUND);
	cr_assert_null(value);
	cr_assert(strstr(xapian_c_wdb_error(wdb), "Qnope"), "message: %s",
		  xapian_c_wdb_error(wdb));
	/* The next call clears the message. */
	cr_assert_eq(wdb_count(wdb), 1);
	cr_assert_str_eq(xapian_c_wdb_error(wdb), "");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	unsigned freq = 0;
	cr_assert_eq(xapian_c_rdb_termfreq(rdb, "Zalph", &freq), XAPIAN_C_OK);
	cr_assert_eq(freq, 1);
	cr_assert_eq(xapian_c_rdb_termfreq(rdb, "Xunpositioned", &freq), XAPIAN_C_OK);
	cr_assert_eq(freq, 1);
	cr_assert_eq(xapian_c_rdb_termfreq(rdb, "Zmissing", &freq), XAPIAN_C_OK);
	cr_assert_eq(freq, 0);
	char *data = NULL;
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qdoc1", &data, &len), XAPIAN_C_OK);
	cr_assert_eq(len, 9);
	cr_assert_eq(memcmp(data, "head\0body", 10), 0, "data not NUL-terminated copy");
	free(data);
	data = (char *)"untouched";
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qnope", &data, &len),
		     XAPIAN_C_NOT_FOUND);
	cr_assert_null(data);
	cr_assert(strstr(xapian_c_rdb_error(rdb), "'Qnope'"), "message: %s",
		  xapian_c_rdb_error(rdb));
	/* The reader's values by term, as the writer's above. */
	value = NULL;
	cr_assert_eq(xapian_c_rdb_get_value_by_term(rdb, "Qdoc1", 3, &value, &len), XAPIAN_C_OK);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(value, "x\0y", 4), 0);
	free(value);
	cr_assert_eq(xapian_c_rdb_get_value_by_term(rdb, "Qdoc1", 7, &value, &len), XAPIAN_C_OK);
	cr_assert_eq(len, 0);
	cr_assert_str_eq(value, "");
	free(value);
	value = (char *)"untouched";
	cr_assert_eq(xapian_c_rdb_get_value_by_term(rdb, "Qnope", 3, &value, &len),
		     XAPIAN_C_NOT_FOUND);
	cr_assert_null(value);
	cr_assert_eq(xapian_c_rdb_get_value_by_term(rdb, NULL, 3, &value, &len),
		     XAPIAN_C_INVALID_ARGUMENT);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, replace_by_unique_term_does_not_duplicate)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_docid_t first = put_doc(wdb, "a", "old text");
	xapian_c_docid_t second = put_doc(wdb, "a", "new text");
	cr_assert_eq(first, second);
	cr_assert_eq(wdb_count(wdb), 1);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 1);
	char *data = NULL;
	size_t len;
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qa", &data, &len), XAPIAN_C_OK);
	cr_assert_str_eq(data, "a:new text");
	free(data);
	unsigned freq = 99;
	cr_assert_eq(xapian_c_rdb_termfreq(rdb, "Zold", &freq), XAPIAN_C_OK);
	cr_assert_eq(freq, 0, "terms of the replaced document survived");
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, delete_by_term)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "one");
	put_doc(wdb, "b", "two");
	cr_assert_eq(wdb_count(wdb), 2);
	cr_assert_eq(xapian_c_wdb_delete_by_term(wdb, "Qa"), XAPIAN_C_OK);
	cr_assert_eq(wdb_count(wdb), 1);
	/* Deleting what is not there is not an error. */
	cr_assert_eq(xapian_c_wdb_delete_by_term(wdb, "Qzzz"), XAPIAN_C_OK);
	cr_assert_eq(wdb_count(wdb), 1);
	char *v = NULL;
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qa", 0, &v, NULL),
		     XAPIAN_C_NOT_FOUND);
	cr_assert_eq(xapian_c_wdb_get_value_by_term(wdb, "Qb", 0, &v, NULL), XAPIAN_C_OK);
	cr_assert_str_eq(v, "stamp-b");
	free(v);
	/* A term shared by both documents deletes every one of them. */
	put_doc(wdb, "c", "three");
	cr_assert_eq(xapian_c_wdb_delete_by_term(wdb, "XFtxt"), XAPIAN_C_OK);
	cr_assert_eq(wdb_count(wdb), 0);
	xapian_c_wdb_close(wdb);
}

Test(xapian_c, metadata_round_trip)
{
	xapian_c_wdb_t *wdb = open_writer();
	char *v = NULL;
	cr_assert_eq(xapian_c_wdb_get_metadata(wdb, "protodex:schema", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "", "unset metadata is not empty");
	free(v);
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "protodex:schema", "1"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "protodex:analyzer", "ru-2"),
		     XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_get_metadata(wdb, "protodex:schema", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "1");
	free(v);
	/* Xapian refuses an empty key: InvalidArgumentError, described. */
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "", "x"), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert(strstr(xapian_c_wdb_error(wdb), "InvalidArgumentError"), "message: %s",
		  xapian_c_wdb_error(wdb));
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(xapian_c_rdb_get_metadata(rdb, "protodex:analyzer", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "ru-2");
	free(v);
	cr_assert_eq(xapian_c_rdb_get_metadata(rdb, "nope", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "");
	free(v);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, metadata_bytes_keep_nuls)
{
	static const char key[] = "w:\0x", value[] = "3\x01key\0other\0";
	xapian_c_wdb_t *wdb = open_writer();
	char *v = NULL;
	size_t len = 99;
	cr_assert_eq(xapian_c_wdb_set_metadata_bytes(wdb, key, sizeof key - 1, value,
						     sizeof value - 1),
		     XAPIAN_C_OK, "%s", xapian_c_wdb_error(wdb));
	cr_assert_eq(xapian_c_wdb_set_metadata_bytes(wdb, key, 0, "x", 1),
		     XAPIAN_C_INVALID_ARGUMENT);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(xapian_c_rdb_get_metadata_bytes(rdb, key, sizeof key - 1, &v, &len),
		     XAPIAN_C_OK);
	cr_assert_eq(len, sizeof value - 1);
	cr_assert(!memcmp(v, value, len), "value changed on the way");
	free(v);
	/* the key stops nowhere near its NUL: "w:" alone is another key */
	cr_assert_eq(xapian_c_rdb_get_metadata_bytes(rdb, key, 2, &v, &len), XAPIAN_C_OK);
	cr_assert_eq(len, 0);
	free(v);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, revision_counts_commits)
{
	unsigned long long r0 = 99, r1 = 99;
	xapian_c_wdb_t *wdb = open_writer();
	cr_assert_eq(xapian_c_wdb_revision(wdb, &r0), XAPIAN_C_OK);
	put_doc(wdb, "a", "alphabet");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_revision(wdb, &r1), XAPIAN_C_OK);
	cr_assert_eq(r1, r0 + 1);
	cr_assert_eq(xapian_c_wdb_revision(wdb, NULL), XAPIAN_C_INVALID_ARGUMENT);
	xapian_c_wdb_close(wdb);
}

Test(xapian_c, compact_many_merges_in_order)
{
	char other[160], merged[160], *msg = NULL, *v = NULL;
	const char *srcs[2] = { dbpath, other };
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "alphabet beta");
	put_doc(wdb, "b", "beta gamma");
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "who", "first"), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	snprintf(other, sizeof other, "%s/other", tmpdir);
	cr_assert_eq(xapian_c_wdb_open(other, &wdb, &msg), XAPIAN_C_OK, "%s", msg);
	put_doc(wdb, "c", "gamma delta");
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "who", "second"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, "only", "here"), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);

	snprintf(merged, sizeof merged, "%s/merged", tmpdir);
	cr_assert_eq(xapian_c_compact_many(srcs, 2, merged, &msg), XAPIAN_C_OK, "%s", msg);
	xapian_c_rdb_t *rdb = NULL;
	cr_assert_eq(xapian_c_rdb_open(merged, &rdb, &msg), XAPIAN_C_OK);
	cr_assert_eq(rdb_count(rdb), 3);
	/* documents renumbered in the sources' order: a, b, then c */
	for (unsigned id = 1; id <= 3; id++) {
		char term[8];
		size_t len = 0;
		snprintf(term, sizeof term, "Q%c", "abc"[id - 1]);
		cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, term, &v, &len), XAPIAN_C_OK);
		cr_assert_eq(v[0], "abc"[id - 1]);
		free(v);
	}
	cr_assert_eq(xapian_c_rdb_get_metadata(rdb, "who", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "first", "the first source's metadata wins");
	free(v);
	cr_assert_eq(xapian_c_rdb_get_metadata(rdb, "only", &v), XAPIAN_C_OK);
	cr_assert_str_eq(v, "here");
	free(v);
	xapian_c_rdb_close(rdb);

	/* a source that is not there is named */
	srcs[1] = "/nonexistent/db";
	snprintf(merged, sizeof merged, "%s/merged2", tmpdir);
	cr_assert_neq(xapian_c_compact_many(srcs, 2, merged, &msg), XAPIAN_C_OK);
	cr_assert(msg && strstr(msg, "/nonexistent/db"), "message: %s", msg ? msg : "(none)");
	free(msg);
}

Test(xapian_c, transaction_commit_is_visible)
{
	xapian_c_wdb_t *wdb = open_writer();
	cr_assert_eq(xapian_c_wdb_begin_transaction(wdb), XAPIAN_C_OK);
	put_doc(wdb, "a", "inside");
	/* A plain commit is not allowed inside a transaction. */
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_XAPIAN_ERROR);
	cr_assert(strstr(xapian_c_wdb_error(wdb), "cannot commit"), "message: %s",
		  xapian_c_wdb_error(wdb));
	cr_assert_eq(xapian_c_wdb_commit_transaction(wdb), XAPIAN_C_OK);
	/* The transaction is over: a second commit_transaction fails. */
	cr_assert_neq(xapian_c_wdb_commit_transaction(wdb), XAPIAN_C_OK);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 1, "committed transaction not visible to a reader");
	xapian_c_rdb_close(rdb);
	xapian_c_wdb_close(wdb);
}

Test(xapian_c, transaction_cancel_discards)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "kept");
	cr_assert_eq(xapian_c_wdb_begin_transaction(wdb), XAPIAN_C_OK);
	put_doc(wdb, "b", "cancelled");
	cr_assert_eq(wdb_count(wdb), 2);
	cr_assert_eq(xapian_c_wdb_cancel_transaction(wdb), XAPIAN_C_OK);
	cr_assert_eq(wdb_count(wdb), 1);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 1);
	char *data = NULL;
	size_t len;
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qb", &data, &len),
		     XAPIAN_C_NOT_FOUND, "cancelled document present after reopen");
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qa", &data, &len), XAPIAN_C_OK);
	free(data);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, close_cancels_open_transaction)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "before");
	cr_assert_eq(xapian_c_wdb_begin_transaction(wdb), XAPIAN_C_OK);
	put_doc(wdb, "b", "unfinished");
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 1, "close applied an unfinished transaction");
	char *data = NULL;
	size_t len;
	cr_assert_eq(xapian_c_rdb_get_data_by_term(rdb, "Qa", &data, &len), XAPIAN_C_OK,
		     "close lost the changes made before the transaction");
	free(data);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, second_writer_is_locked_out)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_wdb_t *other = (xapian_c_wdb_t *)&other;
	char *msg = NULL;
	xapian_c_status_t st = xapian_c_wdb_open(dbpath, &other, &msg);
	cr_assert_eq(st, XAPIAN_C_LOCKED, "got %s: %s", xapian_c_status_to_string(st),
		     msg ? msg : "(no message)");
	cr_assert_null(other);
	cr_assert_not_null(msg);
	cr_assert(strstr(msg, dbpath), "message does not name the path: %s", msg);
	cr_assert(strstr(msg, "DatabaseLockError"), "no Xapian description: %s", msg);
	free(msg);
	xapian_c_wdb_close(wdb);

	/* Once the first writer is gone the lock is free again. */
	wdb = open_writer();
	xapian_c_wdb_close(wdb);
}

Test(xapian_c, rdb_open_missing_is_not_found)
{
	xapian_c_rdb_t *rdb = (xapian_c_rdb_t *)&rdb;
	char *msg = NULL;
	xapian_c_status_t st = xapian_c_rdb_open(dbpath, &rdb, &msg);
	cr_assert_eq(st, XAPIAN_C_NOT_FOUND, "got %s: %s", xapian_c_status_to_string(st),
		     msg ? msg : "(no message)");
	cr_assert_null(rdb);
	cr_assert_not_null(msg);
	cr_assert(strstr(msg, dbpath), "message does not name the path: %s", msg);
	free(msg);
	/* A NULL errmsg is allowed. */
	cr_assert_eq(xapian_c_rdb_open(dbpath, &rdb, NULL), XAPIAN_C_NOT_FOUND);
}

Test(xapian_c, wdb_open_without_parent_directory_fails)
{
	char path[256];
	snprintf(path, sizeof path, "%s/no/such/parent", tmpdir);
	xapian_c_wdb_t *wdb = NULL;
	char *msg = NULL;
	xapian_c_status_t st = xapian_c_wdb_open(path, &wdb, &msg);
	cr_assert_neq(st, XAPIAN_C_OK);
	cr_assert_null(wdb);
	cr_assert_not_null(msg);
	cr_assert(strstr(msg, path), "message does not name the path: %s", msg);
	free(msg);
}

/* ---- Querying ---------------------------------------------------------- */

Test(xapian_c, query_parser_uses_stem_callback_and_z_terms)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	cr_assert_not_null(qp);

	xapian_c_query_t *q = NULL;
	xapian_c_mset_t *m = search(rdb, qp, "alphabetical", XAPIAN_C_QP_DEFAULT, &q);
	cr_assert_gt(sc.calls, 0, "stem callback never called");
	char *desc = xapian_c_query_describe(q);
	cr_assert_not_null(desc);
	cr_assert(strstr(desc, "Zalph"), "query: %s", desc);
	free(desc);
	char ids[16];
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, "ab", "'alphabet' and 'alphas' share the key 'alph'");
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	/* A refused word is looked up unchanged. */
	m = search(rdb, qp, "kappas", XAPIAN_C_QP_DEFAULT, &q);
	desc = xapian_c_query_describe(q);
	cr_assert(strstr(desc, "Zkappas"), "query: %s", desc);
	free(desc);
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, "c");
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	/* The default operator is AND. */
	expect_ids(rdb, qp, "beta gamma", XAPIAN_C_QP_DEFAULT, "a");

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, phrase_matches_adjacent_positions_only)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	char ids[16];
	xapian_c_query_t *q;

	/* a has "alph beta" at 1-2, b has "beta alph" at 1-2: order matters. */
	expect_ids(rdb, qp, "alpha beta", XAPIAN_C_QP_DEFAULT, "ab");

	xapian_c_mset_t *m = search(rdb, qp, "\"beta alpha\"", XAPIAN_C_QP_DEFAULT, &q);
	char *desc = xapian_c_query_describe(q);
	cr_assert(strstr(desc, "PHRASE"), "query: %s", desc);
	free(desc);
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, "b");
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	expect_ids(rdb, qp, "\"alpha beta\"", XAPIAN_C_QP_DEFAULT, "a");

	/* Without FLAG_PHRASE the quotes are ignored. */
	expect_ids(rdb, qp, "\"beta alpha\"", XAPIAN_C_QP_BOOLEAN, "ab");

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

/* The wdf is scaled, rounded, at least 1; boolean terms and positions stay. */
Test(xapian_c, doc_scale_wdf_keeps_positions_and_boolean_terms)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	const char *const words[] = { "alpha", "beta", "beta", "gamma" };
	char term[64];
	unsigned long length = 0;
	for (unsigned i = 0; i < 4; i++) {
		key_of(words[i], term, sizeof term);
		cr_assert_eq(xapian_c_doc_add_posting(doc, term, i + 1, 1), XAPIAN_C_OK);
	}
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "Qa"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_length(doc, &length), XAPIAN_C_OK);
	cr_assert_eq(length, 4);
	/* up: 1 -> 2.5 -> 3, 2 -> 5 */
	cr_assert_eq(xapian_c_doc_scale_wdf(doc, 2.5), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_length(doc, &length), XAPIAN_C_OK);
	cr_assert_eq(length, 3 + 5 + 3);
	/* down: 3 -> 0.3 -> 1 (at least 1), 5 -> 0.5 -> 1 */
	cr_assert_eq(xapian_c_doc_scale_wdf(doc, 0.1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_length(doc, &length), XAPIAN_C_OK);
	cr_assert_eq(length, 3);
	cr_assert_eq(xapian_c_doc_scale_wdf(doc, 0), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_scale_wdf(NULL, 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_length(NULL, &length), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_set_data(doc, "a:", 2), XAPIAN_C_OK);
	xapian_c_wdb_t *wdb = open_writer();
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, "Qa", doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	xapian_c_query_t *q;
	unsigned freq = 0;
	cr_assert_eq(xapian_c_rdb_termfreq(rdb, "Qa", &freq), XAPIAN_C_OK);
	cr_assert_eq(freq, 1);
	/* each position is still there: the phrases over all four words */
	expect_ids(rdb, qp, "\"alpha beta beta gamma\"", XAPIAN_C_QP_DEFAULT, "a");
	xapian_c_mset_t *m = search(rdb, qp, "\"beta alpha\"", XAPIAN_C_QP_DEFAULT, &q);
	cr_assert_eq(xapian_c_mset_size(m), 0);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);
	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, minus_excludes_and_boolean_operators_work)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	char ids[16];
	xapian_c_query_t *q;

	expect_ids(rdb, qp, "epsilon -gamma", XAPIAN_C_QP_DEFAULT, "b");

	expect_ids(rdb, qp, "delta OR zeta", XAPIAN_C_QP_DEFAULT, "ac");

	/* Lower-case "or" is an operator only with BOOLEAN_ANY_CASE. */
	expect_ids(rdb, qp, "delta or zeta", XAPIAN_C_QP_DEFAULT, "");
	xapian_c_mset_t *m = search(rdb, qp, "delta or zeta",
		   XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_BOOLEAN_ANY_CASE, &q);
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, "ac");
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	/* "NOT x" alone needs PURE_NOT. */
	cr_assert_eq(xapian_c_qp_parse(qp, "NOT gamma", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_QUERY_SYNTAX);
	expect_ids(rdb, qp, "NOT gamma", XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_PURE_NOT, "b");

	/*
	 * Wildcards are not stemmed and get no "Z": "eps*" expands over
	 * unprefixed terms, of which a Z-only index has none.
	 */
	m = search(rdb, qp, "eps*", XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_WILDCARD, &q);
	char *desc = xapian_c_query_describe(q);
	cr_assert_str_eq(desc, "Query(WILDCARD SYNONYM eps)");
	free(desc);
	result_ids(m, ids, sizeof ids);
	cr_assert_str_eq(ids, "");
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, syntax_error_is_query_syntax)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	xapian_c_query_t *q = (xapian_c_query_t *)&q;

	/* A dangling operator is an error with FLAG_BOOLEAN ... */
	xapian_c_status_t st = xapian_c_qp_parse(qp, "gamma AND", XAPIAN_C_QP_BOOLEAN, &q);
	cr_assert_eq(st, XAPIAN_C_QUERY_SYNTAX, "got %s", xapian_c_status_to_string(st));
	cr_assert_null(q);
	const char *msg = xapian_c_qp_error(qp);
	cr_assert(strstr(msg, "QueryParserError"), "message: %s", msg);
	cr_assert(strstr(msg, "'gamma AND'"), "message does not quote the query: %s", msg);
	cr_assert_eq(xapian_c_qp_parse(qp, "AND", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_QUERY_SYNTAX);

	/* ... and two ordinary words without it. */
	cr_assert_eq(xapian_c_qp_parse(qp, "gamma AND", 0, &q), XAPIAN_C_OK);
	cr_assert_str_eq(xapian_c_qp_error(qp), "");
	xapian_c_query_free(q);

	/* Unbalanced quotes and brackets are forgiven. */
	cr_assert_eq(xapian_c_qp_parse(qp, "\"gamma delta", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_OK);
	xapian_c_query_free(q);
	cr_assert_eq(xapian_c_qp_parse(qp, "(gamma", XAPIAN_C_QP_DEFAULT, &q), XAPIAN_C_OK);
	xapian_c_query_free(q);

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, empty_query_and_description)
{
	xapian_c_wdb_close(open_writer());
	xapian_c_rdb_t *rdb = open_reader();
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, NULL, NULL);
	cr_assert_not_null(qp);
	xapian_c_query_t *q = NULL;
	cr_assert_eq(xapian_c_qp_parse(qp, "", XAPIAN_C_QP_DEFAULT, &q), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_query_empty(q), 1);
	char *desc = xapian_c_query_describe(q);
	cr_assert_str_eq(desc, "Query()");
	free(desc);
	xapian_c_query_free(q);

	/* Without a callback words are kept as they are (still "Z"-prefixed). */
	cr_assert_eq(xapian_c_qp_parse(qp, "alphabet", XAPIAN_C_QP_DEFAULT, &q), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_query_empty(q), 0);
	desc = xapian_c_query_describe(q);
	cr_assert_str_eq(desc, "Query(Zalphabet@1)");
	free(desc);
	/* An empty database gives an empty page, not an error. */
	xapian_c_mset_t *m = NULL;
	cr_assert_eq(xapian_c_rdb_search(rdb, q, qp, 0, 10, &m), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_mset_size(m), 0);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);
	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, boolean_prefix_filters)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "report");
	xapian_c_doc_t *doc = xapian_c_doc_new();
	cr_assert_eq(xapian_c_doc_add_posting(doc, "Zrepo", 1, 1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "Qd"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "XFdocx"), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_data(doc, "d:report", 8), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, "Qd", doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	xapian_c_wdb_close(wdb);

	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	cr_assert_eq(xapian_c_qp_add_prefix(qp, "format", "XF", 1), XAPIAN_C_OK);
	expect_ids(rdb, qp, "report", XAPIAN_C_QP_DEFAULT, "ad");
	expect_ids(rdb, qp, "report format:docx", XAPIAN_C_QP_DEFAULT, "d");
	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

/* ---- Results ------------------------------------------------------------ */

Test(xapian_c, mset_accessors)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	xapian_c_query_t *q;
	xapian_c_mset_t *m = search(rdb, qp, "epsilon", XAPIAN_C_QP_DEFAULT, &q);
	cr_assert_eq(xapian_c_mset_size(m), 2);
	unsigned lo = 99, est = 99, up = 99;
	xapian_c_mset_matches(m, &lo, &est, &up);
	cr_assert_eq(lo, 2);
	cr_assert_eq(est, 2);
	cr_assert_eq(up, 2);
	for (unsigned i = 0; i < 2; i++) {
		xapian_c_docid_t id = xapian_c_mset_docid(m, i);
		cr_assert(id == 2 || id == 3, "docid %u", id);
		cr_assert_gt(xapian_c_mset_score(m, i), 0.0);
		cr_assert_gt(xapian_c_mset_percent(m, i), 0);
		cr_assert_leq(xapian_c_mset_percent(m, i), 100);
		char *v = NULL;
		size_t len = 0;
		cr_assert_eq(xapian_c_mset_value(m, i, 0, &v, &len), XAPIAN_C_OK);
		cr_assert_eq(len, strlen("stamp-b"));
		cr_assert(!strcmp(v, "stamp-b") || !strcmp(v, "stamp-c"), "value %s", v);
		free(v);
	}
	/* Out of range. */
	cr_assert_eq(xapian_c_mset_docid(m, 2), 0);
	cr_assert_eq(xapian_c_mset_score(m, 2), 0.0);
	char *d = NULL;
	size_t len;
	cr_assert_eq(xapian_c_mset_data(m, 2, &d, &len), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_neq(xapian_c_mset_error(m)[0], '\0');
	cr_assert_eq(xapian_c_mset_value(m, 5, 0, &d, &len), XAPIAN_C_INVALID_ARGUMENT);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	/* Paging: offset 1, limit 1 gives the second result only. */
	cr_assert_eq(xapian_c_qp_parse(qp, "epsilon", XAPIAN_C_QP_DEFAULT, &q), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_rdb_search(rdb, q, qp, 1, 1, &m), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_mset_size(m), 1);
	xapian_c_mset_matches(m, NULL, &est, NULL);
	cr_assert_eq(est, 2);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, snippet_highlights_stemmed_matches)
{
	put_three();
	xapian_c_rdb_t *rdb = open_reader();
	struct stem_ctx sc = {0};
	xapian_c_qp_t *qp = xapian_c_qp_new(rdb, test_stem, &sc);
	xapian_c_query_t *q;
	xapian_c_mset_t *m = search(rdb, qp, "gamma", XAPIAN_C_QP_DEFAULT, &q);
	cr_assert_gt(xapian_c_mset_size(m), 0);

	/* "gammas" shares the key "gamm" with the query word. */
	const char *text = "the gammas were measured twice";
	char *snip = NULL;
	cr_assert_eq(xapian_c_mset_snippet(m, text, strlen(text), 200, "[[", "]]", &snip),
		     XAPIAN_C_OK, "snippet: %s", xapian_c_mset_error(m));
	cr_assert(strstr(snip, "[[gammas]]"), "snippet: %s", snip);
	cr_assert_null(strstr(snip, "[[the"), "snippet: %s", snip);
	free(snip);
	xapian_c_mset_free(m);

	/* Without the parser the snippet has no stemmer: no match on "gammas". */
	cr_assert_eq(xapian_c_rdb_search(rdb, q, NULL, 0, 10, &m), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_mset_snippet(m, text, strlen(text), 200, "[[", "]]", &snip),
		     XAPIAN_C_OK);
	cr_assert_null(strstr(snip, "[["), "snippet: %s", snip);
	free(snip);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	/* A long text is cut to about `length` bytes around the match. */
	m = search(rdb, qp, "zeta", XAPIAN_C_QP_DEFAULT, &q);
	char longtext[2048] = "";
	for (int i = 0; i < 60; i++)
		strcat(longtext, "filler words here ");
	strcat(longtext, "and zeta at the end");
	cr_assert_eq(xapian_c_mset_snippet(m, longtext, strlen(longtext), 60, "<b>", "</b>",
					   &snip),
		     XAPIAN_C_OK);
	cr_assert(strstr(snip, "<b>zeta</b>"), "snippet: %s", snip);
	cr_assert_lt(strlen(snip), 120, "snippet too long: %s", snip);
	cr_assert(strstr(snip, "…"), "no omission mark: %s", snip);
	free(snip);
	xapian_c_mset_free(m);
	xapian_c_query_free(q);

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

/* ---- Readers and writers together -------------------------------------- */

Test(xapian_c, reopen_sees_other_writers_commits)
{
	xapian_c_wdb_t *wdb = open_writer();
	put_doc(wdb, "a", "first");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);

	xapian_c_rdb_t *rdb = open_reader();
	cr_assert_eq(rdb_count(rdb), 1);
	put_doc(wdb, "b", "second");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	cr_assert_eq(rdb_count(rdb), 1, "reader moved without reopen");
	cr_assert_eq(xapian_c_rdb_reopen(rdb), XAPIAN_C_OK);
	cr_assert_eq(rdb_count(rdb), 2);
	xapian_c_wdb_close(wdb);
	xapian_c_rdb_close(rdb);
}

/* ---- Argument checking ------------------------------------------------- */

Test(xapian_c, null_handles_are_invalid_arguments)
{
	char *s = NULL;
	size_t len;
	unsigned n;
	xapian_c_query_t *q = NULL;
	xapian_c_mset_t *m = NULL;

	cr_assert_eq(xapian_c_doc_add_posting(NULL, "Zx", 1, 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_add_term(NULL, "Zx", 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_add_boolean_term(NULL, "Qx"), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_set_value(NULL, 0, "v", 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_set_data(NULL, "d", 1), XAPIAN_C_INVALID_ARGUMENT);

	cr_assert_eq(xapian_c_wdb_begin_transaction(NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_commit_transaction(NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_cancel_transaction(NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_commit(NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_replace_document(NULL, "Qx", NULL, NULL),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_delete_by_term(NULL, "Qx"), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_get_value_by_term(NULL, "Qx", 0, &s, &len),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_set_metadata(NULL, "k", "v"), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_get_metadata(NULL, "k", &s), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_doccount(NULL, &n), XAPIAN_C_INVALID_ARGUMENT);

	cr_assert_eq(xapian_c_rdb_reopen(NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_get_metadata(NULL, "k", &s), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_doccount(NULL, &n), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_termfreq(NULL, "Zx", &n), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_get_data_by_term(NULL, "Qx", &s, &len),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_search(NULL, q, NULL, 0, 10, &m),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_null(xapian_c_qp_new(NULL, test_stem, NULL));
	cr_assert_eq(xapian_c_qp_add_prefix(NULL, "f", "XF", 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_qp_parse(NULL, "x", 0, &q), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_null(q);
	cr_assert_null(xapian_c_query_describe(NULL));
	cr_assert_eq(xapian_c_query_empty(NULL), 1);

	cr_assert_eq(xapian_c_mset_size(NULL), 0);
	cr_assert_eq(xapian_c_mset_docid(NULL, 0), 0);
	cr_assert_eq(xapian_c_mset_score(NULL, 0), 0.0);
	cr_assert_eq(xapian_c_mset_percent(NULL, 0), 0);
	unsigned lo = 9, est = 9, up = 9;
	xapian_c_mset_matches(NULL, &lo, &est, &up);
	cr_assert(lo == 0 && est == 0 && up == 0);
	cr_assert_eq(xapian_c_mset_data(NULL, 0, &s, &len), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_mset_value(NULL, 0, 0, &s, &len), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_mset_snippet(NULL, "t", 1, 10, "<", ">", &s),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_null(s, "an output was written for a NULL handle");

	/* Error accessors never return NULL. */
	cr_assert_not_null(xapian_c_wdb_error(NULL));
	cr_assert_not_null(xapian_c_rdb_error(NULL));
	cr_assert_not_null(xapian_c_qp_error(NULL));
	cr_assert_not_null(xapian_c_mset_error(NULL));

	/* Open functions: NULL path, NULL out. */
	xapian_c_wdb_t *wdb = NULL;
	cr_assert_eq(xapian_c_wdb_open(NULL, &wdb, &s), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_not_null(s);
	free(s);
	s = NULL;
	cr_assert_eq(xapian_c_wdb_open(dbpath, NULL, NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_open(NULL, NULL, NULL), XAPIAN_C_INVALID_ARGUMENT);

	/* Freeing NULL does nothing. */
	xapian_c_wdb_close(NULL);
	xapian_c_rdb_close(NULL);
	xapian_c_doc_free(NULL);
	xapian_c_qp_free(NULL);
	xapian_c_query_free(NULL);
	xapian_c_mset_free(NULL);
}

Test(xapian_c, null_arguments_on_live_handles)
{
	xapian_c_wdb_t *wdb = open_writer();
	char *s = NULL;
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, "Qx", NULL, NULL),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_neq(xapian_c_wdb_error(wdb)[0], '\0', "no message on the handle");
	cr_assert_eq(xapian_c_wdb_delete_by_term(wdb, NULL), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_get_metadata(wdb, NULL, &s), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_wdb_doccount(wdb, NULL), XAPIAN_C_INVALID_ARGUMENT);

	/* Xapian's own check: empty terms are refused. */
	xapian_c_doc_t *doc = xapian_c_doc_new();
	cr_assert_eq(xapian_c_doc_add_posting(doc, "", 1, 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_add_posting(doc, NULL, 1, 1), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_set_data(doc, NULL, 3), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_doc_set_data(doc, NULL, 0), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
	xapian_c_wdb_close(wdb);
}

Test(xapian_c, status_names_are_distinct)
{
	const char *seen[XAPIAN_C_ERROR + 1];
	for (int s = XAPIAN_C_OK; s <= XAPIAN_C_ERROR; s++) {
		seen[s] = xapian_c_status_to_string((xapian_c_status_t)s);
		cr_assert_not_null(seen[s]);
		cr_assert_neq(seen[s][0], '\0');
		for (int t = 0; t < s; t++)
			cr_assert_str_neq(seen[s], seen[t], "status %d and %d share a name",
					  s, t);
	}
	cr_assert_str_eq(xapian_c_status_to_string(XAPIAN_C_LOCKED), "locked");
	cr_assert_str_eq(xapian_c_status_to_string(XAPIAN_C_QUERY_SYNTAX), "query syntax");
}

/* Documents with a value in slot 1 (a date) and slot 2 (a group). */
static void
put_valued(xapian_c_wdb_t *wdb, const char *id, const char *word, const char *date,
	   const char *group)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	char idterm[64], term[64];
	snprintf(idterm, sizeof(idterm), "Q%s", id);
	snprintf(term, sizeof(term), "Z%s", word);
	cr_assert_eq(xapian_c_doc_add_posting(doc, term, 1, 1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, idterm), XAPIAN_C_OK);
	if (*date)
		cr_assert_eq(xapian_c_doc_set_value(doc, 1, date, strlen(date)), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_value(doc, 2, group, strlen(group)), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_data(doc, id, strlen(id)), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, idterm, doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
}

/* The ids of a result page in result order, space-separated. */
static void
run_ids(xapian_c_rdb_t *rdb, const xapian_c_query_t *q, const xapian_c_run_options_t *opt,
	char *ids, size_t size, xapian_c_mset_t **keep)
{
	xapian_c_mset_t *m = NULL;
	size_t k = 0;
	cr_assert_eq(xapian_c_rdb_run(rdb, q, NULL, opt, &m), XAPIAN_C_OK, "%s",
		     xapian_c_rdb_error(rdb));
	for (unsigned i = 0; i < xapian_c_mset_size(m) && k + 3 < size; i++) {
		char *data = NULL;
		size_t len = 0;
		cr_assert_eq(xapian_c_mset_data(m, i, &data, &len), XAPIAN_C_OK);
		if (k)
			ids[k++] = ' ';
		ids[k++] = data[0];
		free(data);
	}
	ids[k] = '\0';
	if (keep)
		*keep = m;
	else
		xapian_c_mset_free(m);
}

Test(xapian_c, built_queries_sorting_ranges_and_facets)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_rdb_t *rdb;
	xapian_c_query_t *all, *word, *range, *both, *filtered;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	unsigned slots[] = { 2 };
	xapian_c_mset_t *m = NULL;
	char ids[256];
	const char *v;
	size_t len;
	unsigned count;

	put_valued(wdb, "a", "alpha", "20211201", "g1");
	put_valued(wdb, "b", "alpha", "20220115", "g2");
	put_valued(wdb, "c", "beta", "20201231", "g1");
	put_valued(wdb, "d", "alpha", "", "g1");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	rdb = open_reader();

	all = xapian_c_query_match_all();
	word = xapian_c_query_term("Zalpha");
	range = xapian_c_query_value_range(1, "20211101", "20211231");
	cr_assert(all && word && range);

	opt.sort_slot = 1;
	run_ids(rdb, all, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "d c a b", "ascending by value, missing value first");
	opt.sort_descending = 1;
	run_ids(rdb, all, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "b a c d");

	opt.sort_slot = -1;
	opt.sort_descending = 0;
	run_ids(rdb, range, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a");
	xapian_c_query_free(range);
	range = xapian_c_query_value_range(1, NULL, "20211231");
	opt.sort_slot = 1;
	run_ids(rdb, range, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "c a", "open lower end; an unset value is not in range");

	both = xapian_c_query_combine(XAPIAN_C_OP_AND, word, range);
	filtered = xapian_c_query_combine(XAPIAN_C_OP_FILTER, word, range);
	run_ids(rdb, both, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a");
	run_ids(rdb, filtered, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a");
	cr_assert_null(xapian_c_query_combine(99, word, range));

	/* Exact facets over every match, even past the page. */
	opt.sort_slot = -1;
	opt.limit = 1;
	opt.exact = 1;
	opt.facet_slots = slots;
	opt.n_facets = 1;
	run_ids(rdb, word, &opt, ids, sizeof(ids), &m);
	cr_assert_eq(xapian_c_mset_size(m), 1);
	cr_assert_eq(xapian_c_mset_facet_size(m, 0), 2);
	cr_assert_eq(xapian_c_mset_facet(m, 0, 0, &v, &len, &count), 0);
	cr_assert_eq(len, 2);
	cr_assert_eq(memcmp(v, "g1", 2), 0);
	cr_assert_eq(count, 2, "a and d are alpha in g1");
	cr_assert_eq(xapian_c_mset_facet(m, 0, 1, &v, &len, &count), 0);
	cr_assert_eq(count, 1);
	cr_assert_eq(xapian_c_mset_facet(m, 0, 2, &v, &len, &count), -1);
	cr_assert_eq(xapian_c_mset_facet_size(m, 1), 0, "no second facet");
	{
		unsigned lo, est, hi;
		xapian_c_mset_matches(m, &lo, &est, &hi);
		cr_assert_eq(lo, 3);
		cr_assert_eq(hi, 3, "exact counts");
	}
	xapian_c_mset_free(m);

	xapian_c_query_free(all);
	xapian_c_query_free(word);
	xapian_c_query_free(range);
	xapian_c_query_free(both);
	xapian_c_query_free(filtered);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, sorting_puts_missing_values_last_and_uses_a_second_key)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_rdb_t *rdb;
	xapian_c_query_t *all;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	char ids[256];

	put_valued(wdb, "a", "alpha", "20211201", "g2");
	put_valued(wdb, "b", "alpha", "", "g1");
	put_valued(wdb, "c", "beta", "20201231", "g2");
	put_valued(wdb, "d", "alpha", "20211201", "g1");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	rdb = open_reader();
	all = xapian_c_query_match_all();

	opt.sort_slot = 1;
	opt.sort_empty_last = 1;
	run_ids(rdb, all, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "c a d b", "ascending, missing value last");
	opt.sort_descending = 1;
	run_ids(rdb, all, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a d c b", "descending, missing value still last");
	opt.sort_descending = 0;
	opt.sort_slot2 = 2;
	run_ids(rdb, all, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "c d a b", "equal dates ordered by the second slot");

	xapian_c_query_free(all);
	xapian_c_rdb_close(rdb);
}

/* Field callbacks: the value, and what a failure does to the parse. */
static char seen[256];

static xapian_c_query_t *
group_field(void *ctx, const char *field, const char *value, size_t len, const char **err)
{
	char term[64];
	(void)ctx;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "[%s=%.*s]", field, (int)len,
		 value);
	if (len == 3 && !memcmp(value, "bad", 3)) {
		*err = "no such group";
		return NULL;
	}
	snprintf(term, sizeof(term), "G%.*s", (int)len, value);
	return xapian_c_query_term(term);
}

static xapian_c_query_t *
date_range(void *ctx, const char *field, const char *b, size_t blen, const char *e,
	   size_t elen, const char **err)
{
	char lo[16], hi[16];
	(void)ctx;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "[%s %.*s..%.*s]", field,
		 (int)blen, b, (int)elen, e);
	if (!blen && !elen) {
		*err = "empty range";
		return NULL;
	}
	snprintf(lo, sizeof(lo), "%.*s", (int)blen, b);
	snprintf(hi, sizeof(hi), "%.*s", (int)elen, e);
	return xapian_c_query_value_range(1, blen ? lo : NULL, elen ? hi : NULL);
}

static void
put_grouped(xapian_c_wdb_t *wdb, const char *id, const char *word, const char *date,
	    const char *group)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	char idterm[64], term[64], g[64];
	snprintf(idterm, sizeof(idterm), "Q%s", id);
	snprintf(term, sizeof(term), "Z%s", word);
	snprintf(g, sizeof(g), "G%s", group);
	cr_assert_eq(xapian_c_doc_add_posting(doc, term, 1, 1), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, idterm), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_add_boolean_term(doc, g), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_value(doc, 1, date, strlen(date)), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_doc_set_data(doc, id, strlen(id)), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_replace_document(wdb, idterm, doc, NULL), XAPIAN_C_OK);
	xapian_c_doc_free(doc);
}

Test(xapian_c, field_and_range_callbacks)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_rdb_t *rdb;
	xapian_c_qp_t *qp;
	xapian_c_query_t *q = NULL;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	struct stem_ctx sc = { 0 };
	char ids[256];

	put_grouped(wdb, "a", "alfa", "20211201", "one");
	put_grouped(wdb, "b", "alfa", "20220115", "two words");
	put_grouped(wdb, "c", "beta", "20201231", "one");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	rdb = open_reader();
	qp = xapian_c_qp_new(rdb, test_stem, &sc);
	cr_assert_not_null(qp);
	cr_assert_eq(xapian_c_qp_add_field(qp, "group", group_field, NULL), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_qp_add_field(qp, "date", group_field, NULL), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_qp_add_range(qp, "date", date_range, NULL), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_qp_add_field(qp, NULL, group_field, NULL),
		     XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_qp_add_range(qp, "x", NULL, NULL), XAPIAN_C_INVALID_ARGUMENT);
	opt.sort_slot = 1;

	seen[0] = '\0';
	cr_assert_eq(xapian_c_qp_parse(qp, "alfa group:one", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_OK);
	cr_assert_str_eq(seen, "[group=one]");
	run_ids(rdb, q, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a");
	xapian_c_query_free(q);

	seen[0] = '\0';
	cr_assert_eq(xapian_c_qp_parse(qp, "group:\"two words\" OR group:one",
				       XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_OK);
	cr_assert_str_eq(seen, "[group=two words][group=one]", "quotes removed");
	run_ids(rdb, q, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "c a b");
	xapian_c_query_free(q);

	seen[0] = '\0';
	cr_assert_eq(xapian_c_qp_parse(qp, "date:20211101..20221231", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_OK);
	cr_assert_str_eq(seen, "[date 20211101..20221231]", "a range goes to the range callback");
	run_ids(rdb, q, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "a b");
	xapian_c_query_free(q);

	seen[0] = '\0';
	cr_assert_eq(xapian_c_qp_parse(qp, "date:..20211231", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_OK);
	run_ids(rdb, q, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "c a", "open lower end");
	xapian_c_query_free(q);

	/* A callback's refusal is a syntax error carrying its message. */
	q = NULL;
	cr_assert_eq(xapian_c_qp_parse(qp, "alfa group:bad", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_QUERY_SYNTAX);
	cr_assert_null(q);
	cr_assert(strstr(xapian_c_qp_error(qp), "no such group") != NULL, "%s",
		  xapian_c_qp_error(qp));
	cr_assert_eq(xapian_c_qp_parse(qp, "date:..", XAPIAN_C_QP_DEFAULT, &q),
		     XAPIAN_C_QUERY_SYNTAX);
	cr_assert(strstr(xapian_c_qp_error(qp), "empty range") != NULL);

	xapian_c_qp_free(qp);
	xapian_c_rdb_close(rdb);
}

static int
collect_terms(void *ctx, const char *term, size_t len, unsigned freq)
{
	char *out = ctx;
	snprintf(out + strlen(out), 256 - strlen(out), "%s%.*s:%u", *out ? " " : "", (int)len,
		 term, freq);
	return !strncmp(term, "Gtwo", 4); /* stop after it */
}

Test(xapian_c, terms_by_prefix_and_match_none)
{
	xapian_c_wdb_t *wdb = open_writer();
	xapian_c_rdb_t *rdb;
	xapian_c_query_t *none;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	char out[256] = "", ids[64];

	put_grouped(wdb, "a", "alpha", "20211201", "one");
	put_grouped(wdb, "c", "beta", "20201231", "one");
	put_grouped(wdb, "b", "alpha", "20220115", "two");
	put_grouped(wdb, "d", "alpha", "20220115", "zzz");
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
	rdb = open_reader();
	cr_assert_eq(xapian_c_rdb_terms(rdb, "G", collect_terms, out), XAPIAN_C_OK);
	cr_assert_str_eq(out, "Gone:2 Gtwo:1", "in order, stopping when asked");
	out[0] = '\0';
	cr_assert_eq(xapian_c_rdb_terms(rdb, "Nothing", collect_terms, out), XAPIAN_C_OK);
	cr_assert_str_eq(out, "");
	cr_assert_eq(xapian_c_rdb_terms(rdb, "G", NULL, out), XAPIAN_C_INVALID_ARGUMENT);
	cr_assert_eq(xapian_c_rdb_terms(NULL, "G", collect_terms, out),
		     XAPIAN_C_INVALID_ARGUMENT);

	none = xapian_c_query_match_none();
	cr_assert_not_null(none);
	run_ids(rdb, none, &opt, ids, sizeof(ids), NULL);
	cr_assert_str_eq(ids, "");
	xapian_c_query_free(none);
	xapian_c_rdb_close(rdb);
}

/*
 * Documents n = 1..count in the database at `path`: term "Xeven" on even
 * n, value 5 "v<n % 3>" and 38 dots on every seventh (a sparse slot, of
 * several value chunks), value 6 "all".
 */
static void put_sparse(const char *path, unsigned count)
{
	xapian_c_wdb_t *wdb = NULL;
	char *msg = NULL;
	cr_assert_eq(xapian_c_wdb_open(path, &wdb, &msg), XAPIAN_C_OK, "%s", msg ? msg : "");
	for (unsigned n = 1; n <= count; n++) {
		xapian_c_doc_t *doc = xapian_c_doc_new();
		char id[32], v[48];
		snprintf(id, sizeof(id), "Q%u", n);
		cr_assert_eq(xapian_c_doc_add_boolean_term(doc, id), XAPIAN_C_OK);
		if (n % 2 == 0)
			cr_assert_eq(xapian_c_doc_add_boolean_term(doc, "Xeven"), XAPIAN_C_OK);
		if (n % 7 == 0) {
			snprintf(v, sizeof(v), "v%u%.38s", n % 3,
				 "......................................");
			cr_assert_eq(xapian_c_doc_set_value(doc, 5, v, strlen(v)), XAPIAN_C_OK);
		}
		cr_assert_eq(xapian_c_doc_set_value(doc, 6, "all", 3), XAPIAN_C_OK);
		cr_assert_eq(xapian_c_wdb_replace_document(wdb, id, doc, NULL), XAPIAN_C_OK);
		xapian_c_doc_free(doc);
	}
	cr_assert_eq(xapian_c_wdb_commit(wdb), XAPIAN_C_OK);
	xapian_c_wdb_close(wdb);
}

/* The facets of slots 5 and 6 over the even documents of `rdb`, checked
 * against what documents 1..count of each of `shards` databases hold. */
static void check_sparse_facets(xapian_c_rdb_t *rdb, unsigned count, unsigned shards)
{
	xapian_c_query_t *even = xapian_c_query_term("Xeven");
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	unsigned slots[] = { 5, 6 }, want[3] = { 0, 0, 0 }, got;
	xapian_c_mset_t *m = NULL;
	const char *v;
	size_t len;

	for (unsigned n = 2; n <= count; n += 2)
		if (n % 7 == 0)
			want[n % 3] += shards;
	opt.limit = 0;
	opt.exact = 1;
	opt.facet_slots = slots;
	opt.n_facets = 2;
	cr_assert_eq(xapian_c_rdb_run(rdb, even, NULL, &opt, &m), XAPIAN_C_OK, "%s",
		     xapian_c_rdb_error(rdb));
	cr_assert_eq(xapian_c_mset_facet_size(m, 0), 3);
	for (unsigned i = 0; i < 3; i++) {
		char name[4];
		snprintf(name, sizeof(name), "v%u", i);
		cr_assert_eq(xapian_c_mset_facet(m, 0, i, &v, &len, &got), 0);
		cr_expect(len == 40 && !memcmp(v, name, 2), "value %u is %.*s", i, (int)len, v);
		cr_expect_eq(got, want[i], "%s: %u, want %u", name, got, want[i]);
	}
	cr_assert_eq(xapian_c_mset_facet_size(m, 1), 1);
	cr_assert_eq(xapian_c_mset_facet(m, 1, 0, &v, &len, &got), 0);
	cr_expect_eq(got, count / 2 * shards, "every even document has value 6");
	xapian_c_mset_free(m);
	xapian_c_query_free(even);
}

Test(xapian_c, facets_of_a_sparse_slot)
{
	xapian_c_rdb_t *rdb;
	put_sparse(dbpath, 3000);
	rdb = open_reader();
	check_sparse_facets(rdb, 3000, 1);
	xapian_c_rdb_close(rdb);
}

Test(xapian_c, facets_of_a_sparse_slot_over_shards)
{
	char second[160];
	xapian_c_rdb_t *combined = xapian_c_rdb_new_combined(), *one, *two;
	char *msg = NULL;
	snprintf(second, sizeof(second), "%s-2", dbpath);
	put_sparse(dbpath, 1000);
	put_sparse(second, 1000);
	cr_assert_not_null(combined);
	cr_assert_eq(xapian_c_rdb_open(dbpath, &one, &msg), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_rdb_open(second, &two, &msg), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_rdb_add(combined, one), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_rdb_add(combined, two), XAPIAN_C_OK);
	check_sparse_facets(combined, 1000, 2);
	xapian_c_rdb_close(one);
	xapian_c_rdb_close(two);
	xapian_c_rdb_close(combined);
}

Test(xapian_c, query_term_prefixes)
{
	xapian_c_query_t *word = xapian_c_query_term("Zalpha");
	xapian_c_query_t *range = xapian_c_query_value_range(1, "2021", "2022");
	xapian_c_query_t *both = xapian_c_query_combine(XAPIAN_C_OP_FILTER, word, range);
	const char *terms[] = { "XMa", "XMb" };
	xapian_c_query_t *names = xapian_c_query_any_term(terms, 2);
	cr_assert(word && range && both && names);
	cr_expect_eq(xapian_c_query_has_term_prefix(word, "Z"), 1);
	cr_expect_eq(xapian_c_query_has_term_prefix(word, "X"), 0);
	cr_expect_eq(xapian_c_query_has_term_prefix(range, "Z"), 0, "a value range has no terms");
	cr_expect_eq(xapian_c_query_has_term_prefix(both, "Z"), 1);
	cr_expect_eq(xapian_c_query_has_term_prefix(names, "Z"), 0);
	cr_expect_eq(xapian_c_query_has_term_prefix(names, "XM"), 1);
	cr_expect_eq(xapian_c_query_has_term_prefix(NULL, "Z"), 0);
	xapian_c_query_free(word);
	xapian_c_query_free(range);
	xapian_c_query_free(both);
	xapian_c_query_free(names);
}
