/*
 * xapian-c: the plain C face of the Xapian C++ library, shaped to what
 * protodex needs.  This header includes nothing from C++; xapian-c.cc is the
 * project's only C++ file and the only code that sees Xapian's headers.
 *
 * Call order, writing:
 *   xapian_c_wdb_open(path, &wdb, &msg)
 *   xapian_c_wdb_begin_transaction(wdb)          (optional)
 *     doc = xapian_c_doc_new()
 *     xapian_c_doc_add_posting / _add_term / _add_boolean_term / _set_value / _set_data
 *     xapian_c_wdb_replace_document(wdb, "Q<id>", doc, &docid)
 *     xapian_c_doc_free(doc)
 *   xapian_c_wdb_commit_transaction(wdb)          (or _commit without a transaction)
 *   xapian_c_wdb_close(wdb)
 *
 * Reading:
 *   xapian_c_rdb_open(path, &rdb, &msg)
 *   qp = xapian_c_qp_new(rdb, stem_fn, stem_ctx)
 *   xapian_c_qp_parse(qp, "объективность", flags, &query)
 *   xapian_c_rdb_search(rdb, query, offset, limit, &mset)
 *   for i in 0..xapian_c_mset_size(mset): _mset_docid/_score/_percent/_data/_snippet
 *   xapian_c_mset_free, xapian_c_query_free, xapian_c_qp_free, xapian_c_rdb_close
 *
 * Errors: every function returns a xapian_c_status_t (XAPIAN_C_OK = 0).  The
 * message of the last failure on a handle is kept on the handle until its
 * next call (xapian_c_wdb_error / xapian_c_rdb_error); open functions, having
 * no handle yet, hand back a malloc'd message the caller frees.  No C++
 * exception ever leaves this library.
 *
 * Strings in and out are UTF-8.  Lengths are explicit where Xapian allows
 * embedded NULs (data, values); terms are NUL-terminated.
 *
 * Handles are not thread-safe; use one per thread.
 */
#ifndef PROTODEX_XAPIAN_C_H
#define PROTODEX_XAPIAN_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xapian_c_status {
	XAPIAN_C_OK = 0,
	XAPIAN_C_NOT_FOUND,        /* no such database, document or term */
	XAPIAN_C_LOCKED,           /* another writer holds the database lock */
	XAPIAN_C_MODIFIED,         /* DatabaseModifiedError: reopen and retry */
	XAPIAN_C_CORRUPT,          /* DatabaseCorruptError */
	XAPIAN_C_OPENING,          /* DatabaseOpeningError other than not-found */
	XAPIAN_C_VERSION,          /* DatabaseVersionError: format too old/new */
	XAPIAN_C_QUERY_SYNTAX,     /* QueryParserError */
	XAPIAN_C_INVALID_ARGUMENT, /* bad argument (also NULL handles) */
	XAPIAN_C_NO_MEMORY,        /* std::bad_alloc */
	XAPIAN_C_XAPIAN_ERROR,     /* any other Xapian::Error */
	XAPIAN_C_ERROR             /* std::exception or anything else */
} xapian_c_status_t;

/* A short constant name for a status ("locked", "query syntax", ...). */
const char *xapian_c_status_to_string(xapian_c_status_t status);

typedef unsigned int xapian_c_docid_t;

typedef struct xapian_c_wdb xapian_c_wdb_t;     /* writable database */
typedef struct xapian_c_rdb xapian_c_rdb_t;     /* read-only database */
typedef struct xapian_c_doc xapian_c_doc_t;     /* a document */
typedef struct xapian_c_qp xapian_c_qp_t;       /* a query parser */
typedef struct xapian_c_query xapian_c_query_t; /* a parsed query */
typedef struct xapian_c_mset xapian_c_mset_t;   /* a page of results */

