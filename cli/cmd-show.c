/*
 * protodex show: one protocol with its structure, or one decision with its
 * protocol's metadata.
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
	"usage: protodex show [--db DIR] [--format text|json] ID...\n"
	"\n"
	"Print the record with each ID, as search results name them: a protocol\n"
	"(16 hex digits) with its kind, number, date, municipality, people,\n"
	"agenda and decisions; or a decision (\"ID-N\") with its protocol's\n"
	"metadata.  --format json prints one object per line: a protocol as\n"
	"`protodex export` writes it, a decision as `protodex search` does.\n"
	"\n"
	"Options:\n"
	"  --db DIR         the database (see protodex --help)\n"
	"  --format FORMAT  text (default) or json\n"
	"  --text           with a protocol: also print its full text\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 shown, 1 some ID not found, 2 usage, 3 database error.\n";

enum { OPT_DB, OPT_FORMAT, OPT_TEXT, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "format", 0, 1, OPT_FORMAT },
	{ "text", 0, 0, OPT_TEXT },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static int
is_type(const char *data, size_t len, const char *type)
{
	size_t tl;
	const char *t = docdata_get(data, len, DATA_TYPE, &tl);
	return t && tl == strlen(type) && !memcmp(t, type, tl);
}

static void
show_one(const char *data, size_t len, int json, int with_text, gazetteer_t *gaz)
{
	strbuf_t out = STRBUF_INIT;
	if (is_type(data, len, TYPE_PROTOCOL)) {
		protocol_t p;
		size_t pl, blen;
		const char *path = docdata_get(data, len, DATA_PATH, &pl);
		char *source = xstrndup(path ? path : "", path ? pl : 0);
		output_reparse(data, len, gaz, &p);
		if (json) {
			output_protocol_json(data, len, &p, &out);
			strbuf_addch(&out, '\n');
			fwrite(out.buf, 1, out.len, stdout);
		} else {
			output_protocol_text(source ? source : "", &p, stdout);
			if (with_text) {
				const char *body = docdata_body(data, len, &blen);
				printf("  text:\n");
				if (body)
					fwrite(body, 1, blen, stdout);
			}
		}
		free(source);
		protocol_release(&p);
	} else {
		searcher_hit_t h;
		memset(&h, 0, sizeof(h));
		h.data = (char *)data;
		h.data_len = len;
		h.snippet = "";
		if (json) {
			output_hit_json(&h, &out);
			strbuf_addch(&out, '\n');
			fwrite(out.buf, 1, out.len, stdout);
		} else {
			output_hit_text(&h, cli_use_colour(stdout), stdout);
		}
	}
	strbuf_release(&out);
}

int
cmd_show(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL;
	const char **ids;
	size_t n_ids = 0, i;
	int id, json = 0, with_text = 0, ret;
	searcher_t *s = NULL;
	gazetteer_t *gaz = NULL;

	ids = calloc((size_t)argc, sizeof(*ids));
	if (!ids)
		return EXIT_INTERNAL;
	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL: ids[n_ids++] = p.arg; break;
		case CLI_ERROR:
			ret = cli_usage_error("show", "%s", p.error);
			goto out;
		case OPT_DB: db_opt = cli_db_option(p.arg); break;
		case OPT_TEXT: with_text = 1; break;
		case OPT_FORMAT:
			if ((json = cli_choice("show", "format", p.arg, cli_text_json)) < 0) {
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
	if (!n_ids) {
		ret = cli_usage_error("show", "no ID given: search results name them");
		goto out;
	}
	if ((ret = cli_open_searcher(db_opt, &s)) != EXIT_OK)
		goto out;
	gaz = gazetteer_new_default();
	for (i = 0; i < n_ids; i++) {
		char *data = NULL;
		size_t len = 0;
		searcher_status_t st = searcher_get(s, ids[i], &data, &len);
		if (st == SEARCHER_NOT_FOUND) {
			cli_error("%s", searcher_error(s));
			ret = EXIT_NO_MATCH;
			continue;
		}
		if (st != SEARCHER_OK) {
			cli_error("%s", searcher_error(s));
			ret = EXIT_DATABASE;
			break;
		}
		show_one(data, len, json, with_text, gaz);
		free(data);
	}
out:
	gazetteer_free(gaz);
	searcher_close(s);
	free(ids);
	return ret;
}
