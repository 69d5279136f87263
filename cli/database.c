/*
 * Opening the database for the reading commands, with their errors.  --db
 * may be given several times (shards searched as one); each is a database
 * directory, a stub database file, or tcp://HOST:PORT.
 */
#include <stdlib.h>

#include "cli/cli.h"
#include "searcher/searcher.h"

#define MAX_SHARDS 256

static const char *shards[MAX_SHARDS];
static size_t n_shards;
static searcher_options_t shard_options;

const char *
cli_db_option(const char *arg)
{
	if (n_shards < MAX_SHARDS)
		shards[n_shards++] = arg;
	return arg;
}

void
cli_shard_options(unsigned timeout_ms, int allow_partial)
{
	shard_options.timeout_ms = timeout_ms;
	shard_options.allow_partial = allow_partial;
}

int
cli_open_searcher(const char *db_option, searcher_t **out)
{
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	char *msg = NULL;
	searcher_status_t st;
	int ret = EXIT_OK;
	const char *one[1];

	*out = NULL;
	if (cli_db_path(db_option, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}
	one[0] = db.buf;
	/* The --db values given, or the one default location. */
	st = searcher_open_shards(n_shards > 1 ? shards : one, n_shards > 1 ? n_shards : 1,
				  &shard_options, out, &msg);
	if (st != SEARCHER_OK) {
		cli_error("%s", msg);
		ret = st == SEARCHER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
		goto out;
	}
	if (*searcher_missing(*out)) {
		const char *m = searcher_missing(*out);
		cli_error("warning: partial result, shards left out:");
		fputs(m, stderr);
	}
	if (*searcher_notice(*out))
		cli_error("%s", searcher_notice(*out));
out:
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
