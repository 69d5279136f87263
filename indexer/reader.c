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

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "common/util.h"
#include "indexer/reader-int.h"
#include "indexer/zip.h"

#define OLE_MAGIC "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

/* Formats recognised by their first bytes and not read. */
static const struct magic {
	const char *bytes;
	size_t len;
	const char *message;
} magics[] = {
	{ OLE_MAGIC, 8,
	  "OLE compound document without a Word document stream (Excel .xls?): "
	  "not read" },
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
	case READER_FORMAT_ODT: return "odt";
	case READER_FORMAT_RTF: return "rtf";
	case READER_FORMAT_HTML: return "html";
	case READER_FORMAT_DOC: return "doc";
	case READER_FORMAT_PDF: return "pdf";
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

reader_status_t
reader_priv_add_text(reader_doc_t *doc, strbuf_t *text, reader_para_kind_t kind,
		     unsigned row, unsigned col)
{
	strbuf_t nfc = STRBUF_INIT;
	reader_status_t st = READER_OK;
	size_t i, o = 0;
	unsigned char *s = (unsigned char *)text->buf;

	for (i = 0; i < text->len;) {
		unsigned char c = s[i];
		if (c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			s[o++] = ' ';
			i++;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			i++;
		} else if (c == 0xc2 && i + 1 < text->len && s[i + 1] >= 0x80 &&
			   s[i + 1] <= 0x9f) {
			i += 2;
		} else if (c == 0xef && i + 2 < text->len && s[i + 1] == 0xbb &&
			   s[i + 2] == 0xbf) {
			i += 3;
		} else {
			s[o++] = s[i++];
		}
	}
	strbuf_setlen(text, o);
	reader_priv_rtrim(text);
	for (i = 0; i < text->len && (text->buf[i] == ' ' || text->buf[i] == '\t'); i++)
		;
	if (i < text->len) {
		if (reader_priv_append_nfc(&nfc, text->buf, text->len) < 0)
			st = reader_priv_fail(doc, READER_MALFORMED,
					      "cannot normalize document text");
		else
			st = reader_priv_add_para(doc, nfc.buf, nfc.len, kind, row, col);
	}
	strbuf_release(&nfc);
	strbuf_reset(text);
	return st;
}

typedef struct xml_errors {
	char *first;
	size_t size;
} xml_errors_t;

static void
collect_xml_error(void *data, xmlErrorPtr e)
{
	xml_errors_t *errs = data;
	size_t n;
	if (errs->first[0] || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(errs->first, errs->size, "line %d: %s", e->line,
		 e->message ? e->message : "unknown error");
	n = strlen(errs->first);
	while (n > 0 && (errs->first[n - 1] == '\n' || errs->first[n - 1] == ' '))
		errs->first[--n] = '\0';
}

void
reader_priv_walk(xmlNode *top, int (*enter)(void *ctx, xmlNode *n),
		 void (*leave)(void *ctx, xmlNode *n), void *ctx, const reader_status_t *status)
{
	xmlNode *cur = top->children;
	while (cur && *status == READER_OK) {
		if (enter(ctx, cur)) {
			if (cur->children) {
				cur = cur->children;
				continue;
			}
			leave(ctx, cur);
		}
		while (!cur->next) {
			cur = cur->parent;
			if (!cur || cur == top)
				return;
			leave(ctx, cur);
		}
		cur = cur->next;
	}
}

xmlDocPtr
reader_priv_parse_xml(const char *buf, size_t len, const char *url, char *err,
		      size_t err_size)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	char dummy[8];
	xml_errors_t errs = { err ? err : dummy, err ? err_size : sizeof dummy };
	xmlDocPtr xml;

	if (errs.size == 0) {
		errs.first = dummy;
		errs.size = sizeof dummy;
	}
	errs.first[0] = '\0';
	if (len > (size_t)INT32_MAX) {
		snprintf(errs.first, errs.size, "too large to parse");
		return NULL;
	}
	xmlSetStructuredErrorFunc(&errs, collect_xml_error);
	xml = xmlReadMemory(buf, (int)len, url, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	if (!xml && !errs.first[0])
		snprintf(errs.first, errs.size, "not well-formed");
	return xml;
}

int
reader_priv_convert(strbuf_t *out, const char *charset, const void *buf, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u;
	int32_t n, need;

	if (len > INT32_MAX / 4)
		return -1;
	cv = ucnv_open(charset, &st);
	if (U_FAILURE(st))
		return -1;
	/* One byte gives at most two UTF-16 units (a bad byte one U+FFFD). */
	u = xmalloc(((size_t)len * 2 + 1) * sizeof *u);
	n = ucnv_toUChars(cv, u, (int32_t)len * 2 + 1, buf, (int32_t)len, &st);
	ucnv_close(cv);
	if (U_FAILURE(st)) {
		free(u);
		return -1;
	}
	u_strToUTF8WithSub(NULL, 0, &need, u, n, 0xfffd, NULL, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
		free(u);
		return -1;
	}
	st = U_ZERO_ERROR;
	strbuf_grow(out, (size_t)need);
	u_strToUTF8WithSub(out->buf + out->len, need + 1, NULL, u, n, 0xfffd,
			   NULL, &st);
	free(u);
	if (U_FAILURE(st)) {
		out->buf[out->len] = '\0';
		return -1;
	}
	out->len += (size_t)need;
	out->buf[out->len] = '\0';
	return 0;
}

/* An OpenDocument file says what it is in its first member, "mimetype". */
enum { ODF_NONE, ODF_TEXT, ODF_OTHER };

static int
odf_kind(const zip_t *z, const char *name)
{
	char *mt;
	size_t mt_len;
	int kind = ODF_NONE;
	if (zip_extract(z, "mimetype", 256, &mt, &mt_len, NULL, 0) != ZIP_OK)
		/* Some generators leave "mimetype" out. */
		return zip_find(z, "content.xml") >= 0 && has_extension(name, ".odt")
		       ? ODF_TEXT : ODF_NONE;
	if (strncmp(mt, "application/vnd.oasis.opendocument.", 35) == 0)
		kind = strcmp(mt + 35, "text") == 0 ||
		       strcmp(mt + 35, "text-template") == 0 ||
		       strcmp(mt + 35, "text-web") == 0 ||
		       strcmp(mt + 35, "text-master") == 0 ? ODF_TEXT : ODF_OTHER;
	free(mt);
	return kind;
}

static int
is_word_ole(const unsigned char *b, size_t len, const char *name)
{
	static const char stream[] = "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
	if (len < 8 || memcmp(b, OLE_MAGIC, 8) != 0)
		return 0;
	return memmem(b, len, stream, sizeof stream - 1) != NULL ||
	       has_extension(name, ".doc") || has_extension(name, ".dot");
}

/* Formats told by their first bytes, other than zip. */
static reader_format_t
magic_format(const char *name, const unsigned char *b, size_t len)
{
	if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return READER_FORMAT_PDF;
	if (len >= 5 && memcmp(b, "{\\rtf", 5) == 0)
		return READER_FORMAT_RTF;
	if (is_word_ole(b, len, name))
		return READER_FORMAT_DOC;
	return READER_FORMAT_UNKNOWN;
}

static int
named_html(const char *name)
{
	return has_extension(name, ".htm") || has_extension(name, ".html") ||
	       has_extension(name, ".xhtml");
}

reader_format_t
reader_detect_format(const char *name, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	reader_format_t f;
	if (!buf || len == 0)
		return has_extension(name, ".txt") ? READER_FORMAT_TXT
						   : READER_FORMAT_UNKNOWN;
	if (is_zip(b, len)) {
		zip_t z;
		f = READER_FORMAT_UNKNOWN;
		if (zip_open(&z, b, len, NULL, 0) == ZIP_OK) {
			if (reader_priv_docx_main_part(&z) >= 0)
				f = READER_FORMAT_DOCX;
			else if (odf_kind(&z, name) == ODF_TEXT)
				f = READER_FORMAT_ODT;
		} else if (has_extension(name, ".docx")) {
			f = READER_FORMAT_DOCX; /* a damaged one */
		} else if (has_extension(name, ".odt")) {
			f = READER_FORMAT_ODT;
		}
		zip_close(&z);
		return f;
	}
	if ((f = magic_format(name, b, len)) != READER_FORMAT_UNKNOWN)
		return f;
	if (magic_message(b, len))
		return READER_FORMAT_UNKNOWN;
	if (reader_priv_looks_html(b, len, named_html(name)))
		return READER_FORMAT_HTML;
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

static reader_status_t
read_zip(const char *name, const unsigned char *b, size_t len, reader_doc_t *doc)
{
	zip_t z;
	char err[256];
	zip_status_t zst;
	reader_status_t st;
	int odf;

	zst = zip_open(&z, b, len, err, sizeof err);
	if (zst != ZIP_OK) {
		if (has_extension(name, ".docx"))
			doc->format = READER_FORMAT_DOCX;
		else if (has_extension(name, ".odt"))
			doc->format = READER_FORMAT_ODT;
		return reader_priv_fail(doc, zst == ZIP_UNSUPPORTED
					? READER_UNSUPPORTED : READER_MALFORMED,
					"%s", err);
	}
	if (reader_priv_docx_main_part(&z) >= 0) {
		doc->format = READER_FORMAT_DOCX;
		st = reader_priv_read_docx(doc, &z);
	} else if ((odf = odf_kind(&z, name)) == ODF_TEXT) {
		doc->format = READER_FORMAT_ODT;
		st = reader_priv_read_odt(doc, &z);
	} else if (odf == ODF_OTHER) {
		st = reader_priv_fail(doc, READER_UNSUPPORTED,
				      "OpenDocument file other than text "
				      "(spreadsheet, presentation?): not read");
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
	reader_format_t f;
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
	} else if ((f = magic_format(name, b, len)) != READER_FORMAT_UNKNOWN) {
		doc->format = f;
		switch (f) {
		case READER_FORMAT_PDF: st = reader_priv_read_pdf(doc, b, len); break;
		case READER_FORMAT_RTF: st = reader_priv_read_rtf(doc, b, len); break;
		default: st = reader_priv_read_doc(doc, b, len); break;
		}
	} else if ((magic = magic_message(b, len)) != NULL) {
		st = reader_priv_fail(doc, READER_UNSUPPORTED, "%s", magic);
	} else if (reader_priv_looks_html(b, len, named_html(name))) {
		doc->format = READER_FORMAT_HTML;
		st = reader_priv_read_html(doc, b, len);
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
