/*
 * Fuzz target for word lists, which a search reads back from the database
 * (common/schema.h, META_WORDS and META_WORD): any bytes are read as a
 * list entry by entry, preloaded into an analyzer, and answered as a
 * word's stored keys by a word source; the analyzer must still give
 * well-formed tokens.  Built as a libFuzzer target with --enable-fuzzing,
 * else linked with tests/fuzz/standalone.c to replay files.
 */
#include "stemmer/stemmer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text[] =
	"Руководителям ОО обеспечить объективность ВПР; школам с низкими "
	"результатами – до 01.12.2021 г.";

struct input {
	const char *data;
	size_t size;
};

static int
check_token(void *ctx, const stemmer_token_t *t)
{
	(void)ctx;
	if (t->key_len == 0 || t->key[t->key_len] != '\0' || strlen(t->key) != t->key_len) {
		fprintf(stderr, "fuzz_wordlist: bad key at offset %zu\n", t->offset);
		abort();
	}
	return 0;
}

/* Every word's stored keys are the input. */
static int
answer_input(void *ctx, const char *word, size_t len, strbuf_t *keys)
{
	const struct input *in = ctx;
	(void)word;
	(void)len;
	strbuf_add(keys, in->data, in->size);
	return 1;
}

/* An analyzer without a cache, so that the source is asked for every word. */
static stemmer_t *asking;

static void
free_asking(void)
{
	stemmer_free(asking);
	asking = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *word, *keys;
	size_t left = size, wl, kl;
	int r;
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	stemmer_t *s;
	struct input in = { (const char *)data, size };

	/* 1. entry by entry: inside the input, always advancing */
	while ((r = stemmer_word_list_next(&p, &left, &word, &wl, &keys, &kl)) == 1) {
		if (word < (const char *)data || keys + kl > (const char *)data + size || wl == 0)
			abort();
	}
	if (r == 0 && left != 0)
		abort();

	/* 2. preloaded (Snowball only: a new analyzer per input stays cheap) */
	opt.analyzer = STEMMER_ANALYZER_SNOWBALL;
	opt.preload = (const char *)data;
	opt.preload_len = size;
	s = stemmer_new_with(&opt, NULL);
	if (!s)
		abort();
	if (stemmer_analyze(s, text, sizeof text - 1, 0, check_token, NULL, NULL) != 0)
		abort();
	stemmer_free(s);

	/* 3. answered as stored keys */
	if (!asking) {
		stemmer_options_t ao = STEMMER_OPTIONS_INIT;
		ao.cache_entries = -1;
		asking = stemmer_new_with(&ao, NULL);
		if (!asking)
			abort();
		atexit(free_asking);
	}
	stemmer_set_word_source(asking, answer_input, &in);
	if (stemmer_analyze(asking, text, sizeof text - 1, 0, check_token, NULL, NULL) != 0)
		abort();
	stemmer_set_word_source(asking, NULL, NULL);
	return 0;
}
