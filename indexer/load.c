/*
 * Indexing a list of files, and a first load by several threads.
 *
 * Xapian has one writer per database, and writing (postings, positions,
 * compressed records) is half the cost of indexing.  An empty database
 * is therefore filled by threads that each write databases of their own:
 * the file list is cut into consecutive runs, a thread takes the next run
 * and indexes it into DB.load-PID/N, and when the index run closes the
 * database the runs are merged in order by Xapian's compaction into one
 * compacted database, swapped in for the empty one as `protodex compact`
 * does.  The merged database holds the documents in the order one thread
 * would have written them.
 *
 * Each thread has its own analyzer, gazetteer and message list; the
 * callbacks, the counts and the shared state are under one mutex.
 */
#include "indexer/indexer.h"

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/indexer-int.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* Runs per thread: enough to even out uneven files, few enough databases. */
#define RUNS_PER_JOB 8
/* A run never holds more files than this (memory, merge width). */
#define RUN_MAX_FILES 2000

struct load {
	indexer_t *ix;
	const indexer_files_t *files;
	size_t run_len, n_runs;
	indexer_file_fn on_file;
	void *ctx;
	volatile sig_atomic_t *stop;
	pthread_mutex_t mu;
	/* under mu */
	size_t next_run, done;
	unsigned char *run_made;   /* run i's database exists */
	strbuf_t *run_errors;      /* run i's lines for stats --errors */
	size_t *run_n_errors;
	indexer_status_t failed;
	char err[600];
};

static void
fail_load(struct load *L, indexer_status_t st, const char *why)
{
	pthread_mutex_lock(&L->mu);
	if (L->failed == INDEXER_OK) {
		L->failed = st;
		snprintf(L->err, sizeof(L->err), "%s", why);
	}
	pthread_mutex_unlock(&L->mu);
}

/* A member skipped inside a worker: reported as the caller asked, in turn. */
static void
worker_skip(void *ctx, const char *path, const char *why)
{
	struct load *L = ctx;
	pthread_mutex_lock(&L->mu);
	if (L->ix->on_skip)
		L->ix->on_skip(L->ix->skip_ctx, path, why);
	pthread_mutex_unlock(&L->mu);
}

static void
run_path(const struct load *L, size_t run, strbuf_t *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%06zu", L->ix->load_dir, run);
}

/* Index run `run` into its own database with the worker `w`. */
static void
index_run(struct load *L, indexer_t *w, size_t run)
{
	strbuf_t path = STRBUF_INIT;
	char *msg = NULL;
	size_t first = run * L->run_len, end = first + L->run_len, i;
	char why[600];

	if (end > L->files->n)
		end = L->files->n;
	run_path(L, run, &path);
	if (xapian_c_wdb_open(path.buf, &w->wdb, &msg) != XAPIAN_C_OK) {
		snprintf(why, sizeof(why), "cannot create database '%s': %s", path.buf,
			 msg ? msg : "unknown error");
		fail_load(L, INDEXER_DB_ERROR, why);
		goto out;
	}
	free(w->dbpath);
	w->dbpath = xstrdup(path.buf);
	pthread_mutex_lock(&L->mu);
	L->run_made[run] = 1;
	pthread_mutex_unlock(&L->mu);
	strbuf_reset(&w->errors);
	w->n_errors = 0;
	for (i = first; i < end; i++) {
		indexer_outcome_t outcome;
		indexer_status_t st;
		int go_on;
		pthread_mutex_lock(&L->mu);
		go_on = L->failed == INDEXER_OK && !*L->stop;
		pthread_mutex_unlock(&L->mu);
		if (!go_on)
			break;
		st = indexer_add_file(w, L->files->paths[i], &outcome, why, sizeof(why));
		if (st != INDEXER_OK) {
			fail_load(L, st, why);
			break;
		}
		pthread_mutex_lock(&L->mu);
		L->done++;
		if (L->on_file)
			L->on_file(L->ctx, L->done, L->files->n, L->files->paths[i], outcome, why);
		pthread_mutex_unlock(&L->mu);
	}
	/* What was done is kept, also when stopped: the merge takes it. */
	if (indexer_write_words(w) != XAPIAN_C_OK || xapian_c_wdb_commit(w->wdb) != XAPIAN_C_OK) {
		snprintf(why, sizeof(why), "cannot commit to database '%s': %s", path.buf,
			 xapian_c_wdb_error(w->wdb));
		fail_load(L, INDEXER_DB_ERROR, why);
	}
	xapian_c_wdb_close(w->wdb);
	w->wdb = NULL;
	pthread_mutex_lock(&L->mu);
	{
		strbuf_t t = L->run_errors[run];
		L->run_errors[run] = w->errors;
		w->errors = t;
	}
	L->run_n_errors[run] = w->n_errors;
	pthread_mutex_unlock(&L->mu);
out:
	free(msg);
	strbuf_release(&path);
}

