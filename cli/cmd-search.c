/*
 * protodex search: run a query; print ranked records, their number, or
 * counts per municipality (or region, year, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/schema.h"
#include "searcher/searcher.h"

static const char usage[] =
	"usage: protodex search [--db DIR]... [--limit N] [--offset N] [--sort ORDER]\n"
	"                       [--count | --by FIELD[,FIELD...]] [--as-of DATE]\n"
	"                       [--format text|json|csv] [--explain] QUERY...\n"
	"       protodex search [--db DIR] --count | --by FIELD  (every record)\n"
	"\n"
	"Find the protocols and decisions matching QUERY (the arguments joined by\n"
	"spaces).  Each decision of a protocol is a record of its own, found by\n"
	"its text and, with less weight, by its agenda item, responsible party\n"
	"and deadline.  Words match in any grammatical form («школам» finds\n"
	"«школ», «школа»); abbreviations match their long forms (ВПР finds\n"
	"«всероссийских проверочных работ» and back).\n"
	"\n"
	"Query syntax:\n"
	"  word word            both words (AND is the default)\n"
	"  \"two words\"          a phrase («...» too)\n"
	"  a OR b, a NOT b      operators, in any case; Russian И, ИЛИ, НЕ in capitals\n"
	"  a NEAR b             within 10 words of each other (РЯДОМ)\n"
	"  -word, -field:value  exclude (put '--' before a query starting with an\n"
	"                       ASCII '-word')\n"
	"  ( ... )              group\n"
	"Fields (no space after the colon; quote a value of several words):\n"
	"  municipality: мо:    municipality, in any case form: мо:вышневолоцкого\n"
	"  region: регион:      region: регион:Тверская\n"
	"  type: тип:           protocol or decision (протокол, решение)\n"
	"  responsible: ответственный:  responsible party: ответственный:\"руководителям ОО\"\n"
	"  speaker: докладчик:  speaker of an agenda item\n"
	"  number: номер:       protocol number as written: номер:8\n"
	"  date: дата:          meeting date\n"
	"  due: срок:           deadline: its end falls in the range; or permanent,\n"
	"                       event, none, overdue (постоянно, событие, нет,\n"
	"                       просрочено: ended before today)\n"
	"Dates: 2021-12-01, 01.12.2021, 2021-12 (a month), 2021 (a year), today;\n"
	"ranges A..B, ..B, A.. (from the start of A to the end of B):\n"
	"  due:..2021-12-01 (due by), date:2021-09..2022-05, due:2022-12\n"
	"\n"
	"Options:\n"
	"  --db DIR          the database (default: $PROTODEX_DB, else\n"
	"                    $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  -n, --limit N     show at most N results (default 10)\n"
	"  --offset N        skip the first N results\n"
	"  --sort ORDER      relevance (default), date (newest meeting first), due\n"
	"                    (soonest deadline first) or municipality; records\n"
	"                    without the value come last\n"
	"  --count           print only the number of matching records (exact)\n"
	"  --by FIELD        print how many matching records each value of FIELD\n"
	"                    has (exact): municipality, region, year, responsible\n"
	"                    (a decision counts once for each of its parties), type;\n"
	"                    repeat or separate by commas for several\n"
	"  --as-of DATE      the day 'today' and 'overdue' mean (YYYY-MM-DD;\n"
	"                    default: the local date)\n"
	"  --format FORMAT   text (default), json (one object per line) or csv\n"
	"                    (RFC 4180 with a header row); fields in README.md\n"
	"  --explain         print how the query was understood (words after\n"
	"                    morphology, fields, dates), the number of matches, and\n"
	"                    how many words were found in the database's word list\n"
	"                    or worked out (loading the dictionary)\n"
	"  -h, --help        show this help\n"
	"\n"
	"Shards: give --db several times, or a Xapian stub database file listing\n"
	"databases (\"auto PATH\") and remote shards (\"remote HOST:PORT\", served by\n"
	"'protodex serve'); --db tcp://HOST:PORT names one remote shard.  They are\n"
	"searched as one database: counts, facets and sorting are over all.\n"
	"  --timeout SECONDS connecting to and waiting for a remote shard (10)\n"
	"  --allow-partial   leave out shards that cannot be reached, with a warning\n"
	"                    naming them, instead of failing\n"
	"\n"
	"Exit status: 0 something matched, 1 nothing matched, 2 usage or query\n"
	"error, 3 database error (a shard unreachable).\n";

enum {
	OPT_DB, OPT_LIMIT, OPT_OFFSET, OPT_FORMAT, OPT_SORT, OPT_COUNT, OPT_BY, OPT_AS_OF,
	OPT_EXPLAIN, OPT_TIMEOUT, OPT_PARTIAL, OPT_HELP
};

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "limit", 'n', 1, OPT_LIMIT },
	{ "offset", 0, 1, OPT_OFFSET },
	{ "format", 0, 1, OPT_FORMAT },
	{ "sort", 0, 1, OPT_SORT },
	{ "count", 0, 0, OPT_COUNT },
	{ "by", 0, 1, OPT_BY },
	{ "as-of", 0, 1, OPT_AS_OF },
	{ "explain", 0, 0, OPT_EXPLAIN },
	{ "timeout", 0, 1, OPT_TIMEOUT },
	{ "allow-partial", 0, 0, OPT_PARTIAL },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };
static const char *const formats[] = { "text", "json", "csv", NULL };

/* In the order of searcher_sort_t. */
static const char *const sorts[] = { "relevance", "date", "due", "municipality", NULL };

