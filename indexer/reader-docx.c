/*
 * reader-docx: WordprocessingML (DOCX) main document part.
 *
 * The part is parsed by libxml2 into a tree with entity substitution,
 * DTD loading and network access all off (no XXE, no billion laughs
 * beyond libxml2's own limits, XML_PARSE_HUGE off), and errors collected
 * instead of printed.  The tree is then walked in document order without
 * recursion (the walk climbs back through parent pointers), emitting:
 *
 *   w:p             one paragraph: its w:t texts joined without separators,
 *                   which rejoins the words Word splits across runs;
 *   w:tab -> '\t', w:br and w:cr -> ' ', w:noBreakHyphen -> '-';
 *   w:softHyphen, w:sym, field codes (w:instrText) and deleted text
 *                   (w:del, w:delText, w:moveFrom) -> nothing;
 *   w:tbl/w:tr/w:tc each paragraph of a cell becomes a READER_CELL with
 *                   the row and grid column of its innermost cell;
 *   text boxes, content controls (w:sdt), insertions (w:ins), hyperlinks
 *                   and simple fields are walked into like any container;
 *   mc:AlternateContent only its first mc:Choice (or the mc:Fallback if
 *                   there is no choice), since both carry the same text.
 *
 * A text box's paragraphs sit inside a run of an outer paragraph; they are
 * emitted when they end, so before the outer paragraph.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "common/util.h"
#include "indexer/reader-int.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define MAIN_PART "word/document.xml"
#define CONTENT_TYPES "[Content_Types].xml"
#define CONTENT_TYPES_MAX (1024 * 1024)

/* Deeper nesting is flattened into the innermost level kept. */
#define MAX_PARA_DEPTH 16
#define MAX_TABLE_DEPTH 64
/* Largest w:gridSpan believed: Word's grid has at most 63 columns. */
#define MAX_GRID_SPAN 64

static const char *const main_content_types[] = {
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
	"application/vnd.ms-word.document.macroEnabled.main+xml",
	"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
};

/* ---- XML parsing --------------------------------------------------------- */

typedef struct xml_errors {
	char first[300];
} xml_errors_t;

static void
collect_error(void *data, xmlErrorPtr e)
{
	xml_errors_t *errs = data;
	size_t n;
	if (errs->first[0] || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(errs->first, sizeof errs->first, "line %d: %s", e->line,
		 e->message ? e->message : "unknown error");
	n = strlen(errs->first);
	while (n > 0 && (errs->first[n - 1] == '\n' || errs->first[n - 1] == ' '))
		errs->first[--n] = '\0';
}

/*
 * Parse untrusted XML.  No NOENT (entities stay references), no DTDLOAD,
 * no network, no HUGE.  Returns NULL with errs->first set on failure.
 */
static xmlDocPtr
parse_xml(const char *buf, size_t len, const char *url, xml_errors_t *errs)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlDocPtr xml;

	errs->first[0] = '\0';
	if (len > (size_t)INT32_MAX) {
		snprintf(errs->first, sizeof errs->first, "too large to parse");
		return NULL;
	}
	xmlSetStructuredErrorFunc(errs, collect_error);
	xml = xmlReadMemory(buf, (int)len, url, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	if (!xml && !errs->first[0])
		snprintf(errs->first, sizeof errs->first, "not well-formed");
	return xml;
}

static int
is_w_ns(const xmlNode *n)
{
	return n->ns && n->ns->href &&
	       (strcmp((const char *)n->ns->href, W_NS) == 0 ||
		strcmp((const char *)n->ns->href, W_NS_STRICT) == 0);
}

static int
is_mc(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, MC_NS) == 0 &&
	       strcmp((const char *)n->name, local) == 0;
}

static int
is_w(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && is_w_ns(n) &&
	       strcmp((const char *)n->name, local) == 0;
}

/* ---- main part lookup ------------------------------------------------------ */

