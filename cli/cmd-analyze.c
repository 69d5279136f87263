/*
 * protodex analyze: show what the analysis chain makes of some text, the
 * way an analyst checks why a word does or does not match.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "indexer/reader.h"
#include "stemmer/stemmer.h"

static const char usage[] =
	"usage: protodex analyze [--details] [TEXT...]\n"
	"\n"
	"Print the index terms of TEXT, or of standard input when no TEXT is\n"
	"given, one per line: the same analysis (word breaking, case folding,\n"
	"ё→е, Russian stemming) that indexing and queries use.  Two forms of a\n"
	"word match each other exactly when they print the same term.  Input in\n"
	"windows-1251 or KOI8-R is recognised and converted.\n"
	"\n"
	"Options:\n"
	"  --details   one token per line: position, kind, text as written, term\n"
	"  -h, --help  show this help\n";

enum { OPT_DETAILS, OPT_HELP };

static const cli_option_t options[] = {
	{ "details", 0, 0, OPT_DETAILS },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static const char *const kind_names[] = { "word", "number", "compound", "part" };

static int
print_token(void *ctx, const stemmer_token_t *tok)
{
	const int *details = ctx;
	if (*details)
		printf("%u\t%s\t%.*s\t%s\n", tok->pos, kind_names[tok->kind],
		       (int)tok->surface_len, tok->surface, tok->key);
	else
		printf("%s\n", tok->key);
	return 0;
}

static int
read_stdin(strbuf_t *sb)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		if (sb->len + n > READER_MAX_INPUT)
			return -2;
		strbuf_add(sb, buf, n);
	}
	return ferror(stdin) ? -1 : 0;
}

int
cmd_analyze(int argc, char **argv)
{
	cli_parser_t p;
	int id, details = 0, ret = EXIT_OK;
	strbuf_t in = STRBUF_INIT;
	int have_args = 0;
	stemmer_t *s = NULL;
	char *msg = NULL, *text = NULL, err[256];
	size_t len = 0;
	const char *encoding;

	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			if (have_args)
				strbuf_addch(&in, ' ');
			strbuf_adds(&in, p.arg);
			have_args = 1;
			break;
		case CLI_ERROR:
			ret = cli_usage_error("analyze", "%s", p.error);
			goto out;
		case OPT_DETAILS: details = 1; break;
		case OPT_HELP: fputs(usage, stdout); goto out;
		}
	}
	if (!have_args) {
		int r = read_stdin(&in);
		if (r < 0) {
			cli_error(r == -2 ? "standard input is larger than %u bytes"
					  : "cannot read standard input (limit %u bytes)",
				  READER_MAX_INPUT);
			ret = EXIT_USAGE;
			goto out;
		}
	}
	if (in.len == 0)
		goto out;
	if (reader_decode_text(in.buf, in.len, &text, &len, &encoding, err, sizeof(err)) !=
	    READER_OK) {
		cli_error("cannot analyze the input: %s", err);
		ret = EXIT_USAGE;
		goto out;
	}
	s = stemmer_new(&msg);
	if (!s) {
		cli_error("cannot start the analyzer: %s", msg ? msg : "unknown error");
		ret = EXIT_INTERNAL;
		goto out;
	}
	if (stemmer_analyze(s, text, len, 0, print_token, &details, NULL) < 0) {
		cli_error("analysis failed: %s", stemmer_error(s));
		ret = EXIT_INTERNAL;
	}

out:
	stemmer_free(s);
	free(msg);
	free(text);
	strbuf_release(&in);
	return ret;
}
