/*
 * reader: format detection and dispatch; the paragraph list.
 *
 * Detection trusts content: magic bytes first (zip containers are opened
 * and looked into), then "is it text in some encoding we know".  The file
 * name only breaks ties (a damaged zip called .docx is a damaged DOCX).
 * Formats we recognise but do not read get their own message, so the user
 * learns "PDF document", not "binary data".
 */
#include "indexer/reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/util.h"
#include "indexer/reader-int.h"
#include "indexer/zip.h"

/* Formats recognised by their first bytes and not read (yet). */
static const struct magic {
	const char *bytes;
	size_t len;
	const char *message;
} magics[] = {
	{ "%PDF", 4, "PDF document: not read yet" },
	{ "{\\rtf", 5, "RTF document: not read yet" },
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8,
	  "OLE compound document (old Word .doc or Excel .xls): not read yet" },
	{ "\x89PNG\r\n\x1a\n", 8, "PNG image: not a text document" },
	{ "\xff\xd8\xff", 3, "JPEG image: not a text document" },
	{ "GIF87a", 6, "GIF image: not a text document" },
	{ "GIF89a", 6, "GIF image: not a text document" },
	{ "II*\0", 4, "TIFF image: not a text document" },
	{ "MM\0*", 4, "TIFF image: not a text document" },
	{ "\x7f" "ELF", 4, "ELF executable: not a document" },
	{ "\x1f\x8b", 2, "gzip archive: archives are not read yet" },
	{ "BZh", 3, NULL }, /* needs a closer look: "BZh" starts words too */
	{ "Rar!\x1a\x07", 6, "RAR archive: archives are not read yet" },
	{ "7z\xbc\xaf\x27\x1c", 6, "7-Zip archive: archives are not read yet" },
	{ "\xfd" "7zXZ\0", 6, "xz archive: archives are not read yet" },
};

static const char *
magic_message(const unsigned char *b, size_t len)
{
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		const struct magic *m = &magics[i];
		if (len < m->len || memcmp(b, m->bytes, m->len) != 0)
			continue;
		if (m->message)
			return m->message;
		/* bzip2: "BZh" + block size digit + block magic 0x314159265359. */
		if (len >= 10 && b[3] >= '1' && b[3] <= '9' &&
		    memcmp(b + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0)
			return "bzip2 archive: archives are not read yet";
	}
	return NULL;
}

static int
is_zip(const unsigned char *b, size_t len)
{
	/* PK\5\6 is an archive with no members at all. */
	return zip_has_magic(b, len) ||
	       (len >= 4 && memcmp(b, "PK\x05\x06", 4) == 0);
}