/*
 * The analysis chain, called by Xapian (QueryParser and snippets) for each
 * word it wants stemmed.  The callback writes the key into *out (storage
 * owned by ctx, valid until the next call) and returns 0, or returns
 * non-zero to keep the word unchanged.  It must not longjmp.
 */
typedef int (*xapian_c_stem_fn)(void *ctx, const char *word, size_t len,
				const char **out, size_t *out_len);

/* ---- Documents ------------------------------------------------------- */

xapian_c_doc_t *xapian_c_doc_new(void);
void xapian_c_doc_free(xapian_c_doc_t *doc);
/* Positional term; wdf increments by wdf_inc (usually 1). */
xapian_c_status_t xapian_c_doc_add_posting(xapian_c_doc_t *doc, const char *term,
					   unsigned pos, unsigned wdf_inc);
/* Term without position (wdf_inc may be 0). */
xapian_c_status_t xapian_c_doc_add_term(xapian_c_doc_t *doc, const char *term,
					unsigned wdf_inc);
/* A boolean filter term (wdf 0, no position). */
xapian_c_status_t xapian_c_doc_add_boolean_term(xapian_c_doc_t *doc, const char *term);
xapian_c_status_t xapian_c_doc_set_value(xapian_c_doc_t *doc, unsigned slot,
					 const char *value, size_t len);
xapian_c_status_t xapian_c_doc_set_data(xapian_c_doc_t *doc, const char *data,
					size_t len);
/* The document's length as Xapian counts it: the sum of its terms' wdf. */
xapian_c_status_t xapian_c_doc_length(const xapian_c_doc_t *doc, unsigned long *length);
/*
 * Multiply each term's wdf by `factor` (> 0), rounded to the nearest
 * integer and at least 1; terms of wdf 0 (boolean) and positions are
 * left as they are.
 */
xapian_c_status_t xapian_c_doc_scale_wdf(xapian_c_doc_t *doc, double factor);

/* ---- Writing ---------------------------------------------------------- */

/*
 * Open the database at `path` for writing, creating it (and its directory)
 * if it does not exist.  XAPIAN_C_LOCKED when another writer has it.
 * On failure *errmsg (if not NULL) receives a malloc'd message.
 */
xapian_c_status_t xapian_c_wdb_open(const char *path, xapian_c_wdb_t **out,
				    char **errmsg);
/* Commits pending changes (cancelling an open transaction) and closes. */
void xapian_c_wdb_close(xapian_c_wdb_t *wdb);
/* "" when the last call succeeded; a fixed text for a NULL handle. */
const char *xapian_c_wdb_error(const xapian_c_wdb_t *wdb);

xapian_c_status_t xapian_c_wdb_begin_transaction(xapian_c_wdb_t *wdb);
xapian_c_status_t xapian_c_wdb_commit_transaction(xapian_c_wdb_t *wdb);
xapian_c_status_t xapian_c_wdb_cancel_transaction(xapian_c_wdb_t *wdb);
xapian_c_status_t xapian_c_wdb_commit(xapian_c_wdb_t *wdb);

/*
 * Replace the document indexed by `unique_term` with `doc` (add it when no
 * document has that term).  *docid (if not NULL) receives its id.  `doc`
 * should itself contain `unique_term` (as a boolean term), or the next
 * replace will not find it and will add a duplicate.
 */
xapian_c_status_t xapian_c_wdb_replace_document(xapian_c_wdb_t *wdb,
						const char *unique_term,
						const xapian_c_doc_t *doc,
						xapian_c_docid_t *docid);
/* Delete every document indexed by `term` (no error when there is none). */
xapian_c_status_t xapian_c_wdb_delete_by_term(xapian_c_wdb_t *wdb, const char *term);
/*
 * The value in `slot` of the first document indexed by `term`.
 * XAPIAN_C_NOT_FOUND when no document has the term; *value is malloc'd
 * (NUL-terminated, caller frees), empty when the slot is unset.
 */