static long
part_from_content_types(const zip_t *z)
{
	char *xml_text, err[64];
	size_t xml_len;
	xml_errors_t errs;
	xmlDocPtr xml;
	xmlNodePtr root, n;
	long found = -1;

	if (zip_extract(z, CONTENT_TYPES, CONTENT_TYPES_MAX, &xml_text, &xml_len,
			err, sizeof err) != ZIP_OK)
		return -1;
	xml = parse_xml(xml_text, xml_len, CONTENT_TYPES, &errs);
	free(xml_text);
	if (!xml)
		return -1;
	root = xmlDocGetRootElement(xml);
	for (n = root ? root->children : NULL; n && found < 0; n = n->next) {
		xmlChar *type, *part;
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "Override") != 0)
			continue;
		type = xmlGetNoNsProp(n, BAD_CAST "ContentType");
		part = xmlGetNoNsProp(n, BAD_CAST "PartName");
		if (type && part && part[0] == '/') {
			for (size_t i = 0; i < sizeof main_content_types /
						   sizeof main_content_types[0]; i++)
				if (strcmp((const char *)type, main_content_types[i]) == 0)
					found = zip_find(z, (const char *)part + 1);
		}
		xmlFree(type);
		xmlFree(part);
	}
	xmlFreeDoc(xml);
	return found;
}

long
reader_priv_docx_main_part(const zip_t *z)
{
	long i = zip_find(z, MAIN_PART);
	return i >= 0 ? i : part_from_content_types(z);
}

/* ---- the walk -------------------------------------------------------------- */

typedef struct table_pos {
	unsigned rows;     /* w:tr seen so far */
	unsigned row, col; /* of the current cell */
	unsigned next_col; /* grid column of the next cell in this row */
} table_pos_t;

typedef struct walker {
	reader_doc_t *doc;
	strbuf_t para[MAX_PARA_DEPTH];
	int n_para, para_overflow;
	table_pos_t table[MAX_TABLE_DEPTH];
	int n_table, table_overflow;
	int cells; /* open w:tc elements */
	const xmlNode *mc_parent, *mc_branch; /* see mc_branch() */
	strbuf_t nfc;
	reader_status_t status;
} walker_t;

static strbuf_t *
current_para(walker_t *w)
{
	return w->n_para ? &w->para[w->n_para - 1] : NULL;
}

static void
append(walker_t *w, const char *s, size_t len)
{
	strbuf_t *p = current_para(w);
	if (p)
		strbuf_add(p, s, len);
}

/*
 * Text of a w:t.  Word writes line breaks as w:br, never as characters;
 * a raw CR or LF (from other generators) must not split the paragraph.
 */
static void
append_text(walker_t *w, const char *s)
{
	strbuf_t *p = current_para(w);
	size_t start;
	if (!p)
		return;
	start = p->len;
	strbuf_adds(p, s);
	for (size_t i = start; i < p->len; i++)
		if (p->buf[i] == '\n' || p->buf[i] == '\r')
			p->buf[i] = ' ';
}

static unsigned
grid_span(const xmlNode *tc)
{
	for (const xmlNode *pr = tc->children; pr; pr = pr->next) {
		if (!is_w(pr, "tcPr"))
			continue;
		for (const xmlNode *g = pr->children; g; g = g->next) {
			xmlChar *v;
			long span;
			if (!is_w(g, "gridSpan"))
				continue;
			v = xmlGetNsProp(g, BAD_CAST "val", g->ns->href);
			span = v ? strtol((const char *)v, NULL, 10) : 1;
			xmlFree(v);
			if (span < 1)
				span = 1;
			return span > MAX_GRID_SPAN ? MAX_GRID_SPAN : (unsigned)span;
		}
	}
	return 1;
}

/* Property containers (w:pPr, w:rPr, w:tblPr, w:sectPr, ...) hold no text. */
static int
is_properties(const char *name)
{
	size_t n = strlen(name);
	return (n > 2 && strcmp(name + n - 2, "Pr") == 0) ||
	       (n > 4 && strcmp(name + n - 4, "PrEx") == 0) ||
	       (n > 8 && strcmp(name + n - 8, "PrChange") == 0);
}

