/*
 * protodex compact, protodex check: database maintenance.
 *
 * compact holds the writer's lock (so no index run writes meanwhile) and
 * has indexer_compact_swap (indexer/compact.c) write a compacted copy
 * beside the database and swap it in at once; searches go on.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/util.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "xapian-c/xapian-c.h"

static const char compact_usage[] =
	"usage: protodex compact [--db DIR]\n"
	"\n"
	"Rewrite the database into smaller, faster tables (Xapian compaction).\n"
	"The compacted copy is written beside it (DIR.compact-PID) and swapped in\n"
	"at once: searches running meanwhile go on with the old copy, later ones\n"
	"see the new one.  An index run cannot write while compact runs; compact\n"
	"refuses to start while one does.  Needs free space for a second copy.\n"
	"\n"
	"Options:\n"
	"  --db DIR      the database (default: $PROTODEX_DB, else\n"
	"                $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  -q, --quiet   print only problems\n"
	"  -h, --help    show this help\n"
	"\n"
	"Exit status: 0 compacted, 2 usage error, 3 database error, 4 an index run\n"
	"holds the database.\n";

static const char check_usage[] =
	"usage: protodex check [--db DIR]\n"
	"\n"
	"Verify the database: Xapian's check of every table, the versions of the\n"
	"index format and of the analyzer, and the records: every record id held\n"
	"by one document only, every source's decisions with their protocol.\n"
	"\n"
	"Options:\n"
	"  --db DIR      the database (default: $PROTODEX_DB, else\n"
	"                $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  -h, --help    show this help\n"
	"\n"
	"Exit status: 0 no problem found, 2 usage error, 3 problems found or the\n"
	"database cannot be read.\n";

enum { OPT_DB, OPT_QUIET, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "quiet", 'q', 0, OPT_QUIET },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

/* Parse the shared options; EXIT_OK to go on, or the status to return. */
static int
parse(const char *cmd, const char *usage, int argc, char **argv, const char **db, int *quiet,
      int *done)
{
	cli_parser_t p;
	int id;
	*done = 0;
	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			return cli_usage_error(cmd, "unexpected argument '%s'", p.arg);
		case CLI_ERROR:
			return cli_usage_error(cmd, "%s", p.error);
		case OPT_DB: *db = p.arg; break;
		case OPT_QUIET: *quiet = 1; break;
		case OPT_HELP:
			fputs(usage, stdout);
			*done = 1;
			return EXIT_OK;
		}
	}
	return EXIT_OK;
}

static unsigned long long tree_bytes;

static int
add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F)
		tree_bytes += (unsigned long long)st->st_size;
	return 0;
}

static unsigned long long
du(const char *dir)
{
	tree_bytes = 0;
	if (nftw(dir, add_size, 16, FTW_PHYS) != 0)
		return 0;
	return tree_bytes;
}

