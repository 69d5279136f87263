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
searcher_notice(const searcher_t *s)
{
	return s ? stemmer_notice(s->stemmer) : "";
}

const char *
searcher_error(const searcher_t *s)
{
	return s ? s->error.buf : "no searcher";
}

const char *
searcher_hit_field(const searcher_hit_t *h, const char *key, size_t *len)
{
	return docdata_get(h->data, h->data_len, key, len);
}

char *
searcher_hit_dup(const searcher_hit_t *h, const char *key)
{
	size_t len;
	const char *v = searcher_hit_field(h, key, &len);
	return v ? xstrndup(v, len) : xstrdup("");
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
	size_t k;
	out->hits = xcalloc(n ? n : 1, sizeof(*out->hits));
	for (i = 0; i < n; i++) {
		searcher_hit_t *h = &out->hits[i];
		char *snippet = NULL;
		size_t blen = 0;
		const char *body;
		st = xapian_c_mset_data(mset, i, &h->data, &h->data_len);
		if (st != XAPIAN_C_OK) {
			set_error(s, "cannot read a document of '%s': %s", xapian_c_mset_error(mset));
			return st;
		}
		out->n = i + 1;
		h->rank = rq->offset + i + 1;
		h->score = xapian_c_mset_score(mset, i);
		h->percent = xapian_c_mset_percent(mset, i);
		body = docdata_body(h->data, h->data_len, &blen);
		if (body && rq->snippet_bytes &&
		    xapian_c_mset_snippet(mset, body, blen, rq->snippet_bytes, rq->hl_start,
					  rq->hl_end, &snippet) == XAPIAN_C_OK) {
			flatten(snippet);
			h->snippet = snippet;
		} else {
			free(snippet);
			h->snippet = xstrdup("");
		}
	}
	out->facets = xcalloc(rq->n_facets ? rq->n_facets : 1, sizeof(*out->facets));
	out->n_facets = rq->n_facets;
	for (k = 0; k < rq->n_facets; k++) {
		searcher_facet_t *f = &out->facets[k];
		size_t j, nv = xapian_c_mset_facet_size(mset, k);
		f->slot = rq->facet_slots[k];
		f->values = xcalloc(nv ? nv : 1, sizeof(*f->values));
		for (j = 0; j < nv; j++) {
			const char *v;
			size_t len;
			xapian_c_mset_facet(mset, k, j, &v, &len, &f->values[j].count);
			f->values[j].value = xstrndup(v, len);
		}
		f->n = nv;
	}
	return XAPIAN_C_OK;
}

/*
 * The query to run: the parsed text (or every record), restricted to a
 * record type when asked.
 */
static searcher_status_t
build_query(searcher_t *s, const searcher_request_t *rq, xapian_c_query_t **out)
{
	xapian_c_query_t *query = NULL;
	xapian_c_status_t st;
	char *rewritten = NULL;

	*out = NULL;
	if (rq->query && *rq->query) {
		/* Abbreviations and their expansions become marker words the stem
		 * callback maps to concept keys (see stemmer.h, "Queries"). */
		if (stemmer_rewrite_query(s->stemmer, rq->query, strlen(rq->query),
					  &rewritten) < 0) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot analyze the query '%s': %s", rq->query,
				    stemmer_error(s->stemmer));
			return SEARCHER_ERROR;
		}
		st = xapian_c_qp_parse(s->qp, rewritten,
				       XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_BOOLEAN_ANY_CASE |
					       XAPIAN_C_QP_PURE_NOT,
				       &query);
		free(rewritten);
		if (st != XAPIAN_C_OK) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot understand the query '%s': %s", rq->query,
				    xapian_c_qp_error(s->qp));
			return st == XAPIAN_C_QUERY_SYNTAX ? SEARCHER_QUERY_ERROR : SEARCHER_ERROR;
		}
		if (xapian_c_query_empty(query)) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "the query '%s' has no words to search for",
				    rq->query);
			xapian_c_query_free(query);
			return SEARCHER_QUERY_ERROR;
		}
	} else {
		query = xapian_c_query_match_all();
	}
	if (query && rq->type && *rq->type) {
		strbuf_t term = STRBUF_INIT;
		xapian_c_query_t *t, *f;
		strbuf_addf(&term, "%s%s", PREFIX_TYPE, rq->type);
		t = xapian_c_query_term(term.buf);
		f = t ? xapian_c_query_combine(XAPIAN_C_OP_FILTER, query, t) : NULL;
		xapian_c_query_free(t);
		xapian_c_query_free(query);
		query = f;
		strbuf_release(&term);
	}
	if (!query) {
		set_error(s, "cannot build a query for '%s': %s", "out of memory");
		return SEARCHER_ERROR;
	}
	*out = query;
	return SEARCHER_OK;
}

searcher_status_t
searcher_run_query(searcher_t *s, const searcher_request_t *rq, searcher_results_t *out)
{
	xapian_c_query_t *query = NULL;
	xapian_c_mset_t *mset = NULL;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	xapian_c_status_t st;
	searcher_status_t ret;
	int attempt;

	memset(out, 0, sizeof(*out));
	ret = build_query(s, rq, &query);
	if (ret != SEARCHER_OK)
		return ret;
	out->query_description = xapian_c_query_describe(query);

	opt.offset = rq->offset;
	opt.limit = rq->limit;
	opt.exact = rq->exact;
	opt.facet_slots = rq->facet_slots;
	opt.n_facets = rq->n_facets;
	if (rq->sort == SEARCHER_SORT_DATE) {
		opt.sort_slot = SLOT_DATE;
		opt.sort_descending = 1;
	} else if (rq->sort == SEARCHER_SORT_DUE) {
		opt.sort_slot = SLOT_DUE_TO;
	}

	for (attempt = 0;; attempt++) {
		st = xapian_c_rdb_run(s->rdb, query, s->qp, &opt, &mset);
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
	size_t i, j;
	for (i = 0; i < res->n; i++) {
		free(res->hits[i].snippet);
		free(res->hits[i].data);
	}
	free(res->hits);
	for (i = 0; i < res->n_facets; i++) {
		for (j = 0; j < res->facets[i].n; j++)
			free(res->facets[i].values[j].value);
		free(res->facets[i].values);
	}
	free(res->facets);
	free(res->query_description);
	memset(res, 0, sizeof(*res));
}

searcher_status_t
searcher_get(searcher_t *s, const char *id, char **data, size_t *len)
{
	strbuf_t term = STRBUF_INIT;
	xapian_c_status_t st;
	*data = NULL;
	*len = 0;
	strbuf_addf(&term, "%s%s", PREFIX_ID, id);
	st = xapian_c_rdb_get_data_by_term(s->rdb, term.buf, data, len);
	strbuf_release(&term);
	if (st == XAPIAN_C_NOT_FOUND) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "no protocol or decision with id '%s' in '%s'", id,
			    s->dbpath);
		return SEARCHER_NOT_FOUND;
	}
	if (st != XAPIAN_C_OK) {
		set_error(s, "cannot read database '%s': %s", xapian_c_rdb_error(s->rdb));
		return SEARCHER_DB_ERROR;
	}
	return SEARCHER_OK;
}