/*
 * The branch of an mc:AlternateContent to read: its first mc:Choice, or
 * its first mc:Fallback if it has no choice.  Remembered for the last
 * parent asked about, so siblings cost one scan, not one each.
 */
static const xmlNode *
mc_branch(walker_t *w, const xmlNode *ac)
{
	const xmlNode *fallback = NULL, *c;
	if (ac == w->mc_parent)
		return w->mc_branch;
	for (c = ac ? ac->children : NULL; c; c = c->next) {
		if (is_mc(c, "Choice"))
			break;
		if (!fallback && is_mc(c, "Fallback"))
			fallback = c;
	}
	w->mc_parent = ac;
	w->mc_branch = c ? c : fallback;
	return w->mc_branch;
}

/* Called on entering an element; returns 1 to walk into its children. */
static int
enter(walker_t *w, xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (n->type != XML_ELEMENT_NODE)
		return 0; /* text outside w:t, comments, entity references */
	if (!is_w_ns(n)) {
		if (is_mc(n, "Choice") || is_mc(n, "Fallback"))
			return mc_branch(w, n->parent) == n;
		return 1;
	}

	switch (name[0]) {
	case 'p':
		if (strcmp(name, "p") == 0) {
			if (w->n_para < MAX_PARA_DEPTH)
				strbuf_reset(&w->para[w->n_para++]);
			else
				w->para_overflow++;
			return 1;
		}
		break;
	case 't':
		if (strcmp(name, "t") == 0) {
			for (xmlNode *c = n->children; c; c = c->next)
				if ((c->type == XML_TEXT_NODE ||
				     c->type == XML_CDATA_SECTION_NODE) && c->content)
					append_text(w, (const char *)c->content);
			return 0;
		}
		if (strcmp(name, "tab") == 0) {
			append(w, "\t", 1);
			return 0;
		}
		if (strcmp(name, "tbl") == 0) {
			if (w->n_table < MAX_TABLE_DEPTH)
				memset(&w->table[w->n_table++], 0, sizeof w->table[0]);
			else
				w->table_overflow++;
			return 1;
		}
		if (strcmp(name, "tr") == 0) {
			if (w->n_table && !w->table_overflow) {
				table_pos_t *t = &w->table[w->n_table - 1];
				t->row = t->rows++;
				t->next_col = 0;
			}
			return 1;
		}
		if (strcmp(name, "tc") == 0) {
			if (w->n_table && !w->table_overflow) {
				table_pos_t *t = &w->table[w->n_table - 1];
				t->col = t->next_col;
				t->next_col += grid_span(n);
			}
			w->cells++;
			return 1;
		}
		break;
	case 'b':
		if (strcmp(name, "br") == 0) {
			append(w, " ", 1);
			return 0;
		}
		break;
	case 'c':
		if (strcmp(name, "cr") == 0) {
			append(w, " ", 1);
			return 0;
		}
		break;
	case 'n':
		if (strcmp(name, "noBreakHyphen") == 0) {
			append(w, "-", 1);
			return 0;
		}
		break;
	case 'd':
		if (strcmp(name, "del") == 0 || strcmp(name, "delText") == 0 ||
		    strcmp(name, "delInstrText") == 0)
			return 0;
		break;
	case 'i':
		if (strcmp(name, "instrText") == 0)
			return 0;
		break;
	case 'm':
		if (strcmp(name, "moveFrom") == 0)
			return 0;
		break;
	case 's':
		if (strcmp(name, "softHyphen") == 0 || strcmp(name, "sym") == 0)
			return 0;
		break;
	default:
		break;
	}
	return !is_properties(name);
}

static void
end_para(walker_t *w)
{
	strbuf_t *p = &w->para[--w->n_para];
	unsigned row = 0, col = 0;

	reader_priv_rtrim(p);
	if (!p->len || w->status != READER_OK)
		return;
	if (w->cells && w->n_table) {
		row = w->table[w->n_table - 1].row;
		col = w->table[w->n_table - 1].col;
	}
	strbuf_reset(&w->nfc);
	if (reader_priv_append_nfc(&w->nfc, p->buf, p->len) < 0) {
		w->status = reader_priv_fail(w->doc, READER_MALFORMED,
					     "cannot normalize document text");
		return;
	}
	w->status = reader_priv_add_para(w->doc, w->nfc.buf, w->nfc.len,
					 w->cells ? READER_CELL : READER_PARA,
					 row, col);
}

