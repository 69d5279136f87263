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
	xapian_c_wdb_t *wdb = NULL;
	char *msg = NULL;
	strbuf_t data = STRBUF_INIT, header = STRBUF_INIT;

	cr_assert_eq(xapian_c_wdb_open(dbpath, &wdb, &msg), XAPIAN_C_OK, "%s", msg ? msg : "");
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, META_SCHEMA, SCHEMA_VERSION), XAPIAN_C_OK);
	cr_assert_eq(xapian_c_wdb_set_metadata(wdb, META_ANALYZER, stemmer_version()),
		     XAPIAN_C_OK);

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

/* A field of the record searcher_get gives for id, malloc'd, or NULL. */
static char *
field_of(const char *id, const char *key, char **body)
{
	searcher_t *s = NULL;
	char *msg = NULL, *data = NULL, *v = NULL;
	const char *f, *b;
	size_t len = 0, fl, bl;

	cr_assert_eq(searcher_open(dbpath, &s, &msg), SEARCHER_OK, "%s", msg ? msg : "");
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
