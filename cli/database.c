/* Opening the database for the reading commands, with their errors. */
#include <stdlib.h>

#include "cli/cli.h"
#include "searcher/searcher.h"

int
cli_open_searcher(const char *db_option, searcher_t **out)
{
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	char *msg = NULL;
	searcher_status_t st;
	int ret = EXIT_OK;

	*out = NULL;
	if (cli_db_path(db_option, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
	} else if ((st = searcher_open(db.buf, out, &msg)) != SEARCHER_OK) {
		cli_error("%s", msg);
		ret = st == SEARCHER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
	} else if (*searcher_notice(*out)) {
		cli_error("%s", searcher_notice(*out));
	}
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
