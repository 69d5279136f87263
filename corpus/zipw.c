#include "corpus/zipw.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/util.h"

/* 1980-01-01 00:00:00, the earliest DOS date: fixed so output is stable. */
#define ZIPW_DOS_TIME 0x0000
#define ZIPW_DOS_DATE 0x0021

static void
put16(strbuf_t *sb, unsigned v)
{
	unsigned char b[2] = { (unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff) };
	strbuf_add(sb, b, 2);
}

static void
put32(strbuf_t *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff),
			       (unsigned char)((v >> 16) & 0xff), (unsigned char)((v >> 24) & 0xff) };
	strbuf_add(sb, b, 4);
}

void
zipw_init(zipw_t *z, strbuf_t *out)
{
	memset(z, 0, sizeof(*z));
	z->out = out;
}

void
zipw_release(zipw_t *z)
{
	size_t i;
	if (!z)
		return;
	for (i = 0; i < z->n; i++)
		free(z->entries[i].name);
	free(z->entries);
	memset(z, 0, sizeof(*z));
}

/* Raw deflate of the whole input in one call: inputs are small. */
static int
deflate_all(const void *data, size_t len, strbuf_t *dst)
{
	z_stream zs;
	uLong bound;
	unsigned char *buf;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (len > UINT_MAX / 2)
		return -1;
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)len);
	buf = xmalloc(bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = buf;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc == Z_STREAM_END)
		strbuf_add(dst, buf, zs.total_out);
	deflateEnd(&zs);
	free(buf);
	return rc == Z_STREAM_END ? 0 : -1;
}

int
zipw_add(zipw_t *z, const char *name, const void *data, size_t len, int compress)
{
	return zipw_add_ex(z, name, data, len, compress, 0, ZIPW_DOS_TIME, ZIPW_DOS_DATE, 0);
}

int
zipw_add_ex(zipw_t *z, const char *name, const void *data, size_t len, int compress,
	    unsigned flags, unsigned dos_time, unsigned dos_date, uint32_t external)
{
	strbuf_t packed = STRBUF_INIT;
	zipw_entry_t *e;
	const void *body = data;
	size_t blen = len, nlen = strlen(name);

	if (len > 0xffffffffu - 1 || nlen > 0xffff || z->out->len > 0xffffffffu - 1)
		return -1;
	if (compress) {
		if (deflate_all(data, len, &packed) < 0) {
			strbuf_release(&packed);
			return -1;
		}
		body = packed.buf;
		blen = packed.len;
	}
	if (z->n == z->alloc) {
		z->alloc = z->alloc ? 2 * z->alloc : 8;
		z->entries = xrealloc(z->entries, z->alloc * sizeof(*z->entries));
	}
	e = &z->entries[z->n++];
	e->name = xstrdup(name);
	e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
	e->csize = (uint32_t)blen;
	e->usize = (uint32_t)len;
	e->offset = (uint32_t)z->out->len;
	e->method = compress ? 8 : 0;
	e->flags = (uint16_t)flags;
	e->dos_time = (uint16_t)dos_time;
	e->dos_date = (uint16_t)dos_date;
	e->external = external;

	put32(z->out, 0x04034b50);
	put16(z->out, 20);              /* version needed: 2.0 (deflate) */
	put16(z->out, e->flags);
	put16(z->out, e->method);
	put16(z->out, e->dos_time);
	put16(z->out, e->dos_date);
	put32(z->out, e->crc);
	put32(z->out, e->csize);
	put32(z->out, e->usize);
	put16(z->out, (unsigned)nlen);
	put16(z->out, 0);               /* extra length */
	strbuf_add(z->out, name, nlen);
	strbuf_add(z->out, body, blen);
	strbuf_release(&packed);
	return 0;
}

int
zipw_finish(zipw_t *z)
{
	size_t i, cd_start = z->out->len, cd_size;

	if (z->n > 0xffff)
		return -1;
	for (i = 0; i < z->n; i++) {
		const zipw_entry_t *e = &z->entries[i];
		size_t nlen = strlen(e->name);
		put32(z->out, 0x02014b50);
		put16(z->out, 20);      /* made by: MS-DOS, 2.0 */
		put16(z->out, 20);
		put16(z->out, e->flags);
		put16(z->out, e->method);
		put16(z->out, e->dos_time);
		put16(z->out, e->dos_date);
		put32(z->out, e->crc);
		put32(z->out, e->csize);
		put32(z->out, e->usize);
		put16(z->out, (unsigned)nlen);
		put16(z->out, 0);       /* extra */
		put16(z->out, 0);       /* comment */
		put16(z->out, 0);       /* disk */
		put16(z->out, 0);       /* internal attributes */
		put32(z->out, e->external);
		put32(z->out, e->offset);
		strbuf_add(z->out, e->name, nlen);
	}
	cd_size = z->out->len - cd_start;
	if (z->out->len > 0xffffffffu)
		return -1;
	put32(z->out, 0x06054b50);
	put16(z->out, 0);
	put16(z->out, 0);
	put16(z->out, (unsigned)z->n);
	put16(z->out, (unsigned)z->n);
	put32(z->out, (uint32_t)cd_size);
	put32(z->out, (uint32_t)cd_start);
	put16(z->out, 0);
	return 0;
}