static indexer_t *
worker_new(struct load *L, char *err, size_t err_size)
{
	indexer_t *w = xcalloc(1, sizeof(*w));
	char *msg = NULL;
	w->stemmer = indexer_new_stemmer(&msg);
	if (!w->stemmer) {
		snprintf(err, err_size, "cannot start the analyzer: %s", msg ? msg : "unknown error");
		free(msg);
		free(w);
		return NULL;
	}
	w->gazetteer = gazetteer_new_default();
	w->dbpath = xstrdup(L->ix->dbpath);
	w->force = L->ix->force;
	w->commit_every = 0; /* a run's database is committed once, at its end */
	w->arc_limits = L->ix->arc_limits;
	w->wdf_normalised = L->ix->wdf_normalised;
	w->on_skip = worker_skip;
	w->skip_ctx = L;
	strbuf_init(&w->errors, 0);
	return w;
}

static void *
worker(void *arg)
{
	struct load *L = arg;
	char why[600];
	indexer_t *w = worker_new(L, why, sizeof(why));
	if (!w) {
		fail_load(L, INDEXER_ERROR, why);
		return NULL;
	}
	for (;;) {
		size_t run;
		pthread_mutex_lock(&L->mu);
		run = L->failed == INDEXER_OK && !*L->stop ? L->next_run++ : L->n_runs;
		pthread_mutex_unlock(&L->mu);
		if (run >= L->n_runs)
			break;
		index_run(L, w, run);
	}
	pthread_mutex_lock(&L->mu);
	L->ix->tally.indexed += w->tally.indexed;
	L->ix->tally.unchanged += w->tally.unchanged;
	L->ix->tally.skipped += w->tally.skipped;
	L->ix->tally.renamed += w->tally.renamed;
	L->ix->tally.updated += w->tally.updated;
	pthread_mutex_unlock(&L->mu);
	indexer_close(w, NULL);
	return NULL;
}

/* The runs' lines for stats --errors, in the files' order, after the run's own. */
static void
collect_errors(indexer_t *ix, const struct load *L)
{
	for (size_t r = 0; r < L->n_runs; r++) {
		const char *line = L->run_errors[r].buf;
		size_t left = L->run_n_errors[r];
		while (left) {
			const char *end = strchr(line, '\n');
			if (!end)
				break;
			if (++ix->n_errors <= ERRORS_MAX_LINES)
				strbuf_add(&ix->errors, line, (size_t)(end - line) + 1);
			line = end + 1;
			left--;
		}
		/* lines past a worker's own cap were counted, not kept */
		ix->n_errors += left;
	}
}

/*
 * What a killed first load left beside the database (DB.load-PID, and the
 * merged copy DB.compact-PID): only the holder of the writer's lock makes
 * them, and that is us now.
 */
static void
remove_stale(const char *dbpath)
{
	static const char *const kinds[] = { ".load-", ".compact-" };
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		strbuf_t pattern = STRBUF_INIT;
		glob_t g;
		/* a path with glob characters of its own may match other
		 * names: only those starting with it as written go */
		strbuf_addf(&pattern, "%s%s[0-9]*", dbpath, kinds[k]);
		if (glob(pattern.buf, GLOB_NOESCAPE, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				if (!strncmp(g.gl_pathv[i], dbpath, strlen(dbpath)))
					util_remove_tree(g.gl_pathv[i]);
			globfree(&g);
		}
		strbuf_release(&pattern);
	}
}

