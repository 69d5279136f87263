/*
 * zip: a minimal reader for zip archives held in memory (DOCX containers).
 *
 * Only what DOCX needs: the central directory found through the End Of
 * Central Directory record, and members that are stored (method 0) or
 * deflated (method 8).  ZIP64, multi-disk, encrypted and other methods are
 * refused with a message.  The archive is untrusted input, so:
 *
 *   - every offset and length is checked against the buffer before use;
 *   - sizes come from the central directory; the local header is only
 *     checked (signature, same name), never trusted for sizes;
 *   - inflation stops one byte past the declared size and never runs past
 *     the caller's limit, so a zip bomb costs at most `max_out` bytes;
 *   - the CRC-32 of every extracted member is verified;
 *   - nothing recurses.
 *
 *   zip_t z;
 *   char err[256], *xml;
 *   size_t xml_len;
 *   if (zip_open(&z, buf, len, err, sizeof err) != ZIP_OK)
 *           return complain(err);
 *   if (zip_extract(&z, "word/document.xml", limit, &xml, &xml_len,
 *                   err, sizeof err) == ZIP_OK) { use(xml); free(xml); }
 *   zip_close(&z);
 *
 * The zip_t borrows `buf`: keep it alive and unchanged until zip_close.
 */
#ifndef PROTODEX_ZIP_H
#define PROTODEX_ZIP_H

#include <stddef.h>
#include <stdint.h>

typedef enum zip_status {
	ZIP_OK = 0,
	ZIP_NOT_FOUND,   /* no member of that name */
	ZIP_MALFORMED,   /* damaged, truncated, or inconsistent archive */
	ZIP_UNSUPPORTED, /* ZIP64, encryption, multi-disk, unknown method */
	ZIP_TOO_LARGE    /* member larger than the caller's limit */
} zip_status_t;

/* One member, as described by the central directory. */
typedef struct zip_entry {
	const char *name;      /* points into the archive buffer; NOT
				  NUL-terminated: use name_len */
	size_t name_len;
	uint16_t flags;        /* general purpose bit flag */
	uint16_t method;       /* 0 stored, 8 deflated, others refused */
	uint32_t crc32;
	uint32_t comp_size;
	uint32_t uncomp_size;
	uint32_t local_offset; /* of the local file header */
} zip_entry_t;

typedef struct zip {
	const unsigned char *buf;
	size_t len;
	zip_entry_t *entries;  /* n_entries, in central directory order */
	size_t n_entries;
} zip_t;

/* 1 if `buf` starts with a local file header signature ("PK\3\4"). */
int zip_has_magic(const void *buf, size_t len);

/*
 * Parse the central directory of the archive in buf[0..len).  On failure
 * `z` holds nothing (zip_close is still allowed) and `err` says why.
 */
zip_status_t zip_open(zip_t *z, const void *buf, size_t len, char *err,
		      size_t err_size);
/* Free what zip_open allocated; the borrowed buffer is untouched. */
void zip_close(zip_t *z);

/*
 * Index of the first member called `name` (exact, case-sensitive), or -1.
 * Directory entries (names ending in '/') match too; extracting them gives
 * an empty member.
 */
long zip_find(const zip_t *z, const char *name);

/*
 * Extract member `index` (0 <= index < n_entries) into a malloc'd,
 * NUL-terminated buffer (*out, caller frees; *out_len excludes the NUL).
 * Members whose declared size exceeds `max_out` give ZIP_TOO_LARGE
 * without inflating anything.  On failure *out is NULL.
 */
zip_status_t zip_extract_at(const zip_t *z, size_t index, size_t max_out,
			    char **out, size_t *out_len, char *err,
			    size_t err_size);
/* zip_find + zip_extract_at; ZIP_NOT_FOUND if there is no such member. */
zip_status_t zip_extract(const zip_t *z, const char *name, size_t max_out,
			 char **out, size_t *out_len, char *err,
			 size_t err_size);

#endif