xapian_c_status_t xapian_c_wdb_get_value_by_term(xapian_c_wdb_t *wdb, const char *term,
						 unsigned slot, char **value,
						 size_t *len);
xapian_c_status_t xapian_c_wdb_set_metadata(xapian_c_wdb_t *wdb, const char *key,
					    const char *value);
/* The same for a key and value of any bytes (NULs included). */
xapian_c_status_t xapian_c_wdb_set_metadata_bytes(xapian_c_wdb_t *wdb, const char *key,
						  size_t key_len, const char *value,
						  size_t value_len);
/* *value is malloc'd, "" when unset. */
xapian_c_status_t xapian_c_wdb_get_metadata(xapian_c_wdb_t *wdb, const char *key,
					    char **value);
xapian_c_status_t xapian_c_wdb_doccount(xapian_c_wdb_t *wdb, unsigned *count);
/* The revision of the last commit (each commit adds one). */
xapian_c_status_t xapian_c_wdb_revision(xapian_c_wdb_t *wdb, unsigned long long *rev);
/*
 * Every term starting with `prefix`, in byte order: fn(ctx, term, len,
 * number of documents) for each, until fn returns non-zero.
 */
typedef int (*xapian_c_term_fn)(void *ctx, const char *term, size_t len, unsigned freq);
/* On the writer's view (its uncommitted changes included). */
xapian_c_status_t xapian_c_wdb_terms(xapian_c_wdb_t *wdb, const char *prefix,
				     xapian_c_term_fn fn, void *ctx);

/*
 * Write the databases srcs[0..n-1] as one compacted database at `dst`
 * (which must not exist), as Database::compact does: their documents in
 * that order (ids renumbered by Xapian's rules: the first source's from
 * 1, each next one's after), in smaller and faster tables; user
 * metadata set in several is taken from the first that has it.  Readers
 * and a writer of the sources may go on meanwhile; the copy is of their
 * last commit.  One source: a compacted copy of it.
 */
xapian_c_status_t xapian_c_compact_many(const char *const *srcs, size_t n, const char *dst,
					char **errmsg);

/*
 * Check the tables of the database at `path` for consistency (Xapian's
 * Database::check).  *errors receives the number of problems found;
 * *report (if not NULL) a malloc'd text of Xapian's findings, "" when
 * there are none.  XAPIAN_C_OK means the check ran (errors may still be
 * non-zero); XAPIAN_C_CORRUPT and others mean it could not.
 */
xapian_c_status_t xapian_c_check(const char *path, unsigned long *errors, char **report,
				 char **errmsg);

/* ---- Reading ---------------------------------------------------------- */

/* XAPIAN_C_NOT_FOUND when there is no database at `path`. */
xapian_c_status_t xapian_c_rdb_open(const char *path, xapian_c_rdb_t **out,
				    char **errmsg);
/*
 * Like xapian_c_rdb_open; a path "tcp://HOST:PORT" opens a remote shard
 * served by xapian-tcpsrv, with `timeout_ms` for connecting and for each
 * operation (0: Xapian's defaults, 10 s to connect).
 */
xapian_c_status_t xapian_c_rdb_open_timeout(const char *path, unsigned timeout_ms,
					    xapian_c_rdb_t **out, char **errmsg);
/* An empty database to add shards to: searched, the shards act as one. */
xapian_c_rdb_t *xapian_c_rdb_new_combined(void);
/* Add the shards of `shard` (which stays the caller's) to `combined`. */
xapian_c_status_t xapian_c_rdb_add(xapian_c_rdb_t *combined, const xapian_c_rdb_t *shard);
void xapian_c_rdb_close(xapian_c_rdb_t *rdb);
/* As xapian_c_wdb_error. */
const char *xapian_c_rdb_error(const xapian_c_rdb_t *rdb);
/* Move to the latest committed revision. */
xapian_c_status_t xapian_c_rdb_reopen(xapian_c_rdb_t *rdb);
xapian_c_status_t xapian_c_rdb_get_metadata(xapian_c_rdb_t *rdb, const char *key,
					    char **value);
