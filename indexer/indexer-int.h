/*
 * Private to indexer/: writing the documents of one source.
 */
#ifndef PROTODEX_INDEXER_INT_H
#define PROTODEX_INDEXER_INT_H

#include <stddef.h>

#include "indexer/protocol.h"
#include "indexer/reader.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

typedef struct records_ctx {
	xapian_c_wdb_t *wdb;
	stemmer_t *stemmer;
	char *err;        /* the caller's message buffer */
	size_t err_size;
	int db_failed;    /* the failure was the database's, not the file's */
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
