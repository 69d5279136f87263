#include "corpus/docx-writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/zipw.h"

typedef struct docx_item {
	int is_table;
	unsigned flags;
	unsigned num_id;     /* Word list instance (w:numId), 0 if none */
	unsigned level;      /* its level (w:ilvl) */
	char *text;          /* paragraph */
	size_t rows, cols;   /* table */
	char **cells;
} docx_item_t;

struct docx_writer {
	docx_item_t *items;
	size_t n, alloc;
	int split_runs;
	uint64_t seed;
	/* Lists: num id 1 is the bullet list, 2 the decimal list used before
	 * any docx_writer_start_list, 3.. those it started (list_starts[i]
	 * is num id 3 + i's first number). */
	int uses_lists;
	unsigned cur_num;
	unsigned *list_starts;
	size_t n_lists;
};

#define NUM_BULLET 1
#define NUM_DECIMAL 2
#define NUM_FIRST_STARTED 3

/* Body text width of an A4 page with the margins in sectPr, in twips. */
#define DOCX_TEXT_WIDTH 9355

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"

static const char content_types_xml[] =
	XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"</Types>";

/* The same, for a package with word/numbering.xml. */
static const char content_types_lists_xml[] =
	XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
	"</Types>";

static const char package_rels_xml[] =
	XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"</Relationships>";

static const char document_rels_xml[] =
	XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

static const char document_rels_lists_xml[] =
	XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>"
	"</Relationships>";

/*
 * The list definitions: abstractNum 0 is decimal and multi-level, as Word
 * makes it from "1." with "Increase indent"; abstractNum 1 a bullet from
 * the Symbol font (U+F0B7, which Word shows as "•").  CT_Lvl order:
 * start, numFmt, lvlText, lvlJc, pPr, rPr.
 */
#define DECIMAL_LVL(ilvl, text, left, hanging)                                 \
	"<w:lvl w:ilvl=\"" ilvl "\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>" \
	"<w:lvlText w:val=\"" text "\"/><w:lvlJc w:val=\"left\"/>"                \
	"<w:pPr><w:ind w:left=\"" left "\" w:hanging=\"" hanging "\"/></w:pPr></w:lvl>"

static const char numbering_head_xml[] =
	XML_DECL
	"<w:numbering xmlns:w=\"" W_NS "\">"
	"<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"multilevel\"/>"
	DECIMAL_LVL("0", "%1.", "360", "360")
	DECIMAL_LVL("1", "%1.%2.", "792", "432")
	DECIMAL_LVL("2", "%1.%2.%3.", "1224", "504")
	"</w:abstractNum>"
	"<w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"singleLevel\"/>"
	"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"
	"<w:lvlText w:val=\"\xef\x82\xb7\"/><w:lvlJc w:val=\"left\"/>"
	"<w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr>"
	"<w:rPr><w:rFonts w:ascii=\"Symbol\" w:hAnsi=\"Symbol\" w:hint=\"default\"/></w:rPr></w:lvl>"
	"</w:abstractNum>"
	"<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>"
	"<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/></w:num>";

static const char styles_xml[] =
	XML_DECL
	"<w:styles xmlns:w=\"" W_NS "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
	"<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"
	"<w:lang w:val=\"ru-RU\" w:eastAsia=\"ru-RU\" w:bidi=\"ar-SA\"/>"
	"</w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>"
	"<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
	"<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"59\"/>"
	"<w:tblPr><w:tblBorders>"
	"<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"</w:tblBorders></w:tblPr></w:style>"
	"</w:styles>";

const char *
docx_status_to_string(docx_status_t status)
{
	switch (status) {
	case DOCX_OK: return "success";
	case DOCX_ERR_ZIP: return "cannot build the zip package";
	case DOCX_ERR_IO: return "cannot write the file";
	}
	return "unknown status";
}

docx_writer_t *
docx_writer_new(void)
{
	return xcalloc(1, sizeof(docx_writer_t));
}

