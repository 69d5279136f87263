/*
 * protodex export: every matching protocol with its fields and decisions,
 * for spreadsheets (CSV, a decision per row) and scripts (JSON Lines, a
 * protocol per line).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/docdata.h"
#include "common/schema.h"
#include "common/util.h"
#include "searcher/searcher.h"

static const char usage[] =
	"usage: protodex export [--db DIR] [--format json|csv] [QUERY...]\n"
	"\n"
	"Write every protocol matching QUERY (all of them without one) with its\n"
	"fields, agenda and decisions.\n"
	"  json  one protocol per line (JSON Lines), the fields of `protodex\n"
	"        parse --format json` after id, path, title, format, encoding, size\n"
	"  csv   one decision per row (RFC 4180, UTF-8, header row), with its\n"
	"        protocol's fields; a protocol without decisions gives one row\n"
	"\n"
	"Options:\n"
	"  --db DIR         the database (see protodex --help)\n"
	"  --format FORMAT  json (default) or csv\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 something written, 1 nothing matched, 2 usage or query\n"
	"error, 3 database error.\n";

enum { OPT_DB, OPT_FORMAT, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "format", 0, 1, OPT_FORMAT },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static const char *const formats[] = { "json", "csv", NULL };

/* Protocols fetched per query round. */
#define BATCH 500

static const char *const csv_columns[] = {
	"protocol_id", "path", "kind", "number", "date", "municipality", "region",
	"decision_id", "decision_number", "parent", "ordinal", "text", "responsible",
	"responsible_text", "deadline_text", "deadline_kind", "deadline_from", "deadline_to",
	"agenda_item", "agenda", NULL
};

static void
csv_str(strbuf_t *out, const char *s)
{
	strbuf_addch(out, ',');
	output_csv_field(out, s, strlen(s));
}

static void
csv_rows(const searcher_hit_t *h, const protocol_t *p, strbuf_t *out)
{
	char *pid = searcher_hit_dup(h, DATA_ID), *path = searcher_hit_dup(h, DATA_PATH);
	size_t i, n = p->n_decisions ? p->n_decisions : 1;
	for (i = 0; i < n; i++) {
		const protocol_decision_t *d = p->n_decisions ? &p->decisions[i] : NULL;
		const protocol_agenda_item_t *a =
			d && d->agenda_item >= 0 && (size_t)d->agenda_item < p->n_agenda
				? &p->agenda[d->agenda_item]
				: NULL;
		char buf[64];
		output_csv_field(out, pid, strlen(pid));
		csv_str(out, path);
		csv_str(out, p->kind);
		csv_str(out, p->number);
		csv_str(out, p->date);
		csv_str(out, p->municipality);
		csv_str(out, p->region);
		if (d) {
			snprintf(buf, sizeof(buf), "%s-%u", pid, d->ordinal);
			csv_str(out, buf);
			csv_str(out, d->number);
			csv_str(out, d->parent);
			snprintf(buf, sizeof(buf), "%u", d->ordinal);
			csv_str(out, buf);
			csv_str(out, d->text);
			csv_str(out, d->responsible);
			csv_str(out, d->responsible_text);
			csv_str(out, d->deadline.text ? d->deadline.text : "");
			csv_str(out, protocol_deadline_kind_name(d->deadline.kind));
			csv_str(out, d->deadline.from);
			csv_str(out, d->deadline.to);
			snprintf(buf, sizeof(buf), "%d", d->agenda_item);
			csv_str(out, a ? buf : "");
			csv_str(out, a ? a->text : "");
		} else {
			for (size_t k = 0; k < 13; k++)
				strbuf_addch(out, ',');
		}
		strbuf_adds(out, "\r\n");
	}
	free(pid);
	free(path);
}

int
cmd_export(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	int id, csv = 0, ret;
	strbuf_t query = STRBUF_INIT, out = STRBUF_INIT;
	searcher_t *s = NULL;
	gazetteer_t *gaz = NULL;
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	unsigned written = 0;

	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			if (query.len)
				strbuf_addch(&query, ' ');
			strbuf_adds(&query, p.arg);
			break;
		case CLI_ERROR:
			ret = cli_usage_error("export", "%s", p.error);
			goto out;
		case OPT_DB: db_opt = cli_db_option(p.arg); break;
		case OPT_FORMAT:
			if ((csv = cli_choice("export", "format", p.arg, formats)) < 0) {
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
	if ((ret = cli_open_searcher(db_opt, &s)) != EXIT_OK)
		goto out;
	gaz = gazetteer_new_default();
	rq.query = query.buf;
	rq.type = TYPE_PROTOCOL;
	rq.limit = BATCH;
	rq.snippet_bytes = 0;
	rq.sort = SEARCHER_SORT_DATE;
	if (csv) {
		const char *const *c;
		for (c = csv_columns; *c; c++) {
			if (c != csv_columns)
				strbuf_addch(&out, ',');
			strbuf_adds(&out, *c);
		}
		strbuf_adds(&out, "\r\n");
		fwrite(out.buf, 1, out.len, stdout);
	}
	for (;;) {
		searcher_results_t res;
		searcher_status_t st = searcher_run_query(s, &rq, &res);
		size_t i;
		if (st != SEARCHER_OK) {
			cli_error("%s", searcher_error(s));
			ret = st == SEARCHER_QUERY_ERROR ? EXIT_USAGE : EXIT_DATABASE;
			goto out;
		}
		for (i = 0; i < res.n; i++) {
			protocol_t proto;
			strbuf_reset(&out);
			output_reparse(res.hits[i].data, res.hits[i].data_len, gaz, &proto);
			if (csv) {
				csv_rows(&res.hits[i], &proto, &out);
			} else {
				output_protocol_json(res.hits[i].data, res.hits[i].data_len, &proto,
						     &out);
				strbuf_addch(&out, '\n');
			}
			fwrite(out.buf, 1, out.len, stdout);
			protocol_release(&proto);
			written++;
		}
		if (res.n < rq.limit) {
			searcher_results_release(&res);
			break;
		}
		rq.offset += (unsigned)res.n;
		searcher_results_release(&res);
	}
	ret = written ? EXIT_OK : EXIT_NO_MATCH;
out:
	gazetteer_free(gaz);
	searcher_close(s);
	strbuf_release(&query);
	strbuf_release(&out);
	return ret;
}
