/*
 * reader-odt: OpenDocument text (LibreOffice's .odt): content.xml.
 *
 * The part is parsed like DOCX parts (reader_priv_parse_xml: no entity
 * substitution, no DTDs, no network) and its office:text walked in
 * document order without recursion:
 *
 *   text:p, text:h     one paragraph: the text of its spans, links,
 *                      fields ... joined; white space collapses as ODF
 *                      says (runs of spaces, tabs and line feeds in the
 *                      XML are one space, none at the start)
 *   text:s c="N"       N spaces; text:tab -> '\t'; text:line-break ->
 *                      ' ' (as DOCX's w:br); text:soft-page-break ->
 *                      nothing
 *   text:list-item     its paragraphs; a text:number (the label an
 *                      application wrote out) starts the first of them
 *   table:table-cell   each paragraph of a cell is a READER_CELL with the
 *                      row and column (table:number-columns-spanned and
 *                      -repeated, covered cells and repeated rows count)
 *                      in the innermost table
 *   text:note          the footnote's or endnote's paragraphs, emitted
 *                      where they end, before the rest of the paragraph
 *                      holding the note; its citation mark is dropped
 *   draw:text-box      the same: its paragraphs come first
 *
 * Dropped: tracked deletions (text:tracked-changes), annotations,
 * bookmarks and reference marks (they hold no text), the sequence and
 * variable declarations, forms, and the ruby text of ruby (text:ruby-text)
 * .  Headers and footers (styles.xml) are not read, as for DOCX.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/util.h"
#include "indexer/reader-int.h"

#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define TABLE_NS "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

#define CONTENT_PART "content.xml"

#define MAX_PARA_DEPTH 16
#define MAX_TABLE_DEPTH 64
#define MAX_SPACES 1000      /* text:s c="..." believed up to this */
#define MAX_REPEAT 1024      /* repeated cells or rows believed up to this */
#define LABEL_MAX 64

typedef struct table_pos {
	unsigned rows, row, col, next_col;
} table_pos_t;

typedef struct walker {
	reader_doc_t *doc;
	strbuf_t para[MAX_PARA_DEPTH];
	int ws[MAX_PARA_DEPTH]; /* the paragraph ends in collapsible space */
	int n_para, para_overflow;
	char label[LABEL_MAX + 1];  /* text:number for the next paragraph */
	table_pos_t table[MAX_TABLE_DEPTH];
	int n_table, table_overflow;
	int cells;
	reader_status_t status;
} walker_t;

static int
in_ns(const xmlNode *n, const char *ns)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

static int
is_el(const xmlNode *n, const char *ns, const char *local)
{
	return in_ns(n, ns) && strcmp((const char *)n->name, local) == 0;
}

static long
ns_long(const xmlNode *n, const char *ns, const char *name, long dflt, long hi)
{
	xmlChar *v = xmlGetNsProp(n, BAD_CAST name, BAD_CAST ns);
	long r = dflt;
	if (v) {
		char *end;
		r = strtol((const char *)v, &end, 10);
		if (end == (char *)v)
			r = dflt;
		xmlFree(v);
	}
	if (r < 1)
		r = 1;
	return r > hi ? hi : r;
}

static strbuf_t *
current_para(walker_t *w)
{
	return w->n_para ? &w->para[w->n_para - 1] : NULL;
}

/* ODF white space: runs collapse to one space, none at a paragraph start. */
static void
add_text(walker_t *w, const char *s)
{
	strbuf_t *p = current_para(w);
	int *ws;
	if (!p)
		return;
	ws = &w->ws[w->n_para - 1];
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!*ws)
				strbuf_addch(p, ' ');
			*ws = 1;
		} else {
			strbuf_addch(p, *s);
			*ws = 0;
		}
	}
}

static void
add_raw(walker_t *w, const char *s, size_t n)
{
	strbuf_t *p = current_para(w);
	if (p) {
		strbuf_add(p, s, n);
		w->ws[w->n_para - 1] = 0;
	}
}

