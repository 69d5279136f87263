/*
 * protodex: search archives of municipal education-meeting protocols.
 * One binary; the first argument names the subcommand.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const cli_command_t commands[] = {
	{ "index", cmd_index, "add files and directories of protocols to the database" },
	{ "search", cmd_search, "find protocols matching a query" },
	{ "show", cmd_show, "print a protocol with its structure, or one decision" },
	{ "export", cmd_export, "write matching protocols and decisions as JSON Lines or CSV" },
	{ "stats", cmd_stats, "count protocols and decisions by municipality, year, kind" },
	{ "parse", cmd_parse, "show the protocol structure protodex reads in files" },
	{ "analyze", cmd_analyze, "show the index terms of text read from stdin" },
	{ "compact", cmd_compact, "rewrite the database smaller and faster, searches going on" },
	{ "check", cmd_check, "verify the database's tables and records" },
	{ "serve", cmd_serve, "serve a database (shard) to remote searches, read-only" },
	{ NULL, NULL, NULL }
};

static void
print_usage(FILE *f)
{
	const cli_command_t *c;
	fputs("usage: protodex [--version] [--help] COMMAND [ARGS]\n\n"
	      "Search engine for archives of municipal education-meeting protocols.\n\n"
	      "Commands:\n", f);
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\nRun 'protodex COMMAND --help' for a command's options.\n"
	      "The database is --db DIR, else $PROTODEX_DB, else\n"
	      "$XDG_DATA_HOME/protodex (~/.local/share/protodex).\n", f);
}

int
main(int argc, char **argv)
{
	const cli_command_t *c;
	const char *name;

	/* The character set only (libarchive converts member names to it):
	 * numbers stay "7.2", not "7,2", in JSON under any locale, and a
	 * search does not read the other categories' files at start-up. */
	setlocale(LC_CTYPE, "");
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("protodex %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			print_usage(stdout);
			return EXIT_OK;
		}
		for (c = commands; c->name; c++)
			if (!strcmp(c->name, argv[2])) {
				char *help_argv[] = { argv[2], "--help", NULL };
				return c->fn(2, help_argv);
			}
		cli_error("'%s' is not a protodex command; see 'protodex --help'", argv[2]);
		return EXIT_USAGE;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c->fn(argc - 1, argv + 1);
	cli_error("'%s' is not a protodex command; see 'protodex --help'", name);
	return EXIT_USAGE;
}