int
cmd_compact(int argc, char **argv)
{
	const char *db_opt = NULL;
	int quiet = 0, done, ret;
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	xapian_c_wdb_t *lock = NULL;
	xapian_c_rdb_t *rdb = NULL;
	xapian_c_status_t st;
	char *msg = NULL;
	unsigned long long before, after;

	ret = parse("compact", compact_usage, argc, argv, &db_opt, &quiet, &done);
	if (ret != EXIT_OK || done)
		goto out;
	if (cli_db_path(db_opt, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}
	/* Only an existing database: opening a writer would create one. */
	st = xapian_c_rdb_open(db.buf, &rdb, &msg);
	xapian_c_rdb_close(rdb);
	if (st != XAPIAN_C_OK) {
		cli_error("%s", st == XAPIAN_C_NOT_FOUND ? "no database to compact" : msg);
		if (st == XAPIAN_C_NOT_FOUND)
			fprintf(stderr, "  at '%s'\n", db.buf);
		ret = EXIT_DATABASE;
		goto out;
	}
	free(msg);
	msg = NULL;
	/* Hold the writer's lock: nothing may be written while we copy. */
	st = xapian_c_wdb_open(db.buf, &lock, &msg);
	if (st == XAPIAN_C_LOCKED) {
		cli_error("the database '%s' is being written by an index run; compact it when "
			  "the run ends",
			  db.buf);
		ret = EXIT_LOCKED;
		goto out;
	}
	if (st != XAPIAN_C_OK) {
		cli_error("%s", msg);
		ret = EXIT_DATABASE;
		goto out;
	}
	if (indexer_is_compacted(lock)) {
		if (!quiet)
			fprintf(stderr, "protodex: '%s' is as its last compaction left it: "
				"nothing to do\n", db.buf);
		ret = EXIT_OK;
		goto out;
	}
	before = du(db.buf);
	free(msg);
	msg = NULL;
	{
		const char *src = db.buf;
		if (indexer_compact_swap(db.buf, &src, 1, &lock, &msg) != INDEXER_OK) {
			cli_error("%s", msg);
			ret = EXIT_DATABASE;
			goto out;
		}
	}
	if (msg)
		cli_error("%s", msg);
	after = du(db.buf);
	if (!quiet)
		fprintf(stderr, "protodex: compacted '%s': %.1f MB -> %.1f MB\n", db.buf,
			before / 1048576.0, after / 1048576.0);
	ret = EXIT_OK;
out:
	xapian_c_wdb_close(lock);
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}

int
cmd_check(int argc, char **argv)
{
	const char *db_opt = NULL;
	int quiet = 0, done, ret;
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	searcher_t *s = NULL;
	searcher_census_t c;
	unsigned long errors = 0;
	char *report = NULL, *msg = NULL;
	xapian_c_status_t st;

	ret = parse("check", check_usage, argc, argv, &db_opt, &quiet, &done);
	if (ret != EXIT_OK || done)
		goto out;
	if (cli_db_path(db_opt, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}
	/* Versions and schema first: a database this build cannot use. */
	if ((ret = cli_open_searcher(db.buf, &s)) != EXIT_OK)
		goto out;
	st = xapian_c_check(db.buf, &errors, &report, &msg);
	if (st != XAPIAN_C_OK) {
		cli_error("%s", msg);
		ret = EXIT_DATABASE;
		goto out;
	}
	if (errors) {
		cli_error("%lu problem%s in the tables of '%s':", errors, errors == 1 ? "" : "s",
			  db.buf);
		fputs(report, stderr);
	}
	if (searcher_census(s, &c) != SEARCHER_OK) {
		cli_error("%s", searcher_error(s));
		ret = EXIT_DATABASE;
		goto out;
	}
	printf("database:   %s\n", db.buf);
	printf("documents:  %u (%u protocols, %u decisions)\n", c.documents, c.protocols,
	       c.decisions);
	printf("tables:     %s\n", errors ? "PROBLEMS (see above)" : "ok");
	printf("record ids: %s", c.duplicate_ids ? "" : "ok\n");
	if (c.duplicate_ids)
		printf("%u held by more than one document\n", c.duplicate_ids);
	printf("sources:    %s", c.orphan_sources ? "" : "ok\n");
	if (c.orphan_sources)
		printf("%u with decisions but no protocol record\n", c.orphan_sources);
	if (c.protocols + c.decisions != c.documents)
		printf("types:      %u documents are neither protocol nor decision\n",
		       c.documents - c.protocols - c.decisions);
	ret = errors || c.duplicate_ids || c.orphan_sources ||
			      c.protocols + c.decisions != c.documents
		      ? EXIT_DATABASE
		      : EXIT_OK;
	if (ret != EXIT_OK)
		cli_error("problems found in '%s'; re-indexing with --force rebuilds the "
			  "records",
			  db.buf);
out:
	searcher_close(s);
	free(report);
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
