#include "corpus/doc-writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/zipw.h"

typedef struct docw_item {
	int is_table;
	unsigned flags;
	char *text;
	size_t rows, cols;
	char **cells;
} docw_item_t;

struct docw {
	docw_item_t *items;
	size_t n, alloc;
	int split_runs;
	uint64_t seed;
	unsigned rtf_mode;
	int html_cp1251;
	int html_entities;
};

docw_t *
docw_new(void)
{
	return xcalloc(1, sizeof(docw_t));
}

void
docw_free(docw_t *w)
{
	size_t i, j;
	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->items[i].text);
		if (w->items[i].cells) {
			for (j = 0; j < w->items[i].rows * w->items[i].cols; j++)
				free(w->items[i].cells[j]);
			free(w->items[i].cells);
		}
	}
	free(w->items);
	free(w);
}

static docw_item_t *
new_item(docw_t *w)
{
	docw_item_t *it;
	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 32;
		w->items = xrealloc(w->items, w->alloc * sizeof(*w->items));
	}
	it = &w->items[w->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

void
docw_add_paragraph(docw_t *w, const char *utf8, unsigned flags)
{
	docw_item_t *it = new_item(w);
	it->text = xstrdup(utf8 ? utf8 : "");
	it->flags = flags;
}

void
docw_add_table(docw_t *w, size_t rows, size_t cols, const char *const *cells)
{
	docw_item_t *it;
	size_t i;
	if (rows == 0 || cols == 0)
		return;
	it = new_item(w);
	it->is_table = 1;
	it->rows = rows;
	it->cols = cols;
	it->cells = xcalloc(rows * cols, sizeof(char *));
	for (i = 0; i < rows * cols; i++)
		it->cells[i] = xstrdup(cells && cells[i] ? cells[i] : "");
}

void
docw_set_split_runs(docw_t *w, int on)
{
	w->split_runs = on != 0;
}

void
docw_set_seed(docw_t *w, uint64_t seed)
{
	w->seed = seed;
}

void
docw_set_rtf_escapes(docw_t *w, unsigned mode)
{
	w->rtf_mode = mode <= DOCW_RTF_MIXED ? mode : DOCW_RTF_HEX;
}

void
docw_set_html_charset(docw_t *w, const char *charset)
{
	w->html_cp1251 = charset && strcmp(charset, "windows-1251") == 0;
}

void
docw_set_html_entities(docw_t *w, int on)
{
	w->html_entities = on != 0;
}

/* ---- Shared helpers. ---- */

static uint64_t
mix_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
mix_below(uint64_t *state, unsigned n)
{
	return n ? (unsigned)(((mix_next(state) >> 32) * (uint64_t)n) >> 32) : 0;
}

/*
 * Decode one character of s[0..len): its code point and length; a byte
 * that does not start a well-formed sequence is U+FFFD, length 1.
 */
static size_t
next_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		goto bad;
	}
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

