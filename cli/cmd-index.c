/*
 * protodex index: walk files and directories, add their protocols.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/util.h"
#include "indexer/indexer.h"

static const char usage[] =
	"usage: protodex index [--db DIR] [--force] [--quiet] [--wait SECONDS]\n"
	"                      [--jobs N] [--format text|json] [PATH...]\n"
	"\n"
	"Add the protocols in PATH (files or directories, walked recursively) to\n"
	"the database.  Read: plain text (UTF-8, UTF-16, windows-1251, KOI8-R,\n"
	"CP866; detected from the content), .docx, .odt, .rtf, .html, and .doc\n"
	"and .pdf through antiword/catdoc and pdftotext.  A file already indexed\n"
	"with the same size and modification time is left alone; a file that\n"
	"cannot be read is reported and skipped, and the run goes on.\n"
	"\n"
	"Archives (zip, tar.gz/.bz2/.xz, 7z, rar; detected from the content) are\n"
	"read in memory, archives inside them too (3 levels deep): each member is\n"
	"indexed as 'ARCHIVE!/MEMBER'.  Limits: 64 MB per member once\n"
	"decompressed, 1 GB and 10000 members per archive, 5 minutes per\n"
	"archive.  What was skipped is listed by 'protodex stats --errors'.\n"
	"\n"
	"The paths given are remembered: with no PATH, the remembered ones are\n"
	"indexed again.  Files under them that are gone since lose their\n"
	"documents.  SIGINT or SIGTERM stops the run after the file being read,\n"
	"committing what was done; a killed run loses at most its last batch\n"
	"(1000 files), which the next run indexes.  When standard error is not\n"
	"a terminal (cron, systemd), its lines start with the local time.\n"
	"\n"
	"A first load (into an empty database) is shared among N threads, each\n"
	"writing a database of its own beside DIR (DIR.load-PID); at the end they\n"
	"are merged into DIR and compacted.  It needs free space for a second\n"
	"copy meanwhile.  Later runs add what changed, one file after another.\n"
	"\n"
	"Options:\n"
	"  --db DIR     the database (default: $PROTODEX_DB, else\n"
	"               $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  --force      re-read every file, even unchanged ones\n"
	"  -q, --quiet  print only problems\n"
	"  --wait SECONDS  when another index run holds the database, wait up to\n"
	"               SECONDS for it (default: exit at once with status 4)\n"
	"  --jobs N     threads for a first load (default: the number of\n"
	"               processors, at most 8)\n"
	"  --format json  the summary as one JSON object on standard output\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 all files indexed or unchanged, 5 some files or archive\n"
	"members skipped, 2 usage error, 3 database error (not writable, disk\n"
	"full), 4 database locked by another indexer, 130/143 stopped by SIGINT/\n"
	"SIGTERM (what was done is committed).\n";

enum { OPT_DB, OPT_FORCE, OPT_QUIET, OPT_WAIT, OPT_JOBS, OPT_FORMAT, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "force", 0, 0, OPT_FORCE },
	{ "quiet", 'q', 0, OPT_QUIET },
	{ "wait", 0, 1, OPT_WAIT },
	{ "jobs", 'j', 1, OPT_JOBS },
	{ "format", 0, 1, OPT_FORMAT },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

/* The signal that asked the run to stop (SIGINT, SIGTERM), or 0. */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* The file in the database directory naming the running index process. */
static void
writer_file(const char *db, strbuf_t *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/protodex-writer", db);
}

/* " (process 1234, since 2026-11-23 05:30:00)", or "" when unknown. */
static void
writer_holder(const char *db, strbuf_t *out)
{
	strbuf_t path = STRBUF_INIT;
	char *text = NULL;
	size_t len;
	writer_file(db, &path);
	if (util_read_file(path.buf, 256, &text, &len) == 0 && len) {
		while (len && (text[len - 1] == '\n'))
			len--;
		strbuf_addf(out, " (%.*s)", (int)len, text);
	}
	free(text);
	strbuf_release(&path);
}

