/*
 * protodex index: walk files and directories, add their protocols.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "indexer/indexer.h"

static const char usage[] =
	"usage: protodex index [--db DIR] [--force] [--quiet] PATH...\n"
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
	"Options:\n"
	"  --db DIR     the database (default: $PROTODEX_DB, else\n"
	"               $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  --force      re-read every file, even unchanged ones\n"
	"  -q, --quiet  print only problems\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 all files indexed or unchanged, 5 some files or archive\n"
	"members skipped, 2 usage error, 3 database error (not writable, disk\n"
	"full), 4 database locked by another indexer.\n";

enum { OPT_DB, OPT_FORCE, OPT_QUIET, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "force", 0, 0, OPT_FORCE },
	{ "quiet", 'q', 0, OPT_QUIET },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

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
	size_t n_indexed, n_unchanged, n_skipped;
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
		case OPT_HELP: fputs(usage, stdout); free(roots); return EXIT_OK;
		}
	}
	if (n_roots == 0) {
		free(roots);
		return cli_usage_error("index", "no PATH given: name the files or directories to index");
	}
	if (cli_db_path(db_opt, &db, &err) < 0) {
		free(roots);
		cli_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_USAGE;
	}

	pg.tty = !quiet && isatty(STDERR_FILENO);
	bad_roots = indexer_collect(roots, n_roots, &files, walk_error, &pg);

	st = indexer_open(db.buf, &ix, &msg);
	if (st != INDEXER_OK) {
		cli_error("%s", msg);
		ret = st == INDEXER_LOCKED ? EXIT_LOCKED :
		      st == INDEXER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
		goto out;
	}
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

	for (i = 0; i < files.n; i++) {
		indexer_outcome_t outcome;
		char why[600];
		progress_show(&pg, i + 1, files.n, files.paths[i]);
		st = indexer_add_file(ix, files.paths[i], &outcome, why, sizeof(why));
		if (st != INDEXER_OK) {
			progress_clear(&pg);
			cli_error("%s", why);
			cli_error("stopped after %zu of %zu files; what was indexed before "
				  "is kept", i, files.n);
			ret = st == INDEXER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
			goto out;
		}
		if (outcome == INDEXER_SKIPPED) {
			progress_clear(&pg);
			cli_error("skipping '%s': %s", files.paths[i], why);
		}
	}
	progress_clear(&pg);
	/* Counts of sources: files, and the members of archives. */
	tally = indexer_tally(ix);
	n_indexed = tally->indexed;
	n_unchanged = tally->unchanged;
	n_skipped = tally->skipped;
	st = indexer_close(ix, &msg);
	ix = NULL;
	if (st != INDEXER_OK) {
		cli_error("%s", msg);
		ret = EXIT_DATABASE;
		goto out;
	}
	if (!quiet || n_skipped || bad_roots)
		fprintf(stderr,
			"protodex: %zu indexed, %zu unchanged, %zu skipped%s in %.1f s (database '%s')\n",
			n_indexed, n_unchanged, n_skipped,
			bad_roots ? ", some paths not found" : "", now_seconds() - t0, db.buf);
	if (n_skipped || bad_roots)
		ret = EXIT_SKIPPED;

out:
	if (ix) {
		char *cmsg = NULL;
		indexer_close(ix, &cmsg);
		free(cmsg);
	}
	free(msg);
	free(roots);
	indexer_files_release(&files);
	strbuf_release(&pg.walk_errors);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