/* For a key of any bytes; *value malloc'd (NUL-terminated too), *len 0 when unset. */
xapian_c_status_t xapian_c_rdb_get_metadata_bytes(xapian_c_rdb_t *rdb, const char *key,
						  size_t key_len, char **value, size_t *len);
xapian_c_status_t xapian_c_rdb_doccount(xapian_c_rdb_t *rdb, unsigned *count);
/* Bounds of the values in `slot` (Xapian's: no value is outside them, but
 * after deletions they may be wider than the values left); both "" when
 * no document has one.  *lo and *hi malloc'd. */
xapian_c_status_t xapian_c_rdb_value_bounds(xapian_c_rdb_t *rdb, unsigned slot, char **lo,
					    char **hi);
/* The sum of the decimal numbers in value `slot` over all documents. */
xapian_c_status_t xapian_c_rdb_value_total(xapian_c_rdb_t *rdb, unsigned slot,
					   unsigned long long *total);
/* Number of documents containing `term`. */
xapian_c_status_t xapian_c_rdb_termfreq(xapian_c_rdb_t *rdb, const char *term,
					unsigned *freq);
/* As xapian_c_wdb_terms, on the last commit. */
xapian_c_status_t xapian_c_rdb_terms(xapian_c_rdb_t *rdb, const char *prefix,
				     xapian_c_term_fn fn, void *ctx);
/*
 * The data of the document indexed by `term` (first one), malloc'd.
 * XAPIAN_C_NOT_FOUND when no document has it.
 */
xapian_c_status_t xapian_c_rdb_get_data_by_term(xapian_c_rdb_t *rdb, const char *term,
						char **data, size_t *len);
/*
 * Value `slot` of the document indexed by `term` (first one), malloc'd;
 * "" (len 0) when the document has none.  XAPIAN_C_NOT_FOUND when no
 * document has the term.
 */
xapian_c_status_t xapian_c_rdb_get_value_by_term(xapian_c_rdb_t *rdb, const char *term,
						 unsigned slot, char **value, size_t *len);

/* Query parser flags, a subset of Xapian::QueryParser::feature_flag. */
enum {
	XAPIAN_C_QP_BOOLEAN = 1 << 0,       /* AND OR NOT XOR and brackets */
	XAPIAN_C_QP_PHRASE = 1 << 1,        /* "quoted phrases" */
	XAPIAN_C_QP_LOVEHATE = 1 << 2,      /* +word -word */
	XAPIAN_C_QP_BOOLEAN_ANY_CASE = 1 << 3,
	XAPIAN_C_QP_PURE_NOT = 1 << 4,      /* NOT word alone */
	XAPIAN_C_QP_WILDCARD = 1 << 5,
	XAPIAN_C_QP_DEFAULT = XAPIAN_C_QP_BOOLEAN | XAPIAN_C_QP_PHRASE | XAPIAN_C_QP_LOVEHATE
};

/*
 * A QueryParser bound to `rdb` (which must outlive it), default operator
 * AND, stemming strategy STEM_ALL_Z with `stem` plugged in as a
 * Xapian::StemImplementation (NULL: words are kept as they are).
 * `stem_ctx` must outlive the parser and every mset whose snippets use it.
 * Returns NULL when `rdb` is NULL or when out of memory (the message is
 * then on `rdb`).
 */
xapian_c_qp_t *xapian_c_qp_new(xapian_c_rdb_t *rdb, xapian_c_stem_fn stem,
			       void *stem_ctx);
void xapian_c_qp_free(xapian_c_qp_t *qp);
/* As xapian_c_wdb_error. */
const char *xapian_c_qp_error(const xapian_c_qp_t *qp);
/* Map a field name to a term prefix ("path" -> "XP"); boolean or free-text. */
xapian_c_status_t xapian_c_qp_add_prefix(xapian_c_qp_t *qp, const char *field,
					 const char *prefix, int boolean);
