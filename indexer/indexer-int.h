/*
 * Private to indexer/: writing the documents of one source.
 */
#ifndef PROTODEX_INDEXER_INT_H
#define PROTODEX_INDEXER_INT_H

#include <stddef.h>

#include "common/strbuf.h"
#include "indexer/archive.h"
#include "indexer/gazetteer.h"
#include "indexer/indexer.h"
#include "indexer/protocol.h"
#include "indexer/reader.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* Commit after this many files so a long run's work is durable. */
#define COMMIT_EVERY 1000

struct indexer {
	xapian_c_wdb_t *wdb;
	stemmer_t *stemmer;
	gazetteer_t *gazetteer;
	char *dbpath;
	int force;
	unsigned pending;
	unsigned commit_every;   /* 0: only when closed */
	arc_limits_t arc_limits;
	indexer_skip_fn on_skip;
	void *skip_ctx;
	indexer_tally_t tally;
	char *old_errors;  /* META_ERRORS as the last run left it */
	strbuf_t errors;   /* this run's, "path\treason\n" lines */
	size_t n_errors;   /* lines in `errors`, or would-be lines past the cap */
	int existed;       /* the file being added was indexed before */
	int hint_written;  /* META_DICTIONARY, once per run */
	int wdf_normalised; /* the database is META_WDF_NORMALISED */
	/* A first load (indexer/load.c): the databases the threads wrote,
	 * merged into this one when it is closed. */
	char *load_dir;
	char **parts;
	size_t n_parts;
};

/*
 * Merge the parts of a first load into the database (indexer/load.c),
 * at indexer_close after its last commit.  The writer's handle is closed
 * (it then names the replaced copy).
 */
indexer_status_t indexer_finish_load(indexer_t *ix, char **errmsg);

/*
 * The analyzer of an indexer: it keeps the words it works out for
 * indexer_write_words (those of its start-up are in META_WORDS already).
 */
stemmer_t *indexer_new_stemmer(char **errmsg);

/*
 * Store the words the analyzer worked out since the last call (META_WORD
 * entries, see common/schema.h), and once per run the dictionary's hint
 * (META_DICTIONARY), before a commit.
 */
xapian_c_status_t indexer_write_words(indexer_t *ix);

typedef struct records_ctx {
	xapian_c_wdb_t *wdb;
	stemmer_t *stemmer;
	char *err;        /* the caller's message buffer */
	size_t err_size;
	int db_failed;    /* the failure was the database's, not the file's */
	int wdf_normalised; /* normalise each document's wdf (schema.h) */
	struct records_names *names; /* records.c's, while a source is written */
} records_ctx_t;

/* What the records say about the source file itself. */
typedef struct records_source {
	const char *id;       /* 16 hex digits */
	const char *path;     /* canonical path */
	const char *title;
	const char *size;     /* decimal */
	const char *stamp;    /* "size:mtime" */
	const char *format;   /* "txt", "docx" */
	const char *encoding;
	/* A member of an archive: the archive's id (every document gets an
	 * "XU" term and the stamp); NULL for a file of its own. */
	const char *archive;
	const char *file;     /* the file on disk: path, or the archive's */
	const char *content;  /* hash of that file's bytes, hex; NULL: unknown */
} records_source_t;

/*
 * Replace every document of the source with a protocol document and one
 * document per decision.  Returns 0, or -1 with a message in rc->err.
 */
int records_write_source(records_ctx_t *rc, const records_source_t *src,
			 const reader_doc_t *rd, const protocol_t *p);

#endif