static void
writer_mark(const char *db)
{
	strbuf_t path = STRBUF_INIT;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	FILE *f;
	writer_file(db, &path);
	f = fopen(path.buf, "w");
	if (f) {
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		else
			snprintf(when, sizeof(when), "?");
		fprintf(f, "process %ld, since %s\n", (long)getpid(), when);
		fclose(f);
	}
	strbuf_release(&path);
}

static void
writer_unmark(const char *db)
{
	strbuf_t path = STRBUF_INIT;
	writer_file(db, &path);
	unlink(path.buf);
	strbuf_release(&path);
}

struct progress {
	int tty;          /* stderr is a terminal: redraw one status line */
	int line_shown;
	strbuf_t walk_errors; /* "path\0why\0" pairs, for the database's list */
};

static void
progress_clear(struct progress *pg)
{
	if (pg->line_shown) {
		fputs("\r\033[K", stderr);
		pg->line_shown = 0;
	}
}

static void
progress_show(struct progress *pg, size_t done, size_t total, const char *path)
{
	const char *base;
	if (!pg->tty)
		return;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	fprintf(stderr, "\r\033[Kindexing %zu/%zu %.60s", done, total, base);
	pg->line_shown = 1;
}

static void
walk_error(void *ctx, const char *path, const char *why)
{
	struct progress *pg = ctx;
	progress_clear(pg);
	cli_error("cannot walk '%s': %s", path, why);
	strbuf_add(&pg->walk_errors, path, strlen(path) + 1);
	strbuf_add(&pg->walk_errors, why, strlen(why) + 1);
}

/* After each file: the status line, and why a file was skipped. */
static void
file_done(void *ctx, size_t done, size_t total, const char *path, indexer_outcome_t outcome,
	  const char *why)
{
	struct progress *pg = ctx;
	if (outcome == INDEXER_SKIPPED) {
		progress_clear(pg);
		cli_error("skipping '%s': %s", path, why);
	}
	progress_show(pg, done, total, path);
}

/* The default for --jobs: the processors online, at most 8. */
static unsigned
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

