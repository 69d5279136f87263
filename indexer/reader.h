/*
 * reader: turns a file's bytes into a stream of UTF-8 paragraphs.
 *
 * Readers know formats, not protocols: they hand the protocol parser and
 * the indexer paragraphs and table cells in document order, in UTF-8 NFC,
 * with Word's run splits already joined.  The format is detected from the
 * content (magic bytes), not trusted from the file name.
 *
 *   reader_doc_t doc;
 *   reader_doc_init(&doc);
 *   if (reader_read_buffer("a.docx", buf, len, &doc) != READER_OK)
 *           fprintf(stderr, "%s\n", doc.error);     // why it was skipped
 *   for (size_t i = 0; i < doc.n_paras; i++) use(doc.paras[i].text);
 *   reader_doc_release(&doc);
 *
 * Nothing here prints or exits; a bad file gives a status and a message.
 */
#ifndef PROTODEX_READER_H
#define PROTODEX_READER_H

#include <stddef.h>

/* Largest input a reader accepts, and the largest text it will produce. */
#define READER_MAX_INPUT (64u * 1024 * 1024)
#define READER_MAX_TEXT (64u * 1024 * 1024)

typedef enum reader_status {
	READER_OK = 0,
	READER_UNSUPPORTED, /* not a format protodex reads (e.g. an image) */
	READER_EMPTY,       /* no text at all */
	READER_MALFORMED,   /* damaged or truncated file */
	READER_TOO_LARGE,   /* over a size limit */
	READER_IO           /* could not read the file */
} reader_status_t;

const char *reader_status_to_string(reader_status_t status);

typedef enum reader_format {
	READER_FORMAT_UNKNOWN = 0,
	READER_FORMAT_TXT,
	READER_FORMAT_DOCX
} reader_format_t;

/* "txt", "docx", "unknown". */
const char *reader_format_name(reader_format_t format);

typedef enum reader_para_kind {
	READER_PARA,  /* an ordinary paragraph (a line, in plain text) */
	READER_CELL   /* a paragraph inside a table cell */
} reader_para_kind_t;

typedef struct reader_para {
	char *text;   /* UTF-8, NUL-terminated, no trailing newline */
	size_t len;
	reader_para_kind_t kind;
	/* Table cells: row and column, counted from 0 within their table. */
	unsigned row, col;
} reader_para_t;

typedef struct reader_doc {
	reader_format_t format;
	const char *encoding;  /* source encoding: "UTF-8", "windows-1251",
				  "KOI8-R", ...; static storage */
	reader_para_t *paras;
	size_t n_paras;
	size_t alloc_paras;
	size_t text_bytes;     /* sum of paragraph lengths */
	char error[512];       /* why reading failed; "" on success */
} reader_doc_t;

void reader_doc_init(reader_doc_t *doc);
void reader_doc_release(reader_doc_t *doc);

/* Detect the format of `buf` by content; the name only breaks ties. */
reader_format_t reader_detect_format(const char *name, const void *buf, size_t len);

/*
 * Read `buf` (the whole file; `name` is used in messages and for ties).
 * On failure the doc holds no paragraphs and doc->error says why.
 */
reader_status_t reader_read_buffer(const char *name, const void *buf, size_t len,
				   reader_doc_t *doc);
/* Read the file at `path` (up to READER_MAX_INPUT bytes). */
reader_status_t reader_read_file(const char *path, reader_doc_t *doc);

/*
 * Decode text of unknown encoding into UTF-8: a BOM (UTF-8, UTF-16LE/BE)
 * wins, then valid UTF-8, then ICU's charset detector limited to the
 * Cyrillic 8-bit encodings (windows-1251, KOI8-R, and IBM866 by a
 * frequency check).  *out is malloc'd (caller frees); *encoding is static.
 * Returns READER_OK or READER_UNSUPPORTED for binary data.
 */
reader_status_t reader_decode_text(const void *buf, size_t len, char **out,
				   size_t *out_len, const char **encoding,
				   char *err, size_t err_size);

#endif