/*
 * A field the application resolves itself: `field:value` in a query calls
 * fn(ctx, field, value, len, &err) (the value without its quotes), which
 * returns the query for it, or NULL with a static or ctx-owned message in
 * *err; the parse then fails with XAPIAN_C_QUERY_SYNTAX and that message.
 * Fields are boolean filters (Xapian FieldProcessor on a boolean prefix):
 * several values of one field are ORed, different fields ANDed.
 */
typedef xapian_c_query_t *(*xapian_c_field_fn)(void *ctx, const char *field,
					       const char *value, size_t len,
					       const char **err);
xapian_c_status_t xapian_c_qp_add_field(xapian_c_qp_t *qp, const char *field,
					xapian_c_field_fn fn, void *ctx);
/*
 * A range `field:begin..end` (either end may be empty), resolved by the
 * application as above (Xapian RangeProcessor with the prefix "field:").
 * A field may have both a range and a field callback: a value with ".."
 * goes to the range callback.
 */
typedef xapian_c_query_t *(*xapian_c_range_fn)(void *ctx, const char *field,
					       const char *begin, size_t begin_len,
					       const char *end, size_t end_len,
					       const char **err);
xapian_c_status_t xapian_c_qp_add_range(xapian_c_qp_t *qp, const char *field,
					xapian_c_range_fn fn, void *ctx);
/* XAPIAN_C_QUERY_SYNTAX with the parser's message on a bad query. */
xapian_c_status_t xapian_c_qp_parse(xapian_c_qp_t *qp, const char *query, unsigned flags,
				    xapian_c_query_t **out);

void xapian_c_query_free(xapian_c_query_t *query);

/* Queries built directly, without the parser.  NULL only when out of memory. */
xapian_c_query_t *xapian_c_query_term(const char *term);
/* Any of n terms, one flat OR (many terms: faster than nested pairs);
 * no terms matches nothing. */
xapian_c_query_t *xapian_c_query_any_term(const char *const *terms, size_t n);
/* Every document. */
xapian_c_query_t *xapian_c_query_match_all(void);
/* No document. */
xapian_c_query_t *xapian_c_query_match_none(void);
/* Documents whose value in `slot` is within [lo, hi] (strings compare
 * byte-wise); lo or hi may be NULL for an open end. */
xapian_c_query_t *xapian_c_query_value_range(unsigned slot, const char *lo, const char *hi);

enum {
	XAPIAN_C_OP_AND,     /* both */
	XAPIAN_C_OP_OR,      /* either */
	XAPIAN_C_OP_AND_NOT, /* a, not b */
	XAPIAN_C_OP_FILTER   /* a, restricted to b; b adds nothing to the score */
};
/* A new query combining a and b (both stay owned by the caller). */
xapian_c_query_t *xapian_c_query_combine(int op, const xapian_c_query_t *a,
					 const xapian_c_query_t *b);
/* Xapian's description of the query, malloc'd ("Query((Zобъективн@1))"). */
char *xapian_c_query_describe(const xapian_c_query_t *query);
/* 1 when the query matches nothing by construction (e.g. only stopwords). */
int xapian_c_query_empty(const xapian_c_query_t *query);
/* 1 when one of the query's terms starts with `prefix`. */
int xapian_c_query_has_term_prefix(const xapian_c_query_t *query, const char *prefix);

/*
 * Run `query` and fetch results [offset, offset + limit) by relevance.
 * `qp` supplies the stemmer used by snippets (may be NULL: no stemming
 * in snippets).  On XAPIAN_C_MODIFIED the caller reopens and retries.
 */
xapian_c_status_t xapian_c_rdb_search(xapian_c_rdb_t *rdb, const xapian_c_query_t *query,
				      const xapian_c_qp_t *qp, unsigned offset,
				      unsigned limit, xapian_c_mset_t **out);

