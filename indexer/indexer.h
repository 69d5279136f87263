/*
 * indexer: files in, Xapian documents out.
 *
 *   indexer_t *ix;
 *   indexer_open(dbpath, &ix, &msg);                 // takes the write lock
 *   indexer_collect(paths, n, &files, report, ctx);  // walk, sorted
 *   for each file: indexer_add_file(ix, path, &outcome, why, sizeof why);
 *   indexer_close(ix);                               // commits
 *
 * One document per protocol (see common/schema.h).  A file whose size and
 * modification time match the indexed copy is left alone (UNCHANGED);
 * a file that cannot be read is reported (SKIPPED, with the reason) and
 * the run goes on; only database failures stop it.
 */
#ifndef PROTODEX_INDEXER_H
#define PROTODEX_INDEXER_H

#include <stddef.h>

typedef struct indexer indexer_t;

typedef enum indexer_status {
	INDEXER_OK = 0,
	INDEXER_LOCKED,       /* another writer holds the database */
	INDEXER_INCOMPATIBLE, /* built by another schema or analyzer version */
	INDEXER_DB_ERROR,     /* cannot open, write or commit */
	INDEXER_ERROR         /* anything else (analyzer start-up) */
} indexer_status_t;

typedef enum indexer_outcome {
	INDEXER_INDEXED,
	INDEXER_UNCHANGED,
	INDEXER_SKIPPED
} indexer_outcome_t;

/*
 * Open (creating if needed) the database at `dbpath` for writing.  On
 * failure *errmsg receives a malloc'd message naming the database.
 */
indexer_status_t indexer_open(const char *dbpath, indexer_t **out, char **errmsg);
/* Commit and release the lock.  Returns the status of the final commit. */
indexer_status_t indexer_close(indexer_t *ix, char **errmsg);

/* A notice about the analysis chain ("dictionary missing: ..."), or "". */
const char *indexer_notice(const indexer_t *ix);

/* Re-index even files whose size and modification time are unchanged. */
void indexer_set_force(indexer_t *ix, int force);

/*
 * Index one file.  INDEXER_OK with *outcome set, or a database failure
 * (message in `err`).  For SKIPPED, `err` says why the file was skipped.
 */
indexer_status_t indexer_add_file(indexer_t *ix, const char *path,
				  indexer_outcome_t *outcome, char *err, size_t err_size);

/* Make what was added so far durable. */
indexer_status_t indexer_commit(indexer_t *ix, char *err, size_t err_size);

/* ---- Walking ----------------------------------------------------------- */

typedef struct indexer_files {
	char **paths; /* malloc'd; sorted within each root, roots in order */
	size_t n, alloc;
} indexer_files_t;

/* Reports a path that cannot be walked (missing, unreadable directory). */
typedef void (*indexer_walk_error_fn)(void *ctx, const char *path, const char *why);

/*
 * Collect the regular files under `roots` (files or directories; hidden
 * entries, those starting with '.', are skipped inside directories;
 * symbolic links to files are followed, to directories are not).
 * Returns the number of roots that could not be walked.
 */
size_t indexer_collect(const char *const *roots, size_t n_roots, indexer_files_t *files,
		       indexer_walk_error_fn on_error, void *ctx);
void indexer_files_release(indexer_files_t *files);

/*
 * The document id of a source: 16 hex digits of a hash of its canonical
 * path.  `id` must hold 17 bytes.
 */
void indexer_source_id(const char *canonical_path, char id[17]);

#endif