/* The text of `n`'s subtree, without the usual processing (text:number). */
static void
plain_text(const xmlNode *n, char *out, size_t size)
{
	size_t o = strlen(out);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content) {
			size_t k = strlen((const char *)c->content);
			if (o + k >= size)
				return;
			memcpy(out + o, c->content, k);
			out[o += k] = '\0';
		}
	}
}

static void
end_para(walker_t *w)
{
	strbuf_t *p = &w->para[--w->n_para];
	unsigned row = 0, col = 0;
	if (w->status != READER_OK) {
		strbuf_reset(p);
		return;
	}
	if (w->cells && w->n_table && !w->table_overflow) {
		row = w->table[w->n_table - 1].row;
		col = w->table[w->n_table - 1].col;
	}
	w->status = reader_priv_add_text(w->doc, p, w->cells ? READER_CELL : READER_PARA,
					 row, col);
}

static int
enter(void *ctx, xmlNode *n)
{
	walker_t *w = ctx;
	const char *name;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			add_text(w, (const char *)n->content);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	name = (const char *)n->name;
	if (in_ns(n, TEXT_NS)) {
		if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
			if (w->n_para < MAX_PARA_DEPTH) {
				strbuf_t *p = &w->para[w->n_para];
				strbuf_reset(p);
				w->ws[w->n_para++] = 1;
				if (w->label[0]) {
					add_raw(w, w->label, strlen(w->label));
					add_raw(w, " ", 1);
					w->label[0] = '\0';
				}
			} else {
				w->para_overflow++;
			}
			return 1;
		}
		if (strcmp(name, "s") == 0) {
			long c = ns_long(n, TEXT_NS, "c", 1, MAX_SPACES);
			for (long i = 0; i < c; i++)
				add_raw(w, " ", 1);
			return 0;
		}
		if (strcmp(name, "tab") == 0) {
			add_raw(w, "\t", 1);
			return 0;
		}
		if (strcmp(name, "line-break") == 0) {
			add_raw(w, " ", 1);
			return 0;
		}
		if (strcmp(name, "number") == 0) {
			w->label[0] = '\0';
			plain_text(n, w->label, sizeof w->label);
			if (n->parent && (is_el(n->parent, TEXT_NS, "p") ||
					  is_el(n->parent, TEXT_NS, "h"))) {
				/* A heading's own number. */
				if (w->label[0]) {
					add_raw(w, w->label, strlen(w->label));
					add_raw(w, " ", 1);
				}
				w->label[0] = '\0';
			}
			return 0;
		}
		if (strcmp(name, "list-item") == 0 || strcmp(name, "list-header") == 0) {
			w->label[0] = '\0';
			return 1;
		}
		if (strcmp(name, "note-citation") == 0 ||
		    strcmp(name, "tracked-changes") == 0 ||
		    strcmp(name, "sequence-decls") == 0 ||
		    strcmp(name, "variable-decls") == 0 ||
		    strcmp(name, "user-field-decls") == 0 ||
		    strcmp(name, "dde-connection-decls") == 0 ||
		    strcmp(name, "ruby-text") == 0 ||
		    strcmp(name, "bookmark") == 0 ||
		    strcmp(name, "soft-page-break") == 0)
			return 0;
		return 1;
	}
	if (in_ns(n, TABLE_NS)) {
		if (strcmp(name, "table") == 0) {
			if (w->n_table < MAX_TABLE_DEPTH)
				memset(&w->table[w->n_table++], 0, sizeof w->table[0]);
			else
				w->table_overflow++;
			return 1;
		}
		if (strcmp(name, "table-row") == 0) {
			if (w->n_table && !w->table_overflow) {
				table_pos_t *t = &w->table[w->n_table - 1];
				t->row = t->rows;
				t->rows += (unsigned)ns_long(n, TABLE_NS,
							     "number-rows-repeated", 1,
							     MAX_REPEAT);
				t->next_col = 0;
			}
			return 1;
		}
		if (strcmp(name, "table-cell") == 0 ||
		    strcmp(name, "covered-table-cell") == 0) {
			if (w->n_table && !w->table_overflow) {
				table_pos_t *t = &w->table[w->n_table - 1];
				long rep = ns_long(n, TABLE_NS, "number-columns-repeated",
						   1, MAX_REPEAT);
				t->col = t->next_col;
				/*
				 * A spanning cell is followed by covered cells for
				 * the columns it spans, so each cell counts one.
				 */
				if (t->next_col < UINT32_MAX - MAX_REPEAT)
					t->next_col += (unsigned)rep;
			}
			if (name[0] == 'c')
				return 0; /* covered cells hold no text of their own */
			w->cells++;
			return 1;
		}
		if (strcmp(name, "table-columns") == 0 ||
		    strcmp(name, "table-column") == 0 ||
		    strcmp(name, "table-column-group") == 0 ||
		    strcmp(name, "table-header-columns") == 0)
			return 0;
		return 1;
	}
	if (in_ns(n, OFFICE_NS)) {
		if (strcmp(name, "annotation") == 0 ||
		    strcmp(name, "annotation-end") == 0 || strcmp(name, "forms") == 0)
			return 0;
		return 1;
	}
	/* draw:frame, draw:text-box and anything else: look inside. */
	return strcmp(name, "title") != 0 && strcmp(name, "desc") != 0;
}