/* Called on leaving an element that enter() walked into. */
static void
leave(walker_t *w, xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE || !is_w_ns(n))
		return;
	if (is_w(n, "p")) {
		if (w->para_overflow)
			w->para_overflow--;
		else if (w->n_para)
			end_para(w);
	} else if (is_w(n, "tbl")) {
		if (w->table_overflow)
			w->table_overflow--;
		else if (w->n_table)
			w->n_table--;
	} else if (is_w(n, "tc")) {
		if (w->cells)
			w->cells--;
	}
}

/* Walk the subtree under `top` (exclusive) in document order. */
static void
walk(walker_t *w, xmlNode *top)
{
	xmlNode *cur = top->children;
	while (cur && w->status == READER_OK) {
		if (enter(w, cur)) {
			if (cur->children) {
				cur = cur->children;
				continue;
			}
			leave(w, cur);
		}
		while (!cur->next) {
			cur = cur->parent;
			if (!cur || cur == top)
				return;
			leave(w, cur);
		}
		cur = cur->next;
	}
}

static xmlNode *
find_body(xmlNode *root)
{
	if (is_w(root, "document"))
		for (xmlNode *c = root->children; c; c = c->next)
			if (is_w(c, "body"))
				return c;
	return root;
}

reader_status_t
reader_priv_read_docx(reader_doc_t *doc, const zip_t *z)
{
	long idx = reader_priv_docx_main_part(z);
	char *xml_text, err[256], part[128];
	size_t xml_len, i;
	zip_status_t zst;
	xml_errors_t errs;
	xmlDocPtr xml;
	xmlNode *root;
	walker_t *w;
	reader_status_t st;

	if (idx < 0)
		return reader_priv_fail(doc, READER_UNSUPPORTED,
					"zip archive without word/document.xml "
					"(archives are not read yet)");
	/* The part name, printable, for messages. */
	for (i = 0; i < z->entries[idx].name_len && i < sizeof part - 1; i++) {
		unsigned char c = (unsigned char)z->entries[idx].name[i];
		part[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	part[i] = '\0';

	zst = zip_extract_at(z, (size_t)idx, READER_MAX_TEXT, &xml_text, &xml_len,
			     err, sizeof err);
	switch (zst) {
	case ZIP_OK:
		break;
	case ZIP_TOO_LARGE:
		return reader_priv_fail(doc, READER_TOO_LARGE, "%s", err);
	case ZIP_UNSUPPORTED:
		return reader_priv_fail(doc, READER_UNSUPPORTED, "%s", err);
	default:
		return reader_priv_fail(doc, READER_MALFORMED, "%s", err);
	}

	xml = parse_xml(xml_text, xml_len, part, &errs);
	free(xml_text);
	if (!xml)
		return reader_priv_fail(doc, READER_MALFORMED,
					"malformed XML in %s: %s", part, errs.first);
	doc->encoding = "UTF-8";
	if (xml->encoding && strncasecmp((const char *)xml->encoding, "UTF-16", 6) == 0)
		doc->encoding = "UTF-16";
	root = xmlDocGetRootElement(xml);
	if (!root) {
		xmlFreeDoc(xml);
		return reader_priv_fail(doc, READER_MALFORMED,
					"malformed XML in %s: no root element", part);
	}

	w = xcalloc(1, sizeof *w);
	w->doc = doc;
	w->status = READER_OK;
	for (i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_init(&w->para[i], 0);
	strbuf_init(&w->nfc, 0);
	walk(w, find_body(root));
	st = w->status;
	for (i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_release(&w->para[i]);
	strbuf_release(&w->nfc);
	free(w);
	xmlFreeDoc(xml);
	return st;
}
