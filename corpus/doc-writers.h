/*
 * doc-writers: the other word-processing formats municipalities send,
 * built from the same paragraphs and tables as docx-writer (private to
 * corpus/):
 *
 *   ODT   a minimal, valid OpenDocument text package: "mimetype" stored
 *         first, content.xml (text:p paragraphs, table:table tables,
 *         text:s for runs of spaces, text:tab, text:line-break),
 *         styles.xml and META-INF/manifest.xml; fixed zip time stamps;
 *   RTF   \ansi\ansicpg1251 with Cyrillic as \'xx escapes, or as \uN
 *         escapes (with a "?" fallback), or both, paragraph by paragraph;
 *         \par per paragraph, \trowd ... \cell ... \row tables, \tab and
 *         \line;
 *   HTML  a page in UTF-8 (<meta charset="utf-8">) or windows-1251
 *         (<meta http-equiv ... charset=windows-1251>, characters outside
 *         the code page as &#N; references), <p> per paragraph, <table>
 *         with a <p> per cell paragraph.  HTML collapses white space, so
 *         the page holds every run of spaces, tabs and line breaks as one
 *         space, with none at either end of a paragraph: a reader that
 *         collapses and one that does not see the same text
 *         (docw_html_text gives it).
 *
 * Paragraph flags are docx-writer's DOCX_PARA_* (alignment, bold, Word's
 * _GoBack bookmark: <text:bookmark>, {\*\bkmkstart}, <a name>).  With
 * split runs on, each paragraph's text is cut at pseudo-random character
 * boundaries into spans (text:span, {\lang1049 ...} groups, <span>) the
 * way editors leave them; the text is unchanged.  Input is UTF-8; bytes
 * that are not become U+FFFD and control characters other than tab and
 * newline are dropped.  The same calls give the same bytes.
 *
 *   docw_t *w = docw_new();
 *   docw_add_paragraph(w, "ПРОТОКОЛ", DOCX_PARA_CENTER | DOCX_PARA_BOLD);
 *   docw_add_table(w, 2, 3, cells);
 *   docw_write(w, DOCW_ODT, &buf, &len);
 *   docw_free(w);
 */
#ifndef PROTODEX_CORPUS_DOC_WRITERS_H
#define PROTODEX_CORPUS_DOC_WRITERS_H

#include <stddef.h>
#include <stdint.h>

#include "corpus/docx-writer.h"

typedef struct docw docw_t;

typedef enum docw_format {
	DOCW_ODT,
	DOCW_RTF,
	DOCW_HTML
} docw_format_t;

/* How an RTF file writes non-ASCII text. */
enum {
	DOCW_RTF_HEX,      /* \'xx in windows-1251; \uN\'3f outside it */
	DOCW_RTF_UNICODE,  /* \uN? for every non-ASCII character */
	DOCW_RTF_MIXED     /* one or the other, paragraph by paragraph */
};

docw_t *docw_new(void);
void docw_free(docw_t *w);

/* Append a paragraph (copied; NULL is empty) with DOCX_PARA_* flags. */
void docw_add_paragraph(docw_t *w, const char *utf8, unsigned flags);
/* Append a rows x cols table, cells row-major (copied; NULL is empty); a
 * '\n' in a cell starts another paragraph of that cell. */
void docw_add_table(docw_t *w, size_t rows, size_t cols, const char *const *cells);

void docw_set_split_runs(docw_t *w, int on);
void docw_set_seed(docw_t *w, uint64_t seed);
/* DOCW_RTF_* (default DOCW_RTF_HEX). */
void docw_set_rtf_escapes(docw_t *w, unsigned mode);
/* HTML: "utf-8" (default) or "windows-1251". */
void docw_set_html_charset(docw_t *w, const char *charset);
/* HTML: write « » — – as named entities (&laquo; ...) too. */
void docw_set_html_entities(docw_t *w, int on);

/*
 * Build the file in memory: *out (malloc'd, the caller frees it) and
 * *len.  Returns DOCX_OK, or DOCX_ERR_ZIP if an ODT package could not be
 * built (then *out is NULL).
 */
int docw_write(docw_t *w, docw_format_t format, char **out, size_t *len);

/* The text of a paragraph as an HTML page holds it (malloc'd). */
char *docw_html_text(const char *utf8);

#endif
