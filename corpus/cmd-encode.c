/* protodex-corpus encode: UTF-8 text into another charset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "corpus/cmd.h"
#include "corpus/corpus.h"

#define MAX_INPUT (64u * 1024 * 1024)

static void
help(void)
{
	printf("usage: %s encode CHARSET IN OUT\n\n"
	       "Re-encodes the UTF-8 text file IN into CHARSET and writes OUT.\n"
	       "CHARSET is one of windows-1251 (cp1251), koi8-r, ibm866 (cp866),\n"
	       "utf-16le (written with a byte-order mark) or utf-8.\n\n"
	       "Typographic characters the target lacks -- « » „ “ ” ‘ ’ — – ‑ № … •\n"
	       "no-break space and the like -- are transliterated with iconv's\n"
	       "//TRANSLIT rules: KOI8-R has no « » or №, so they become << >> and No;\n"
	       "windows-1251 has all of them.  Any other character the target cannot\n"
	       "hold is an error naming its line, column and code point; nothing is\n"
	       "written then.\n\n"
	       "  --help  this text\n", PROG);
}

int
cmd_encode(int argc, char **argv)
{
	const char *args[3];
	int n = 0, i, rc;
	char *buf, *out, err[512];
	size_t len, out_len;
	FILE *f;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help();
			return EXIT_OK;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cmd_usage_error("encode", "unknown option '%s'", argv[i]);
		if (n == 3)
			return cmd_usage_error("encode", "unexpected argument '%s'", argv[i]);
		args[n++] = argv[i];
	}
	if (n < 3)
		return cmd_usage_error("encode", "needs CHARSET IN OUT");

	/* Check the charset before touching files: a typo is a usage error. */
	rc = corpus_encode(args[0], "", 0, &out, &out_len, err, sizeof(err));
	if (rc == CORPUS_ERR_ARG)
		return cmd_usage_error("encode", "%s", err);
	free(out);

	rc = util_read_file(args[1], MAX_INPUT, &buf, &len);
	if (rc == -2)
		return cmd_fail("file too large (over 64 MiB) '%s'", args[1]);
	if (rc < 0)
		return cmd_fail("cannot read file (%s) '%s'", strerror(errno), args[1]);
	rc = corpus_encode(args[0], buf, len, &out, &out_len, err, sizeof(err));
	free(buf);
	if (rc != CORPUS_OK)
		return cmd_fail("%s '%s'", rc == CORPUS_ERR_ARG ? "not valid UTF-8" : err, args[1]);
	f = fopen(args[2], "wb");
	if (!f) {
		int e = errno;
		free(out);
		return cmd_fail("cannot write file (%s) '%s'", strerror(e), args[2]);
	}
	if (fwrite(out, 1, out_len, f) != out_len) {
		int e = errno;
		fclose(f);
		free(out);
		return cmd_fail("cannot write file (%s) '%s'", strerror(e), args[2]);
	}
	if (fclose(f) != 0) {
		int e = errno;
		free(out);
		return cmd_fail("cannot write file (%s) '%s'", strerror(e), args[2]);
	}
	free(out);
	return EXIT_OK;
}
