/*
 * docx-writer: build a minimal, valid Office Open XML word-processing
 * package (.docx) from paragraphs and simple tables.
 *
 * The package holds [Content_Types].xml, _rels/.rels, word/document.xml,
 * word/styles.xml and word/_rels/document.xml.rels (and word/numbering.xml
 * if a list paragraph was added), zipped with deflate;
 * every zip time stamp is fixed, so the same calls give the same bytes.
 * The markup follows the WordprocessingML schema's element order, as Word
 * requires; the tests read it back with protodex's reader, and LibreOffice
 * converts it to the same text.
 *
 * Call order:
 *
 *   docx_writer_t *w = docx_writer_new();
 *   docx_writer_set_split_runs(w, 1);          // optional, before writing
 *   docx_writer_add_paragraph(w, "ПРОТОКОЛ");
 *   docx_writer_add_table(w, 2, 2, cells);     // cells row-major
 *   docx_writer_start_list(w, 1);              // optional: a new list
 *   docx_writer_add_numbered(w, 0, "Решили:", 0);   // shows "1. Решили:"
 *   if (docx_writer_write_file(w, "a.docx", err, sizeof(err)) != DOCX_OK)
 *           fprintf(stderr, "%s\n", err);
 *   docx_writer_free(w);
 *
 * Text is UTF-8.  Inside a paragraph '\t' becomes <w:tab/> and '\n' a
 * line break <w:br/>; '\r' and other control characters are dropped, and
 * bytes that are not UTF-8 become U+FFFD, so any input gives well-formed
 * XML.  Spaces are kept as written (xml:space="preserve").
 *
 * Nothing here prints or exits; allocation failure aborts (common/util.h).
 */
#ifndef PROTODEX_DOCX_WRITER_H
#define PROTODEX_DOCX_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct docx_writer docx_writer_t;

typedef enum docx_status {
	DOCX_OK = 0,
	DOCX_ERR_ZIP,   /* zlib failed or the package would be too large */
	DOCX_ERR_IO     /* the file could not be written */
} docx_status_t;

/* A static English description of `status`. */
const char *docx_status_to_string(docx_status_t status);

/* Paragraph formatting for docx_writer_add_paragraph_flags. */
enum {
	DOCX_PARA_CENTER = 1 << 0,
	DOCX_PARA_RIGHT = 1 << 1,
	DOCX_PARA_JUSTIFY = 1 << 2,
	DOCX_PARA_BOLD = 1 << 3,
	/* Word's "_GoBack" bookmark (the last edit position) at the start of
	 * the paragraph: no text, just markup a reader must skip. */
	DOCX_PARA_GOBACK = 1 << 4
};

/* A new, empty document; free it with docx_writer_free. */
docx_writer_t *docx_writer_new(void);
/* Free `w` and everything added to it; NULL does nothing. */
void docx_writer_free(docx_writer_t *w);

/* Append a paragraph (copied). NULL is an empty paragraph. */
void docx_writer_add_paragraph(docx_writer_t *w, const char *utf8);
/* The same, with DOCX_PARA_* flags. */
void docx_writer_add_paragraph_flags(docx_writer_t *w, const char *utf8,
				     unsigned flags);

/*
 * Append a table of rows x cols cells; `cells` holds rows*cols strings in
 * row-major order (copied; NULL is an empty cell).  A '\n' in a cell
 * starts a new paragraph within that cell.  rows or cols 0 adds nothing.
 */
void docx_writer_add_table(docx_writer_t *w, size_t rows, size_t cols,
			   const char *const *cells);

/*
 * Word's automatic list numbering: the number of a list paragraph is not
 * in its text; Word computes it from word/numbering.xml, which the
 * package then includes.  Two list definitions are written:
 *
 *   decimal, multi-level: level 0 shows "1.", level 1 "1.1.", level 2
 *       "1.1.1."; a level restarts at 1 when a higher level is used, and
 *       a level used before any higher one shows that one's start,
 *       which then counts as used ("3.1." as the first item of a list
 *       started at 3, then "4." at level 0);
 *   bullet: "•" (Word's Symbol-font bullet, U+F0B7 in the file).
 *
 * Numbered paragraphs belong to the list begun by the last
 * docx_writer_start_list, or before any, to one list starting at 1.  A
 * reader that shows Word's labels sees "1.1. " + text.
 */
#define DOCX_LIST_MAX_LEVEL 2u

/*
 * Begin a new decimal list (a w:num of its own, so Word restarts the
 * count) whose first level-0 item is numbered `start`.
 */
void docx_writer_start_list(docx_writer_t *w, unsigned start);
/*
 * Append a paragraph (copied; NULL is empty) numbered at `level` (0 to
 * DOCX_LIST_MAX_LEVEL; larger is DOCX_LIST_MAX_LEVEL) of the current list,
 * with DOCX_PARA_* flags.
 */
void docx_writer_add_numbered(docx_writer_t *w, unsigned level, const char *utf8,
			      unsigned flags);
/* Append a bulleted paragraph (copied; NULL is empty) with DOCX_PARA_* flags. */
void docx_writer_add_bulleted(docx_writer_t *w, const char *utf8, unsigned flags);

/*
 * On: write each paragraph as several <w:r> runs cut at pseudo-random
 * places, sometimes mid-word, with the rsid attributes, language tags and
 * proofing marks Word leaves between runs.  The text is unchanged; only
 * the markup differs.  Off (the default): one run per paragraph.
 */
void docx_writer_set_split_runs(docx_writer_t *w, int on);
/* Seed for the run splitting (default 0); the same seed, the same bytes. */
void docx_writer_set_seed(docx_writer_t *w, uint64_t seed);

/*
 * Build the package in memory: *out (malloc'd, the caller frees it) and
 * *len.  Returns DOCX_OK or DOCX_ERR_ZIP (then *out is NULL).  The writer
 * may be written again or added to afterwards.
 */
int docx_writer_write_buffer(docx_writer_t *w, char **out, size_t *len);

/*
 * Build the package and write it to `path` (replacing it).  On failure
 * returns DOCX_ERR_ZIP or DOCX_ERR_IO and puts a message naming the path
 * into err (errsz bytes, may be 0).
 */
int docx_writer_write_file(docx_writer_t *w, const char *path, char *err,
			   size_t errsz);

#endif
