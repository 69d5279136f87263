/*
 * reader: turns a file's bytes into a stream of UTF-8 paragraphs.
 *
 * Readers know formats, not protocols: they hand the protocol parser and
 * the indexer paragraphs and table cells in document order, in UTF-8 NFC,
 * with Word's run splits already joined.  The format is detected from the
 * content (magic bytes), not trusted from the file name.
 *
 * Formats: plain text in any Russian encoding, DOCX, ODT (both read
 * in-process with libxml2, no network, no DTDs, no entity expansion),
 * RTF, HTML (libxml2's HTML parser), and Word 97-2003 .doc and PDF
 * through external programs found in $PATH at run time: antiword (or
 * catdoc) and pdftotext (poppler-utils).  Headers and footers are not
 * read in any format.
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
	READER_FORMAT_DOCX,
	READER_FORMAT_ODT,   /* OpenDocument text (zip with content.xml) */
	READER_FORMAT_RTF,
	READER_FORMAT_HTML,
	READER_FORMAT_DOC,   /* Word 97-2003 (OLE2 with a WordDocument stream) */
	READER_FORMAT_PDF
} reader_format_t;

/* "txt", "docx", "odt", "rtf", "html", "doc", "pdf", "unknown". */
const char *reader_format_name(reader_format_t format);

typedef enum reader_para_kind {
	READER_PARA,  /* an ordinary paragraph (a line, in plain text) */
	READER_CELL   /* a paragraph inside a table cell */
} reader_para_kind_t;

typedef struct reader_para {
	char *text;   /* UTF-8 NFC, NUL-terminated, never empty; no line
			 breaks, no control characters but tabs, and no
			 trailing white space.  A line break inside a
			 paragraph (DOCX w:br, ODT text:line-break, RTF
			 \line) is a space; HTML's <br> ends a paragraph;
			 each line of .doc and PDF text is a paragraph.
			 A DOCX paragraph numbered by Word's automatic
			 list numbering starts with the label Word shows
			 and a space ("1.2. ...", "• ..."), computed from
			 word/numbering.xml; bullets show as "•" or "-" */
	size_t len;
	reader_para_kind_t kind;
	/*
	 * Table cells: row and grid column (a cell merged across two grid
	 * columns counts two), from 0 within the innermost table; a cell with
	 * several paragraphs gives several CELLs with the same row and col.
	 * 0 for READER_PARA.
	 */
	unsigned row, col;
} reader_para_t;

typedef struct reader_doc {
	reader_format_t format;
	/*
	 * Source encoding, static storage: "UTF-8", "UTF-8 (BOM)",
	 * "UTF-16LE", "UTF-16BE", "windows-1251", "KOI8-R", "IBM866" or
	 * "ISO-8859-5" for text; "UTF-8" (rarely "UTF-16") for DOCX and
	 * ODT; the code page RTF declares ("windows-1251", "windows-1252",
	 * ...); for HTML the charset used (one of the text ones, or the
	 * <meta> charset as written there); "UTF-8" for .doc and PDF (the
	 * programs' output).  NULL until a text was decoded.
	 */
	const char *encoding;
	reader_para_t *paras;
	size_t n_paras;
	size_t alloc_paras;
	size_t text_bytes;     /* sum of paragraph lengths */
	char error[512];       /* why reading failed, problem first, no
				  file name, no full stop; "" on success */
} reader_doc_t;

void reader_doc_init(reader_doc_t *doc);
/* Free the paragraphs and re-initialize; NULL does nothing. */
void reader_doc_release(reader_doc_t *doc);

/* Detect the format of `buf` by content; the name only breaks ties. */
reader_format_t reader_detect_format(const char *name, const void *buf, size_t len);

/*
 * Read `buf` (the whole file; `name` only breaks ties).  The doc must be
 * initialized; what it held before is released first, so one doc can
 * read many files.  On failure the doc holds no paragraphs, doc->error
 * says why, and doc->format says what the file was if that is known:
 *
 *   READER_EMPTY        "empty file" (0 bytes) or "no text"; for PDF
 *                       "no text (a scanned PDF without a text layer?)"
 *   READER_UNSUPPORTED  "binary data, not text", "PNG image: not a text
 *                       document", "zip archive without word/document.xml
 *                       (archives are not read yet)", "install
 *                       poppler-utils to read .pdf files (apt-get install
 *                       poppler-utils)", "install antiword or catdoc to
 *                       read .doc files (apt-get install antiword)", ...
 *   READER_MALFORMED    damaged zip, XML or RTF ("malformed XML in
 *                       word/document.xml: line 3: ...", "RTF nested too
 *                       deeply"), or the external program failed on it
 *                       ("pdftotext failed: ...", "... timed out")
 *   READER_TOO_LARGE    input over READER_MAX_INPUT, a DOCX/ODT part or
 *                       the text over READER_MAX_TEXT
 *   READER_IO           an external program could not be run
 *
 * Paragraphs point into memory owned by the doc until the next read or
 * reader_doc_release.
 */
reader_status_t reader_read_buffer(const char *name, const void *buf, size_t len,
				   reader_doc_t *doc);
/*
 * Read the file at `path` (up to READER_MAX_INPUT bytes).  Adds READER_IO
 * ("cannot read: <strerror>") and "file too large (N bytes, limit M)".
 */
reader_status_t reader_read_file(const char *path, reader_doc_t *doc);

/*
 * .doc and PDF are read by external programs (antiword, else catdoc;
 * pdftotext), run without a shell on a private copy of the bytes in
 * $TMPDIR (default /tmp), with stdin from /dev/null, their output capped
 * at READER_MAX_TEXT and killed after READER_TOOL_SECONDS.
 *
 * reader_set_tool_path sets where they are looked for: a ":"-separated
 * list of directories like $PATH (copied); NULL, the default, means
 * $PATH itself, and "" nowhere (they then count as not installed).  Not
 * thread-safe: call it before reading.
 */
#define READER_TOOL_SECONDS 30
void reader_set_tool_path(const char *path);

/*
 * Decode text of unknown encoding into NFC UTF-8: a BOM (UTF-8,
 * UTF-16LE/BE) wins, then BOM-less UTF-16, then valid UTF-8, then the
 * Cyrillic 8-bit encodings (windows-1251, KOI8-R, IBM866, ISO-8859-5),
 * chosen by ICU's charset detector and a Russian letter-statistics score
 * (see charset.c).  Line breaks and control characters are passed through.
 * *out is malloc'd and NUL-terminated (caller frees; NULL on failure);
 * *encoding is static.  Returns READER_OK, READER_UNSUPPORTED ("binary
 * data, not text"), READER_TOO_LARGE (input over READER_MAX_INPUT or
 * output over READER_MAX_TEXT) or READER_MALFORMED (conversion failed),
 * with the message in err (which may be NULL).  0 bytes give "".
 */
reader_status_t reader_decode_text(const void *buf, size_t len, char **out,
				   size_t *out_len, const char **encoding,
				   char *err, size_t err_size);

#endif