void
docx_writer_free(docx_writer_t *w)
{
	size_t i, j;
	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		docx_item_t *it = &w->items[i];
		free(it->text);
		if (it->cells) {
			for (j = 0; j < it->rows * it->cols; j++)
				free(it->cells[j]);
			free(it->cells);
		}
	}
	free(w->items);
	free(w->list_starts);
	free(w);
}

static docx_item_t *
new_item(docx_writer_t *w)
{
	docx_item_t *it;
	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 32;
		w->items = xrealloc(w->items, w->alloc * sizeof(*w->items));
	}
	it = &w->items[w->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

void
docx_writer_add_paragraph_flags(docx_writer_t *w, const char *utf8, unsigned flags)
{
	docx_item_t *it = new_item(w);
	it->text = xstrdup(utf8 ? utf8 : "");
	it->flags = flags;
}

void
docx_writer_add_paragraph(docx_writer_t *w, const char *utf8)
{
	docx_writer_add_paragraph_flags(w, utf8, 0);
}

void
docx_writer_start_list(docx_writer_t *w, unsigned start)
{
	w->list_starts = xrealloc(w->list_starts, (w->n_lists + 1) * sizeof(*w->list_starts));
	w->list_starts[w->n_lists++] = start;
	w->cur_num = NUM_FIRST_STARTED + (unsigned)(w->n_lists - 1);
}

void
docx_writer_add_numbered(docx_writer_t *w, unsigned level, const char *utf8,
			 unsigned flags)
{
	docx_item_t *it = new_item(w);
	it->text = xstrdup(utf8 ? utf8 : "");
	it->flags = flags;
	it->num_id = w->cur_num ? w->cur_num : NUM_DECIMAL;
	it->level = level > DOCX_LIST_MAX_LEVEL ? DOCX_LIST_MAX_LEVEL : level;
	w->uses_lists = 1;
}

void
docx_writer_add_bulleted(docx_writer_t *w, const char *utf8, unsigned flags)
{
	docx_item_t *it = new_item(w);
	it->text = xstrdup(utf8 ? utf8 : "");
	it->flags = flags;
	it->num_id = NUM_BULLET;
	w->uses_lists = 1;
}

void
docx_writer_add_table(docx_writer_t *w, size_t rows, size_t cols,
		      const char *const *cells)
{
	docx_item_t *it;
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
docx_writer_set_split_runs(docx_writer_t *w, int on)
{
	w->split_runs = on != 0;
}

void
docx_writer_set_seed(docx_writer_t *w, uint64_t seed)
{
	w->seed = seed;
}

/* splitmix64: enough randomness to place run boundaries reproducibly. */
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
 * Length of the UTF-8 sequence at s (at most `len`), or 0 if it is not
 * well formed.
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+FFFE and U+FFFF are not XML characters. */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/*
 * Append s[0..len) as the content of runs: text goes into <w:t>, tabs
 * and newlines become <w:tab/> and <w:br/> between them.  `rpr` is the
 * run's opening tag and properties, repeated for nothing: one run holds
 * any number of w:t/w:tab/w:br children.
 */
static void
add_run(strbuf_t *x, const char *s, size_t len, const char *rpr)
{
	size_t i = 0;
	int in_t = 0;

	if (len == 0)
		return;
	strbuf_adds(x, rpr);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		if (c == '\t' || c == '\n') {
			if (in_t) {
				strbuf_adds(x, "</w:t>");
				in_t = 0;
			}
			strbuf_adds(x, c == '\t' ? "<w:tab/>" : "<w:br/>");
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {   /* not allowed in XML 1.0 */
			i++;
			continue;
		}
		if (!in_t) {
			strbuf_adds(x, "<w:t xml:space=\"preserve\">");
			in_t = 1;
		}
		switch (c) {
		case '&': strbuf_adds(x, "&amp;"); i++; continue;
		case '<': strbuf_adds(x, "&lt;"); i++; continue;
		case '>': strbuf_adds(x, "&gt;"); i++; continue;
		default: break;
		}
		n = utf8_seq_len((const unsigned char *)s + i, len - i);
		if (n == 0) {
			strbuf_adds(x, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(x, s + i, n);
			i += n;
		}
	}
	if (in_t)
		strbuf_adds(x, "</w:t>");
	strbuf_adds(x, "</w:r>");
}

/* Is s[i] the start of a character (not a UTF-8 continuation byte)? */
static int
char_start(const char *s, size_t i)
{
	return ((unsigned char)s[i] & 0xc0) != 0x80;
}

static void
add_runs(docx_writer_t *w, strbuf_t *x, const char *text, unsigned flags,
	 uint64_t *rng)
{
	size_t len = strlen(text);
	const char *bold = (flags & DOCX_PARA_BOLD) ? "<w:b/><w:bCs/>" : "";
	char rpr[256];

	if (!w->split_runs || len < 2) {
		snprintf(rpr, sizeof(rpr), "<w:r>%s%s%s", *bold ? "<w:rPr>" : "",
			 bold, *bold ? "</w:rPr>" : "");
		add_run(x, text, len, rpr);
		return;
	}

	/*
	 * Word cuts runs where editing sessions, spelling marks or language
	 * changed, which is anywhere: between words, inside them, next to
	 * punctuation.  Choose 1..5 cut points at character boundaries.
	 */
	{
		size_t cuts[6], ncut = 0, k, start = 0;
		unsigned want = 1 + mix_below(rng, len > 40 ? 5 : 2);
		for (k = 0; k < want; k++) {
			size_t p = 1 + mix_below(rng, (unsigned)(len - 1));
			while (p < len && !char_start(text, p))
				p++;
			if (p >= len)
				continue;
			cuts[ncut++] = p;
		}
		/* Sort and drop duplicates (ncut <= 5: insertion sort). */
		for (k = 1; k < ncut; k++) {
			size_t v = cuts[k], j = k;
			while (j > 0 && cuts[j - 1] > v) {
				cuts[j] = cuts[j - 1];
				j--;
			}
			cuts[j] = v;
		}
		cuts[ncut++] = len;
		for (k = 0; k < ncut; k++) {
			size_t end = cuts[k];
			unsigned style = mix_below(rng, 4);
			int proof;
			if (end <= start)
				continue;
			/* Word's proofing marks come in pairs around the flagged runs. */
			proof = k > 0 && mix_below(rng, 5) == 0;
			if (proof)
				strbuf_adds(x, "<w:proofErr w:type=\"spellStart\"/>");
			switch (style) {
			case 0:
				snprintf(rpr, sizeof(rpr), "<w:r>%s%s%s", *bold ? "<w:rPr>" : "",
					 bold, *bold ? "</w:rPr>" : "");
				break;
			case 1:
				snprintf(rpr, sizeof(rpr), "<w:r><w:rPr>%s<w:lang w:val=\"ru-RU\"/></w:rPr>", bold);
				break;
			default: {
				/* Two draws, two statements: argument order is unspecified. */
				unsigned rsid_r = (unsigned)(mix_next(rng) & 0x00ffffff);
				unsigned rsid_rpr = (unsigned)(mix_next(rng) & 0x00ffffff);
				/* CT_RPr is a sequence: rFonts, b, bCs, ..., sz, ..., lang. */
				snprintf(rpr, sizeof(rpr),
					 "<w:r w:rsidR=\"%08X\" w:rsidRPr=\"%08X\"><w:rPr>"
					 "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/>"
					 "%s<w:sz w:val=\"24\"/></w:rPr>",
					 rsid_r, rsid_rpr, bold);
				break;
			}
			}
			add_run(x, text + start, end - start, rpr);
			if (proof)
				strbuf_adds(x, "<w:proofErr w:type=\"spellEnd\"/>");
			start = end;
		}
	}
}

static void
add_paragraph_xml(docx_writer_t *w, strbuf_t *x, const char *text,
		  unsigned flags, unsigned num_id, unsigned level, uint64_t *rng,
		  int *bookmark_id)
{
	const char *jc = NULL;
	if (flags & DOCX_PARA_CENTER)
		jc = "center";
	else if (flags & DOCX_PARA_RIGHT)
		jc = "right";
	else if (flags & DOCX_PARA_JUSTIFY)
		jc = "both";
	strbuf_adds(x, "<w:p>");
	if (jc || num_id) {
		/* CT_PPr is a sequence: numPr comes before jc. */
		strbuf_adds(x, "<w:pPr>");
		if (num_id)
			strbuf_addf(x, "<w:numPr><w:ilvl w:val=\"%u\"/><w:numId w:val=\"%u\"/></w:numPr>",
				    level, num_id);
		if (jc)
			strbuf_addf(x, "<w:jc w:val=\"%s\"/>", jc);
		strbuf_adds(x, "</w:pPr>");
	}
	if (flags & DOCX_PARA_GOBACK) {
		strbuf_addf(x, "<w:bookmarkStart w:id=\"%d\" w:name=\"_GoBack\"/>"
			    "<w:bookmarkEnd w:id=\"%d\"/>", *bookmark_id, *bookmark_id);
		++*bookmark_id;
	}
	add_runs(w, x, text, flags, rng);
	strbuf_adds(x, "</w:p>");
}

static void
add_table_xml(docx_writer_t *w, strbuf_t *x, const docx_item_t *it,
	      uint64_t *rng, int *bookmark_id)
{
	size_t r, c;
	unsigned colw = (unsigned)(DOCX_TEXT_WIDTH / it->cols);

	strbuf_adds(x, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
		    "<w:tblW w:w=\"0\" w:type=\"auto\"/>"
		    "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\""
		    " w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (c = 0; c < it->cols; c++)
		strbuf_addf(x, "<w:gridCol w:w=\"%u\"/>", colw);
	strbuf_adds(x, "</w:tblGrid>");
	for (r = 0; r < it->rows; r++) {
		strbuf_adds(x, "<w:tr>");
		for (c = 0; c < it->cols; c++) {
			const char *cell = it->cells[r * it->cols + c];
			const char *p = cell;
			strbuf_addf(x, "<w:tc><w:tcPr><w:tcW w:w=\"%u\" w:type=\"dxa\"/></w:tcPr>", colw);
			/* Every cell needs at least one paragraph. */
			for (;;) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				char *line = xstrndup(p, n);
				add_paragraph_xml(w, x, line, 0, 0, 0, rng, bookmark_id);
				free(line);
				if (!nl)
					break;
				p = nl + 1;
			}
			strbuf_adds(x, "</w:tc>");
		}
		strbuf_adds(x, "</w:tr>");
	}
	strbuf_adds(x, "</w:tbl>");
}

static void
build_document_xml(docx_writer_t *w, strbuf_t *x)
{
	uint64_t rng = w->seed ^ 0x5eed0d0c5ULL;
	int bookmark_id = 0;
	size_t i;

	strbuf_adds(x, XML_DECL);
	strbuf_adds(x, "<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\"><w:body>");
	for (i = 0; i < w->n; i++) {
		const docx_item_t *it = &w->items[i];
		if (it->is_table) {
			add_table_xml(w, x, it, &rng, &bookmark_id);
			/* Word needs a paragraph between two tables, or it merges them. */
			if (i + 1 < w->n && w->items[i + 1].is_table)
				strbuf_adds(x, "<w:p/>");
		} else {
			add_paragraph_xml(w, x, it->text, it->flags, it->num_id, it->level,
					  &rng, &bookmark_id);
		}
	}
	/* A table may not be the last body element before sectPr in Word. */
	if (w->n && w->items[w->n - 1].is_table)
		strbuf_adds(x, "<w:p/>");
	strbuf_adds(x, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
		    "<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""
		    " w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>"
		    "<w:cols w:space=\"708\"/></w:sectPr></w:body></w:document>");
}

/* word/numbering.xml: the two definitions and one instance per list. */
static void
build_numbering_xml(const docx_writer_t *w, strbuf_t *x)
{
	size_t i;
	unsigned l;
	strbuf_adds(x, numbering_head_xml);
	for (i = 0; i < w->n_lists; i++) {
		/* A list of its own: Word restarts every level of it. */
		strbuf_addf(x, "<w:num w:numId=\"%u\"><w:abstractNumId w:val=\"0\"/>",
			    NUM_FIRST_STARTED + (unsigned)i);
		for (l = 0; l <= DOCX_LIST_MAX_LEVEL; l++)
			strbuf_addf(x, "<w:lvlOverride w:ilvl=\"%u\"><w:startOverride w:val=\"%u\"/>"
				    "</w:lvlOverride>", l, l ? 1 : w->list_starts[i]);
		strbuf_adds(x, "</w:num>");
	}
	strbuf_adds(x, "</w:numbering>");
}

int
docx_writer_write_buffer(docx_writer_t *w, char **out, size_t *len)
{
	strbuf_t doc = STRBUF_INIT, zip = STRBUF_INIT, num = STRBUF_INIT;
	zipw_t z;
	int rc = DOCX_OK;
	/* Without lists the package is what it always was, byte for byte. */
	const char *types = w->uses_lists ? content_types_lists_xml : content_types_xml;
	const char *rels = w->uses_lists ? document_rels_lists_xml : document_rels_xml;

	*out = NULL;
	*len = 0;
	build_document_xml(w, &doc);
	if (w->uses_lists)
		build_numbering_xml(w, &num);
	zipw_init(&z, &zip);
	/* [Content_Types].xml first: some consumers sniff it there. */
	if (zipw_add(&z, "[Content_Types].xml", types, strlen(types), 1) < 0 ||
	    zipw_add(&z, "_rels/.rels", package_rels_xml, sizeof(package_rels_xml) - 1, 1) < 0 ||
	    zipw_add(&z, "word/document.xml", doc.buf, doc.len, 1) < 0 ||
	    zipw_add(&z, "word/_rels/document.xml.rels", rels, strlen(rels), 1) < 0 ||
	    zipw_add(&z, "word/styles.xml", styles_xml, sizeof(styles_xml) - 1, 1) < 0 ||
	    (w->uses_lists &&
	     zipw_add(&z, "word/numbering.xml", num.buf, num.len, 1) < 0) ||
	    zipw_finish(&z) < 0)
		rc = DOCX_ERR_ZIP;
	zipw_release(&z);
	strbuf_release(&doc);
	strbuf_release(&num);
	if (rc != DOCX_OK) {
		strbuf_release(&zip);
		return rc;
	}
	*out = strbuf_detach(&zip, len);
	return DOCX_OK;
}

int
docx_writer_write_file(docx_writer_t *w, const char *path, char *err, size_t errsz)
{
	char *buf;
	size_t len;
	FILE *f;
	int rc = docx_writer_write_buffer(w, &buf, &len);

	if (rc != DOCX_OK) {
		if (errsz)
			snprintf(err, errsz, "%s '%s'", docx_status_to_string(rc), path);
		return rc;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fflush(f) != 0) {
		int e = errno;
		if (f)
			fclose(f);
		free(buf);
		if (errsz)
			snprintf(err, errsz, "cannot write file (%s) '%s'", strerror(e), path);
		return DOCX_ERR_IO;
	}
	free(buf);
	if (fclose(f) != 0) {
		if (errsz)
			snprintf(err, errsz, "cannot write file (%s) '%s'", strerror(errno), path);
		return DOCX_ERR_IO;
	}
	if (errsz)
		err[0] = '\0';
	return DOCX_OK;
}
