/*
 * zip: see zip.h for the design.  Layout references are to PKWARE's
 * APPNOTE.TXT (4.3.7 local header, 4.3.12 central directory header,
 * 4.3.16 end of central directory record).
 */
#include "indexer/zip.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/util.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_ZIP64_LOCATOR 0x07064b50u

#define LOCAL_SIZE 30
#define CENTRAL_SIZE 46
#define EOCD_SIZE 22
#define ZIP64_LOCATOR_SIZE 20

/*
 * Deflate cannot expand more than about 1032:1; a member claiming more is
 * lying about one of its sizes, and we refuse it before allocating.
 */
#define MAX_DEFLATE_RATIO 1032u

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void
set_err(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;
	if (!err || !err_size)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

/* A member name fit for a message: printable ASCII, others as '?'. */
static void
printable_name(const zip_entry_t *e, char *out, size_t out_size)
{
	size_t i, n = e->name_len;
	int cut = 0;
	if (n > out_size - 4) {
		n = out_size - 4;
		cut = 1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)e->name[i];
		out[i] = (c >= 0x20 && c < 0x7f && c != '\'') ? (char)c : '?';
	}
	if (cut) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

int
zip_has_magic(const void *buf, size_t len)
{
	return buf && len >= 4 && get32(buf) == SIG_LOCAL;
}

/* Find the EOCD record: the last 22 + 65535 bytes may hold it. */
static zip_status_t
find_eocd(const unsigned char *b, size_t len, size_t *pos, char *err,
	  size_t err_size)
{
	size_t p, stop;
	if (len < EOCD_SIZE) {
		set_err(err, err_size, "not a zip archive: too short (%zu bytes)", len);
		return ZIP_MALFORMED;
	}
	stop = len - EOCD_SIZE > 0xffff ? len - EOCD_SIZE - 0xffff : 0;
	for (p = len - EOCD_SIZE;; p--) {
		if (get32(b + p) == SIG_EOCD &&
		    (size_t)get16(b + p + 20) <= len - p - EOCD_SIZE) {
			*pos = p;
			return ZIP_OK;
		}
		if (p == stop)
			break;
	}
	set_err(err, err_size,
		"truncated zip archive: no end of central directory record");
	return ZIP_MALFORMED;
}

zip_status_t
zip_open(zip_t *z, const void *buf, size_t len, char *err, size_t err_size)
{
	const unsigned char *b = buf;
	size_t eocd, cd_off, cd_size, n_total, i, p;
	zip_status_t st;

	memset(z, 0, sizeof *z);
	set_err(err, err_size, "%s", "");
	if (!buf) {
		set_err(err, err_size, "not a zip archive: no data");
		return ZIP_MALFORMED;
	}
	st = find_eocd(b, len, &eocd, err, err_size);
	if (st != ZIP_OK)
		return st;
	if (eocd >= ZIP64_LOCATOR_SIZE &&
	    get32(b + eocd - ZIP64_LOCATOR_SIZE) == SIG_ZIP64_LOCATOR) {
		set_err(err, err_size, "ZIP64 archive: not supported");
		return ZIP_UNSUPPORTED;
	}
	if (get16(b + eocd + 4) != 0 || get16(b + eocd + 6) != 0 ||
	    get16(b + eocd + 8) != get16(b + eocd + 10)) {
		set_err(err, err_size, "multi-disk zip archive: not supported");
		return ZIP_UNSUPPORTED;
	}
	n_total = get16(b + eocd + 10);
	cd_size = get32(b + eocd + 12);
	cd_off = get32(b + eocd + 16);
	if (n_total == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu) {
		set_err(err, err_size, "ZIP64 archive: not supported");
		return ZIP_UNSUPPORTED;
	}
	if (cd_off > eocd || cd_size > eocd - cd_off) {
		set_err(err, err_size,
			"damaged zip archive: central directory outside the file");
		return ZIP_MALFORMED;
	}
	if (n_total > cd_size / CENTRAL_SIZE) {
		set_err(err, err_size,
			"damaged zip archive: %zu entries cannot fit in a %zu-byte "
			"central directory", n_total, cd_size);
		return ZIP_MALFORMED;
	}

	z->entries = xcalloc(n_total ? n_total : 1, sizeof *z->entries);
	p = cd_off;
	for (i = 0; i < n_total; i++) {
		zip_entry_t *e = &z->entries[i];
		const unsigned char *h = b + p;
		size_t end = cd_off + cd_size, var;
		if (end - p < CENTRAL_SIZE || get32(h) != SIG_CENTRAL) {
			set_err(err, err_size,
				"damaged zip archive: bad central directory entry %zu", i);
			goto malformed;
		}
		e->flags = get16(h + 8);
		e->method = get16(h + 10);
		e->crc32 = get32(h + 16);
		e->comp_size = get32(h + 20);
		e->uncomp_size = get32(h + 24);
		e->name_len = get16(h + 28);
		var = e->name_len + (size_t)get16(h + 30) + get16(h + 32);
		e->local_offset = get32(h + 42);
		if (var > end - p - CENTRAL_SIZE) {
			set_err(err, err_size,
				"damaged zip archive: central directory entry %zu "
				"runs past its end", i);
			goto malformed;
		}
		e->name = (const char *)h + CENTRAL_SIZE;
		if (e->comp_size == 0xffffffffu || e->uncomp_size == 0xffffffffu ||
		    e->local_offset == 0xffffffffu || get16(h + 34) == 0xffff) {
			set_err(err, err_size, "ZIP64 archive: not supported");
			zip_close(z);
			return ZIP_UNSUPPORTED;
		}
		if (get16(h + 34) != 0) {
			set_err(err, err_size, "multi-disk zip archive: not supported");
			zip_close(z);
			return ZIP_UNSUPPORTED;
		}
		if (e->local_offset > cd_off ||
		    cd_off - e->local_offset < LOCAL_SIZE) {
			set_err(err, err_size,
				"damaged zip archive: entry %zu points outside the file", i);
			goto malformed;
		}
		p += CENTRAL_SIZE + var;
	}
	z->buf = b;
	z->len = len;
	z->n_entries = n_total;
	return ZIP_OK;

malformed:
	zip_close(z);
	return ZIP_MALFORMED;
}

void
zip_close(zip_t *z)
{
	if (!z)
		return;
	free(z->entries);
	memset(z, 0, sizeof *z);
}

long
zip_find(const zip_t *z, const char *name)
{
	size_t i, n;
	if (!z || !name)
		return -1;
	n = strlen(name);
	for (i = 0; i < z->n_entries && i <= LONG_MAX; i++) {
		const zip_entry_t *e = &z->entries[i];
		if (e->name_len == n && memcmp(e->name, name, n) == 0)
			return (long)i;
	}
	return -1;
}

static zip_status_t
inflate_member(const unsigned char *data, const zip_entry_t *e, char *out,
	       const char *shown, char *err, size_t err_size)
{
	z_stream s;
	int ret;
	zip_status_t st = ZIP_OK;

	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
		set_err(err, err_size, "cannot inflate '%s': zlib failed to start",
			shown);
		return ZIP_MALFORMED;
	}
	s.next_in = (Bytef *)data;
	s.avail_in = e->comp_size;
	s.next_out = (Bytef *)out;
	/* One spare byte: if inflate fills it, the member lied about its size. */
	s.avail_out = e->uncomp_size + 1;
	for (;;) {
		uInt in_before = s.avail_in, out_before = s.avail_out;
		ret = inflate(&s, Z_NO_FLUSH);
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_OK || ret == Z_BUF_ERROR) {
			if (s.avail_out == 0) {
				set_err(err, err_size,
					"damaged zip archive: '%s' inflates past its "
					"declared size (%lu bytes)", shown,
					(unsigned long)e->uncomp_size);
				st = ZIP_MALFORMED;
				break;
			}
			if (s.avail_in == 0 ||
			    (s.avail_in == in_before && s.avail_out == out_before)) {
				set_err(err, err_size,
					"truncated zip archive: '%s' ends before its "
					"compressed data does", shown);
				st = ZIP_MALFORMED;
				break;
			}
			continue;
		}
		set_err(err, err_size, "damaged zip archive: cannot inflate '%s': %s",
			shown, s.msg ? s.msg : "bad compressed data");
		st = ZIP_MALFORMED;
		break;
	}
	if (st == ZIP_OK && s.total_out != e->uncomp_size) {
		set_err(err, err_size,
			"damaged zip archive: '%s' inflates to %lu bytes, not the "
			"declared %lu", shown, (unsigned long)s.total_out,
			(unsigned long)e->uncomp_size);
		st = ZIP_MALFORMED;
	}
	inflateEnd(&s);
	return st;
}

