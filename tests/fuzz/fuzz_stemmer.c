/*
 * Fuzz target for the analysis chain: any bytes go through stemmer_analyze,
 * and a short prefix through stemmer_key, checking the token invariants the
 * indexer relies on (surface inside the input, non-empty NUL-terminated
 * keys, positions that never go back).  Built as a libFuzzer target with
 * --enable-fuzzing, else linked with tests/fuzz/standalone.c to replay files.
 */
#include "stemmer/stemmer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	const char *text;
	size_t len;
	unsigned first, last;
	size_t n;
};

static void
fail(const char *what, const stemmer_token_t *t)
{
	fprintf(stderr, "fuzz_stemmer: %s (offset %zu, pos %u)\n", what, t->offset,
		t->pos);
	abort();
}

static int
check_token(void *ctx, const stemmer_token_t *t)
{
	struct check *c = ctx;

	if (t->offset > c->len || t->surface_len > c->len - t->offset)
		fail("surface outside the input", t);
	if (t->surface != c->text + t->offset)
		fail("surface does not match the offset", t);
	if (t->surface_len == 0)
		fail("empty surface", t);
	if (t->key_len == 0 || t->key[t->key_len] != '\0' || strlen(t->key) != t->key_len)
		fail("bad key", t);
	if (t->pos < c->first || (c->n && t->pos < c->last))
		fail("position went back", t);
	c->last = t->pos;
	c->n++;
	return 0;
}

/* One stemmer for the whole run, as the indexer keeps one per thread. */
static stemmer_t *s;

/* Freed at exit so that a replay under valgrind reports no leak. */
static void
free_stemmer(void)
{
	stemmer_free(s);
	s = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c;
	const char *key;
	size_t key_len;
	unsigned next;

	if (!s) {
		char *err = NULL;
		s = stemmer_new(&err);
		if (!s) {
			fprintf(stderr, "fuzz_stemmer: %s\n", err ? err : "stemmer_new failed");
			abort();
		}
		atexit(free_stemmer);
	}
	c.text = (const char *)data;
	c.len = size;
	c.first = 5;
	c.last = 0;
	c.n = 0;
	if (stemmer_analyze(s, (const char *)data, size, 5, check_token, &c, &next) != 0)
		abort();
	if (next < 5 || (c.n && next != c.last + 1))
		abort();
	if (stemmer_key(s, (const char *)data, size < 64 ? size : 64, &key, &key_len) == 0 &&
	    (key_len == 0 || strlen(key) != key_len))
		abort();
	return 0;
}
