/*
 * reader-int.h: what the readers share and nobody else sees.
 *
 * reader.c detects the format and calls one reader_priv_read_* function;
 * each reader appends paragraphs with reader_priv_add_para and reports
 * failures with reader_priv_fail.  reader.c empties the document again if
 * the reader fails, so readers need not clean up what they appended.
 */
#ifndef PROTODEX_READER_INT_H
#define PROTODEX_READER_INT_H

#include <stddef.h>

#include "common/strbuf.h"
#include "indexer/reader.h"
#include "indexer/zip.h"

/*
 * Append a copy of text[0..len) as a paragraph.  The text must be UTF-8
 * already.  Returns READER_OK, or READER_TOO_LARGE (with doc->error set)
 * once the document's text passes READER_MAX_TEXT.
 */
reader_status_t reader_priv_add_para(reader_doc_t *doc, const char *text,
				     size_t len, reader_para_kind_t kind,
				     unsigned row, unsigned col);

/* Set doc->error (printf-style) and return `status`. */
reader_status_t reader_priv_fail(reader_doc_t *doc, reader_status_t status,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Drop trailing white space (ASCII space, tab, CR, LF, FF, VT and U+00A0)
 * from sb; leading white space is kept (it may be indentation).
 */
void reader_priv_rtrim(strbuf_t *sb);

/*
 * Normalize UTF-8 text[0..len) to NFC, appending to `out`.  Invalid UTF-8
 * becomes U+FFFD.  Returns 0, or -1 if ICU fails (out is then unchanged).
 */
int reader_priv_append_nfc(strbuf_t *out, const char *text, size_t len);

/*
 * 1 if buf[0..len) looks like binary data rather than text in any 8-bit
 * or UTF-8 encoding: more than a tiny fraction of NUL bytes, or too many
 * control characters.  UTF-16 with a BOM is not binary.
 */
int reader_priv_looks_binary(const void *buf, size_t len);

/* Plain text of any supported encoding (reader-txt.c). */
reader_status_t reader_priv_read_txt(reader_doc_t *doc, const void *buf,
				     size_t len);

/*
 * A zip archive already opened by the caller: a DOCX if it has a main
 * document part, else READER_UNSUPPORTED (reader-docx.c).
 */
reader_status_t reader_priv_read_docx(reader_doc_t *doc, const zip_t *z);

/*
 * Index in `z` of the DOCX main document part ("word/document.xml", or
 * failing that the part [Content_Types].xml names), or -1 if `z` is not a
 * DOCX.
 */
long reader_priv_docx_main_part(const zip_t *z);

#endif
