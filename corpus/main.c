/*
 * protodex-corpus: development tool that writes synthetic test corpora.
 *
 * One binary, a table of subcommands, one file per subcommand
 * (cmd-generate.c, cmd-docx.c, cmd-encode.c).  Exit status: 0 success,
 * 1 failure, 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/cmd.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "generate", cmd_generate, "write synthetic protocols and their ground truth" },
	{ "docx", cmd_docx, "turn the lines of a UTF-8 text file into a .docx" },
	{ "encode", cmd_encode, "re-encode UTF-8 text (windows-1251, KOI8-R, IBM866, UTF-16LE)" },
};

static void
usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage: %s <command> [options]\n\n"
		"Writes test corpora for protodex: synthetic protocols of municipal\n"
		"education meetings, generated from templates (never copied text).\n\n"
		"Commands:\n", PROG);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun '%s <command> --help' for a command's options.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n", PROG);
}

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s%s%s: ", PROG, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help'.\n", PROG, cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

int
cmd_fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int
cmd_opt(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);
	*value = NULL;
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '\0')
		return 1;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	return 0;
}

int
cmd_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *sub[] = { argv[2], (char *)"--help", NULL };
			for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (strcmp(argv[2], commands[i].name) == 0)
					return commands[i].fn(2, sub);
			return cmd_usage_error(NULL, "unknown command '%s'", argv[2]);
		}
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return cmd_usage_error(NULL, "unknown command '%s'", argv[1]);
}
