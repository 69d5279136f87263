/*
 * Private to searcher/: the searcher's state, shared by searcher.c (open,
 * run, results) and fields.c (what a field value in a query means).
 */
#ifndef PROTODEX_SEARCHER_INT_H
#define PROTODEX_SEARCHER_INT_H

#include "common/strbuf.h"
#include "searcher/query.h"
#include "searcher/searcher.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* The names one boolean prefix holds (municipalities, ...), with the
 * analysis keys of their words, read from the database when first asked. */
typedef struct name_entry {
	char *name;
	char **keys;
	size_t n_keys;
} name_entry_t;

typedef struct name_list {
	int loaded;
	name_entry_t *v;
	size_t n, cap;
} name_list_t;

enum { NAMES_MUNICIPALITY, NAMES_REGION, NAMES_RESPONSIBLE, NAMES_SPEAKER, NAMES_COUNT };

struct searcher {
	xapian_c_rdb_t *rdb;
	xapian_c_qp_t *qp;
	stemmer_t *stemmer;
	char *dbpath;
	strbuf_t error;
	strbuf_t missing;           /* shards skipped (allow_partial), a line each */
	query_error_t query_error;  /* of the last query that did not parse */
	int has_query_error;
	/* For the query being parsed: */
	char today[9];              /* "YYYYMMDD" */
	strbuf_t explain;           /* one line per field clause resolved */
	strbuf_t warnings;          /* one line per value that matched nothing */
	strbuf_t field_error;       /* the first value a field callback refused:
				       it answers "nothing" instead of throwing
				       through QueryParser, which leaks then */
	name_list_t names[NAMES_COUNT];
	int name_words;             /* every shard has its names' word terms
				       (META_NAME_WORDS): names are found by
				       them, not by analysing every name */
	int date_terms;             /* every shard has year, month and day
				       terms (META_DATE_TERMS) */
	int wdf_normalised;         /* every shard's wdf is normalised for
				       length (META_WDF_NORMALISED) */
	unsigned n_normalised;      /* shards that are */
	/* Lookups in the database's word list (known_word) this query. */
	unsigned words_known, words_missing;
	/* The protocol record read last, to complete its decisions' records. */
	strbuf_t protocol_id, protocol_data;
};

/* Register the field and range callbacks on s->qp: 0, or -1 (s->error). */
int fields_install(searcher_t *s);
/* Forget the cached names (the database changed). */
void fields_forget(searcher_t *s);

/*
 * A stub database file's text: a line per shard, "auto PATH" or "glass
 * PATH" (relative to the directory of `stub`, the file's path; the rest
 * of the line is the path, spaces and all) or "remote HOST:PORT"
 * (appended as tcp://HOST:PORT); blank lines and lines starting with '#'
 * are skipped.  Appends the shards to *list (*n of them so far); on a
 * line it cannot use, appends nothing, writes why to err and returns -1.
 */
int searcher_parse_stub(const char *text, size_t len, const char *stub, char ***list, size_t *n,
			strbuf_t *err);

#endif
