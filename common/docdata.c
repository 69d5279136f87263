#include "common/docdata.h"

#include <string.h>

void
docdata_add_field(strbuf_t *sb, const char *key, const char *value)
{
	strbuf_adds(sb, key);
	strbuf_addch(sb, '\t');
	for (; *value; value++)
		strbuf_addch(sb, (*value == '\t' || *value == '\n' || *value == '\r') ? ' ' : *value);
	strbuf_addch(sb, '\n');
}

void
docdata_begin_body(strbuf_t *sb)
{
	strbuf_addch(sb, '\n');
}

const char *
docdata_get(const char *data, size_t len, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = data, *end = data + len;
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > klen && !memcmp(p, key, klen) && p[klen] == '\t') {
			*vlen = (size_t)(eol - p) - klen - 1;
			return p + klen + 1;
		}
		p = eol + 1;
	}
	*vlen = 0;
	return NULL;
}

const char *
docdata_body(const char *data, size_t len, size_t *blen)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *eol;
		if (*p == '\n') {
			*blen = (size_t)(end - p - 1);
			return p + 1;
		}
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		p = eol + 1;
	}
	*blen = 0;
	return NULL;
}
