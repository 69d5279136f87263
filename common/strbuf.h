/*
 * strbuf: a growable byte buffer.
 *
 * Invariants: `buf` is never NULL after strbuf_init (it points at a shared
 * empty string until the first growth), `buf[len]` is always '\0', and
 * `len < alloc` whenever alloc > 0.  Text may contain NUL bytes; `len` is the
 * truth.  Allocation failure aborts: every caller would have to give up
 * anyway, and a half-built string is worse than a clean stop.
 *
 *   strbuf_t sb = STRBUF_INIT;
 *   strbuf_add(&sb, "abc", 3);
 *   strbuf_addf(&sb, " %d", 42);
 *   char *s = strbuf_detach(&sb, NULL);   // caller frees s
 */
#ifndef PROTODEX_STRBUF_H
#define PROTODEX_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
} strbuf_t;

extern char strbuf_empty_[];
#define STRBUF_INIT { 0, 0, strbuf_empty_ }

void strbuf_init(strbuf_t *sb, size_t hint);
void strbuf_release(strbuf_t *sb);
/* Hand the buffer over; the caller frees it.  The strbuf is reset. */
char *strbuf_detach(strbuf_t *sb, size_t *len);
void strbuf_grow(strbuf_t *sb, size_t extra);
void strbuf_reset(strbuf_t *sb);
/* Shorten to `len` bytes; never lengthens (use strbuf_grow + add for that). */
void strbuf_setlen(strbuf_t *sb, size_t len);
void strbuf_add(strbuf_t *sb, const void *data, size_t len);
void strbuf_adds(strbuf_t *sb, const char *s);
void strbuf_addch(strbuf_t *sb, int c);
void strbuf_addf(strbuf_t *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf_t *sb, const char *fmt, va_list ap);
/* Append `s` as a JSON string literal, quotes included. */
void strbuf_add_json_string(strbuf_t *sb, const char *s, size_t len);
/* Strip ASCII and Unicode (NBSP) white space from both ends. */
void strbuf_trim(strbuf_t *sb);

#endif
