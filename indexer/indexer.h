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
 *
 * An archive (zip, tar.gz, 7z, rar..., see indexer/archive.h) is not a
 * source itself: each of its members is, with the path
 * "<archive>!/<member>" ("a.zip!/b.zip!/Протокол №8.docx").  Members that
 * cannot be read are reported through the skip callback
 * (indexer_set_skip_report) and skipped; the others are indexed.  An
 * archive whose size and modification time are unchanged is left alone
 * as a whole; a changed one loses all its old members first.
 *
 * What a run skipped (files, members, paths that could not be walked) is
 * kept in the database when it is closed, for `protodex stats --errors`.
 */
#ifndef PROTODEX_INDEXER_H
#define PROTODEX_INDEXER_H

#include <signal.h>
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
 * Called for each archive member skipped (and for an archive damaged
 * after some of its members were read): `path` is the path given to
 * indexer_add_file followed by "!/<member>", `why` the reason.  A whole
 * file skipped is not reported here: indexer_add_file says so itself.
 */
typedef void (*indexer_skip_fn)(void *ctx, const char *path, const char *why);
void indexer_set_skip_report(indexer_t *ix, indexer_skip_fn fn, void *ctx);

/*
 * Limits for archives (see indexer/archive.h; arc_limits_default() when
 * not set).  `lim` points to an arc_limits_t, copied.
 */
struct arc_limits;
void indexer_set_archive_limits(indexer_t *ix, const struct arc_limits *lim);

/* Sources seen since indexer_open: files, and archive members. */
typedef struct indexer_tally {
	size_t indexed;
	size_t unchanged; /* an unchanged archive counts once */
	size_t skipped;   /* files and members; a damaged archive's rest once */
	size_t renamed;   /* files known by their bytes under a new name (also
			     counted as indexed) */
	size_t updated;   /* of the indexed, those indexed before (changed) */
} indexer_tally_t;
const indexer_tally_t *indexer_tally(const indexer_t *ix);

/*
 * Add a problem found outside indexer_add_file (a path that cannot be
 * walked) to the list kept for `protodex stats --errors`.
 */
void indexer_note_skip(indexer_t *ix, const char *path, const char *why);

/*
 * Index one file.  INDEXER_OK with *outcome set, or a database failure
 * (message in `err`).  For SKIPPED, `err` says why the file was skipped.
 * An archive is INDEXED when it was walked, even if every member was
 * skipped (each reported through the skip callback), and SKIPPED when it
 * could not be opened or held no member at all.
 */
indexer_status_t indexer_add_file(indexer_t *ix, const char *path,
				  indexer_outcome_t *outcome, char *err, size_t err_size);

/*
 * Called by indexer_add_files after each file, one call at a time:
 * `done` of `total` files handled, the last one `path` with its outcome
 * (for SKIPPED, `why` says why).
 */
typedef void (*indexer_file_fn)(void *ctx, size_t done, size_t total, const char *path,
				indexer_outcome_t outcome, const char *why);

struct indexer_files;
/*
 * Index `files` as indexer_add_file does, stopping between files once
 * *stop is non-zero.  *done receives the number of files handled.
 *
 * Into an empty database (a first load) the files are shared out among
 * `jobs` threads in consecutive runs; each run is written to a database
 * of its own in DB.load-PID beside the database, and indexer_close merges
 * them, in the files' order, into one compacted database that replaces
 * the empty one.  Otherwise, and with jobs <= 1, one file after another.
 * The skip callback is then called by one thread at a time.
 *
 * Returns INDEXER_OK, or the first failure that stopped the run (its
 * message in `err`): a database failure, or a thread that could not start.
 */
indexer_status_t indexer_add_files(indexer_t *ix, const struct indexer_files *files,
				   unsigned jobs, indexer_file_fn on_file, void *ctx,
				   volatile sig_atomic_t *stop, size_t *done, char *err, size_t err_size);
/* The runs of a first load that indexer_close will merge (0: none). */
size_t indexer_runs_to_merge(const indexer_t *ix);

/* Make what was added so far durable. */
indexer_status_t indexer_commit(indexer_t *ix, char *err, size_t err_size);

/*
 * Remove the documents of every file under `root` (a directory or file,
 * canonical) that was indexed but no longer exists: an archive's members
 * with it.  Nothing is removed when the root itself cannot be seen (an
 * unmounted disk is not a deletion).  *removed counts the files.
 */
indexer_status_t indexer_remove_missing(indexer_t *ix, const char *root, size_t *removed,
					char *err, size_t err_size);

/*
 * The roots `protodex index` was given before (canonical paths), and
 * adding to them.  indexer_roots fills a malloc'd array of malloc'd
 * strings.
 */
indexer_status_t indexer_roots(indexer_t *ix, char ***roots, size_t *n);
indexer_status_t indexer_remember_root(indexer_t *ix, const char *root);

/*
 * Compaction (indexer/compact.c).  indexer_compact_swap replaces the
 * database at `dbpath` by the compacted merge of srcs[0..n) (dbpath itself
 * among them: first, for its metadata to win), written beside it as
 * DB.compact-PID and swapped in at once.  *lock, the caller's writer
 * handle on dbpath, keeps writers out meanwhile; it is closed after the
 * swap and set to NULL.  On failure the database is as it was and
 * *errmsg says why; on success *errmsg is NULL, or says that the old copy
 * could not be removed.
 *
 * indexer_mark_compacted records in the database at `dbpath`, just
 * compacted and not yet in use, that it is compact at its (next) revision
 * (META_COMPACTED); indexer_is_compacted tells, through a writer's handle,
 * whether nothing was written since.
 */
struct xapian_c_wdb;
indexer_status_t indexer_compact_swap(const char *dbpath, const char *const *srcs, size_t n,
				      struct xapian_c_wdb **lock, char **errmsg);
indexer_status_t indexer_mark_compacted(const char *dbpath, char **errmsg);
int indexer_is_compacted(struct xapian_c_wdb *wdb);

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
