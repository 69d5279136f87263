/*
 * searcher: queries in, ranked protocols and decisions out.
 *
 *   searcher_t *s;
 *   searcher_open(dbpath, &s, &msg);       // checks schema and analyzer
 *   searcher_request_t rq = SEARCHER_REQUEST_INIT;
 *   rq.query = "объективность";
 *   searcher_run_query(s, &rq, &res);      // res owned by the caller
 *   ... searcher_hit_field(&res.hits[i], DATA_PATH, &len) ...
 *   searcher_results_release(&res);
 *   searcher_close(s);
 *
 * Queries are checked and normalised by the query language (query.h),
 * then go through Xapian's QueryParser with the analysis chain of stemmer/
 * plugged in, so a query word and the same word in a protocol get the same
 * key; field values are resolved by fields.c.  Results are protocol and
 * decision records (common/schema.h); a hit carries its whole record.
 */
#ifndef PROTODEX_SEARCHER_H
#define PROTODEX_SEARCHER_H

#include <stddef.h>

#include "searcher/query.h"

typedef struct searcher searcher_t;

typedef enum searcher_status {
	SEARCHER_OK = 0,
	SEARCHER_NO_DATABASE,  /* nothing at the path: index first */
	SEARCHER_INCOMPATIBLE, /* built by another schema or analyzer */
	SEARCHER_DB_ERROR,     /* cannot open or read the database */
	SEARCHER_QUERY_ERROR,  /* the query cannot be parsed or is empty */
	SEARCHER_NOT_FOUND,    /* no record with that id */
	SEARCHER_ERROR         /* analyzer start-up, out of memory */
} searcher_status_t;

/* On failure *errmsg receives a malloc'd message naming the database. */
searcher_status_t searcher_open(const char *dbpath, searcher_t **out, char **errmsg);
/*
 * Several databases searched as one ("shards"): each path is a database
 * directory, a Xapian stub database file listing shards ("auto PATH",
 * "remote HOST:PORT"), or "tcp://HOST:PORT" for a shard served by
 * xapian-tcpsrv.  Every shard must have been built with this analyzer;
 * answers (counts, facets, sorting) are those of one database holding
 * everything.  An unreachable shard fails the open, naming it, unless
 * allow_partial: then it is left out and listed by searcher_missing().
 */
typedef struct searcher_options {
	unsigned timeout_ms;   /* remote shards: connect and per-operation
				  time-out; 0: 10 s */
	int allow_partial;
} searcher_options_t;

searcher_status_t searcher_open_shards(const char *const *paths, size_t n_paths,
				       const searcher_options_t *opt, searcher_t **out,
				       char **errmsg);
/* The shards left out, one "cannot open ..." line each; "" for none. */
const char *searcher_missing(const searcher_t *s);
void searcher_close(searcher_t *s);
/* The message of the last failed call (owned by s). */
const char *searcher_error(const searcher_t *s);
/* A notice about the analysis chain ("dictionary missing: ..."), or "". */
const char *searcher_notice(const searcher_t *s);

typedef enum searcher_sort {
	SEARCHER_SORT_RELEVANCE,
	SEARCHER_SORT_DATE,    /* meeting date, newest first */
	SEARCHER_SORT_DUE,     /* deadline end, soonest first, then meeting date */
	SEARCHER_SORT_MUNICIPALITY /* municipality, then meeting date */
} searcher_sort_t;
/* (Sorted by a value, records without it come last.) */

typedef struct searcher_request {
	const char *query;     /* NULL or "": every record */
	const char *type;      /* NULL: both kinds; "protocol" or "decision" */
	unsigned offset;
	unsigned limit;
	searcher_sort_t sort;
	int exact;             /* count every match (exact totals, facets) */
	const unsigned *facet_slots; /* value slots to count (schema.h) */
	size_t n_facets;
	const char *hl_start;  /* around matched words in snippets; "" for none */
	const char *hl_end;
	size_t snippet_bytes;  /* snippet length limit; 0: no snippets */
	const char *today;     /* "YYYY-MM-DD" for today and overdue; NULL: the
				  local date */
	int explain;           /* fill results.explain with the words too */
} searcher_request_t;

#define SEARCHER_REQUEST_INIT \
	{ NULL, NULL, 0, 10, SEARCHER_SORT_RELEVANCE, 0, NULL, 0, "", "", 300, NULL, 0 }

typedef struct searcher_hit {
	unsigned rank;     /* 1-based, counting from the first result overall */
	double score;
	int percent;
	char *snippet;     /* text around the matches, one line; "" without */
	char *data;        /* the record: common/docdata.h, DATA_* fields */
	size_t data_len;
} searcher_hit_t;

/*
 * Field `key` (a DATA_* name) of a hit's record: a pointer into the record
 * (not NUL-terminated) and its length, or NULL when absent.
 */
const char *searcher_hit_field(const searcher_hit_t *h, const char *key, size_t *len);
/* The same as a malloc'd string ("" when absent). */
char *searcher_hit_dup(const searcher_hit_t *h, const char *key);

typedef struct searcher_facet_value {
	char *value;
	unsigned count;
} searcher_facet_value_t;

typedef struct searcher_facet {
	unsigned slot;
	searcher_facet_value_t *values; /* in value order */
	size_t n;
} searcher_facet_t;

typedef struct searcher_results {
	searcher_hit_t *hits;
	size_t n;
	unsigned matches_estimated; /* all matches (exact with rq->exact) */
	unsigned matches_lower;
	unsigned matches_upper;
	char *query_description;    /* Xapian's view of the parsed query */
	/* Words the analyzer looked up while parsing: found in the database's
	 * word list, or worked out here (loading the dictionary, ~150 ms). */
	unsigned words_known, words_worked_out;
	char *explain;              /* how the query was understood: one line
				       per word (with rq->explain) and per field
				       clause, "what<TAB>meaning" */
	char *warnings;             /* one line per field value that matched no
				       name in the database, or "" */
	char today[11];             /* the day "today" meant, YYYY-MM-DD */
	searcher_facet_t *facets;   /* one per requested slot */
	size_t n_facets;
} searcher_results_t;

/*
 * After SEARCHER_QUERY_ERROR: where the query went wrong, and a suggested
 * fix, when the query language itself refused it (NULL otherwise, e.g.
 * for a bad --as-of date).
 */
const query_error_t *searcher_query_error(const searcher_t *s);

searcher_status_t searcher_run_query(searcher_t *s, const searcher_request_t *rq,
				     searcher_results_t *out);
void searcher_results_release(searcher_results_t *res);

/*
 * The record of a protocol ("3fa9…") or decision ("3fa9…-4") by id:
 * malloc'd into *data.  SEARCHER_NOT_FOUND when there is none.
 */
searcher_status_t searcher_get(searcher_t *s, const char *id, char **data, size_t *len);

/* What `protodex check` verifies beyond Xapian's own tables. */
typedef struct searcher_census {
	unsigned documents;
	unsigned protocols;
	unsigned decisions;
	unsigned duplicate_ids;     /* record ids held by more than one document */
	unsigned orphan_sources;    /* sources with decisions but no protocol record */
} searcher_census_t;

/* Count the records and look for duplicates and orphans. */
searcher_status_t searcher_census(searcher_t *s, searcher_census_t *out);

/* The bytes of text extracted from all the protocols indexed. */
searcher_status_t searcher_text_bytes(searcher_t *s, unsigned long long *bytes);

#endif
