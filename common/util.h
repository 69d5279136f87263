/*
 * Small helpers shared by every component.  Allocation failure aborts (see
 * strbuf.h for why); everything else reports through return values.
 */
#ifndef PROTODEX_UTIL_H
#define PROTODEX_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* 64-bit FNV-1a: stable across runs and machines (used in document ids). */
uint64_t util_hash64(const void *data, size_t len);

/* 1 if data[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int util_utf8_valid(const char *data, size_t len);

/*
 * Read a whole file into a malloc'd, NUL-terminated buffer.  Files larger
 * than `max` bytes are refused (returns -2).  On failure returns -1 with
 * errno set; the caller frees *out on success.
 */
int util_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * Create the directories leading to `path` (not `path` itself), like
 * `mkdir -p "$(dirname path)"`.  Returns 0, or -1 with errno set.
 */
int util_mkdir_parents(const char *path);

/*
 * Remove `dir` and everything under it, like `rm -rf dir` without
 * following symbolic links.  Returns 0, or -1 with errno set.
 */
int util_remove_tree(const char *dir);

#endif
