#include "searcher/searcher.h"

#include <stdlib.h>
#include <string.h>

#include "common/docdata.h"
#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* Tries of a search whose database changed under it (a writer committed). */
#define MODIFIED_RETRIES 3

struct searcher {
	xapian_c_rdb_t *rdb;
	xapian_c_qp_t *qp;
	stemmer_t *stemmer;
	char *dbpath;
	strbuf_t error;
};

static int
stem_callback(void *ctx, const char *word, size_t len, const char **out, size_t *out_len)
{
	return stemmer_key(ctx, word, len, out, out_len);
}

static void
set_error(searcher_t *s, const char *fmt, const char *detail)
{
	strbuf_reset(&s->error);
	strbuf_addf(&s->error, fmt, s->dbpath, detail);
}

searcher_status_t
searcher_open(const char *dbpath, searcher_t **out, char **errmsg)
{
	searcher_t *s = xcalloc(1, sizeof(*s));
	char *xmsg = NULL, *schema = NULL, *analyzer = NULL;
	xapian_c_status_t st;
	searcher_status_t ret = SEARCHER_OK;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	strbuf_init(&s->error, 0);
	s->dbpath = xstrdup(dbpath);
	s->stemmer = stemmer_new(&xmsg);
	if (!s->stemmer) {
		set_error(s, "cannot start the analyzer for '%s': %s", xmsg ? xmsg : "");
		ret = SEARCHER_ERROR;
		goto fail;
	}
	st = xapian_c_rdb_open(dbpath, &s->rdb, &xmsg);
	if (st == XAPIAN_C_NOT_FOUND) {
		set_error(s, "no database at '%s'%s: run 'protodex index --db DIR PATH...' first",
			  "");
		ret = SEARCHER_NO_DATABASE;
		goto fail;
	}
	if (st != XAPIAN_C_OK) {
		set_error(s, "cannot open database '%s': %s",
			  xmsg ? xmsg : xapian_c_status_to_string(st));
		ret = SEARCHER_DB_ERROR;
		goto fail;
	}
	if (xapian_c_rdb_get_metadata(s->rdb, META_SCHEMA, &schema) ||
	    xapian_c_rdb_get_metadata(s->rdb, META_ANALYZER, &analyzer)) {
		set_error(s, "cannot read database '%s': %s", xapian_c_rdb_error(s->rdb));
		ret = SEARCHER_DB_ERROR;
		goto fail;
	}
	strbuf_reset(&s->error);
	if (!schema_compatible(dbpath, schema, analyzer, stemmer_version(), &s->error)) {
		ret = SEARCHER_INCOMPATIBLE;
		goto fail;
	}
	s->qp = xapian_c_qp_new(s->rdb, stem_callback, s->stemmer);
	if (!s->qp) {
		set_error(s, "cannot create a query parser for '%s'%s", "");
		ret = SEARCHER_ERROR;
		goto fail;
	}
	free(xmsg);
	free(schema);
	free(analyzer);
	*out = s;
	return SEARCHER_OK;

fail:
	if (errmsg)
		*errmsg = xstrdup(s->error.buf);
	free(xmsg);
	free(schema);
	free(analyzer);
	searcher_close(s);
	return ret;
}

void
searcher_close(searcher_t *s)
{
	if (!s)
		return;
	xapian_c_qp_free(s->qp);
	xapian_c_rdb_close(s->rdb);
	stemmer_free(s->stemmer);
	strbuf_release(&s->error);
	free(s->dbpath);
	free(s);
}

const char *
searcher_error(const searcher_t *s)
{
	return s ? s->error.buf : "no searcher";
}

static char *
field_dup(const char *data, size_t len, const char *key)
{
	size_t vlen;
	const char *v = docdata_get(data, len, key, &vlen);
	return v ? xstrndup(v, vlen) : xstrdup("");
}