static void
put_utf8(strbuf_t *sb, uint32_t cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (int)(0xc0 | (cp >> 6)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (int)(0xe0 | (cp >> 12)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(sb, (int)(0xf0 | (cp >> 18)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	}
}

/* windows-1251 0x80..0xbf (0 where undefined); 0xc0..0xff is U+0410..U+044F. */
static const uint16_t cp1251_high[64] = {
	0x0402, 0x0403, 0x201a, 0x0453, 0x201e, 0x2026, 0x2020, 0x2021,
	0x20ac, 0x2030, 0x0409, 0x2039, 0x040a, 0x040c, 0x040b, 0x040f,
	0x0452, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x0000, 0x2122, 0x0459, 0x203a, 0x045a, 0x045c, 0x045b, 0x045f,
	0x00a0, 0x040e, 0x045e, 0x0408, 0x00a4, 0x0490, 0x00a6, 0x00a7,
	0x0401, 0x00a9, 0x0404, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x0407,
	0x00b0, 0x00b1, 0x0406, 0x0456, 0x0491, 0x00b5, 0x00b6, 0x00b7,
	0x0451, 0x2116, 0x0454, 0x00bb, 0x0458, 0x0405, 0x0455, 0x0457,
};

/* The windows-1251 byte of cp, or -1 if the code page lacks it. */
static int
cp1251_byte(uint32_t cp)
{
	unsigned i;
	if (cp < 0x80)
		return (int)cp;
	if (cp >= 0x0410 && cp <= 0x044f)
		return (int)(cp - 0x0410 + 0xc0);
	for (i = 0; i < 64; i++)
		if (cp1251_high[i] == cp && cp)
			return (int)(0x80 + i);
	return -1;
}

/*
 * Cut text[0..len) into 1..6 pieces at character boundaries, as editors
 * leave runs; cuts[] gets the piece ends (the last is len).  Returns the
 * number of pieces.  Without splitting, one piece.
 */
static size_t
cut_runs(const docw_t *w, const char *text, size_t len, uint64_t *rng, size_t cuts[6])
{
	size_t ncut = 0, k, j, out;
	unsigned want;
	if (!w->split_runs || len < 2) {
		cuts[0] = len;
		return 1;
	}
	want = 1 + mix_below(rng, len > 40 ? 5 : 2);
	for (k = 0; k < want; k++) {
		size_t p = 1 + mix_below(rng, (unsigned)(len - 1));
		while (p < len && ((unsigned char)text[p] & 0xc0) == 0x80)
			p++;
		if (p < len)
			cuts[ncut++] = p;
	}
	for (k = 1; k < ncut; k++) {
		size_t v = cuts[k];
		j = k;
		while (j > 0 && cuts[j - 1] > v) {
			cuts[j] = cuts[j - 1];
			j--;
		}
		cuts[j] = v;
	}
	/* Drop duplicates, end with len. */
	for (k = 0, out = 0; k < ncut; k++)
		if (out == 0 || cuts[out - 1] != cuts[k])
			cuts[out++] = cuts[k];
	cuts[out++] = len;
	return out;
}

/* ---- ODT. ---- */

#define ODF_NS                                                                         \
	" xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""            \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""              \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""                \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""              \
	" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""

#define ODF_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static const char odt_mimetype[] = "application/vnd.oasis.opendocument.text";

static const char odt_manifest[] =
	ODF_DECL
	"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\""
	" manifest:version=\"1.2\">\n"
	" <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\""
	" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\n"
	" <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n"
	" <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\n"
	"</manifest:manifest>\n";

static const char odt_styles[] =
	ODF_DECL
	"<office:document-styles" ODF_NS " office:version=\"1.2\"><office:styles>"
	"<style:default-style style:family=\"paragraph\"><style:text-properties"
	" fo:font-family=\"'Times New Roman'\" fo:font-size=\"12pt\" fo:language=\"ru\" fo:country=\"RU\"/>"
	"</style:default-style>"
	"<style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>"
	"<style:style style:name=\"Table_20_Contents\" style:display-name=\"Table Contents\""
	" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"extra\"/>"
	"</office:styles></office:document-styles>";

/*
 * Automatic styles: P1..P7 are alignment (center, right, justify) x bold;
 * T1 and T2 the spans split runs leave (language, font).
 */
#define ODT_PSTYLE(n, align, bold)                                                      \
	"<style:style style:name=\"P" n "\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">" \
	align bold "</style:style>"
#define ODT_ALIGN(a) "<style:paragraph-properties fo:text-align=\"" a "\"/>"
#define ODT_BOLD "<style:text-properties fo:font-weight=\"bold\"/>"

static const char odt_content_head[] =
	ODF_DECL
	"<office:document-content" ODF_NS " office:version=\"1.2\">"
	"<office:automatic-styles>"
	ODT_PSTYLE("1", ODT_ALIGN("center"), "")
	ODT_PSTYLE("2", ODT_ALIGN("end"), "")
	ODT_PSTYLE("3", ODT_ALIGN("justify"), "")
	ODT_PSTYLE("4", "", ODT_BOLD)
	ODT_PSTYLE("5", ODT_ALIGN("center"), ODT_BOLD)
	ODT_PSTYLE("6", ODT_ALIGN("end"), ODT_BOLD)
	ODT_PSTYLE("7", ODT_ALIGN("justify"), ODT_BOLD)
	"<style:style style:name=\"T1\" style:family=\"text\"><style:text-properties"
	" fo:language=\"ru\" fo:country=\"RU\"/></style:style>"
	"<style:style style:name=\"T2\" style:family=\"text\"><style:text-properties"
	" fo:font-family=\"'Times New Roman'\" fo:font-size=\"12pt\"/></style:style>"
	"<style:style style:name=\"Table1\" style:family=\"table\"><style:table-properties"
	" style:width=\"16.51cm\" table:align=\"margins\"/></style:style>"
	"</office:automatic-styles><office:body><office:text>";

static const char odt_content_tail[] = "</office:text></office:body></office:document-content>";

/* Paragraph style name for DOCX_PARA_* flags. */
static const char *
odt_pstyle(unsigned flags)
{
	static const char *const names[] = { "Standard", "P1", "P2", "P3", "P4", "P5", "P6", "P7" };
	unsigned a = 0;
	if (flags & DOCX_PARA_CENTER)
		a = 1;
	else if (flags & DOCX_PARA_RIGHT)
		a = 2;
	else if (flags & DOCX_PARA_JUSTIFY)
		a = 3;
	if (flags & DOCX_PARA_BOLD)
		return names[a + 4];
	return names[a];
}

/*
 * Append text as ODF paragraph content.  ODF collapses white space, so a
 * space is written as a character only right after a written non-space
 * character of the same element; every other run of spaces is <text:s/>.
 * *prev says whether the last thing written was such a character.
 */
static void
odt_text(strbuf_t *x, const char *s, size_t len, int *prev)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n;
		unsigned char c = (unsigned char)s[i];
		if (c == ' ') {
			size_t run = 0;
			while (i < len && s[i] == ' ') {
				run++;
				i++;
			}
			if (*prev) {
				strbuf_addch(x, ' ');
				run--;
			}
			if (run == 1)
				strbuf_adds(x, "<text:s/>");
			else if (run > 1)
				strbuf_addf(x, "<text:s text:c=\"%zu\"/>", run);
			*prev = 0;
			continue;
		}
		if (c == '\t' || c == '\n') {
			strbuf_adds(x, c == '\t' ? "<text:tab/>" : "<text:line-break/>");
			*prev = 0;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		*prev = 1;
		switch (c) {
		case '&': strbuf_adds(x, "&amp;"); i++; continue;
		case '<': strbuf_adds(x, "&lt;"); i++; continue;
		case '>': strbuf_adds(x, "&gt;"); i++; continue;
		default: break;
		}
		n = next_char((const unsigned char *)s + i, len - i, &cp);
		put_utf8(x, cp);
		i += n;
	}
}

static void
odt_paragraph(const docw_t *w, strbuf_t *x, const char *style, const char *text,
	      unsigned flags, uint64_t *rng)
{
	size_t len = strlen(text), cuts[6], n, k, start = 0;
	int prev = 0;

	if (len == 0 && !(flags & DOCX_PARA_GOBACK)) {
		strbuf_addf(x, "<text:p text:style-name=\"%s\"/>", style);
		return;
	}
	strbuf_addf(x, "<text:p text:style-name=\"%s\">", style);
	if (flags & DOCX_PARA_GOBACK)
		strbuf_adds(x, "<text:bookmark text:name=\"_GoBack\"/>");
	n = cut_runs(w, text, len, rng, cuts);
	for (k = 0; k < n; k++) {
		unsigned span = n > 1 ? mix_below(rng, 3) : 0;
		if (span) {
			strbuf_addf(x, "<text:span text:style-name=\"T%u\">", span);
			prev = 0;
		}
		odt_text(x, text + start, cuts[k] - start, &prev);
		if (span) {
			strbuf_adds(x, "</text:span>");
			prev = 0;
		}
		start = cuts[k];
	}
	strbuf_adds(x, "</text:p>");
}

static void
odt_body(const docw_t *w, strbuf_t *x)
{
	uint64_t rng = w->seed ^ 0x0d7ce11ULL;
	size_t i, r, c, tables = 0;
	strbuf_adds(x, odt_content_head);
	for (i = 0; i < w->n; i++) {
		const docw_item_t *it = &w->items[i];
		if (!it->is_table) {
			odt_paragraph(w, x, odt_pstyle(it->flags), it->text, it->flags, &rng);
			continue;
		}
		strbuf_addf(x, "<table:table table:name=\"Таблица%zu\" table:style-name=\"Table1\">"
			    "<table:table-column table:number-columns-repeated=\"%zu\"/>",
			    ++tables, it->cols);
		for (r = 0; r < it->rows; r++) {
			strbuf_adds(x, "<table:table-row>");
			for (c = 0; c < it->cols; c++) {
				const char *p = it->cells[r * it->cols + c];
				strbuf_adds(x, "<table:table-cell office:value-type=\"string\">");
				for (;;) {
					const char *nl = strchr(p, '\n');
					size_t n = nl ? (size_t)(nl - p) : strlen(p);
					char *line = xstrndup(p, n);
					odt_paragraph(w, x, "Table_20_Contents", line, 0, &rng);
					free(line);
					if (!nl)
						break;
					p = nl + 1;
				}
				strbuf_adds(x, "</table:table-cell>");
			}
			strbuf_adds(x, "</table:table-row>");
		}
		strbuf_adds(x, "</table:table>");
	}
	strbuf_adds(x, odt_content_tail);
}

static int
write_odt(const docw_t *w, char **out, size_t *len)
{
	strbuf_t content = STRBUF_INIT, zip = STRBUF_INIT;
	zipw_t z;
	int rc = DOCX_OK;

	odt_body(w, &content);
	zipw_init(&z, &zip);
	/* The mimetype first and stored: ODF readers sniff it at offset 38. */
	if (zipw_add(&z, "mimetype", odt_mimetype, sizeof(odt_mimetype) - 1, 0) < 0 ||
	    zipw_add(&z, "content.xml", content.buf, content.len, 1) < 0 ||
	    zipw_add(&z, "styles.xml", odt_styles, sizeof(odt_styles) - 1, 1) < 0 ||
	    zipw_add(&z, "META-INF/manifest.xml", odt_manifest, sizeof(odt_manifest) - 1, 1) < 0 ||
	    zipw_finish(&z) < 0)
		rc = DOCX_ERR_ZIP;
	zipw_release(&z);
	strbuf_release(&content);
	if (rc != DOCX_OK) {
		strbuf_release(&zip);
		return rc;
	}
	*out = strbuf_detach(&zip, len);
	return DOCX_OK;
}

/* ---- RTF. ---- */

static const char rtf_head[] =
	"{\\rtf1\\ansi\\ansicpg1251\\deff0\\nouicompat\\deflang1049"
	"{\\fonttbl{\\f0\\froman\\fprq2\\fcharset204 Times New Roman;}"
	"{\\f1\\fswiss\\fprq2\\fcharset204 Arial;}}\r\n"
	"{\\colortbl ;\\red0\\green0\\blue0;}\r\n"
	"{\\*\\generator protodex-corpus;}\\viewkind4\\uc1\r\n"
	"\\paperw11906\\paperh16838\\margl1701\\margr850\\margt1134\\margb1134\r\n";

/* \uN as RTF wants it: a signed 16-bit number. */
static void
rtf_u(strbuf_t *x, uint32_t unit, int hex_fallback)
{
	long v = unit > 32767 ? (long)unit - 65536 : (long)unit;
	strbuf_addf(x, hex_fallback ? "\\u%ld\\'3f" : "\\u%ld?", v);
}

static void
rtf_text(strbuf_t *x, const char *s, size_t len, int unicode)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		unsigned char c = (unsigned char)s[i];
		size_t n;
		int b;
		if (c == '\t') {
			strbuf_adds(x, "\\tab ");
			i++;
			continue;
		}
		if (c == '\n') {
			strbuf_adds(x, "\\line ");
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (c == '\\' || c == '{' || c == '}') {
			strbuf_addch(x, '\\');
			strbuf_addch(x, c);
			i++;
			continue;
		}
		n = next_char((const unsigned char *)s + i, len - i, &cp);
		i += n;
		if (cp < 0x80) {
			strbuf_addch(x, (int)cp);
			continue;
		}
		b = unicode ? -1 : cp1251_byte(cp);
		if (b >= 0) {
			strbuf_addf(x, "\\'%02x", (unsigned)b);
		} else if (cp >= 0x10000) {
			rtf_u(x, 0xd800 + ((cp - 0x10000) >> 10), !unicode);
			rtf_u(x, 0xdc00 + ((cp - 0x10000) & 0x3ff), !unicode);
		} else {
			rtf_u(x, cp, !unicode);
		}
	}
}

/* The paragraph's text (and bookmark), runs and all, without \pard or \par. */
static void
rtf_runs(const docw_t *w, strbuf_t *x, const char *text, unsigned flags, uint64_t *rng)
{
	size_t len = strlen(text), cuts[6], n, k, start = 0;
	int unicode = w->rtf_mode == DOCW_RTF_UNICODE ||
		      (w->rtf_mode == DOCW_RTF_MIXED && mix_below(rng, 2));
	if (flags & DOCX_PARA_GOBACK)
		strbuf_adds(x, "{\\*\\bkmkstart _GoBack}{\\*\\bkmkend _GoBack}");
	n = cut_runs(w, text, len, rng, cuts);
	for (k = 0; k < n; k++) {
		unsigned style = n > 1 ? mix_below(rng, 3) : 0;
		if (style == 1)
			strbuf_adds(x, "{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\lang1049\\langfe1049 ");
		else if (style == 2)
			strbuf_addf(x, "{\\insrsid%u \\f0\\fs24 ", (unsigned)(mix_next(rng) & 0xffffff));
		rtf_text(x, text + start, cuts[k] - start, unicode);
		if (style)
			strbuf_addch(x, '}');
		start = cuts[k];
	}
}

static void
rtf_body(const docw_t *w, strbuf_t *x)
{
	uint64_t rng = w->seed ^ 0x4f7fULL;
	size_t i, r, c;
	strbuf_adds(x, rtf_head);
	for (i = 0; i < w->n; i++) {
		const docw_item_t *it = &w->items[i];
		if (!it->is_table) {
			strbuf_adds(x, "\\pard\\plain\\f0\\fs24");
			if (it->flags & DOCX_PARA_CENTER)
				strbuf_adds(x, "\\qc");
			else if (it->flags & DOCX_PARA_RIGHT)
				strbuf_adds(x, "\\qr");
			else if (it->flags & DOCX_PARA_JUSTIFY)
				strbuf_adds(x, "\\qj");
			if (it->flags & DOCX_PARA_BOLD)
				strbuf_adds(x, "\\b");
			strbuf_addch(x, ' ');
			rtf_runs(w, x, it->text, it->flags, &rng);
			strbuf_adds(x, "\\par\r\n");
			continue;
		}
		for (r = 0; r < it->rows; r++) {
			unsigned colw = (unsigned)(9355 / it->cols);
			strbuf_adds(x, "\\trowd\\trgaph108\\trleft0");
			for (c = 0; c < it->cols; c++)
				strbuf_addf(x, "\\clbrdrt\\brdrs\\brdrw10\\clbrdrl\\brdrs\\brdrw10"
					    "\\clbrdrb\\brdrs\\brdrw10\\clbrdrr\\brdrs\\brdrw10\\cellx%u",
					    colw * (unsigned)(c + 1));
			strbuf_adds(x, "\r\n");
			for (c = 0; c < it->cols; c++) {
				const char *p = it->cells[r * it->cols + c];
				strbuf_adds(x, "\\pard\\plain\\intbl\\f0\\fs24 ");
				for (;;) {
					const char *nl = strchr(p, '\n');
					size_t n = nl ? (size_t)(nl - p) : strlen(p);
					char *line = xstrndup(p, n);
					rtf_runs(w, x, line, 0, &rng);
					free(line);
					if (!nl)
						break;
					strbuf_adds(x, "\\par ");
					p = nl + 1;
				}
				strbuf_adds(x, "\\cell\r\n");
			}
			strbuf_adds(x, "\\row\r\n");
		}
		/* Rows that follow each other are one table in RTF. */
		if (i + 1 < w->n && w->items[i + 1].is_table)
			strbuf_adds(x, "\\pard\\plain\\f0\\fs24\\par\r\n");
	}
	strbuf_adds(x, "\\pard\\plain\\f0\\fs24\\par\r\n}\r\n");
}

/* ---- HTML. ---- */

char *
docw_html_text(const char *utf8)
{
	strbuf_t sb = STRBUF_INIT;
	int space = 0;
	for (; *utf8; utf8++) {
		if (*utf8 == ' ' || *utf8 == '\t' || *utf8 == '\n' || *utf8 == '\r' || *utf8 == '\f') {
			space = 1;
			continue;
		}
		if (space && sb.len)
			strbuf_addch(&sb, ' ');
		space = 0;
		strbuf_addch(&sb, *utf8);
	}
	return strbuf_detach(&sb, NULL);
}

static void
html_text(const docw_t *w, strbuf_t *x, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		unsigned char c = (unsigned char)s[i];
		size_t n;
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		switch (c) {
		case '&': strbuf_adds(x, "&amp;"); i++; continue;
		case '<': strbuf_adds(x, "&lt;"); i++; continue;
		case '>': strbuf_adds(x, "&gt;"); i++; continue;
		default: break;
		}
		n = next_char((const unsigned char *)s + i, len - i, &cp);
		i += n;
		if (w->html_entities) {
			const char *e = NULL;
			switch (cp) {
			case 0x00ab: e = "&laquo;"; break;
			case 0x00bb: e = "&raquo;"; break;
			case 0x2014: e = "&mdash;"; break;
			case 0x2013: e = "&ndash;"; break;
			default: break;
			}
			if (e) {
				strbuf_adds(x, e);
				continue;
			}
		}
		if (w->html_cp1251) {
			int b = cp1251_byte(cp);
			if (b >= 0)
				strbuf_addch(x, b);
			else
				strbuf_addf(x, "&#%u;", (unsigned)cp);
		} else {
			put_utf8(x, cp);
		}
	}
}

