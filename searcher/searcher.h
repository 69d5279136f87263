/*
 * searcher: queries in, ranked protocols out.
 *
 *   searcher_t *s;
 *   searcher_open(dbpath, &s, &msg);       // checks schema and analyzer
 *   searcher_request_t rq = SEARCHER_REQUEST_INIT;
 *   rq.query = "объективность";
 *   searcher_run_query(s, &rq, &res);      // res owned by the caller
 *   ... res.hits[i].path ...
 *   searcher_results_release(&res);
 *   searcher_close(s);
 *
 * Queries go through Xapian's QueryParser with the analysis chain of
 * stemmer/ plugged in, so a query word and the same word in a protocol get
 * the same key.  Syntax: words (AND by default), "phrases", OR, NOT,
 * -word, +word, brackets.
 */
#ifndef PROTODEX_SEARCHER_H
#define PROTODEX_SEARCHER_H

#include <stddef.h>

typedef struct searcher searcher_t;

typedef enum searcher_status {
	SEARCHER_OK = 0,
	SEARCHER_NO_DATABASE, /* nothing at the path: index first */
	SEARCHER_INCOMPATIBLE, /* built by another schema or analyzer */
	SEARCHER_DB_ERROR,     /* cannot open or read the database */
	SEARCHER_QUERY_ERROR,  /* the query cannot be parsed or is empty */
	SEARCHER_ERROR         /* analyzer start-up, out of memory */
} searcher_status_t;

/* On failure *errmsg receives a malloc'd message naming the database. */
searcher_status_t searcher_open(const char *dbpath, searcher_t **out, char **errmsg);
void searcher_close(searcher_t *s);
/* The message of the last failed call (owned by s). */
const char *searcher_error(const searcher_t *s);

typedef struct searcher_request {
	const char *query;
	unsigned offset;
	unsigned limit;
	const char *hl_start;  /* around matched words in snippets; "" for none */
	const char *hl_end;
	size_t snippet_bytes;  /* snippet length limit */
} searcher_request_t;

#define SEARCHER_REQUEST_INIT { NULL, 0, 10, "", "", 300 }

typedef struct searcher_hit {
	unsigned rank;     /* 1-based, counting from the first result overall */
	char *id;          /* document id (16 hex digits) */
	char *path;        /* source path */
	char *title;
	char *format;
	double score;
	int percent;
	char *snippet;     /* text around the matches, one line */
} searcher_hit_t;

typedef struct searcher_results {
	searcher_hit_t *hits;
	size_t n;
	unsigned matches_estimated; /* Xapian's estimate of all matches */
	unsigned matches_lower;
	unsigned matches_upper;
	char *query_description;    /* Xapian's view of the parsed query */
} searcher_results_t;

searcher_status_t searcher_run_query(searcher_t *s, const searcher_request_t *rq,
				     searcher_results_t *out);
void searcher_results_release(searcher_results_t *res);

#endif
