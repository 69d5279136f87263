/*
 * zipw: the smallest zip writer a .docx needs (private to corpus/).
 *
 * Entries are deflated (raw deflate, as zip method 8 wants) or stored,
 * appended to a strbuf as local header + data, and listed again in the
 * central directory that zipw_finish writes with the end record.  No
 * data descriptors, no zip64, no extra fields: every size is known before
 * the header is written, and nothing here comes near 4 GiB.
 *
 * Every entry gets the same DOS time stamp (1980-01-01 00:00), so equal
 * input gives byte-identical archives.
 *
 *   strbuf_t out = STRBUF_INIT;
 *   zipw_t z;
 *   zipw_init(&z, &out);
 *   zipw_add(&z, "a.xml", data, len, 1);
 *   zipw_finish(&z);
 *   zipw_release(&z);
 */
#ifndef PROTODEX_CORPUS_ZIPW_H
#define PROTODEX_CORPUS_ZIPW_H

#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

typedef struct zipw_entry {
	char *name;
	uint32_t crc, csize, usize, offset;
	uint16_t method;
	uint16_t flags, dos_time, dos_date;
	uint32_t external;
} zipw_entry_t;

typedef struct zipw {
	strbuf_t *out;          /* not owned */
	zipw_entry_t *entries;
	size_t n, alloc;
} zipw_t;

void zipw_init(zipw_t *z, strbuf_t *out);
void zipw_release(zipw_t *z);
/* Append one entry; returns 0, or -1 if zlib failed or a size overflows. */
int zipw_add(zipw_t *z, const char *name, const void *data, size_t len,
	     int compress);
/*
 * The same, with the general-purpose flags (ZIPW_FLAG_UTF8: the name is
 * UTF-8; without it readers take the name in the OEM code page, as old
 * Windows archivers wrote it), a DOS time and date, and the external
 * attributes (0x10: a directory, whose name ends in '/').  The name is
 * bytes, written as given.
 */
#define ZIPW_FLAG_UTF8 0x0800u
int zipw_add_ex(zipw_t *z, const char *name, const void *data, size_t len,
		int compress, unsigned flags, unsigned dos_time, unsigned dos_date,
		uint32_t external);

/* Write the central directory and the end record; returns 0 or -1. */
int zipw_finish(zipw_t *z);

#endif
