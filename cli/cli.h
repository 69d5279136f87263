/*
 * The command-line front end: the only code that prints to the user or
 * chooses an exit status.  protodex.c dispatches to one cmd-*.c file per
 * subcommand; cli.c holds what they share (option parsing, database
 * location, messages).
 */
#ifndef PROTODEX_CLI_H
#define PROTODEX_CLI_H

#include <stdio.h>

#include "common/strbuf.h"

/*
 * Exit statuses, documented in README.md ("Exit status").  Like grep,
 * search says 1 when nothing matched.
 */
enum {
	EXIT_OK = 0,
	EXIT_NO_MATCH = 1,   /* search: the query matched nothing */
	EXIT_USAGE = 2,      /* bad option, bad query */
	EXIT_DATABASE = 3,   /* no database, incompatible, corrupt, unwritable */
	EXIT_LOCKED = 4,     /* another `protodex index` holds the database */
	EXIT_SKIPPED = 5,    /* index: done, but some files were skipped */
	EXIT_INTERNAL = 70   /* a bug or an unexpected library failure */
};

/* ---- Subcommands ------------------------------------------------------ */

typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct cli_command {
	const char *name;
	cli_command_fn fn;
	const char *summary;
} cli_command_t;

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compact(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* ---- Option parsing ---------------------------------------------------- */

/*
 * A small getopt_long replacement, because queries are positional
 * arguments that may start with '-' ("-школам" excludes a word): an
 * argument is an option only when it names one of ours; "-" followed by a
 * non-ASCII letter is query text, and "--" ends the options.
 *
 *   cli_parser_t p;
 *   cli_parser_init(&p, argc, argv, options);
 *   while ((id = cli_parser_next(&p)) != CLI_END) {
 *           switch (id) {
 *           case CLI_POSITIONAL: use(p.arg); break;
 *           case CLI_ERROR: fprintf(stderr, "%s\n", p.error); return 2;
 *           case OPT_LIMIT: parse(p.arg); break;
 *           }
 *   }
 */
enum { CLI_END = -1, CLI_POSITIONAL = -2, CLI_ERROR = -3 };

typedef struct cli_option {
	const char *long_name; /* without "--" */
	char short_name;       /* 0 when none */
	int has_arg;
	int id;                /* returned by cli_parser_next, >= 0 */
} cli_option_t;

typedef struct cli_parser {
	int argc;
	char **argv;
	const cli_option_t *options; /* terminated by { NULL, 0, 0, 0 } */
	int index;                   /* next argv element */
	int only_positional;         /* after "--" */
	const char *arg;             /* the option's argument, or the positional */
	char error[256];
} cli_parser_t;

void cli_parser_init(cli_parser_t *p, int argc, char **argv, const cli_option_t *options);
int cli_parser_next(cli_parser_t *p);

/*
 * The index of `arg` among `choices` (NULL-terminated), or -1 after
 * reporting "unknown OPTION 'arg': use a, b or c" as a usage error of
 * `cmd`.  For --format and the like.
 */
int cli_choice(const char *cmd, const char *option, const char *arg,
	       const char *const *choices);
/* { "text", "json", NULL }: json is 1. */
extern const char *const cli_text_json[];

/* Parse a non-negative decimal integer <= max; 0 on success. */
int cli_parse_uint(const char *s, unsigned max, unsigned *out);

/* ---- Shared behaviour ------------------------------------------------- */

/*
 * The database directory: `option` (--db) if given, else $PROTODEX_DB,
 * else $XDG_DATA_HOME/protodex, else $HOME/.local/share/protodex.
 * Returns 0, or -1 with a message in err when none can be derived.
 */
int cli_db_path(const char *option, strbuf_t *out, strbuf_t *err);

/*
 * Commands that read call this for every --db they are given: several are
 * shards searched as one by cli_open_searcher.  Returns arg.
 */
const char *cli_db_option(const char *arg);
/* For remote shards: time-out, and whether to go on without a shard. */
void cli_shard_options(unsigned timeout_ms, int allow_partial);

struct searcher;
/*
 * Open the database for reading (--db DIR, or the default location),
 * reporting any problem.  Returns EXIT_OK, or the exit status to use.
 */
int cli_open_searcher(const char *db_option, struct searcher **out);

/*
 * Messages of a long run going to a log (a scheduled `protodex index`)
 * start with the local time: cli_log_timestamps(1) turns that on for
 * cli_error, and cli_log_prefix() writes it before other lines.
 */
void cli_log_timestamps(int on);
void cli_log_prefix(void);
/* "protodex: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage problem: the message, then a pointer to `protodex CMD --help`. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* 1 when colour is wanted on `f`: a terminal, and $NO_COLOR unset. */
int cli_use_colour(FILE *f);

#endif
