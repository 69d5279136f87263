/* cli/: option parsing and database location. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { OPT_DB, OPT_LIMIT, OPT_FORCE };

static const cli_option_t opts[] = {
	{ "db", 0, 1, OPT_DB },
	{ "limit", 'n', 1, OPT_LIMIT },
	{ "force", 'f', 0, OPT_FORCE },
	{ NULL, 0, 0, 0 }
};

/* Parse argv into a compact trace: "db=/x limit=5 +word" ... */
static void
trace(int argc, char **argv, char *out, size_t size)
{
	cli_parser_t p;
	int id;
	out[0] = '\0';
	cli_parser_init(&p, argc, argv, opts);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		char item[300];
		switch (id) {
		case CLI_POSITIONAL: snprintf(item, sizeof(item), "+%s ", p.arg); break;
		case CLI_ERROR: snprintf(item, sizeof(item), "ERR(%s) ", p.error); break;
		case OPT_DB: snprintf(item, sizeof(item), "db=%s ", p.arg); break;
		case OPT_LIMIT: snprintf(item, sizeof(item), "limit=%s ", p.arg); break;
		case OPT_FORCE: snprintf(item, sizeof(item), "force "); break;
		default: snprintf(item, sizeof(item), "?%d ", id);
		}
		strncat(out, item, size - strlen(out) - 1);
		if (id == CLI_ERROR)
			break;
	}
}

#define ARGV(...) (char *[]){ "search", __VA_ARGS__, NULL }
#define ARGC(...) ((int)(sizeof((char *[]){ "search", __VA_ARGS__ }) / sizeof(char *)))
#define TRACE(out, ...) trace(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out, sizeof(out))

Test(cli, long_options_with_separate_and_inline_values)
{
	char out[512];
	TRACE(out, "--db", "/tmp/x", "--limit=5", "школам");
	cr_assert_str_eq(out, "db=/tmp/x limit=5 +школам ");
}

Test(cli, short_options_and_attached_values)
{
	char out[512];
	TRACE(out, "-n", "3", "-n7", "-f", "word");
	cr_assert_str_eq(out, "limit=3 limit=7 force +word ");
}

Test(cli, options_after_positionals_are_still_options)
{
	char out[512];
	TRACE(out, "объективность", "--limit", "2");
	cr_assert_str_eq(out, "+объективность limit=2 ");
}

Test(cli, dash_before_cyrillic_is_an_excluded_query_word)
{
	char out[512];
	TRACE(out, "ВПР", "-школам", "-");
	cr_assert_str_eq(out, "+ВПР +-школам +- ");
}

Test(cli, double_dash_ends_options)
{
	char out[512];
	TRACE(out, "--", "-n", "--db");
	cr_assert_str_eq(out, "+-n +--db ");
}

Test(cli, unknown_option_is_named)
{
	char out[512];
	TRACE(out, "--colour");
	cr_assert_str_eq(out, "ERR(unknown option '--colour') ");
	TRACE(out, "-x");
	cr_assert_str_eq(out, "ERR(unknown option '-x') ");
}

Test(cli, missing_or_unwanted_values_are_errors)
{
	char out[512];
	TRACE(out, "--db");
	cr_assert_str_eq(out, "ERR(option '--db' needs a value) ");
	TRACE(out, "--force=yes");
	cr_assert_str_eq(out, "ERR(option '--force' takes no value) ");
}

Test(cli, parse_uint_bounds)
{
	unsigned v = 99;
	cr_assert_eq(cli_parse_uint("0", 10, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(cli_parse_uint("10", 10, &v), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(cli_parse_uint("11", 10, &v), -1);
	cr_assert_eq(cli_parse_uint("-1", 10, &v), -1);
	cr_assert_eq(cli_parse_uint("5x", 10, &v), -1);
	cr_assert_eq(cli_parse_uint("", 10, &v), -1);
	cr_assert_eq(cli_parse_uint("99999999999999999999", 4000000000u, &v), -1);
}

Test(cli, db_path_precedence)
{
	strbuf_t out = STRBUF_INIT, err = STRBUF_INIT;
	setenv("PROTODEX_DB", "/env/db", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	cr_assert_eq(cli_db_path("/opt/db", &out, &err), 0);
	cr_assert_str_eq(out.buf, "/opt/db");
	cr_assert_eq(cli_db_path(NULL, &out, &err), 0);
	cr_assert_str_eq(out.buf, "/env/db");
	unsetenv("PROTODEX_DB");
	cr_assert_eq(cli_db_path(NULL, &out, &err), 0);
	cr_assert_str_eq(out.buf, "/xdg/protodex");
	setenv("XDG_DATA_HOME", "relative", 1); /* the XDG spec says ignore it */
	cr_assert_eq(cli_db_path(NULL, &out, &err), 0);
	cr_assert_str_eq(out.buf, "/home/u/.local/share/protodex");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	cr_assert_eq(cli_db_path(NULL, &out, &err), -1);
	cr_assert(strstr(err.buf, "--db"));
	strbuf_release(&out);
	strbuf_release(&err);
}

Test(cli, choice_finds_the_index_or_names_the_choices, .init = cr_redirect_stderr)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	cr_assert_eq(cli_choice("search", "format", "text", formats), 0);
	cr_assert_eq(cli_choice("search", "format", "csv", formats), 2);
	cr_assert_eq(cli_choice("show", "format", "json", cli_text_json), 1);
	cr_assert_eq(cli_choice("search", "format", "xml", formats), -1);
	fflush(stderr);
	cr_assert_stderr_eq_str("protodex search: unknown format 'xml': use text, json or csv\n"
				"Try 'protodex search --help' for more information.\n");
}
