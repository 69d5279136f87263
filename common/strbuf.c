#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty_[1];

static void *
xrealloc_or_abort(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("protodex: out of memory\n", stderr);
		abort();
	}
	return q;
}

void
strbuf_init(strbuf_t *sb, size_t hint)
{
	sb->alloc = sb->len = 0;
	sb->buf = strbuf_empty_;
	if (hint)
		strbuf_grow(sb, hint);
}

void
strbuf_release(strbuf_t *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *
strbuf_detach(strbuf_t *sb, size_t *len)
{
	char *res;
	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return res;
}

void
strbuf_grow(strbuf_t *sb, size_t extra)
{
	int new_buf = !sb->alloc;
	size_t want;
	if (extra > (size_t)-1 / 2 - sb->len - 1) {
		fputs("protodex: string too large\n", stderr);
		abort();
	}
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return;
	if (new_buf)
		sb->buf = NULL;
	if (want < 64)
		want = 64;
	if (want < sb->alloc * 3 / 2)
		want = sb->alloc * 3 / 2;
	sb->buf = xrealloc_or_abort(sb->buf, want);
	sb->alloc = want;
	if (new_buf)
		sb->buf[0] = '\0';
}

void
strbuf_reset(strbuf_t *sb)
{
	strbuf_setlen(sb, 0);
}

void
strbuf_setlen(strbuf_t *sb, size_t len)
{
	if (!sb->alloc) /* nothing written yet: the shared empty string stays */
		return;
	if (len > sb->len)
		len = sb->len;
	sb->len = len;
	sb->buf[len] = '\0';
}

void
strbuf_add(strbuf_t *sb, const void *data, size_t len)
{
	if (!len)
		return;
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
strbuf_adds(strbuf_t *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(strbuf_t *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void
strbuf_vaddf(strbuf_t *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
strbuf_addf(strbuf_t *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
strbuf_add_json_string(strbuf_t *sb, const char *s, size_t len)
{
	size_t i;
	strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': strbuf_add(sb, "\\\"", 2); break;
		case '\\': strbuf_add(sb, "\\\\", 2); break;
		case '\n': strbuf_add(sb, "\\n", 2); break;
		case '\r': strbuf_add(sb, "\\r", 2); break;
		case '\t': strbuf_add(sb, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f)
				strbuf_addf(sb, "\\u%04x", c);
			else
				strbuf_addch(sb, c);
		}
	}
	strbuf_addch(sb, '"');
}

static int
is_space_at(const char *s, size_t len, size_t *w)
{
	unsigned char c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
		*w = 1;
		return 1;
	}
	if (len >= 2 && c == 0xc2 && (unsigned char)s[1] == 0xa0) { /* U+00A0 */
		*w = 2;
		return 1;
	}
	return 0;
}

void
strbuf_trim(strbuf_t *sb)
{
	size_t start = 0, w, end;
	if (!sb->alloc)
		return;
	while (start < sb->len && is_space_at(sb->buf + start, sb->len - start, &w))
		start += w;
	end = sb->len;
	for (;;) {
		if (end > start && is_space_at(sb->buf + end - 1, 1, &w)) {
			end--;
		} else if (end >= start + 2 && (unsigned char)sb->buf[end - 2] == 0xc2 &&
			   (unsigned char)sb->buf[end - 1] == 0xa0) {
			end -= 2;
		} else {
			break;
		}
	}
	memmove(sb->buf, sb->buf + start, end - start);
	sb->len = end - start;
	sb->buf[sb->len] = '\0';
}