static void
leave(void *ctx, xmlNode *n)
{
	walker_t *w = ctx;
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (is_el(n, TEXT_NS, "p") || is_el(n, TEXT_NS, "h")) {
		if (w->para_overflow)
			w->para_overflow--;
		else if (w->n_para)
			end_para(w);
	} else if (is_el(n, TABLE_NS, "table")) {
		if (w->table_overflow)
			w->table_overflow--;
		else if (w->n_table)
			w->n_table--;
	} else if (is_el(n, TABLE_NS, "table-cell")) {
		if (w->cells)
			w->cells--;
	}
}

/* office:document-content/office:body/office:text, or the root. */
static xmlNode *
find_text(xmlNode *root)
{
	for (xmlNode *b = root->children; b; b = b->next)
		if (is_el(b, OFFICE_NS, "body"))
			for (xmlNode *t = b->children; t; t = t->next)
				if (is_el(t, OFFICE_NS, "text"))
					return t;
	return root;
}

reader_status_t
reader_priv_read_odt(reader_doc_t *doc, const zip_t *z)
{
	char *xml_text, err[256];
	size_t xml_len;
	zip_status_t zst;
	xmlDocPtr xml;
	xmlNode *root;
	walker_t *w;
	reader_status_t st;

	zst = zip_extract(z, CONTENT_PART, READER_MAX_TEXT, &xml_text, &xml_len,
			  err, sizeof err);
	switch (zst) {
	case ZIP_OK:
		break;
	case ZIP_NOT_FOUND:
		return reader_priv_fail(doc, READER_MALFORMED,
					"OpenDocument file without content.xml");
	case ZIP_TOO_LARGE:
		return reader_priv_fail(doc, READER_TOO_LARGE, "%s", err);
	case ZIP_UNSUPPORTED:
		return reader_priv_fail(doc, READER_UNSUPPORTED, "%s", err);
	default:
		return reader_priv_fail(doc, READER_MALFORMED, "%s", err);
	}
	xml = reader_priv_parse_xml(xml_text, xml_len, CONTENT_PART, err, sizeof err);
	free(xml_text);
	if (!xml)
		return reader_priv_fail(doc, READER_MALFORMED,
					"malformed XML in " CONTENT_PART ": %s", err);
	doc->encoding = "UTF-8";
	if (xml->encoding && strncasecmp((const char *)xml->encoding, "UTF-16", 6) == 0)
		doc->encoding = "UTF-16";
	root = xmlDocGetRootElement(xml);
	if (!root) {
		xmlFreeDoc(xml);
		return reader_priv_fail(doc, READER_MALFORMED,
					"malformed XML in " CONTENT_PART ": no root element");
	}
	w = xcalloc(1, sizeof *w);
	w->doc = doc;
	w->status = READER_OK;
	for (int i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_init(&w->para[i], 0);
	reader_priv_walk(find_text(root), enter, leave, w, &w->status);
	st = w->status;
	for (int i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_release(&w->para[i]);
	free(w);
	xmlFreeDoc(xml);
	return st;
}