/* Snippets are shown on one line: line breaks become spaces. */
static void
flatten(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

static xapian_c_status_t
fill_hits(searcher_t *s, const searcher_request_t *rq, xapian_c_mset_t *mset,
	  searcher_results_t *out)
{
	xapian_c_status_t st;
	unsigned i, n = xapian_c_mset_size(mset);
	out->hits = xcalloc(n ? n : 1, sizeof(*out->hits));
	for (i = 0; i < n; i++) {
		searcher_hit_t *h = &out->hits[i];
		char *data = NULL, *snippet = NULL;
		size_t len = 0, blen = 0;
		const char *body;
		st = xapian_c_mset_data(mset, i, &data, &len);
		if (st != XAPIAN_C_OK) {
			set_error(s, "cannot read a document of '%s': %s", xapian_c_mset_error(mset));
			return st;
		}
		h->rank = rq->offset + i + 1;
		h->id = field_dup(data, len, DATA_ID);
		h->path = field_dup(data, len, DATA_PATH);
		h->title = field_dup(data, len, DATA_TITLE);
		h->format = field_dup(data, len, DATA_FORMAT);
		h->score = xapian_c_mset_score(mset, i);
		h->percent = xapian_c_mset_percent(mset, i);
		body = docdata_body(data, len, &blen);
		if (body && xapian_c_mset_snippet(mset, body, blen, rq->snippet_bytes,
						  rq->hl_start, rq->hl_end,
						  &snippet) == XAPIAN_C_OK) {
			flatten(snippet);
			h->snippet = snippet;
		} else {
			free(snippet);
			h->snippet = xstrdup("");
		}
		out->n = i + 1;
		free(data);
	}
	return XAPIAN_C_OK;
}

searcher_status_t
searcher_run_query(searcher_t *s, const searcher_request_t *rq, searcher_results_t *out)
{
	xapian_c_query_t *query = NULL;
	xapian_c_mset_t *mset = NULL;
	xapian_c_status_t st;
	int attempt;

	memset(out, 0, sizeof(*out));
	st = xapian_c_qp_parse(s->qp, rq->query,
			       XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_BOOLEAN_ANY_CASE |
				       XAPIAN_C_QP_PURE_NOT,
			       &query);
	if (st != XAPIAN_C_OK) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "cannot understand the query '%s': %s", rq->query,
			    xapian_c_qp_error(s->qp));
		return st == XAPIAN_C_QUERY_SYNTAX ? SEARCHER_QUERY_ERROR : SEARCHER_ERROR;
	}
	if (xapian_c_query_empty(query)) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "the query '%s' has no words to search for", rq->query);
		xapian_c_query_free(query);
		return SEARCHER_QUERY_ERROR;
	}
	out->query_description = xapian_c_query_describe(query);

	for (attempt = 0;; attempt++) {
		st = xapian_c_rdb_search(s->rdb, query, s->qp, rq->offset, rq->limit, &mset);
		if (st == XAPIAN_C_OK)
			st = fill_hits(s, rq, mset, out);
		else
			set_error(s, "cannot search '%s': %s", xapian_c_rdb_error(s->rdb));
		if (st != XAPIAN_C_MODIFIED || attempt + 1 >= MODIFIED_RETRIES)
			break;
		/* A writer committed meanwhile: look at the newest revision. */
		xapian_c_mset_free(mset);
		mset = NULL;
		searcher_results_release(out);
		out->query_description = xapian_c_query_describe(query);
		if (xapian_c_rdb_reopen(s->rdb) != XAPIAN_C_OK)
			break;
	}
	if (st == XAPIAN_C_OK)
		xapian_c_mset_matches(mset, &out->matches_lower, &out->matches_estimated,
				      &out->matches_upper);
	xapian_c_mset_free(mset);
	xapian_c_query_free(query);
	return st == XAPIAN_C_OK ? SEARCHER_OK : SEARCHER_DB_ERROR;
}

void
searcher_results_release(searcher_results_t *res)
{
	size_t i;
	for (i = 0; i < res->n; i++) {
		free(res->hits[i].id);
		free(res->hits[i].path);
		free(res->hits[i].title);
		free(res->hits[i].format);
		free(res->hits[i].snippet);
	}
	free(res->hits);
	free(res->query_description);
	memset(res, 0, sizeof(*res));
}
