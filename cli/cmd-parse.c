/*
 * protodex parse: read files and print the protocol structure protodex
 * finds in them, without touching the database — the way to check why a
 * decision, a deadline or a municipality was or was not recognised.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "indexer/gazetteer.h"
#include "indexer/protocol.h"
#include "indexer/reader.h"

static const char usage[] =
	"usage: protodex parse [--format json|text] FILE...\n"
	"\n"
	"Read each FILE and print what protodex understands of it: kind, number,\n"
	"date, place, municipality and region, chair, secretary, attendees,\n"
	"agenda, and every decision with its number, responsible party, deadline\n"
	"and agenda item.  Nothing is written to the database.\n"
	"\n"
	"Options:\n"
	"  --format FORMAT  text (default) or json: one JSON object per file and\n"
	"                   line, with \"file\" first (the schema of the protocol\n"
	"                   record in README.md)\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 every file read, 5 some files could not be read, 2 usage.\n";

enum { OPT_FORMAT, OPT_HELP };

static const cli_option_t options[] = {
	{ "format", 0, 1, OPT_FORMAT },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

int
cmd_parse(int argc, char **argv)
{
	cli_parser_t p;
	int id, json = 0, ret = EXIT_OK;
	const char **files;
	size_t n_files = 0, i;
	gazetteer_t *gaz;
	reader_doc_t rd;
	strbuf_t out = STRBUF_INIT;

	files = calloc((size_t)argc, sizeof(*files));
	if (!files)
		return EXIT_INTERNAL;
	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL: files[n_files++] = p.arg; break;
		case CLI_ERROR:
			free(files);
			return cli_usage_error("parse", "%s", p.error);
		case OPT_FORMAT:
			if ((json = cli_choice("parse", "format", p.arg, cli_text_json)) >= 0)
				break;
			free(files);
			return EXIT_USAGE;
		case OPT_HELP:
			fputs(usage, stdout);
			free(files);
			return EXIT_OK;
		}
	}
	if (!n_files) {
		free(files);
		return cli_usage_error("parse", "no FILE given");
	}
	gaz = gazetteer_new_default();
	reader_doc_init(&rd);
	for (i = 0; i < n_files; i++) {
		protocol_t proto;
		if (reader_read_file(files[i], &rd) != READER_OK) {
			cli_error("skipping '%s': %s", files[i], rd.error);
			ret = EXIT_SKIPPED;
			continue;
		}
		protocol_init(&proto);
		protocol_parse(&proto, rd.paras, rd.n_paras, gaz);
		if (json) {
			strbuf_reset(&out);
			strbuf_adds(&out, "{\"file\":");
			strbuf_add_json_string(&out, files[i], strlen(files[i]));
			strbuf_addch(&out, ',');
			protocol_to_json_fields(&proto, &out);
			strbuf_adds(&out, "}\n");
			fwrite(out.buf, 1, out.len, stdout);
		} else {
			output_protocol_text(files[i], &proto, stdout);
		}
		protocol_release(&proto);
	}
	reader_doc_release(&rd);
	gazetteer_free(gaz);
	strbuf_release(&out);
	free(files);
	return ret;
}
