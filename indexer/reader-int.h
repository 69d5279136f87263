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

/*
 * Append a paragraph built in `text` (UTF-8, possibly invalid): line
 * breaks (CR, LF, FF, VT) become spaces, other control characters (C0
 * except tab, DEL, C1) and stray BOMs are dropped, trailing white space is
 * dropped, the text is normalized to NFC (invalid UTF-8 becomes U+FFFD)
 * and added unless nothing is left.  `text` is left reset.  Returns
 * READER_OK or, with doc->error set, READER_TOO_LARGE or READER_MALFORMED.
 */
reader_status_t reader_priv_add_text(reader_doc_t *doc, strbuf_t *text,
				     reader_para_kind_t kind, unsigned row,
				     unsigned col);

/*
 * Untrusted XML, parsed the one safe way (reader.c): no entity
 * substitution, no DTD loading, no network, no XML_PARSE_HUGE, errors
 * collected instead of printed.  Returns the tree (free with xmlFreeDoc),
 * or NULL with the first error ("line 3: ...") in err.
 */
struct _xmlDoc *reader_priv_parse_xml(const char *buf, size_t len,
				      const char *url, char *err,
				      size_t err_size);

/*
 * Walk the tree under `top` (itself left out) in document order without
 * recursion, however deep: enter(ctx, node) for each node, going into its
 * children when enter returns non-zero, then leave(ctx, node).  Stops as
 * soon as *status is not READER_OK.
 */
struct _xmlNode;
void reader_priv_walk(struct _xmlNode *top, int (*enter)(void *ctx, struct _xmlNode *n),
		      void (*leave)(void *ctx, struct _xmlNode *n), void *ctx,
		      const reader_status_t *status);

/*
 * One character encoding of ICU's, by name ("windows-1251", "cp1252",
 * "koi8-r", ...): convert buf[0..len) to UTF-8, appending to out; bytes
 * that do not map become U+FFFD.  Returns -1, out unchanged, if ICU does
 * not know the name.
 */
int reader_priv_convert(strbuf_t *out, const char *charset, const void *buf,
			size_t len);

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

/*
 * An OpenDocument text (content.xml) in a zip archive already opened by
 * the caller (reader-odt.c).
 */
reader_status_t reader_priv_read_odt(reader_doc_t *doc, const zip_t *z);

/* RTF (reader-rtf.c). */
reader_status_t reader_priv_read_rtf(reader_doc_t *doc, const void *buf,
				     size_t len);

/* HTML (reader-html.c). */
reader_status_t reader_priv_read_html(reader_doc_t *doc, const void *buf,
				      size_t len);
/*
 * 1 if buf[0..len) starts like an HTML document: after a BOM, white space
 * and comments, "<!DOCTYPE html", "<html", "<head" or "<body" (any case).
 * With `named_html` (the file is called .htm or .html), any tag near the
 * start will do.
 */
int reader_priv_looks_html(const void *buf, size_t len, int named_html);

/* Word 97-2003 .doc and PDF, through external programs (reader-external.c). */
reader_status_t reader_priv_read_doc(reader_doc_t *doc, const void *buf,
				     size_t len);
reader_status_t reader_priv_read_pdf(reader_doc_t *doc, const void *buf,
				     size_t len);

#endif
