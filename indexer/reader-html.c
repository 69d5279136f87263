/*
 * reader-html: HTML pages, such as the "Save as Web page" of a protocol
 * or a page copied off a department's site.
 *
 * The bytes are decoded to UTF-8 first, by protodex and not by libxml2:
 * reader_decode_text decides (BOM, valid UTF-8, else the Cyrillic 8-bit
 * detector), except that a <meta charset> or http-equiv Content-Type
 * naming a Cyrillic encoding (windows-1251, KOI8-R, IBM866, ISO-8859-5,
 * KOI8-U, x-mac-cyrillic) wins over the detector's 8-bit guess.  Other
 * labels, notably iso-8859-1 left in many Russian pages by their editors,
 * are not believed; nor is any label on text that is valid UTF-8.  The
 * UTF-8 is then parsed by libxml2's HTML parser, told the encoding and
 * to ignore the document's own (HTML_PARSE_IGNORE_ENC), with network
 * access and error output off, recovering from bad markup as browsers
 * do.  Entities are decoded by the parser.
 *
 * The tree is walked in document order without recursion:
 *
 *   block elements (p, div, li, h1-h6, tr, blockquote, ...) and <br>
 *                  end a paragraph; white space collapses as in a
 *                  browser, except in <pre>, where each line is one
 *   td, th         each paragraph in a cell is a READER_CELL with the
 *                  cell's row and column (colspan counts; rowspan does
 *                  not shift later rows) in the innermost table
 *   head, script, style, noscript, template, iframe, object, svg, math,
 *   comments       dropped
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "common/util.h"
#include "indexer/reader-int.h"

#define MAX_TABLE_DEPTH 64
#define MAX_COLSPAN 1000

/* ---- detection ------------------------------------------------------------- */

static int
prefix_ci(const unsigned char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && strncasecmp((const char *)s, p, k) == 0;
}

/* `tag` at s[0..n), followed by the end of the tag name. */
static int
starts_tag(const unsigned char *s, size_t n, const char *tag)
{
	size_t k = strlen(tag);
	return prefix_ci(s, n, tag) &&
	       (n == k || s[k] == '>' || s[k] == '/' || s[k] == ' ' ||
		s[k] == '\t' || s[k] == '\r' || s[k] == '\n' || s[k] == '\f');
}

int
reader_priv_looks_html(const void *buf, size_t len, int named_html)
{
	const unsigned char *s = buf, *end;
	size_t n = len < 4096 ? len : 4096;
	end = s + n;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' ||
				   *s == '\n' || *s == '\f'))
			s++;
		if (prefix_ci(s, (size_t)(end - s), "<!--")) {
			const unsigned char *c = memmem(s + 4, (size_t)(end - s - 4),
							"-->", 3);
			if (!c)
				break;
			s = c + 3;
		} else if (prefix_ci(s, (size_t)(end - s), "<?xml")) {
			const unsigned char *c = memchr(s, '>', (size_t)(end - s));
			if (!c)
				break;
			s = c + 1;
		} else {
			break;
		}
	}
	n = (size_t)(end - s);
	if (starts_tag(s, n, "<!doctype html") || starts_tag(s, n, "<html") ||
	    starts_tag(s, n, "<head") || starts_tag(s, n, "<body"))
		return 1;
	if (!named_html)
		return 0;
	/* Named .htm(l): any tag near the start will do. */
	for (const unsigned char *p = s; p + 1 < end; p++)
		if (*p == '<' && ((p[1] >= 'a' && p[1] <= 'z') ||
				  (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '!'))
			return 1;
	return 0;
}

/* ---- the encoding ------------------------------------------------------------ */

