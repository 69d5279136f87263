/*
 * protodex stats: what the database holds, by municipality, region, year
 * and kind, and which municipalities the gazetteer does not know.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/schema.h"
#include "searcher/searcher.h"
#include "xapian-c/xapian-c.h"

static const char usage[] =
	"usage: protodex stats [--db DIR] [--format text|json] [--errors]\n"
	"\n"
	"Count the protocols and decisions in the database, the bytes of text\n"
	"extracted from the protocols, and the protocols by\n"
	"municipality, region, year and kind.  Municipalities that are not in\n"
	"the gazetteer (indexer/data/gazetteer.tsv) are kept as written and\n"
	"listed separately, so they can be added to it.\n"
	"\n"
	"With --errors, list instead what the last 'protodex index' run skipped\n"
	"(files, archive members as 'ARCHIVE!/MEMBER', paths it could not walk)\n"
	"and why, one 'PATH: REASON' per line (json: {\"skipped\":[{\"path\":..,\n"
	"\"reason\":..}],\"more\":N}); at most 5000 are kept, \"more\" counts the rest.\n"
	"\n"
	"Options:\n"
	"  --db DIR         the database (see protodex --help)\n"
	"  --format FORMAT  text (default) or json (one object)\n"
	"  --errors         what the last index run skipped\n"
	"  -h, --help       show this help\n";

enum { OPT_DB, OPT_FORMAT, OPT_ERRORS, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "format", 0, 1, OPT_FORMAT },
	{ "errors", 0, 0, OPT_ERRORS },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static const struct {
	unsigned slot;
	const char *name;
} facets[] = {
	{ SLOT_MUNICIPALITY, "municipality" },
	{ SLOT_REGION, "region" },
	{ SLOT_YEAR, "year" },
	{ SLOT_KIND, "kind" },
	{ SLOT_UNKNOWN_MUNICIPALITY, "unknown_municipality" },
};
#define N_FACETS (sizeof(facets) / sizeof(facets[0]))

static int
by_count(const void *a, const void *b)
{
	const searcher_facet_value_t *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->value, y->value);
}

static searcher_status_t
count(searcher_t *s, const char *type, const unsigned *slots, size_t n,
      searcher_results_t *res)
{
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	rq.type = type;
	rq.limit = 0;
	rq.exact = 1;
	rq.facet_slots = slots;
	rq.n_facets = n;
	rq.snippet_bytes = 0;
	return searcher_run_query(s, &rq, res);
}

/*
 * The list META_ERRORS keeps ("path\treason" lines; a last "...\tN more"
 * when it was cut), printed as text or JSON.
 */
