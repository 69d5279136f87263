/*
 * protodex-corpus subcommands (private to the tool).  Each takes its
 * argv without the program name (argv[0] is the subcommand) and returns
 * the exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef PROTODEX_CORPUS_CMD_H
#define PROTODEX_CORPUS_CMD_H

#include <stddef.h>
#include <stdint.h>

#define PROG "protodex-corpus"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_generate(int argc, char **argv);
int cmd_docx(int argc, char **argv);
int cmd_encode(int argc, char **argv);

/* "protodex-corpus <cmd>: <problem>" and the pointer to --help; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "protodex-corpus: <problem>"; returns 1. */
int cmd_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is arg "--name" or "--name=value"?  Sets *value for the second form. */
int cmd_opt(const char *arg, const char *name, const char **value);
/* Parse an unsigned decimal (or 0x hex) number; 0 on success. */
int cmd_parse_u64(const char *s, uint64_t *out);

#endif
