/* protodex-corpus generate: a directory of synthetic protocols. */
#include <stdio.h>
#include <string.h>

#include "corpus/cmd.h"
#include "corpus/corpus.h"

static void
help(void)
{
	printf("usage: %s generate --out DIR [--count N] [--seed S]\n"
	       "                       [--formats LIST] [--encodings LIST] [--uploads]\n\n"
	       "Writes N synthetic meeting protocols under DIR, as\n"
	       "DIR/<municipality>/protocol-NNNNN.<format>, and their ground truth as\n"
	       "DIR/truth.jsonl (one JSON object per protocol, in order; the fields are\n"
	       "described in tests/corpora/README).  Existing files are replaced.\n\n"
	       "  --out DIR         output directory (created if missing)\n"
	       "  --count N         number of protocols (default 50)\n"
	       "  --seed S          seed, decimal or 0x hex (default 1); the same seed\n"
	       "                    gives byte-identical output\n"
	       "  --formats LIST    among txt, docx, odt, rtf, html (default txt,docx);\n"
	       "                    protocol i takes the (i mod n)-th of the n given,\n"
	       "                    in that order (txt,docx: even numbers .txt, odd .docx)\n"
	       "  --encodings LIST  encodings of .txt files among utf-8, windows-1251,\n"
	       "                    koi8-r, ibm866 (cp866), utf-16le (utf-16) (default\n"
	       "                    the first three; weights 75:17:8:6:6); .html takes\n"
	       "                    utf-8 or windows-1251 from it; .docx and .odt are\n"
	       "                    UTF-8, .rtf \\ansicpg1251\n"
	       "  --uploads         pack most protocols into upload archives per\n"
	       "                    municipality (.zip with CP866 or UTF-8 names,\n"
	       "                    .tar.gz, .7z, a .zip in a .zip); truth's \"file\" is\n"
	       "                    then \"<upload>!/<member>\"\n"
	       "  --help            this text\n\n"
	       "Protocol i is the same whatever --count is, so a small corpus is a\n"
	       "prefix of a larger one with the same seed and options.\n", PROG);
}

int
cmd_generate(int argc, char **argv)
{
	corpus_options_t opt;
	const char *out = NULL;
	char err[512];
	int i;

	corpus_options_init(&opt);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
#define VALUE(name)                                                              \
	do {                                                                     \
		if (!v) {                                                        \
			if (i + 1 >= argc)                                       \
				return cmd_usage_error("generate", "option '%s' needs a value", name); \
			v = argv[++i];                                           \
		}                                                                \
	} while (0)
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help();
			return EXIT_OK;
		} else if (cmd_opt(a, "--out", &v)) {
			VALUE("--out");
			if (!*v)
				return cmd_usage_error("generate", "empty --out");
			out = v;
		} else if (cmd_opt(a, "--count", &v)) {
			uint64_t n;
			VALUE("--count");
			if (cmd_parse_u64(v, &n) < 0 || n > 10000000)
				return cmd_usage_error("generate", "bad --count '%s' (0 to 10000000)", v);
			opt.count = (size_t)n;
		} else if (cmd_opt(a, "--seed", &v)) {
			VALUE("--seed");
			if (cmd_parse_u64(v, &opt.seed) < 0)
				return cmd_usage_error("generate", "bad --seed '%s'", v);
		} else if (cmd_opt(a, "--formats", &v)) {
			VALUE("--formats");
			if (corpus_parse_formats(v, &opt.formats, err, sizeof(err)) != CORPUS_OK)
				return cmd_usage_error("generate", "%s", err);
		} else if (strcmp(a, "--uploads") == 0) {
			opt.uploads = 1;
		} else if (cmd_opt(a, "--encodings", &v)) {
			VALUE("--encodings");
			if (corpus_parse_encodings(v, &opt.encodings, err, sizeof(err)) != CORPUS_OK)
				return cmd_usage_error("generate", "%s", err);
		} else if (a[0] == '-') {
			return cmd_usage_error("generate", "unknown option '%s'", a);
		} else {
			return cmd_usage_error("generate", "unexpected argument '%s'", a);
		}
#undef VALUE
	}
	if (!out)
		return cmd_usage_error("generate", "--out DIR is required");
	if (!(opt.formats & (CORPUS_FORMAT_TXT | CORPUS_FORMAT_HTML)) &&
	    opt.encodings != CORPUS_ENC_DEFAULT && opt.encodings != CORPUS_ENC_UTF8)
		return cmd_usage_error("generate",
				       "--encodings applies to txt and html, but --formats has neither");
	if (corpus_generate(&opt, out, err, sizeof(err)) != CORPUS_OK)
		return cmd_fail("%s", err);
	return EXIT_OK;
}
