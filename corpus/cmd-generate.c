/* protodex-corpus generate: a directory of synthetic protocols. */
#include <stdio.h>
#include <string.h>

#include "corpus/cmd.h"
#include "corpus/corpus.h"

static void
help(void)
{
	printf("usage: %s generate --out DIR [--count N] [--seed S]\n"
	       "                       [--formats LIST] [--encodings LIST]\n\n"
	       "Writes N synthetic meeting protocols under DIR, as\n"
	       "DIR/<municipality>/protocol-NNNNN.txt or .docx, and their ground truth as\n"
	       "DIR/truth.jsonl (one JSON object per protocol, in order; the fields are\n"
	       "described in tests/corpora/README).  Existing files are replaced.\n\n"
	       "  --out DIR         output directory (created if missing)\n"
	       "  --count N         number of protocols (default 50)\n"
	       "  --seed S          seed, decimal or 0x hex (default 1); the same seed\n"
	       "                    gives byte-identical output\n"
	       "  --formats LIST    txt,docx (default both: even numbers .txt, odd .docx)\n"
	       "  --encodings LIST  encodings of .txt files among utf-8, windows-1251,\n"
	       "                    koi8-r (default all three, weighted 75:17:8);\n"
	       "                    .docx is always UTF-8\n"
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
	if (!(opt.formats & CORPUS_FORMAT_TXT) && opt.encodings != CORPUS_ENC_ALL &&
	    opt.encodings != CORPUS_ENC_UTF8)
		return cmd_usage_error("generate", "--encodings applies to txt, but --formats has no txt");
	if (corpus_generate(&opt, out, err, sizeof(err)) != CORPUS_OK)
		return cmd_fail("%s", err);
	return EXIT_OK;
}
