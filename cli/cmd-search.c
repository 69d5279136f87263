/*
 * protodex search: run a query, print ranked protocols.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "searcher/searcher.h"

static const char usage[] =
	"usage: protodex search [--db DIR] [--limit N] [--offset N]\n"
	"                       [--format text|json] QUERY...\n"
	"\n"
	"Find protocols matching QUERY (the arguments joined by spaces).  Words\n"
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
	"  --format FORMAT   text (default) or json: one JSON object per line\n"
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

/* Upper bound for --limit and --offset: far beyond any real page. */
#define MAX_PAGE 1000000u

static void
print_json(const searcher_hit_t *h)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_addf(&sb, "{\"rank\":%u,\"id\":", h->rank);
	strbuf_add_json_string(&sb, h->id, strlen(h->id));
	strbuf_adds(&sb, ",\"path\":");
	strbuf_add_json_string(&sb, h->path, strlen(h->path));
	strbuf_adds(&sb, ",\"title\":");
	strbuf_add_json_string(&sb, h->title, strlen(h->title));
	strbuf_adds(&sb, ",\"format\":");
	strbuf_add_json_string(&sb, h->format, strlen(h->format));
	strbuf_addf(&sb, ",\"score\":%.4f,\"percent\":%d,\"snippet\":", h->score, h->percent);
	strbuf_add_json_string(&sb, h->snippet, strlen(h->snippet));
	strbuf_adds(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

static void
print_text(const searcher_hit_t *h, int colour)
{
	printf("%s%u. %s%s  (%.2f, %d%%)\n", colour ? "\033[1m" : "", h->rank, h->path,
	       colour ? "\033[0m" : "", h->score, h->percent);
	if (*h->title)
		printf("   %s\n", h->title);
	if (*h->snippet)
		printf("   %s\n", h->snippet);
}

int
cmd_search(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	int id, json = 0, colour, ret;
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT, query = STRBUF_INIT;
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	searcher_results_t res;
	searcher_t *s = NULL;
	searcher_status_t st;
	char *msg = NULL;
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
			if (!strcmp(p.arg, "json")) {
				json = 1;
			} else if (!strcmp(p.arg, "text")) {
				json = 0;
			} else {
				ret = cli_usage_error("search", "unknown format '%s': use text or json", p.arg);
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
	if (cli_db_path(db_opt, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}

	st = searcher_open(db.buf, &s, &msg);
	if (st != SEARCHER_OK) {
		cli_error("%s", msg);
		ret = st == SEARCHER_ERROR ? EXIT_INTERNAL : EXIT_DATABASE;
		goto out;
	}
	colour = !json && cli_use_colour(stdout);
	rq.query = query.buf;
	rq.hl_start = colour ? "\033[1;31m" : "";
	rq.hl_end = colour ? "\033[0m" : "";
	st = searcher_run_query(s, &rq, &res);
	if (st != SEARCHER_OK) {
		cli_error("%s", searcher_error(s));
		ret = st == SEARCHER_QUERY_ERROR ? EXIT_USAGE : EXIT_DATABASE;
		goto out;
	}
	for (i = 0; i < res.n; i++) {
		if (json)
			print_json(&res.hits[i]);
		else
			print_text(&res.hits[i], colour);
	}
	if (!json) {
		if (res.matches_estimated == 0)
			printf("no protocols match\n");
		else
			printf("%s%u protocol%s match; shown %u-%u\n",
			       res.matches_lower == res.matches_upper ? "" : "about ",
			       res.matches_estimated, res.matches_estimated == 1 ? "" : "s",
			       res.n ? rq.offset + 1 : 0, rq.offset + (unsigned)res.n);
	}
	ret = res.matches_estimated ? EXIT_OK : EXIT_NO_MATCH;
	searcher_results_release(&res);

out:
	searcher_close(s);
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	strbuf_release(&query);
	return ret;
}