static int
has_extension(const char *name, const char *ext)
{
	size_t n, e;
	if (!name)
		return 0;
	n = strlen(name);
	e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

const char *
reader_status_to_string(reader_status_t status)
{
	switch (status) {
	case READER_OK: return "ok";
	case READER_UNSUPPORTED: return "unsupported format";
	case READER_EMPTY: return "no text";
	case READER_MALFORMED: return "damaged file";
	case READER_TOO_LARGE: return "too large";
	case READER_IO: return "read error";
	}
	return "unknown status";
}

const char *
reader_format_name(reader_format_t format)
{
	switch (format) {
	case READER_FORMAT_TXT: return "txt";
	case READER_FORMAT_DOCX: return "docx";
	case READER_FORMAT_UNKNOWN: break;
	}
	return "unknown";
}

void
reader_doc_init(reader_doc_t *doc)
{
	memset(doc, 0, sizeof *doc);
	doc->format = READER_FORMAT_UNKNOWN;
	doc->encoding = NULL;
}

static void
drop_paras(reader_doc_t *doc)
{
	for (size_t i = 0; i < doc->n_paras; i++)
		free(doc->paras[i].text);
	free(doc->paras);
	doc->paras = NULL;
	doc->n_paras = doc->alloc_paras = 0;
	doc->text_bytes = 0;
}

void
reader_doc_release(reader_doc_t *doc)
{
	if (!doc)
		return;
	drop_paras(doc);
	reader_doc_init(doc);
}

reader_status_t
reader_priv_fail(reader_doc_t *doc, reader_status_t status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(doc->error, sizeof doc->error, fmt, ap);
	va_end(ap);
	return status;
}

reader_status_t
reader_priv_add_para(reader_doc_t *doc, const char *text, size_t len,
		     reader_para_kind_t kind, unsigned row, unsigned col)
{
	reader_para_t *p;
	if (len > READER_MAX_TEXT - doc->text_bytes)
		return reader_priv_fail(doc, READER_TOO_LARGE,
					"text too large (over %u bytes)",
					READER_MAX_TEXT);
	if (doc->n_paras == doc->alloc_paras) {
		size_t n = doc->alloc_paras ? doc->alloc_paras * 3 / 2 : 32;
		doc->paras = xrealloc(doc->paras, n * sizeof *doc->paras);
		doc->alloc_paras = n;
	}
	p = &doc->paras[doc->n_paras++];
	p->text = xstrndup(text, len);
	p->len = len;
	p->kind = kind;
	p->row = kind == READER_CELL ? row : 0;
	p->col = kind == READER_CELL ? col : 0;
	doc->text_bytes += len;
	return READER_OK;
}

void
reader_priv_rtrim(strbuf_t *sb)
{
	size_t end = sb->len;
	for (;;) {
		if (end > 0 && strchr(" \t\r\n\f\v", sb->buf[end - 1]) &&
		    sb->buf[end - 1] != '\0')
			end--;
		else if (end >= 2 && (unsigned char)sb->buf[end - 2] == 0xc2 &&
			 (unsigned char)sb->buf[end - 1] == 0xa0)
			end -= 2;
		else
			break;
	}
	strbuf_setlen(sb, end);
}

reader_format_t
reader_detect_format(const char *name, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	if (!buf || len == 0)
		return has_extension(name, ".txt") ? READER_FORMAT_TXT
						   : READER_FORMAT_UNKNOWN;
	if (is_zip(b, len)) {
		zip_t z;
		reader_format_t f = READER_FORMAT_UNKNOWN;
		if (zip_open(&z, b, len, NULL, 0) == ZIP_OK) {
			if (reader_priv_docx_main_part(&z) >= 0)
				f = READER_FORMAT_DOCX;
		} else if (has_extension(name, ".docx")) {
			f = READER_FORMAT_DOCX; /* a damaged one */
		}
		zip_close(&z);
		return f;
	}
	if (magic_message(b, len))
		return READER_FORMAT_UNKNOWN;
	{
		/* The start of the file is enough to tell text from binary. */
		size_t n = len < 64 * 1024 ? len : 64 * 1024;
		char *out;
		size_t out_len;
		const char *enc;
		reader_status_t st = reader_decode_text(b, n, &out, &out_len, &enc,
							NULL, 0);
		free(out);
		return st == READER_OK ? READER_FORMAT_TXT : READER_FORMAT_UNKNOWN;
	}
}

/* An OpenDocument file says what it is in its first member, "mimetype". */
static const char *
odf_kind(const zip_t *z)
{
	char *mt;
	size_t mt_len;
	const char *kind = NULL;
	if (zip_extract(z, "mimetype", 256, &mt, &mt_len, NULL, 0) != ZIP_OK)
		return NULL;
	if (strncmp(mt, "application/vnd.oasis.opendocument.", 35) == 0)
		kind = strcmp(mt + 35, "text") == 0 ? "OpenDocument text (.odt)"
						    : "OpenDocument file";
	free(mt);
	return kind;
}

static reader_status_t
read_zip(const char *name, const unsigned char *b, size_t len, reader_doc_t *doc)
{
	zip_t z;
	char err[256];
	zip_status_t zst;
	reader_status_t st;
	const char *odf;

	zst = zip_open(&z, b, len, err, sizeof err);
	if (zst != ZIP_OK) {
		if (has_extension(name, ".docx"))
			doc->format = READER_FORMAT_DOCX;
		return reader_priv_fail(doc, zst == ZIP_UNSUPPORTED
					? READER_UNSUPPORTED : READER_MALFORMED,
					"%s", err);
	}
	if (reader_priv_docx_main_part(&z) >= 0) {
		doc->format = READER_FORMAT_DOCX;
		st = reader_priv_read_docx(doc, &z);
	} else if ((odf = odf_kind(&z)) != NULL) {
		st = reader_priv_fail(doc, READER_UNSUPPORTED, "%s: not read yet", odf);
	} else {
		st = reader_priv_fail(doc, READER_UNSUPPORTED,
				      "zip archive without word/document.xml "
				      "(archives are not read yet)");
	}
	zip_close(&z);
	return st;
}

reader_status_t
reader_read_buffer(const char *name, const void *buf, size_t len,
		   reader_doc_t *doc)
{
	const unsigned char *b = buf;
	const char *magic;
	reader_status_t st;

	reader_doc_release(doc);
	if (len == 0)
		return reader_priv_fail(doc, READER_EMPTY, "empty file");
	if (!buf)
		return reader_priv_fail(doc, READER_IO, "no data");
	if (len > READER_MAX_INPUT)
		return reader_priv_fail(doc, READER_TOO_LARGE,
					"file too large (%zu bytes, limit %u)", len,
					READER_MAX_INPUT);

	if (is_zip(b, len)) {
		st = read_zip(name, b, len, doc);
	} else if ((magic = magic_message(b, len)) != NULL) {
		st = reader_priv_fail(doc, READER_UNSUPPORTED, "%s", magic);
	} else {
		doc->format = READER_FORMAT_TXT;
		st = reader_priv_read_txt(doc, b, len);
		if (st == READER_UNSUPPORTED)
			doc->format = READER_FORMAT_UNKNOWN;
	}

	if (st == READER_OK && doc->n_paras == 0)
		st = reader_priv_fail(doc, READER_EMPTY, "no text");
	if (st != READER_OK) {
		drop_paras(doc);
		if (!doc->error[0])
			reader_priv_fail(doc, st, "%s", reader_status_to_string(st));
	} else {
		doc->error[0] = '\0';
	}
	return st;
}

reader_status_t
reader_read_file(const char *path, reader_doc_t *doc)
{
	char *buf;
	size_t len;
	reader_status_t st;
	int r;

	reader_doc_release(doc);
	r = util_read_file(path, READER_MAX_INPUT, &buf, &len);
	if (r == -2) {
		struct stat sb;
		if (stat(path, &sb) == 0)
			return reader_priv_fail(doc, READER_TOO_LARGE,
						"file too large (%lld bytes, limit %u)",
						(long long)sb.st_size, READER_MAX_INPUT);
		return reader_priv_fail(doc, READER_TOO_LARGE,
					"file too large (limit %u bytes)",
					READER_MAX_INPUT);
	}
	if (r < 0)
		return reader_priv_fail(doc, READER_IO, "cannot read: %s",
					strerror(errno));
	st = reader_read_buffer(path, buf, len, doc);
	free(buf);
	return st;
}