/* How to run a query: xapian_c_rdb_run. */
typedef struct xapian_c_run_options {
	unsigned offset;
	unsigned limit;
	int sort_slot;          /* -1: by relevance; else by this value slot */
	int sort_descending;    /* with sort_slot: largest first */
	int sort_empty_last;    /* with sort_slot: documents without the value
				   after all others, in either direction */
	int sort_slot2;         /* -1, or a second key for equal first keys
				   (ascending, then relevance).  With either
				   of these two a Xapian KeyMaker sorts, which
				   remote shards do not support */
	int exact;              /* count every match (exact totals and facets) */
	const unsigned *facet_slots; /* count the values of these slots */
	size_t n_facets;
	unsigned wdf_scale;     /* 0: rank by BM25 (Xapian's defaults); else
				   every document's wdf was normalised for its
				   length and multiplied by this
				   (xapian_c_doc_scale_wdf): rank by BM25
				   with b = 0 and k1 times this, which reads
				   no document length */
} xapian_c_run_options_t;

#define XAPIAN_C_RUN_OPTIONS_INIT { 0, 10, -1, 0, 0, -1, 0, NULL, 0, 0 }

/*
 * Like xapian_c_rdb_search, with sorting, exact counting and facets
 * (Xapian ValueCountMatchSpy on each facet slot, over all matches when
 * `exact`).  With `limit` 0 (counts and facets only) matches are not
 * weighted, which saves BM25's document length reads.  Results sorted
 * by a value keep relevance order among equal values; documents without
 * the value have the empty string, which sorts first ascending unless
 * `sort_empty_last`.
 */
xapian_c_status_t xapian_c_rdb_run(xapian_c_rdb_t *rdb, const xapian_c_query_t *query,
				   const xapian_c_qp_t *qp, const xapian_c_run_options_t *opt,
				   xapian_c_mset_t **out);

/*
 * Facet k (the k-th slot of the options): number of distinct values, and
 * value i with the number of matching documents having it, in value
 * order.  The value pointer stays valid until the mset is freed.
 */
size_t xapian_c_mset_facet_size(const xapian_c_mset_t *mset, size_t k);
int xapian_c_mset_facet(const xapian_c_mset_t *mset, size_t k, size_t i,
			const char **value, size_t *len, unsigned *count);

void xapian_c_mset_free(xapian_c_mset_t *mset);
unsigned xapian_c_mset_size(const xapian_c_mset_t *mset);
/* Lower bound, estimate and upper bound of the number of matches. */
void xapian_c_mset_matches(const xapian_c_mset_t *mset, unsigned *lower,
			   unsigned *estimated, unsigned *upper);
/* Result i of this page (0 <= i < size); 0 when i is out of range. */
xapian_c_docid_t xapian_c_mset_docid(const xapian_c_mset_t *mset, unsigned i);
double xapian_c_mset_score(const xapian_c_mset_t *mset, unsigned i);
int xapian_c_mset_percent(const xapian_c_mset_t *mset, unsigned i);
/* The document data, malloc'd; caller frees. */
xapian_c_status_t xapian_c_mset_data(xapian_c_mset_t *mset, unsigned i, char **data,
				     size_t *len);
/* Value in `slot`, malloc'd (empty when unset). */
xapian_c_status_t xapian_c_mset_value(xapian_c_mset_t *mset, unsigned i, unsigned slot,
				      char **value, size_t *len);
/*
 * Xapian's snippet of `text` for this result set's query, at most `length`
 * bytes, matched words wrapped in hl_start / hl_end.  malloc'd.
 */
xapian_c_status_t xapian_c_mset_snippet(xapian_c_mset_t *mset, const char *text,
					size_t text_len, size_t length,
					const char *hl_start, const char *hl_end,
					char **out);
/* As xapian_c_wdb_error. */
const char *xapian_c_mset_error(const xapian_c_mset_t *mset);

#ifdef __cplusplus
}
#endif

#endif
