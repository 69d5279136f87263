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
	"usage: protodex analyze [--details | --keys] [--analyzer full|snowball] [TEXT...]\n"
	"\n"
	"Print the index terms of TEXT, or of standard input when no TEXT is\n"
	"given, one per line: the same analysis (word breaking, case folding,\n"
	"ё→е, abbreviations, Russian lemmas from the dictionary, Snowball stems\n"
	"for unknown words) that indexing and queries use.  A word with several\n"
	"lemmas prints each; an abbreviation prints its concept (\":впр\"), and\n"
	"so does its expansion in any form.  Two forms of a word match each\n"
	"other when they print a common term.  Input in windows-1251 or KOI8-R\n"
	"is recognised and converted.\n"
	"\n"
	"Options:\n"
	"  --details   one token per line: position, kind, text as written, its\n"
	"              terms (space-separated) and the step that made them\n"
	"              (abbreviation, vocabulary, dictionary, stem-map, snowball,\n"
	"              form, expansion)\n"
	"  --keys      one word per input line: print its terms on one line,\n"
	"              space-separated (an empty line when it has none), to\n"
	"              measure conflation against a list of word forms\n"
	"  --analyzer full|snowball\n"
	"              the chain to use: full (the default; Snowball only when\n"
	"              the dictionary is missing) or snowball (Snowball, ё and\n"
	"              abbreviations only); also set by PROTODEX_ANALYZER\n"
	"  -h, --help  show this help\n";

enum { OPT_DETAILS, OPT_KEYS, OPT_ANALYZER, OPT_HELP };

static const cli_option_t options[] = {
	{ "details", 0, 0, OPT_DETAILS },
	{ "keys", 0, 0, OPT_KEYS },
	{ "analyzer", 0, 1, OPT_ANALYZER },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

static const char *const kind_names[] = { "word", "number", "compound", "part", "concept" };

enum { MODE_TERMS, MODE_DETAILS, MODE_KEYS };

struct printer {
	int mode;
	strbuf_t line; /* --keys: the keys of the current input line */
	strbuf_t keys; /* --details: the keys of the current token */
};

static int
print_token(void *ctx, const stemmer_token_t *tok)
{
	struct printer *p = ctx;

	switch (p->mode) {
	case MODE_DETAILS:
		if (tok->key_index == 0)
			strbuf_reset(&p->keys);
		else
			strbuf_addch(&p->keys, ' ');
		strbuf_add(&p->keys, tok->key, tok->key_len);
		if (tok->key_index + 1 == tok->nkeys)
			printf("%u\t%s\t%.*s\t%s\t%s\n", tok->pos, kind_names[tok->kind],
			       (int)tok->surface_len, tok->surface, p->keys.buf,
			       stemmer_step_name(tok->step));
		break;
	case MODE_KEYS: {
		/* Each key once per line. */
		const char *at = p->line.buf;
		while ((at = strstr(at, tok->key))) {
			if ((at == p->line.buf || at[-1] == ' ') &&
			    (at[tok->key_len] == ' ' || at[tok->key_len] == '\0'))
				return 0;
			at++;
		}
		if (p->line.len)
			strbuf_addch(&p->line, ' ');
		strbuf_add(&p->line, tok->key, tok->key_len);
		break;
	}
	default:
		printf("%s\n", tok->key);
	}
	return 0;
}

/* --keys: every line of text[0..len) on its own. */
static int
print_keys(stemmer_t *s, struct printer *p, const char *text, size_t len)
{
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		strbuf_reset(&p->line);
		if (stemmer_analyze(s, text + at, n, 0, print_token, p, NULL) < 0)
			return -1;
		printf("%s\n", p->line.buf);
		at += n + 1;
	}
	return 0;
}

/* The notice about the chain in use, once per process. */
static void
cmd_analyze_notice(const stemmer_t *s)
{
	static int shown;
	if (!shown && *stemmer_notice(s)) {
		cli_error("%s", stemmer_notice(s));
		shown = 1;
	}
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
	int id, ret = EXIT_OK;
	struct printer pr = { MODE_TERMS, STRBUF_INIT, STRBUF_INIT };
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
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
		case OPT_DETAILS: pr.mode = MODE_DETAILS; break;
		case OPT_KEYS: pr.mode = MODE_KEYS; break;
		case OPT_ANALYZER:
			if (!strcmp(p.arg, "full")) {
				opt.analyzer = STEMMER_ANALYZER_FULL;
			} else if (!strcmp(p.arg, "snowball")) {
				opt.analyzer = STEMMER_ANALYZER_SNOWBALL;
			} else {
				ret = cli_usage_error("analyze",
						      "--analyzer must be 'full' or 'snowball', not '%s'",
						      p.arg);
				goto out;
			}
			break;
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
	s = stemmer_new_with(&opt, &msg);
	if (!s) {
		cli_error("cannot start the analyzer: %s", msg ? msg : "unknown error");
		ret = EXIT_INTERNAL;
		goto out;
	}
	cmd_analyze_notice(s);
	if ((pr.mode == MODE_KEYS ? print_keys(s, &pr, text, len)
				  : stemmer_analyze(s, text, len, 0, print_token, &pr, NULL)) < 0) {
		cli_error("analysis failed: %s", stemmer_error(s));
		ret = EXIT_INTERNAL;
	}

out:
	strbuf_release(&pr.line);
	strbuf_release(&pr.keys);
	stemmer_free(s);
	free(msg);
	free(text);
	strbuf_release(&in);
	return ret;
}