static void
html_runs(const docw_t *w, strbuf_t *x, const char *raw, unsigned flags, uint64_t *rng)
{
	char *text = docw_html_text(raw);
	size_t len = strlen(text), cuts[6], n, k, start = 0;
	if (flags & DOCX_PARA_GOBACK)
		strbuf_adds(x, "<a name=\"_GoBack\"></a>");
	if (flags & DOCX_PARA_BOLD)
		strbuf_adds(x, "<b>");
	n = cut_runs(w, text, len, rng, cuts);
	for (k = 0; k < n; k++) {
		unsigned style = n > 1 ? mix_below(rng, 3) : 0;
		if (style == 1)
			strbuf_adds(x, "<span lang=\"RU\">");
		else if (style == 2)
			strbuf_adds(x, "<span style=\"font-family:'Times New Roman',serif\">");
		html_text(w, x, text + start, cuts[k] - start);
		if (style)
			strbuf_adds(x, "</span>");
		start = cuts[k];
	}
	if (flags & DOCX_PARA_BOLD)
		strbuf_adds(x, "</b>");
	free(text);
}

static void
html_body(const docw_t *w, strbuf_t *x)
{
	uint64_t rng = w->seed ^ 0x47aULL;
	size_t i, r, c;
	strbuf_adds(x, "<!DOCTYPE html>\r\n<html lang=\"ru\">\r\n<head>\r\n");
	if (w->html_cp1251)
		strbuf_adds(x, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\r\n");
	else
		strbuf_adds(x, "<meta charset=\"utf-8\">\r\n");
	strbuf_adds(x, "<meta name=\"Generator\" content=\"protodex-corpus\">\r\n"
		    "<style>\r\np { margin: 0; font-family: 'Times New Roman', serif; }\r\n"
		    "table { border-collapse: collapse; }\r\ntd { border: 1px solid black; }\r\n"
		    "</style>\r\n</head>\r\n<body>\r\n");
	for (i = 0; i < w->n; i++) {
		const docw_item_t *it = &w->items[i];
		if (!it->is_table) {
			const char *align = NULL;
			if (it->flags & DOCX_PARA_CENTER)
				align = "center";
			else if (it->flags & DOCX_PARA_RIGHT)
				align = "right";
			else if (it->flags & DOCX_PARA_JUSTIFY)
				align = "justify";
			if (align)
				strbuf_addf(x, "<p align=\"%s\">", align);
			else
				strbuf_adds(x, "<p>");
			html_runs(w, x, it->text, it->flags, &rng);
			strbuf_adds(x, "</p>\r\n");
			continue;
		}
		strbuf_adds(x, "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\">\r\n");
		for (r = 0; r < it->rows; r++) {
			strbuf_adds(x, "<tr>\r\n");
			for (c = 0; c < it->cols; c++) {
				const char *p = it->cells[r * it->cols + c];
				strbuf_adds(x, "<td valign=\"top\">");
				for (;;) {
					const char *nl = strchr(p, '\n');
					size_t n = nl ? (size_t)(nl - p) : strlen(p);
					char *line = xstrndup(p, n);
					strbuf_adds(x, "<p>");
					html_runs(w, x, line, 0, &rng);
					strbuf_adds(x, "</p>");
					free(line);
					if (!nl)
						break;
					p = nl + 1;
				}
				strbuf_adds(x, "</td>\r\n");
			}
			strbuf_adds(x, "</tr>\r\n");
		}
		strbuf_adds(x, "</table>\r\n");
	}
	strbuf_adds(x, "</body>\r\n</html>\r\n");
}

int
docw_write(docw_t *w, docw_format_t format, char **out, size_t *len)
{
	strbuf_t x = STRBUF_INIT;
	*out = NULL;
	*len = 0;
	switch (format) {
	case DOCW_ODT:
		return write_odt(w, out, len);
	case DOCW_RTF:
		rtf_body(w, &x);
		break;
	case DOCW_HTML:
		html_body(w, &x);
		break;
	}
	*out = strbuf_detach(&x, len);
	return DOCX_OK;
}