/* Cyrillic charset labels a <meta> may give, and what they mean. */
static const struct label {
	const char *label, *name; /* name: ICU's, and doc->encoding */
} labels[] = {
	{ "windows-1251", "windows-1251" }, { "cp1251", "windows-1251" },
	{ "x-cp1251", "windows-1251" }, { "win-1251", "windows-1251" },
	{ "koi8-r", "KOI8-R" }, { "koi8", "KOI8-R" }, { "cskoi8r", "KOI8-R" },
	{ "koi8-u", "KOI8-U" }, { "koi8-ru", "KOI8-U" },
	{ "ibm866", "IBM866" }, { "cp866", "IBM866" }, { "866", "IBM866" },
	{ "iso-8859-5", "ISO-8859-5" }, { "iso8859-5", "ISO-8859-5" },
	{ "x-mac-cyrillic", "x-mac-cyrillic" },
};

/* The charset a <meta> near the start declares, if a Cyrillic one. */
static const char *
meta_charset(const unsigned char *s, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	for (size_t i = 0; i + 5 < n; i++) {
		size_t j, k;
		char value[32];
		if (s[i] != '<' || strncasecmp((const char *)s + i + 1, "meta", 4) != 0)
			continue;
		for (j = i + 5; j + 7 < n && s[j] != '>'; j++) {
			if (strncasecmp((const char *)s + j, "charset", 7) != 0)
				continue;
			j += 7;
			while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' ||
					 s[j] == '\r'))
				j++;
			if (j >= n || s[j] != '=')
				break;
			j++;
			while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
				j++;
			for (k = 0; j < n && k < sizeof value - 1 &&
				    (s[j] == '-' || s[j] == '_' || s[j] == '.' ||
				     (s[j] >= '0' && s[j] <= '9') ||
				     (s[j] >= 'a' && s[j] <= 'z') ||
				     (s[j] >= 'A' && s[j] <= 'Z'));
			     j++)
				value[k++] = (char)s[j];
			value[k] = '\0';
			for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++)
				if (strcasecmp(value, labels[l].label) == 0)
					return labels[l].name;
			return NULL;
		}
	}
	return NULL;
}

/* ---- the walk --------------------------------------------------------------- */

typedef struct table_pos {
	unsigned rows, row, col, next_col;
} table_pos_t;

typedef struct walker {
	reader_doc_t *doc;
	strbuf_t cur;
	table_pos_t table[MAX_TABLE_DEPTH];
	int n_table, table_overflow;
	int cells, pre;
	reader_status_t status;
} walker_t;

static const char *const dropped[] = {
	"head", "script", "style", "noscript", "template", "iframe", "object",
	"svg", "math", "title", "embed", "applet", "frameset",
};

static const char *const blocks[] = {
	"address", "article", "aside", "blockquote", "body", "caption",
	"center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
	"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
	"main", "menu", "nav", "ol", "option", "p", "pre", "section",
	"summary", "tbody", "tfoot", "thead", "ul", "textarea", "xmp",
	"listing", "plaintext",
};

static int
in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

static void
flush(walker_t *w)
{
	unsigned row = 0, col = 0;
	if (w->status != READER_OK) {
		strbuf_reset(&w->cur);
		return;
	}
	if (w->cells && w->n_table && !w->table_overflow) {
		row = w->table[w->n_table - 1].row;
		col = w->table[w->n_table - 1].col;
	}
	w->status = reader_priv_add_text(w->doc, &w->cur,
					 w->cells ? READER_CELL : READER_PARA, row, col);
}

static void
add_text(walker_t *w, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (w->pre) {
			if (c == '\n')
				flush(w);
			else if (c != '\r')
				strbuf_addch(&w->cur, c);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			if (w->cur.len && w->cur.buf[w->cur.len - 1] != ' ')
				strbuf_addch(&w->cur, ' ');
		} else {
			strbuf_addch(&w->cur, c);
		}
	}
}