zip_status_t
zip_extract_at(const zip_t *z, size_t index, size_t max_out, char **out,
	       size_t *out_len, char *err, size_t err_size)
{
	const zip_entry_t *e;
	const unsigned char *h;
	size_t data_off, lname, lextra;
	char shown[128], *res;
	zip_status_t st;

	*out = NULL;
	*out_len = 0;
	set_err(err, err_size, "%s", "");
	if (!z || !z->entries || index >= z->n_entries) {
		set_err(err, err_size, "no such zip member (index %zu)", index);
		return ZIP_NOT_FOUND;
	}
	e = &z->entries[index];
	printable_name(e, shown, sizeof shown);
	if (e->flags & 0x41) {
		set_err(err, err_size, "encrypted zip member '%s': not supported",
			shown);
		return ZIP_UNSUPPORTED;
	}
	if (e->method != 0 && e->method != 8) {
		set_err(err, err_size,
			"zip member '%s' uses compression method %u: not supported",
			shown, e->method);
		return ZIP_UNSUPPORTED;
	}
	if (e->uncomp_size > max_out) {
		set_err(err, err_size,
			"zip member '%s' too large (%lu bytes, limit %zu)", shown,
			(unsigned long)e->uncomp_size, max_out);
		return ZIP_TOO_LARGE;
	}
	if (e->method == 0 && e->comp_size != e->uncomp_size) {
		set_err(err, err_size,
			"damaged zip archive: stored member '%s' has two sizes", shown);
		return ZIP_MALFORMED;
	}
	if (e->method == 8 &&
	    e->uncomp_size / MAX_DEFLATE_RATIO > e->comp_size) {
		set_err(err, err_size,
			"damaged zip archive: '%s' claims an impossible compression "
			"ratio (%lu bytes from %lu)", shown,
			(unsigned long)e->uncomp_size, (unsigned long)e->comp_size);
		return ZIP_MALFORMED;
	}

	/* zip_open checked local_offset + LOCAL_SIZE <= central directory. */
	h = z->buf + e->local_offset;
	if (get32(h) != SIG_LOCAL) {
		set_err(err, err_size,
			"damaged zip archive: no local header for '%s'", shown);
		return ZIP_MALFORMED;
	}
	lname = get16(h + 26);
	lextra = get16(h + 28);
	data_off = (size_t)e->local_offset + LOCAL_SIZE;
	if (lname != e->name_len || lname > z->len - data_off ||
	    memcmp(h + LOCAL_SIZE, e->name, lname) != 0) {
		set_err(err, err_size,
			"damaged zip archive: local header of '%s' names another "
			"member", shown);
		return ZIP_MALFORMED;
	}
	data_off += lname;
	if (lextra > z->len - data_off) {
		set_err(err, err_size, "truncated zip archive: '%s' is cut short",
			shown);
		return ZIP_MALFORMED;
	}
	data_off += lextra;
	if (e->comp_size > z->len - data_off) {
		set_err(err, err_size, "truncated zip archive: '%s' is cut short",
			shown);
		return ZIP_MALFORMED;
	}

	res = xmalloc((size_t)e->uncomp_size + 1);
	if (e->method == 0) {
		memcpy(res, z->buf + data_off, e->uncomp_size);
	} else {
		st = inflate_member(z->buf + data_off, e, res, shown, err, err_size);
		if (st != ZIP_OK) {
			free(res);
			return st;
		}
	}
	if (crc32_z(0, (const Bytef *)res, e->uncomp_size) != e->crc32) {
		set_err(err, err_size, "damaged zip archive: CRC mismatch in '%s'",
			shown);
		free(res);
		return ZIP_MALFORMED;
	}
	res[e->uncomp_size] = '\0';
	*out = res;
	*out_len = e->uncomp_size;
	return ZIP_OK;
}

zip_status_t
zip_extract(const zip_t *z, const char *name, size_t max_out, char **out,
	    size_t *out_len, char *err, size_t err_size)
{
	long i = zip_find(z, name);
	if (i < 0) {
		*out = NULL;
		*out_len = 0;
		set_err(err, err_size, "zip archive has no member '%s'", name);
		return ZIP_NOT_FOUND;
	}
	return zip_extract_at(z, (size_t)i, max_out, out, out_len, err, err_size);
}