static int
print_errors(const char *db_opt, int json)
{
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT;
	xapian_c_rdb_t *rdb = NULL;
	char *msg = NULL, *list = NULL;
	const char *line;
	unsigned long more = 0;
	size_t n = 0;
	int ret = EXIT_OK;

	if (cli_db_path(db_opt, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}
	if (xapian_c_rdb_open(db.buf, &rdb, &msg) != XAPIAN_C_OK) {
		cli_error("cannot open database '%s': %s", db.buf, msg ? msg : "unknown error");
		ret = EXIT_DATABASE;
		goto out;
	}
	if (xapian_c_rdb_get_metadata(rdb, META_ERRORS, &list) != XAPIAN_C_OK) {
		cli_error("cannot read database '%s': %s", db.buf, xapian_c_rdb_error(rdb));
		ret = EXIT_DATABASE;
		goto out;
	}
	if (json)
		strbuf_adds(&out, "{\"skipped\":[");
	for (line = list; *line;) {
		const char *end = strchr(line, '\n'), *tab;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		tab = memchr(line, '\t', len);
		if (tab && tab - line == 3 && !strncmp(line, "...", 3)) {
			more += strtoul(tab + 1, NULL, 10);
		} else if (tab) {
			if (json) {
				strbuf_adds(&out, n ? ",{\"path\":" : "{\"path\":");
				strbuf_add_json_string(&out, line, (size_t)(tab - line));
				strbuf_adds(&out, ",\"reason\":");
				strbuf_add_json_string(&out, tab + 1, len - (size_t)(tab - line) - 1);
				strbuf_addch(&out, '}');
			} else {
				strbuf_add(&out, line, (size_t)(tab - line));
				strbuf_adds(&out, ": ");
				strbuf_add(&out, tab + 1, len - (size_t)(tab - line) - 1);
				strbuf_addch(&out, '\n');
			}
			n++;
		}
		line += len + (end ? 1 : 0);
	}
	if (json)
		strbuf_addf(&out, "],\"more\":%lu}\n", more);
	else if (more)
		strbuf_addf(&out, "... and %lu more\n", more);
	else if (!n)
		strbuf_adds(&out, "nothing was skipped in the last index run\n");
	fwrite(out.buf, 1, out.len, stdout);
out:
	if (rdb)
		xapian_c_rdb_close(rdb);
	free(list);
	free(msg);
	strbuf_release(&db);
	strbuf_release(&err);
	strbuf_release(&out);
	return ret;
}

int
cmd_stats(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	int id, json = 0, errors = 0, ret;
	searcher_t *s = NULL;
	searcher_results_t prot, dec;
	unsigned slots[N_FACETS];
	size_t k, i;
	strbuf_t out = STRBUF_INIT;
	unsigned long long text_bytes = 0;

	memset(&prot, 0, sizeof(prot));
	memset(&dec, 0, sizeof(dec));
	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			return cli_usage_error("stats", "unexpected argument '%s'", p.arg);
		case CLI_ERROR:
			return cli_usage_error("stats", "%s", p.error);
		case OPT_DB: db_opt = cli_db_option(p.arg); break;
		case OPT_FORMAT:
			if ((json = cli_choice("stats", "format", p.arg, cli_text_json)) < 0)
				return EXIT_USAGE;
			break;
		case OPT_ERRORS: errors = 1; break;
		case OPT_HELP:
			fputs(usage, stdout);
			return EXIT_OK;
		}
	}
	if ((ret = cli_open_searcher(db_opt, &s)) != EXIT_OK)
		return ret;
	if (errors) {
		searcher_close(s);
		return print_errors(db_opt, json);
	}
	for (k = 0; k < N_FACETS; k++)
		slots[k] = facets[k].slot;
	if (count(s, TYPE_PROTOCOL, slots, N_FACETS, &prot) != SEARCHER_OK ||
	    count(s, TYPE_DECISION, NULL, 0, &dec) != SEARCHER_OK ||
	    searcher_text_bytes(s, &text_bytes) != SEARCHER_OK) {
		cli_error("%s", searcher_error(s));
		ret = EXIT_DATABASE;
		goto out;
	}
	for (k = 0; k < prot.n_facets; k++)
		if (facets[k].slot != SLOT_YEAR)
			qsort(prot.facets[k].values, prot.facets[k].n, sizeof(*prot.facets[k].values),
			      by_count);
	if (json) {
		strbuf_addf(&out, "{\"protocols\":%u,\"decisions\":%u,\"text_bytes\":%llu",
			    prot.matches_estimated, dec.matches_estimated, text_bytes);
		for (k = 0; k < prot.n_facets; k++) {
			strbuf_addf(&out, ",\"%s\":{", facets[k].name);
			for (i = 0; i < prot.facets[k].n; i++) {
				if (i)
					strbuf_addch(&out, ',');
				strbuf_add_json_string(&out, prot.facets[k].values[i].value,
						       strlen(prot.facets[k].values[i].value));
				strbuf_addf(&out, ":%u", prot.facets[k].values[i].count);
			}
			strbuf_addch(&out, '}');
		}
		strbuf_adds(&out, "}\n");
		fwrite(out.buf, 1, out.len, stdout);
	} else {
		printf("protocols: %u\ndecisions: %u\ntext:      %.1f MB extracted\n",
		       prot.matches_estimated, dec.matches_estimated, text_bytes / 1048576.0);
		for (k = 0; k < prot.n_facets; k++) {
			if (!prot.facets[k].n)
				continue;
			if (facets[k].slot == SLOT_UNKNOWN_MUNICIPALITY)
				printf("\nnot in the gazetteer (kept as written):\n");
			else
				printf("\nby %s:\n", facets[k].name);
			for (i = 0; i < prot.facets[k].n; i++)
				printf("%8u  %s\n", prot.facets[k].values[i].count,
				       prot.facets[k].values[i].value);
		}
	}
out:
	searcher_results_release(&prot);
	searcher_results_release(&dec);
	searcher_close(s);
	strbuf_release(&out);
	return ret;
}
