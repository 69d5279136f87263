/* protodex-corpus docx: one paragraph per non-empty line of a text file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "corpus/cmd.h"
#include "corpus/docx-writer.h"

#define MAX_INPUT (64u * 1024 * 1024)

static void
help(void)
{
	printf("usage: %s docx IN.txt OUT.docx [--split-runs] [--seed S]\n\n"
	       "Writes OUT.docx with one paragraph for each line of IN.txt that is not\n"
	       "empty or blank.  IN.txt must be UTF-8 (a byte-order mark is skipped;\n"
	       "CRLF line ends are accepted).  Tabs become Word tab characters.\n\n"
	       "  --split-runs  cut each paragraph into several runs, sometimes inside\n"
	       "                a word, with the markup Word leaves between them; the\n"
	       "                text does not change\n"
	       "  --seed S      where the runs are cut (default 0)\n"
	       "  --help        this text\n", PROG);
}

static int
blank_line(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int
cmd_docx(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	int split = 0, i, rc;
	uint64_t seed = 0;
	char *buf, *p, *end, err[512];
	size_t len;
	docx_writer_t *w;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help();
			return EXIT_OK;
		} else if (strcmp(a, "--split-runs") == 0) {
			split = 1;
		} else if (cmd_opt(a, "--seed", &v)) {
			if (!v) {
				if (i + 1 >= argc)
					return cmd_usage_error("docx", "option '--seed' needs a value");
				v = argv[++i];
			}
			if (cmd_parse_u64(v, &seed) < 0)
				return cmd_usage_error("docx", "bad --seed '%s'", v);
		} else if (a[0] == '-' && a[1]) {
			return cmd_usage_error("docx", "unknown option '%s'", a);
		} else if (!in) {
			in = a;
		} else if (!out) {
			out = a;
		} else {
			return cmd_usage_error("docx", "unexpected argument '%s'", a);
		}
	}
	if (!in || !out)
		return cmd_usage_error("docx", "needs IN.txt and OUT.docx");

	rc = util_read_file(in, MAX_INPUT, &buf, &len);
	if (rc == -2)
		return cmd_fail("file too large (over 64 MiB) '%s'", in);
	if (rc < 0)
		return cmd_fail("cannot read file (%s) '%s'", strerror(errno), in);
	if (!util_utf8_valid(buf, len)) {
		free(buf);
		return cmd_fail("not valid UTF-8 '%s'", in);
	}
	w = docx_writer_new();
	docx_writer_set_split_runs(w, split);
	docx_writer_set_seed(w, seed);
	p = buf;
	end = buf + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!blank_line(p, n)) {
			char *line = xstrndup(p, n);
			docx_writer_add_paragraph(w, line);
			free(line);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	free(buf);
	rc = docx_writer_write_file(w, out, err, sizeof(err));
	docx_writer_free(w);
	if (rc != DOCX_OK)
		return cmd_fail("%s", err);
	return EXIT_OK;
}