static unsigned
colspan(xmlNode *n)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST "colspan");
	long span = v ? strtol((const char *)v, NULL, 10) : 1;
	xmlFree(v);
	return span < 1 ? 1 : span > MAX_COLSPAN ? MAX_COLSPAN : (unsigned)span;
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
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	name = (const char *)n->name;
	if (in_list(name, dropped, sizeof dropped / sizeof dropped[0]))
		return 0;
	if (strcmp(name, "br") == 0) {
		flush(w);
		return 0;
	}
	if (strcmp(name, "table") == 0) {
		flush(w);
		if (w->n_table < MAX_TABLE_DEPTH)
			memset(&w->table[w->n_table++], 0, sizeof w->table[0]);
		else
			w->table_overflow++;
	} else if (strcmp(name, "tr") == 0) {
		flush(w);
		if (w->n_table && !w->table_overflow) {
			table_pos_t *t = &w->table[w->n_table - 1];
			t->row = t->rows++;
			t->next_col = 0;
		}
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		flush(w);
		if (w->n_table && !w->table_overflow) {
			table_pos_t *t = &w->table[w->n_table - 1];
			t->col = t->next_col;
			t->next_col += colspan(n);
		}
		w->cells++;
	} else if (in_list(name, blocks, sizeof blocks / sizeof blocks[0])) {
		flush(w);
		if (strcmp(name, "pre") == 0 || strcmp(name, "xmp") == 0 ||
		    strcmp(name, "listing") == 0 || strcmp(name, "plaintext") == 0 ||
		    strcmp(name, "textarea") == 0)
			w->pre++;
	}
	return 1;
}

static void
leave(void *ctx, xmlNode *n)
{
	walker_t *w = ctx;
	const char *name;
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return;
	name = (const char *)n->name;
	if (strcmp(name, "table") == 0) {
		flush(w);
		if (w->table_overflow)
			w->table_overflow--;
		else if (w->n_table)
			w->n_table--;
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		flush(w);
		if (w->cells)
			w->cells--;
	} else if (strcmp(name, "tr") == 0) {
		flush(w);
	} else if (in_list(name, blocks, sizeof blocks / sizeof blocks[0])) {
		flush(w);
		if (w->pre && (strcmp(name, "pre") == 0 || strcmp(name, "xmp") == 0 ||
			       strcmp(name, "listing") == 0 ||
			       strcmp(name, "plaintext") == 0 ||
			       strcmp(name, "textarea") == 0))
			w->pre--;
	}
}

static void
ignore_error(void *data, xmlErrorPtr e)
{
	(void)data;
	(void)e;
}

reader_status_t
reader_priv_read_html(reader_doc_t *doc, const void *buf, size_t len)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	char *text;
	size_t text_len;
	const char *enc, *meta;
	reader_status_t st;
	htmlDocPtr html;
	walker_t *w;

	st = reader_decode_text(buf, len, &text, &text_len, &enc, doc->error,
				sizeof doc->error);
	if (st != READER_OK)
		return st;
	if (strncmp(enc, "UTF-", 4) != 0 && (meta = meta_charset(buf, len)) != NULL &&
	    strcmp(meta, enc) != 0) {
		strbuf_t sb = STRBUF_INIT;
		if (reader_priv_convert(&sb, meta, buf, len) == 0) {
			free(text);
			text = strbuf_detach(&sb, &text_len);
			enc = meta;
		}
		strbuf_release(&sb);
	}
	doc->encoding = enc;
	if (text_len > (size_t)INT32_MAX) {
		free(text);
		return reader_priv_fail(doc, READER_TOO_LARGE, "HTML too large to parse");
	}

	xmlSetStructuredErrorFunc(NULL, ignore_error);
	html = htmlReadMemory(text, (int)text_len, NULL, "UTF-8",
			      HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			      HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
			      HTML_PARSE_IGNORE_ENC);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	free(text);
	if (!html || !xmlDocGetRootElement(html)) {
		xmlFreeDoc(html);
		return reader_priv_fail(doc, READER_MALFORMED, "malformed HTML");
	}

	w = xcalloc(1, sizeof *w);
	w->doc = doc;
	w->status = READER_OK;
	strbuf_init(&w->cur, 0);
	reader_priv_walk((xmlNode *)html, enter, leave, w, &w->status);
	flush(w);
	st = w->status;
	strbuf_release(&w->cur);
	free(w);
	xmlFreeDoc(html);
	return st;
}
