#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
cli_parser_init(cli_parser_t *p, int argc, char **argv, const cli_option_t *options)
{
	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->options = options;
	p->index = 1; /* argv[0] is the subcommand */
}

static const cli_option_t *
find_long(const cli_option_t *o, const char *name, size_t len)
{
	for (; o->long_name; o++)
		if (strlen(o->long_name) == len && !memcmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const cli_option_t *
find_short(const cli_option_t *o, char c)
{
	for (; o->long_name; o++)
		if (o->short_name && o->short_name == c)
			return o;
	return NULL;
}

static int
take_argument(cli_parser_t *p, const cli_option_t *o, const char *inline_arg)
{
	if (!o->has_arg) {
		if (inline_arg) {
			snprintf(p->error, sizeof(p->error),
				 "option '--%s' takes no value", o->long_name);
			return CLI_ERROR;
		}
		p->arg = NULL;
		return o->id;
	}
	if (inline_arg) {
		p->arg = inline_arg;
		return o->id;
	}
	if (p->index >= p->argc) {
		snprintf(p->error, sizeof(p->error), "option '--%s' needs a value",
			 o->long_name);
		return CLI_ERROR;
	}
	p->arg = p->argv[p->index++];
	return o->id;
}

int
cli_parser_next(cli_parser_t *p)
{
	const char *a;
	const cli_option_t *o;

	p->arg = NULL;
	p->error[0] = '\0';
	if (p->index >= p->argc)
		return CLI_END;
	a = p->argv[p->index++];

	if (p->only_positional || a[0] != '-' || a[1] == '\0') {
		p->arg = a;
		return CLI_POSITIONAL;
	}
	if (a[1] == '-') {
		const char *name = a + 2, *eq;
		if (*name == '\0') {
			p->only_positional = 1;
			return cli_parser_next(p);
		}
		eq = strchr(name, '=');
		o = find_long(p->options, name, eq ? (size_t)(eq - name) : strlen(name));
		if (!o) {
			snprintf(p->error, sizeof(p->error), "unknown option '%.*s'",
				 (int)(eq ? (size_t)(eq - a) : strlen(a)), a);
			return CLI_ERROR;
		}
		return take_argument(p, o, eq ? eq + 1 : NULL);
	}
	/*
	 * "-школам" and "-ВПР" are query words to exclude, not options: only
	 * an ASCII letter or digit after a single dash can name an option.
	 */
	if ((unsigned char)a[1] >= 0x80) {
		p->arg = a;
		return CLI_POSITIONAL;
	}
	o = find_short(p->options, a[1]);
	if (!o) {
		snprintf(p->error, sizeof(p->error), "unknown option '-%c'", a[1]);
		return CLI_ERROR;
	}
	return take_argument(p, o, a[2] ? a + 2 : NULL);
}

const char *const cli_text_json[] = { "text", "json", NULL };

int
cli_choice(const char *cmd, const char *option, const char *arg, const char *const *choices)
{
	strbuf_t list = STRBUF_INIT;
	size_t i, n;
	for (n = 0; choices[n]; n++)
		if (!strcmp(arg, choices[n]))
			return (int)n;
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&list, i + 1 == n ? " or " : ", ");
		strbuf_adds(&list, choices[i]);
	}
	cli_usage_error(cmd, "unknown %s '%s': use %s", option, arg, list.buf);
	strbuf_release(&list);
	return -1;
}

int
cli_parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
cli_db_path(const char *option, strbuf_t *out, strbuf_t *err)
{
	const char *env;
	strbuf_reset(out);
	if (option && *option) {
		strbuf_adds(out, option);
		return 0;
	}
	env = getenv("PROTODEX_DB");
	if (env && *env) {
		strbuf_adds(out, env);
		return 0;
	}
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/') {
		strbuf_addf(out, "%s/protodex", env);
		return 0;
	}
	env = getenv("HOME");
	if (env && *env) {
		strbuf_addf(out, "%s/.local/share/protodex", env);
		return 0;
	}
	strbuf_adds(err, "no database location: use --db DIR or set PROTODEX_DB");
	return -1;
}

static int log_timestamps;

void
cli_log_timestamps(int on)
{
	log_timestamps = on;
}

void
cli_log_prefix(void)
{
	char when[32];
	time_t t;
	struct tm tm;
	if (!log_timestamps)
		return;
	t = time(NULL);
	if (localtime_r(&t, &tm) && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S ", &tm))
		fputs(when, stderr);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;
	cli_log_prefix();
	fputs("protodex: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "protodex %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'protodex %s --help' for more information.\n", cmd);
	return EXIT_USAGE;
}

int
cli_use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}