/* An archive member skipped (the whole files are reported by cmd_index). */
static void
skip_report(void *ctx, const char *path, const char *why)
{
	struct progress *pg = ctx;
	progress_clear(pg);
	cli_error("skipping '%s': %s", path, why);
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
cmd_index(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	const char **roots;
	size_t n_roots = 0, i, bad_roots;
	int id, force = 0, quiet = 0, ret = EXIT_OK;
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	indexer_files_t files = { NULL, 0, 0 };
	indexer_t *ix = NULL;
	char *msg = NULL;
	size_t n_indexed, n_unchanged, n_skipped, n_removed = 0, tally_renamed = 0, tally_updated = 0;
	unsigned wait_s = 0, jobs = default_jobs();
	int json = 0, marked = 0;
	char **remembered = NULL;
	size_t n_remembered = 0;
	struct sigaction sa;
	struct progress pg = { 0, 0, STRBUF_INIT };
	const indexer_tally_t *tally;
	double t0 = now_seconds();
	indexer_status_t st;

	roots = calloc((size_t)argc, sizeof(*roots));
	if (!roots)
		return EXIT_INTERNAL;
	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL: roots[n_roots++] = p.arg; break;
		case CLI_ERROR: free(roots); return cli_usage_error("index", "%s", p.error);
		case OPT_DB: db_opt = p.arg; break;
		case OPT_FORCE: force = 1; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_WAIT:
			if (cli_parse_uint(p.arg, 86400, &wait_s) < 0) {
				free(roots);
				return cli_usage_error("index", "--wait wants seconds, not '%s'", p.arg);
			}
			break;
		case OPT_JOBS:
			if (cli_parse_uint(p.arg, 64, &jobs) < 0 || jobs == 0) {
				free(roots);
				return cli_usage_error("index", "--jobs wants a number of threads "
								"from 1 to 64, not '%s'", p.arg);
			}
			break;
		case OPT_FORMAT:
			json = cli_choice("index", "format", p.arg, cli_text_json);
			if (json < 0) {
				free(roots);
				return EXIT_USAGE;
			}
			break;
		case OPT_HELP: fputs(usage, stdout); free(roots); return EXIT_OK;
		}
	}
	if (cli_db_path(db_opt, &db, &err) < 0) {
		free(roots);
		cli_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_USAGE;
	}

	/* From the start: a stop asked for while the database opens is a
	 * stop before the first file, with what was set up committed. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESTART; /* a read cut short is not a file skipped */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	pg.tty = !quiet && isatty(STDERR_FILENO);
	/* Not a terminal: a log (cron, systemd), whose lines want the time. */
	cli_log_timestamps(!isatty(STDERR_FILENO));

	/* Another run may hold the database: wait for it when asked. */
	for (double until = now_seconds() + wait_s;;) {
		st = indexer_open(db.buf, &ix, &msg);
		if (st != INDEXER_LOCKED || now_seconds() >= until || stop_signal)
			break;
		free(msg);
		msg = NULL;
		usleep(200000);
	}
	if (st == INDEXER_LOCKED && stop_signal) {
		cli_error("stopped by %s while waiting for the database '%s'",
			  stop_signal == SIGINT ? "SIGINT" : "SIGTERM", db.buf);
		ret = 128 + stop_signal;
		goto out;
	}
	if (st != INDEXER_OK) {
		if (st == INDEXER_LOCKED) {
			strbuf_t holder = STRBUF_INIT;
			writer_holder(db.buf, &holder);
			cli_error("the database '%s' is being written by another 'protodex index'%s;%s "
				  "try again when it ends%s",
				  db.buf, holder.buf, wait_s ? " waited for it," : "",
				  wait_s ? "" : ", or give --wait SECONDS");
			strbuf_release(&holder);
		} else {
			cli_error("%s", msg);
		}
		ret = st == INDEXER_LOCKED ? EXIT_LOCKED :
		      st == INDEXER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
		goto out;
	}
	writer_mark(db.buf);
	marked = 1;

	/* No PATH: the paths given before. */
	if (n_roots == 0) {
		if (indexer_roots(ix, &remembered, &n_remembered) != INDEXER_OK) {
			cli_error("cannot read the database '%s'", db.buf);
			ret = EXIT_DATABASE;
			goto out;
		}
		if (n_remembered == 0) {
			ret = cli_usage_error("index", "no PATH given, and none remembered: name the "
						       "files or directories to index");
			goto out;
		}
		free(roots);
		roots = calloc(n_remembered, sizeof(*roots));
		if (!roots) {
			ret = EXIT_INTERNAL;
			goto out;
		}
		for (i = 0; i < n_remembered; i++)
			roots[n_roots++] = remembered[i];
	} else {
		for (i = 0; i < n_roots; i++) {
			char canon[PATH_MAX];
			if (realpath(roots[i], canon) && indexer_remember_root(ix, canon) != INDEXER_OK) {
				cli_error("cannot write to the database '%s'", db.buf);
				ret = EXIT_DATABASE;
				goto out;
			}
		}
	}
	bad_roots = indexer_collect(roots, n_roots, &files, walk_error, &pg);

	indexer_set_force(ix, force);
	indexer_set_skip_report(ix, skip_report, &pg);
	if (*indexer_notice(ix))
		cli_error("%s", indexer_notice(ix));
	for (i = 0; i < pg.walk_errors.len;) {
		const char *path = pg.walk_errors.buf + i;
		const char *why = path + strlen(path) + 1;
		indexer_note_skip(ix, path, why);
		i = (size_t)(why + strlen(why) + 1 - pg.walk_errors.buf);
	}

	{
		char why[600];
		st = indexer_add_files(ix, &files, jobs, file_done, &pg, &stop_signal, &i, why,
				       sizeof(why));
		progress_clear(&pg);
		if (st != INDEXER_OK) {
			cli_error("%s", why);
			cli_error("stopped after %zu of %zu files; what was indexed before "
				  "is kept", i, files.n);
			ret = st == INDEXER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
			goto out;
		}
	}
	if (stop_signal) {
		cli_error("stopped by %s after %zu of %zu files; what was indexed is committed, "
			  "the next run goes on",
			  stop_signal == SIGINT ? "SIGINT" : "SIGTERM", i, files.n);
	} else {
		/* Files gone since the last run, under the roots walked. */
		for (size_t r = 0; r < n_roots; r++) {
			char canon[PATH_MAX], why[600];
			size_t removed = 0;
			if (!realpath(roots[r], canon))
				continue;
			st = indexer_remove_missing(ix, canon, &removed, why, sizeof(why));
			if (st != INDEXER_OK) {
				cli_error("%s", why);
				ret = EXIT_DATABASE;
				goto out;
			}
			n_removed += removed;
		}
	}
	/* Counts of sources: files, and the members of archives. */
	tally = indexer_tally(ix);
	n_indexed = tally->indexed;
	n_unchanged = tally->unchanged;
	n_skipped = tally->skipped;
	tally_renamed = tally->renamed;
	tally_updated = tally->updated;
	writer_unmark(db.buf); /* before the lock goes: the next run writes its own */
	marked = 0;
	if (pg.tty && indexer_runs_to_merge(ix)) {
		/* a tenth of a first load, with nothing else to show */
		fprintf(stderr, "\r\033[Kmerging %zu runs into one compacted database",
			indexer_runs_to_merge(ix));
		pg.line_shown = 1;
	}
	st = indexer_close(ix, &msg);
	progress_clear(&pg);
	ix = NULL;
	if (st != INDEXER_OK) {
		cli_error("%s", msg);
		ret = EXIT_DATABASE;
		goto out;
	}
	if (json) {
		printf("{\"indexed\":%zu,\"added\":%zu,\"updated\":%zu,\"renamed\":%zu,"
		       "\"unchanged\":%zu,\"removed\":%zu,\"skipped\":%zu,"
		       "\"paths_not_found\":%zu,\"seconds\":%.3f,\"stopped\":%s}\n",
		       n_indexed, n_indexed - tally_updated, tally_updated, tally_renamed,
		       n_unchanged, n_removed, n_skipped, bad_roots,
		       now_seconds() - t0,
		       stop_signal ? "true" : "false");
	} else if (!quiet || n_skipped || bad_roots) {
		strbuf_t line = STRBUF_INIT;
		strbuf_addf(&line, "%zu indexed, %zu unchanged", n_indexed, n_unchanged);
		if (n_removed)
			strbuf_addf(&line, ", %zu removed", n_removed);
		strbuf_addf(&line, ", %zu skipped%s", n_skipped,
			    bad_roots ? ", some paths not found" : "");
		/* what the indexed were, when some had been indexed before */
		if (tally_updated || tally_renamed)
			strbuf_addf(&line, " (indexed: %zu new, %zu changed", n_indexed - tally_updated,
				    tally_updated);
		if (tally_renamed)
			strbuf_addf(&line, ", %zu under a new name", tally_renamed);
		if (tally_updated || tally_renamed)
			strbuf_addch(&line, ')');
		cli_log_prefix();
		fprintf(stderr, "protodex: %s in %.1f s (database '%s')\n", line.buf,
			now_seconds() - t0, db.buf);
		strbuf_release(&line);
	}
	if (n_skipped || bad_roots)
		ret = EXIT_SKIPPED;
	if (stop_signal)
		ret = 128 + stop_signal;

out:
	if (ix) {
		char *cmsg = NULL;
		indexer_close(ix, &cmsg);
		free(cmsg);
	}
	if (marked)
		writer_unmark(db.buf);
	for (i = 0; i < n_remembered; i++)
		free(remembered[i]);
	free(remembered);
	free(msg);
	free(roots);
	indexer_files_release(&files);
	strbuf_release(&pg.walk_errors);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
