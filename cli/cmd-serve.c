/*
 * protodex serve: a shard for remote searching, through Xapian's own
 * server, xapian-tcpsrv (Debian's xapian-tools), read-only.
 *
 * The analysis stays on the searching side (queries are parsed there, with
 * the same analyzer for every shard); serve only checks that the shard was
 * built by this protodex before handing the database to xapian-tcpsrv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "searcher/searcher.h"

static const char usage[] =
	"usage: protodex serve [--db DIR] --port N [--listen ADDR] [--quiet]\n"
	"\n"
	"Serve the database DIR read-only to 'protodex search --db tcp://HOST:N'\n"
	"(or a stub database file with the line 'remote HOST:N'), by running\n"
	"Xapian's xapian-tcpsrv in the foreground.  Index the shard with\n"
	"'protodex index --db DIR' as usual, also while it is served: searches\n"
	"see each commit.\n"
	"\n"
	"Options:\n"
	"  --db DIR        the shard (default: $PROTODEX_DB, else\n"
	"                  $XDG_DATA_HOME/protodex, else ~/.local/share/protodex)\n"
	"  --port N        the TCP port to listen on (required)\n"
	"  --listen ADDR   the interface to listen on (default 127.0.0.1; give\n"
	"                  0.0.0.0 for every interface)\n"
	"  --quiet         no connection messages\n"
	"  -h, --help      show this help\n"
	"\n"
	"Exit status: 2 usage error, 3 the database cannot be served (missing, built\n"
	"by another protodex), 70 xapian-tcpsrv cannot be run (install xapian-tools);\n"
	"otherwise xapian-tcpsrv's.\n";

enum { OPT_DB, OPT_PORT, OPT_LISTEN, OPT_QUIET, OPT_HELP };

static const cli_option_t options[] = {
	{ "db", 0, 1, OPT_DB },
	{ "port", 0, 1, OPT_PORT },
	{ "listen", 0, 1, OPT_LISTEN },
	{ "quiet", 'q', 0, OPT_QUIET },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 }
};

int
cmd_serve(int argc, char **argv)
{
	cli_parser_t p;
	const char *db_opt = NULL, *listen = "127.0.0.1";
	unsigned port = 0;
	int id, quiet = 0, ret;
	strbuf_t db = STRBUF_INIT, err = STRBUF_INIT;
	searcher_t *s = NULL;
	char port_s[16];

	cli_parser_init(&p, argc, argv, options);
	while ((id = cli_parser_next(&p)) != CLI_END) {
		switch (id) {
		case CLI_POSITIONAL:
			return cli_usage_error("serve", "unexpected argument '%s'", p.arg);
		case CLI_ERROR:
			return cli_usage_error("serve", "%s", p.error);
		case OPT_DB: db_opt = p.arg; break;
		case OPT_PORT:
			if (cli_parse_uint(p.arg, 65535, &port) < 0 || port == 0)
				return cli_usage_error("serve", "--port wants a number from 1 to "
								"65535, not '%s'",
						       p.arg);
			break;
		case OPT_LISTEN: listen = p.arg; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_HELP:
			fputs(usage, stdout);
			return EXIT_OK;
		}
	}
	if (!port)
		return cli_usage_error("serve", "--port is required");
	if (cli_db_path(db_opt, &db, &err) < 0) {
		cli_error("%s", err.buf);
		ret = EXIT_USAGE;
		goto out;
	}
	/* Refuse a shard this protodex would refuse to search. */
	if ((ret = cli_open_searcher(db.buf, &s)) != EXIT_OK)
		goto out;
	searcher_close(s);
	s = NULL;
	snprintf(port_s, sizeof(port_s), "%u", port);
	if (!quiet)
		fprintf(stderr, "protodex: serving '%s' read-only on %s:%u\n", db.buf, listen,
			port);
	fflush(NULL);
	/* xapian-tcpsrv signals its whole process group when it stops, to end
	 * its connection children: give it a group of its own, or stopping it
	 * would also stop the script or service manager that started it. */
	if (setpgid(0, 0) != 0 && errno != EPERM)
		cli_error("warning: cannot start a process group: %s", strerror(errno));
	{
		char *args[] = { "xapian-tcpsrv", "--port", port_s, "--interface", (char *)listen,
				 quiet ? "--quiet" : NULL, NULL, NULL };
		if (quiet)
			args[6] = db.buf;
		else
			args[5] = db.buf;
		execvp(args[0], args);
	}
	cli_error("cannot run xapian-tcpsrv: %s; install it with 'apt-get install xapian-tools'",
		  strerror(errno));
	ret = EXIT_INTERNAL;
out:
	searcher_close(s);
	strbuf_release(&db);
	strbuf_release(&err);
	return ret;
}