static indexer_status_t
load_parallel(indexer_t *ix, const indexer_files_t *files, unsigned jobs,
	      indexer_file_fn on_file, void *ctx, volatile sig_atomic_t *stop, size_t *done,
	      char *err, size_t err_size)
{
	struct load L;
	pthread_t *threads;
	unsigned started = 0;
	strbuf_t dir = STRBUF_INIT, path = STRBUF_INIT;
	indexer_status_t ret = INDEXER_OK;

	memset(&L, 0, sizeof(L));
	L.ix = ix;
	L.files = files;
	L.run_len = (files->n + jobs * RUNS_PER_JOB - 1) / (jobs * RUNS_PER_JOB);
	if (L.run_len > RUN_MAX_FILES)
		L.run_len = RUN_MAX_FILES;
	if (L.run_len == 0)
		L.run_len = 1;
	L.n_runs = (files->n + L.run_len - 1) / L.run_len;
	if (jobs > L.n_runs)
		jobs = (unsigned)L.n_runs;
	L.on_file = on_file;
	L.ctx = ctx;
	L.stop = stop;
	L.failed = INDEXER_OK;
	pthread_mutex_init(&L.mu, NULL);
	L.run_made = xcalloc(L.n_runs, 1);
	L.run_errors = xcalloc(L.n_runs, sizeof(*L.run_errors));
	L.run_n_errors = xcalloc(L.n_runs, sizeof(*L.run_n_errors));
	for (size_t r = 0; r < L.n_runs; r++)
		strbuf_init(&L.run_errors[r], 0);

	remove_stale(ix->dbpath);
	strbuf_addf(&dir, "%s.load-%ld", ix->dbpath, (long)getpid());
	if (mkdir(dir.buf, 0755) != 0) {
		snprintf(err, err_size, "cannot create '%s' for the first load: %s", dir.buf,
			 strerror(errno));
		ret = INDEXER_DB_ERROR;
		goto out;
	}
	ix->load_dir = strbuf_detach(&dir, NULL);

	threads = xcalloc(jobs, sizeof(*threads));
	for (unsigned t = 0; t < jobs; t++) {
		int e = pthread_create(&threads[t], NULL, worker, &L);
		if (e) {
			char why[200];
			snprintf(why, sizeof(why), "cannot start an indexing thread: %s", strerror(e));
			fail_load(&L, INDEXER_ERROR, why);
			break;
		}
		started++;
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);

	*done = L.done;
	collect_errors(ix, &L);
	if (L.failed != INDEXER_OK) {
		snprintf(err, err_size, "%s", L.err);
		ret = L.failed;
		goto out; /* indexer_close removes the runs: nothing is merged */
	}
	ix->parts = xcalloc(L.n_runs, sizeof(*ix->parts));
	for (size_t r = 0; r < L.n_runs; r++)
		if (L.run_made[r]) {
			run_path(&L, r, &path);
			ix->parts[ix->n_parts++] = strbuf_detach(&path, NULL);
		}
out:
	for (size_t r = 0; r < L.n_runs; r++)
		strbuf_release(&L.run_errors[r]);
	free(L.run_errors);
	free(L.run_n_errors);
	free(L.run_made);
	pthread_mutex_destroy(&L.mu);
	strbuf_release(&dir);
	strbuf_release(&path);
	return ret;
}

indexer_status_t
indexer_add_files(indexer_t *ix, const indexer_files_t *files, unsigned jobs,
		  indexer_file_fn on_file, void *ctx, volatile sig_atomic_t *stop, size_t *done,
		  char *err, size_t err_size)
{
	unsigned count = 0;
	size_t i;

	*done = 0;
	err[0] = '\0';
	if (jobs > 1 && files->n > 1 && !ix->load_dir &&
	    xapian_c_wdb_doccount(ix->wdb, &count) == XAPIAN_C_OK && count == 0)
		return load_parallel(ix, files, jobs, on_file, ctx, stop, done, err, err_size);
	for (i = 0; i < files->n && !*stop; i++) {
		indexer_outcome_t outcome;
		char why[600];
		indexer_status_t st = indexer_add_file(ix, files->paths[i], &outcome, why, sizeof(why));
		if (st != INDEXER_OK) {
			snprintf(err, err_size, "%s", why);
			return st;
		}
		*done = i + 1;
		if (on_file)
			on_file(ctx, i + 1, files->n, files->paths[i], outcome, why);
	}
	return INDEXER_OK;
}

indexer_status_t
indexer_finish_load(indexer_t *ix, char **errmsg)
{
	const char **srcs;
	char *msg = NULL;
	indexer_status_t ret;

	if (ix->n_parts == 0)
		return INDEXER_OK;
	/* The database itself first: its metadata (schema, roots, errors) wins. */
	srcs = xcalloc(ix->n_parts + 1, sizeof(*srcs));
	srcs[0] = ix->dbpath;
	for (size_t i = 0; i < ix->n_parts; i++)
		srcs[i + 1] = ix->parts[i];
	ret = indexer_compact_swap(ix->dbpath, srcs, ix->n_parts + 1, &ix->wdb, &msg);
	free(srcs);
	if (ret != INDEXER_OK && errmsg) {
		strbuf_t sb = STRBUF_INIT;
		strbuf_addf(&sb, "the first load: %s; nothing was indexed, the next run "
			    "starts again", msg ? msg : "unknown error");
		*errmsg = strbuf_detach(&sb, NULL);
	}
	free(msg); /* on success, at most a copy that could not be removed */
	return ret;
}

size_t
indexer_runs_to_merge(const indexer_t *ix)
{
	return ix ? ix->n_parts : 0;
}
