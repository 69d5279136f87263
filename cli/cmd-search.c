/*
 * protodex search: run a query, print ranked protocols.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "searcher/searcher.h"

static const char usage[] =
	"usage: protodex search [--db DIR] [--limit N] [--offset N]\n"
	"                       [--format text|json|csv] QUERY...\n"
	"\n"
	"Find the protocols and decisions matching QUERY (the arguments joined by\n"
	"spaces).  Each decision of a protocol is a record of its own, found by\n"
	"its text and, with less weight, by the agenda item it belongs to.  Words\n"
	"match in any grammatical form: «школам» finds «школ», «школа».\n"
	"\n"
	"Query syntax:\n"
	"  word word         both words (AND is the default)\n"
	"  \"two words\"       a phrase\n"
	"  a OR b, a NOT b   boolean operators (any case), brackets group\n"
	"  -word             exclude a word (put '--' before a query that starts\n"
	"                    with an ASCII '-word')\n"
	"\n"
	"Options:\n"
	"  --db DIR          the database (default: $PROTODEX_DB, else\n"
	"                    $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  -n, --limit N     show at most N results (default 10)\n"
	"  --offset N        skip the first N results\n"
	"  --format FORMAT   text (default), json (one object per line) or csv\n"
	"                    (RFC 4180 with a header row); fields in README.md\n"
	"  -h, --help        show this help\n"
	"\n"
	"Exit status: 0 something matched, 1 nothing matched, 2 usage or query\n"
	"error, 3 database error.\n";

enum { OPT_DB, OPT_LIMIT, OPT_OFFSET, OPT_FORMAT, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "limit", 'n', 1, OPT_LIMIT },
	{ "offset", 0, 1, OPT_OFFSET },
	{ "format", 0, 1, OPT_FORMAT },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static const char *const formats[] = { "text", "json", "csv", NULL };

/* Upper bound for --limit and --offset: far beyond any real page. */
#define MAX_PAGE 1000000u

int
cmd_search(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	int id, format = 0, colour, ret;
	strbuf_t query = STRBUF_INIT;
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	searcher_results_t res;
	searcher_t *s = NULL;
	searcher_status_t st;
	size_t i;

	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			if (query.len)
				strbuf_addch(&query, ' ');
			strbuf_adds(&query, p.arg);
			break;
		case CLI_ERROR:
			ret = cli_usage_error("search", "%s", p.error);
			goto out;
		case OPT_DB: db_opt = p.arg; break;
		case OPT_LIMIT:
			if (cli_parse_uint(p.arg, MAX_PAGE, &rq.limit) < 0 || rq.limit == 0) {
				ret = cli_usage_error("search", "--limit wants a number from 1 to %u, not '%s'",
						      MAX_PAGE, p.arg);
				goto out;
			}
			break;
		case OPT_OFFSET:
			if (cli_parse_uint(p.arg, MAX_PAGE, &rq.offset) < 0) {
				ret = cli_usage_error("search", "--offset wants a number from 0 to %u, not '%s'",
						      MAX_PAGE, p.arg);
				goto out;
			}
			break;
		case OPT_FORMAT:
			format = cli_choice("search", "format", p.arg, formats);
			if (format < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			ret = EXIT_OK;
			goto out;
		}
	}
	if (query.len == 0) {
		ret = cli_usage_error("search", "no QUERY given");
		goto out;
	}
	if ((ret = cli_open_searcher(db_opt, &s)) != EXIT_OK)
		goto out;
	colour = format == 0 && cli_use_colour(stdout);
	rq.query = query.buf;
	rq.hl_start = colour ? "\033[1;31m" : "";
	rq.hl_end = colour ? "\033[0m" : "";
	st = searcher_run_query(s, &rq, &res);
	if (st != SEARCHER_OK) {
		cli_error("%s", searcher_error(s));
		ret = st == SEARCHER_QUERY_ERROR ? EXIT_USAGE : EXIT_DATABASE;
		goto out;
	}
	{
		strbuf_t line = STRBUF_INIT;
		if (format == 2)
			output_csv_header(&line);
		for (i = 0; i < res.n; i++) {
			if (format == 1) {
				output_hit_json(&res.hits[i], &line);
				strbuf_addch(&line, '\n');
			} else if (format == 2) {
				output_hit_csv(&res.hits[i], &line);
			} else {
				output_hit_text(&res.hits[i], colour, stdout);
			}
			fwrite(line.buf, 1, line.len, stdout);
			strbuf_reset(&line);
		}
		strbuf_release(&line);
	}
	if (format == 0) {
		if (res.matches_estimated == 0)
			printf("no records match\n");
		else
			printf("%s%u record%s match%s; shown %u-%u\n",
			       res.matches_lower == res.matches_upper ? "" : "about ",
			       res.matches_estimated, res.matches_estimated == 1 ? "" : "s",
			       res.matches_estimated == 1 ? "es" : "",
			       res.n ? rq.offset + 1 : 0, rq.offset + (unsigned)res.n);
	}
	ret = res.matches_estimated ? EXIT_OK : EXIT_NO_MATCH;
	searcher_results_release(&res);

out:
	searcher_close(s);
	strbuf_release(&query);
	return ret;
}