static const struct facet_name {
	const char *name;
	unsigned slot;
	int multi; /* a record may have several values (no "(none)" row) */
} facet_names[] = {
	{ "municipality", SLOT_MUNICIPALITY, 0 },
	{ "region", SLOT_REGION, 0 },
	{ "year", SLOT_YEAR, 0 },
	{ "responsible", SLOT_RESPONSIBLE, 1 },
	{ "type", SLOT_TYPE, 0 },
};
#define N_FACET_NAMES (sizeof(facet_names) / sizeof(facet_names[0]))

/* Upper bound for --limit and --offset: far beyond any real page. */
#define MAX_PAGE 1000000u

/* --by a,b: append each to by[]; 0, or -1 after reporting. */
static int
add_by(const char *arg, size_t *by, size_t *n)
{
	const char *p = arg;
	while (*p) {
		size_t len = strcspn(p, ","), k;
		for (k = 0; k < N_FACET_NAMES; k++)
			if (strlen(facet_names[k].name) == len && !strncmp(p, facet_names[k].name, len))
				break;
		if (k == N_FACET_NAMES) {
			cli_usage_error("search",
					"unknown --by field '%.*s': use municipality, region, year, "
					"responsible or type",
					(int)len, p);
			return -1;
		}
		if (*n < N_FACET_NAMES) {
			size_t j;
			for (j = 0; j < *n && by[j] != k; j++)
				;
			if (j == *n)
				by[(*n)++] = k;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

/* The query's text, a caret under the column, and the hint. */
static void
report_query_error(const char *query, const query_error_t *qe, const char *message)
{
	cli_error("%s", message);
	fprintf(stderr, "  %s\n  %*s^\n", query, (int)qe->column - 1, "");
	if (*qe->hint)
		fprintf(stderr, "  hint: %s\n", qe->hint);
}

/* Display width of UTF-8 text: one column per character. */
static int
width(const char *s, size_t len)
{
	int w = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void
print_explain(const char *query, const char *today, const searcher_results_t *res, int json)
{
	const char *p = res->explain;
	strbuf_t out = STRBUF_INIT;
	int first_word = 1, first_field = 1;

	if (json) {
		strbuf_adds(&out, "{\"query\":");
		strbuf_add_json_string(&out, query, strlen(query));
		strbuf_adds(&out, ",\"today\":");
		strbuf_add_json_string(&out, today, strlen(today));
		strbuf_adds(&out, ",\"words\":[");
	} else {
		printf("query    %s\ntoday    %s\n", query, today);
	}
	/* Two passes over the lines: words first, then fields. */
	for (int pass = 0; pass < 2; pass++) {
		for (p = res->explain; *p;) {
			const char *nl = strchr(p, '\n'), *tab;
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			int is_word = !strncmp(p, "word ", 5);
			tab = memchr(p, '\t', len);
			if (tab && is_word == (pass == 0)) {
				const char *what = p, *meaning = tab + 1;
				size_t wl = (size_t)(tab - p), ml = len - wl - 1;
				if (is_word) {
					/* "word X\tkey K" */
					const char *sp = memchr(what, ' ', wl);
					wl -= (size_t)(sp + 1 - what);
					what = sp + 1;
				}
				if (json) {
					if (!(pass == 0 ? first_word : first_field))
						strbuf_addch(&out, ',');
					strbuf_adds(&out, pass == 0 ? "{\"word\":" : "{\"clause\":");
					strbuf_add_json_string(&out, what, wl);
					strbuf_adds(&out, pass == 0 ? ",\"key\":" : ",\"meaning\":");
					strbuf_add_json_string(&out, meaning, ml);
					strbuf_addch(&out, '}');
				} else {
					if (pass == 0 ? first_word : first_field)
						printf("%s\n", pass == 0 ? "words" : "fields");
					printf("  %.*s%*s -> %.*s\n", (int)wl, what,
					       width(what, wl) < 28 ? 28 - width(what, wl) : 0, "",
					       (int)ml, meaning);
				}
				if (pass == 0)
					first_word = 0;
				else
					first_field = 0;
			}
			p += len + (nl != NULL);
		}
		if (json && pass == 0)
			strbuf_adds(&out, "],\"fields\":[");
	}
	if (json) {
		strbuf_adds(&out, "],\"xapian\":");
		strbuf_add_json_string(&out, res->query_description,
				       strlen(res->query_description));
		strbuf_addf(&out, ",\"matches\":%u,\"words_known\":%u,\"words_worked_out\":%u}\n",
			    res->matches_estimated, res->words_known, res->words_worked_out);
		fwrite(out.buf, 1, out.len, stdout);
	} else {
		printf("xapian   %s\nmatches  %u\n", res->query_description, res->matches_estimated);
		printf("analyzer %u word%s from the database's word list, %u worked out here\n",
		       res->words_known, res->words_known == 1 ? "" : "s", res->words_worked_out);
	}
	strbuf_release(&out);
}

typedef struct facet_row {
	const char *value;
	unsigned count;
} facet_row_t;

static int
cmp_row(const void *a, const void *b)
{
	const facet_row_t *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int
cmp_row_value(const void *a, const void *b)
{
	return strcmp(((const facet_row_t *)a)->value, ((const facet_row_t *)b)->value);
}

/* One facet: most frequent first (years in order); "" counts records
 * without a value. */
static void
print_facet(const struct facet_name *fn, const searcher_facet_t *f, unsigned total,
	    int format, int header)
{
	facet_row_t *rows = calloc(f->n + 1, sizeof(*rows));
	size_t n = 0, i;
	unsigned sum = 0;
	strbuf_t line = STRBUF_INIT;

	if (!rows)
		return;
	for (i = 0; i < f->n; i++) {
		rows[n].value = f->values[i].value;
		rows[n++].count = f->values[i].count;
		sum += f->values[i].count;
	}
	qsort(rows, n, sizeof(*rows), fn->slot == SLOT_YEAR ? cmp_row_value : cmp_row);
	if (!fn->multi && sum < total) {
		rows[n].value = "";
		rows[n++].count = total - sum;
	}
	if (format == FORMAT_CSV && header)
		strbuf_adds(&line, "by,value,count\r\n");
	if (format == FORMAT_TEXT)
		strbuf_addf(&line, "%s%s:\n", header ? "" : "\n", fn->name);
	for (i = 0; i < n; i++) {
		if (format == FORMAT_JSON) {
			strbuf_addf(&line, "{\"by\":\"%s\",\"value\":", fn->name);
			strbuf_add_json_string(&line, rows[i].value, strlen(rows[i].value));
			strbuf_addf(&line, ",\"count\":%u}\n", rows[i].count);
		} else if (format == FORMAT_CSV) {
			strbuf_addf(&line, "%s,", fn->name);
			output_csv_field(&line, rows[i].value, strlen(rows[i].value));
			strbuf_addf(&line, ",%u\r\n", rows[i].count);
		} else {
			strbuf_addf(&line, "%8u  %s\n", rows[i].count,
				    *rows[i].value ? rows[i].value : "(none)");
		}
	}
	fwrite(line.buf, 1, line.len, stdout);
	strbuf_release(&line);
	free(rows);
}

static void
print_hits(const searcher_request_t *rq, const searcher_results_t *res, int format,
	   int colour)
{
	strbuf_t line = STRBUF_INIT;
	size_t i;
	if (format == FORMAT_CSV)
		output_csv_header(&line);
	for (i = 0; i < res->n; i++) {
		if (format == FORMAT_JSON) {
			output_hit_json(&res->hits[i], &line);
			strbuf_addch(&line, '\n');
		} else if (format == FORMAT_CSV) {
			output_hit_csv(&res->hits[i], &line);
		} else {
			output_hit_text(&res->hits[i], colour, stdout);
		}
		fwrite(line.buf, 1, line.len, stdout);
		strbuf_reset(&line);
	}
	strbuf_release(&line);
	if (format == FORMAT_TEXT) {
		if (res->matches_estimated == 0)
			printf("no records match\n");
		else
			printf("%s%u record%s match%s; shown %u-%u\n",
			       res->matches_lower == res->matches_upper ? "" : "about ",
			       res->matches_estimated, res->matches_estimated == 1 ? "" : "s",
			       res->matches_estimated == 1 ? "es" : "", res->n ? rq->offset + 1 : 0,
			       rq->offset + (unsigned)res->n);
	}
}

int
cmd_search(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	int id, format = FORMAT_TEXT, colour, ret, count = 0, explain = 0, sort, partial = 0;
	unsigned timeout = 10;
	strbuf_t query = STRBUF_INIT;
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	searcher_results_t res;
	searcher_t *s = NULL;
	searcher_status_t st;
	size_t by[N_FACET_NAMES], n_by = 0, i;
	unsigned slots[N_FACET_NAMES];

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
		case OPT_DB: db_opt = cli_db_option(p.arg); break;
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
		case OPT_SORT:
			sort = cli_choice("search", "sort", p.arg, sorts);
			if (sort < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			rq.sort = (searcher_sort_t)sort;
			break;
		case OPT_COUNT: count = 1; break;
		case OPT_BY:
			if (add_by(p.arg, by, &n_by) < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_AS_OF: rq.today = p.arg; break;
		case OPT_EXPLAIN: explain = 1; break;
		case OPT_TIMEOUT:
			if (cli_parse_uint(p.arg, 3600, &timeout) < 0 || timeout == 0) {
				ret = cli_usage_error("search", "--timeout wants seconds from 1 to "
								"3600, not '%s'",
						      p.arg);
				goto out;
			}
			break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_HELP:
			fputs(usage, stdout);
			ret = EXIT_OK;
			goto out;
		}
	}
	if (query.len == 0 && !count && !n_by) {
		ret = cli_usage_error("search", "no QUERY given (with --count or --by, no "
						"query means every record)");
		goto out;
	}
	if (count && n_by) {
		ret = cli_usage_error("search", "--count and --by do not go together: --by "
						"prints the total too");
		goto out;
	}
	cli_shard_options(timeout * 1000, partial);
	if ((ret = cli_open_searcher(db_opt, &s)) != EXIT_OK)
		goto out;
	colour = format == FORMAT_TEXT && cli_use_colour(stdout);
	rq.query = query.buf;
	rq.hl_start = colour ? "\033[1;31m" : "";
	rq.hl_end = colour ? "\033[0m" : "";
	rq.explain = explain;
	if (count || n_by || explain) {
		rq.exact = 1;
		rq.limit = 0;
		rq.offset = 0;
		rq.snippet_bytes = 0;
	}
	for (i = 0; i < n_by; i++)
		slots[i] = facet_names[by[i]].slot;
	rq.facet_slots = slots;
	rq.n_facets = n_by;
	st = searcher_run_query(s, &rq, &res);
	if (st != SEARCHER_OK) {
		const query_error_t *qe = searcher_query_error(s);
		if (qe)
			report_query_error(query.buf, qe, searcher_error(s));
		else
			cli_error("%s", searcher_error(s));
		ret = st == SEARCHER_QUERY_ERROR ? EXIT_USAGE : EXIT_DATABASE;
		goto out;
	}
	if (*res.warnings) {
		const char *w = res.warnings;
		while (*w) {
			size_t len = strcspn(w, "\n");
			cli_error("warning: %.*s", (int)len, w);
			w += len + (w[len] == '\n');
		}
	}
	if (explain) {
		print_explain(query.buf, res.today, &res, format == FORMAT_JSON);
	} else if (count) {
		printf("%u\n", res.matches_estimated);
	} else if (n_by) {
		if (format == FORMAT_TEXT)
			printf("%u record%s match\n", res.matches_estimated,
			       res.matches_estimated == 1 ? "" : "s");
		for (i = 0; i < n_by; i++)
			print_facet(&facet_names[by[i]], &res.facets[i], res.matches_estimated,
				    format, i == 0);
	} else {
		print_hits(&rq, &res, format, colour);
	}
	ret = res.matches_estimated ? EXIT_OK : EXIT_NO_MATCH;
	searcher_results_release(&res);

out:
	searcher_close(s);
	strbuf_release(&query);
	return ret;
}
