/*
 * The index format: every term prefix, value slot and metadata key that the
 * indexer writes and the searcher reads is named here and nowhere else.
 *
 * A protocol is one Xapian document:
 *   - "Z" + key     positional terms of the text, keys from stemmer/ (the
 *                   same chain the QueryParser applies to queries, through
 *                   Xapian's STEM_ALL_Z strategy);
 *   - "Q" + id      the unique id term; id is 16 hex digits of a hash of the
 *                   source's canonical path, so re-indexing replaces;
 *   - "XF" + format boolean term: txt, docx;
 *   - value SLOT_STAMP: "size:mtime" of the source, to skip unchanged files;
 *   - data: "key\tvalue\n" header lines (see DATA_*), an empty line, then
 *           the extracted text (used for snippets and `show`).
 *
 * SCHEMA_VERSION changes whenever a change here makes old databases give
 * wrong answers; the analyzer version (stemmer_version()) is recorded
 * beside it, and either mismatch asks the user to re-index.
 */
#ifndef PROTODEX_SCHEMA_H
#define PROTODEX_SCHEMA_H

#define SCHEMA_VERSION "1"

#define PREFIX_STEM "Z"
#define PREFIX_ID "Q"
#define PREFIX_FORMAT "XF"

#define SLOT_STAMP 0

#define META_SCHEMA "protodex:schema"
#define META_ANALYZER "protodex:analyzer"

#define DATA_ID "id"
#define DATA_PATH "path"
#define DATA_TITLE "title"
#define DATA_SIZE "size"
#define DATA_FORMAT "format"
#define DATA_ENCODING "encoding"

#include "common/strbuf.h"

/*
 * Check the versions a database records against this build's.  Returns 1
 * when compatible; otherwise 0 with a message in `why` that names the
 * database and says to re-index.  An empty db_schema means a new database.
 */
int schema_compatible(const char *dbpath, const char *db_schema, const char *db_analyzer,
		      const char *analyzer, strbuf_t *why);

#endif
