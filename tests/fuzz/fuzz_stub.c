/*
 * Fuzz target: stub database files (searcher_parse_stub) on arbitrary
 * bytes.  A crash, a leak, or a broken invariant checked below (abort) is
 * a bug: a refused stub appends nothing and says why; an accepted one
 * appends non-empty shard names with no line break in them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "searcher/searcher-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **list = NULL;
	size_t n = 0, i;
	strbuf_t err = STRBUF_INIT;
	int r = searcher_parse_stub((const char *)data, size, "fuzz/stub", &list, &n, &err);

	if (r < 0 && (n != 0 || err.len == 0))
		abort();
	if (r == 0 && err.len != 0)
		abort();
	for (i = 0; i < n; i++) {
		if (!list[i][0] || strchr(list[i], '\n'))
			abort();
		free(list[i]);
	}
	free(list);
	strbuf_release(&err);
	return 0;
}
