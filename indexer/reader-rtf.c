/*
 * reader-rtf: Rich Text Format, with a small tokenizer (no recursion: one
 * state per open group, at most MAX_DEPTH of them).
 *
 * Text bytes, literal or \'xx, are decoded with the code page of the
 * current font (\fN whose \fcharsetN names one, e.g. 204 -> windows-1251)
 * or else the document's (\ansicpgN; \ansi alone is windows-1252, \mac
 * Mac Roman, \pc IBM437, \pca IBM850).  \uN gives a UTF-16 unit (pairs
 * are joined) and skips the next \ucN characters (default 1), the
 * fallback other readers show.
 *
 *   \par, \sect, \page     end a paragraph; \line -> ' ', \tab -> '\t'
 *   \cell, \row            table cells: the paragraphs of a cell (\intbl)
 *                          become READER_CELLs with their row and column;
 *                          \nestcell, \nestrow likewise for nested tables,
 *                          whose own rows and columns are counted
 *   \~ -> U+00A0, \_ -> '-', \- -> nothing, \emdash, \endash, \bullet and
 *                          the quotes -> their characters
 *   \footnote              its own paragraphs, emitted where it ends
 *                          (before the rest of the paragraph it is in)
 *   \listtext, \pntext     kept: they hold the list label Word shows
 *   \binN                  N bytes of binary data, skipped
 *
 * Skipped with everything in them: \* groups (except \*\shpinst, whose
 * \shptxt is a text box), the font, colour, style, list and revision
 * tables, \info, pictures, object data, headers, footers, footnote
 * separators, shape properties and fallbacks (\shprslt, \nonshppict),
 * field instructions (fields read as their result, \fldrslt).
 *
 * A file that ends inside a group is truncated: READER_MALFORMED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "indexer/reader-int.h"

/* Deepest group nesting accepted; Word's own files stay far below it. */
#define MAX_DEPTH 1024
/* Footnotes inside footnotes inside ...: deeper ones join their parent. */
#define MAX_PARA_DEPTH 8
#define MAX_FONTS 4096
#define MAX_UC 16

typedef struct group {
	long font;             /* \fN in effect, -1: the default font */
	unsigned char skip;    /* text here is not document text */
	unsigned char uc;      /* \ucN */
	unsigned char in_fonttbl;
	unsigned char opens_para; /* a \footnote: ends a paragraph buffer */
} group_t;

typedef struct font {
	long id;
	int cp;                /* 0: the document's code page */
} font_t;

typedef struct rtf {
	reader_doc_t *doc;
	const unsigned char *s;
	size_t len, pos;
	group_t *groups;
	int depth;              /* groups[depth - 1] is the current one */
	int doc_cp, cp_given;
	long deff;
	font_t *fonts;
	size_t n_fonts, alloc_fonts;
	long fonttbl_font;      /* font being defined in \fonttbl */
	strbuf_t para[MAX_PARA_DEPTH];
	int n_para;             /* buffers in use, >= 1 */
	strbuf_t raw;           /* text bytes not decoded yet ... */
	int raw_cp;             /* ... and their code page */
	unsigned high;          /* pending high surrogate from \u, or 0 */
	unsigned skip_chars;    /* of a \uN fallback */
	int star;               /* just after \* */
	int intbl, itap;
	unsigned row, col, nrow, ncol;
	reader_status_t status;
} rtf_t;

/* ---- code pages ---------------------------------------------------------- */

static const struct codepage {
	int cp;
	const char *name;   /* ICU converter, and doc->encoding */
} codepages[] = {
	{ 437, "IBM437" }, { 850, "IBM850" }, { 866, "IBM866" },
	{ 874, "windows-874" }, { 932, "windows-932" }, { 936, "windows-936" },
	{ 949, "windows-949" }, { 950, "windows-950" },
	{ 1250, "windows-1250" }, { 1251, "windows-1251" },
	{ 1252, "windows-1252" }, { 1253, "windows-1253" },
	{ 1254, "windows-1254" }, { 1255, "windows-1255" },
	{ 1256, "windows-1256" }, { 1257, "windows-1257" },
	{ 1258, "windows-1258" }, { 10000, "macintosh" },
	{ 10007, "x-mac-cyrillic" }, { 20866, "KOI8-R" }, { 21866, "KOI8-U" },
	{ 28591, "ISO-8859-1" }, { 28595, "ISO-8859-5" }, { 65001, "UTF-8" },
};

static const char *
cp_name(int cp)
{
	for (size_t i = 0; i < sizeof codepages / sizeof codepages[0]; i++)
		if (codepages[i].cp == cp)
			return codepages[i].name;
	return NULL;
}

/* \fcharsetN -> code page; 0 for "the document's". */
static int
charset_cp(long charset)
{
	switch (charset) {
	case 77: return 10000;
	case 128: return 932;
	case 129: return 949;
	case 134: return 936;
	case 136: return 950;
	case 161: return 1253;
	case 162: return 1254;
	case 163: return 1258;
	case 177: return 1255;
	case 178: return 1256;
	case 186: return 1257;
	case 204: return 1251;
	case 222: return 874;
	case 238: return 1250;
	default: return 0;
	}
}

static font_t *
find_font(rtf_t *r, long id)
{
	for (size_t i = 0; i < r->n_fonts; i++)
		if (r->fonts[i].id == id)
			return &r->fonts[i];
	return NULL;
}

static void
set_font_cp(rtf_t *r, long id, int cp)
{
	font_t *f = find_font(r, id);
	if (!f) {
		if (r->n_fonts >= MAX_FONTS)
			return;
		if (r->n_fonts == r->alloc_fonts) {
			r->alloc_fonts = r->alloc_fonts ? r->alloc_fonts * 2 : 16;
			r->fonts = xrealloc(r->fonts, r->alloc_fonts * sizeof *r->fonts);
		}
		f = &r->fonts[r->n_fonts++];
		f->id = id;
	}
	f->cp = cp;
}

static int
current_cp(rtf_t *r)
{
	long id = r->groups[r->depth - 1].font;
	font_t *f = find_font(r, id < 0 ? r->deff : id);
	return f && f->cp && cp_name(f->cp) ? f->cp : r->doc_cp;
}

/* ---- text ----------------------------------------------------------------- */

static strbuf_t *
para(rtf_t *r)
{
	return &r->para[r->n_para - 1];
}

static void
flush_raw(rtf_t *r)
{
	const char *name;
	if (!r->raw.len)
		return;
	name = cp_name(r->raw_cp);
	if (!name || reader_priv_convert(para(r), name, r->raw.buf, r->raw.len) < 0)
		reader_priv_convert(para(r), "windows-1252", r->raw.buf, r->raw.len);
	strbuf_reset(&r->raw);
}

static void
add_byte(rtf_t *r, unsigned char c)
{
	int cp;
	if (r->groups[r->depth - 1].skip)
		return;
	cp = current_cp(r);
	if (r->raw.len && cp != r->raw_cp)
		flush_raw(r);
	r->raw_cp = cp;
	strbuf_addch(&r->raw, c);
	r->high = 0;
}

static void
add_utf8(rtf_t *r, const char *s)
{
	if (r->groups[r->depth - 1].skip)
		return;
	flush_raw(r);
	strbuf_adds(para(r), s);
}

static void
add_codepoint(rtf_t *r, unsigned u)
{
	char b[5];
	if (r->groups[r->depth - 1].skip)
		return;
	if (u >= 0xd800 && u <= 0xdbff) {
		r->high = u;
		return;
	}
	if (u >= 0xdc00 && u <= 0xdfff) {
		if (!r->high)
			return;
		u = 0x10000 + ((r->high - 0xd800) << 10) + (u - 0xdc00);
	}
	r->high = 0;
	if (u < 0x80) {
		b[0] = (char)u;
		b[1] = 0;
	} else if (u < 0x800) {
		b[0] = (char)(0xc0 | u >> 6);
		b[1] = (char)(0x80 | (u & 0x3f));
		b[2] = 0;
	} else if (u < 0x10000) {
		b[0] = (char)(0xe0 | u >> 12);
		b[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		b[2] = (char)(0x80 | (u & 0x3f));
		b[3] = 0;
	} else {
		b[0] = (char)(0xf0 | u >> 18);
		b[1] = (char)(0x80 | ((u >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((u >> 6) & 0x3f));
		b[3] = (char)(0x80 | (u & 0x3f));
		b[4] = 0;
	}
	add_utf8(r, b);
}

/* End the current paragraph; `kind` as the table state says. */
static void
end_para(rtf_t *r, int cell)
{
	reader_para_kind_t kind = READER_PARA;
	unsigned row = 0, col = 0;
	if (r->depth > 0 && r->groups[r->depth - 1].skip)
		return;
	flush_raw(r);
	if (r->n_para == 1 && (cell || r->intbl || r->itap > 0)) {
		kind = READER_CELL;
		if (r->itap > 1) {
			row = r->nrow;
			col = r->ncol;
		} else {
			row = r->row;
			col = r->col;
		}
	} else if (r->n_para == 1 && (r->row || r->col)) {
		r->row = r->col = r->nrow = r->ncol = 0; /* the table ended */
	}
	if (r->status == READER_OK)
		r->status = reader_priv_add_text(r->doc, para(r), kind, row, col);
	else
		strbuf_reset(para(r));
}

/* ---- control words --------------------------------------------------------- */

/* Destinations whose text is not document text. */
static const char *const skipped[] = {
	"aftncn", "aftnsep", "aftnsepc", "annotation", "atnauthor", "atndate",
	"atnid", "atnref", "author", "bkmkend", "bkmkstart", "buptim",
	"colorschememapping", "colortbl", "comment", "company", "creatim",
	"datafield", "datastore", "docvar", "doccomm", "falt", "field_inst",
	"filetbl", "fldinst", "footer", "footerf", "footerl", "footerr",
	"formfield", "ftncn", "ftnsep", "ftnsepc", "generator", "header",
	"headerf", "headerl", "headerr", "info", "keywords", "latentstyles",
	"listoverridetable", "listtable", "mmathPr", "nonshppict",
	"objdata", "operator", "panose", "pgdsctbl", "pict", "pntxta", "pntxtb",
	"printim", "private", "revtbl", "revtim", "rsidtbl", "shppict",
	"shprslt", "sn", "sp", "stylesheet", "subject", "sv", "template",
	"themedata", "title", "userprops", "xe", "tc", "xmlnstbl", "wgrffmtfilter",
};

static int
is_skipped(const char *w)
{
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (strcmp(skipped[i], w) == 0)
			return 1;
	return 0;
}

static void
control_word(rtf_t *r, const char *w, int has_param, long param)
{
	group_t *g = &r->groups[r->depth - 1];
	int star = r->star;
	r->star = 0;

	if (g->in_fonttbl) {
		if (strcmp(w, "f") == 0 && has_param)
			r->fonttbl_font = param;
		else if (strcmp(w, "fcharset") == 0 && has_param && r->fonttbl_font >= 0)
			set_font_cp(r, r->fonttbl_font, charset_cp(param));
		else if (strcmp(w, "cpg") == 0 && has_param && r->fonttbl_font >= 0 &&
			 cp_name((int)param))
			set_font_cp(r, r->fonttbl_font, (int)param);
		return;
	}
	if (star && strcmp(w, "shpinst") != 0) {
		g->skip = 1;
		return;
	}
	if (strcmp(w, "fonttbl") == 0) {
		g->in_fonttbl = 1;
		g->skip = 1;
		r->fonttbl_font = -1;
		return;
	}
	if (is_skipped(w))
		g->skip = 1;
	if (g->skip)
		return;

	switch (w[0]) {
	case 'a':
		if (strcmp(w, "ansicpg") == 0 && has_param && cp_name((int)param)) {
			r->doc_cp = (int)param;
			r->cp_given = 1;
			return;
		}
		if (strcmp(w, "ansi") == 0 && !r->cp_given)
			r->doc_cp = 1252;
		break;
	case 'b':
		if (strcmp(w, "bullet") == 0)
			add_utf8(r, "\xe2\x80\xa2");
		break;
	case 'c':
		if (strcmp(w, "cell") == 0) {
			end_para(r, 1);
			if (r->n_para == 1) {
				r->col++;
				r->nrow = r->ncol = 0;
			}
		}
		break;
	case 'd':
		if (strcmp(w, "deff") == 0 && has_param)
			r->deff = param;
		break;
	case 'e':
		if (strcmp(w, "emdash") == 0)
			add_utf8(r, "\xe2\x80\x94");
		else if (strcmp(w, "endash") == 0)
			add_utf8(r, "\xe2\x80\x93");
		else if (strcmp(w, "emspace") == 0 || strcmp(w, "enspace") == 0)
			add_utf8(r, " ");
		break;
	case 'f':
		if (strcmp(w, "f") == 0 && has_param) {
			flush_raw(r);
			g->font = param;
		} else if (strcmp(w, "footnote") == 0 && !g->skip) {
			flush_raw(r);
			if (r->n_para < MAX_PARA_DEPTH) {
				strbuf_reset(&r->para[r->n_para++]);
				g->opens_para = 1;
			}
		}
		break;
	case 'i':
		if (strcmp(w, "intbl") == 0)
			r->intbl = 1;
		else if (strcmp(w, "itap") == 0 && has_param)
			r->itap = param < 0 ? 0 : param > 64 ? 64 : (int)param;
		break;
	case 'l':
		if (strcmp(w, "line") == 0)
			add_utf8(r, " ");
		else if (strcmp(w, "lquote") == 0)
			add_utf8(r, "\xe2\x80\x98");
		else if (strcmp(w, "ldblquote") == 0)
			add_utf8(r, "\xe2\x80\x9c");
		break;
	case 'm':
		if (strcmp(w, "mac") == 0 && !r->cp_given)
			r->doc_cp = 10000;
		break;
	case 'n':
		if (strcmp(w, "nestcell") == 0) {
			int itap = r->itap;
			if (r->itap < 2)
				r->itap = 2;
			end_para(r, 1);
			r->itap = itap;
			r->ncol++;
		} else if (strcmp(w, "nestrow") == 0) {
			r->nrow++;
			r->ncol = 0;
		}
		break;
	case 'p':
		if (strcmp(w, "par") == 0 || strcmp(w, "page") == 0)
			end_para(r, 0);
		else if (strcmp(w, "pard") == 0)
			r->intbl = 0, r->itap = 0;
		else if (strcmp(w, "plain") == 0)
			g->font = -1;
		else if (strcmp(w, "pc") == 0 && !r->cp_given)
			r->doc_cp = 437;
		else if (strcmp(w, "pca") == 0 && !r->cp_given)
			r->doc_cp = 850;
		break;
	case 'r':
		if (strcmp(w, "row") == 0) {
			if (r->n_para == 1) {
				r->row++;
				r->col = 0;
			}
		} else if (strcmp(w, "rquote") == 0) {
			add_utf8(r, "\xe2\x80\x99");
		} else if (strcmp(w, "rdblquote") == 0) {
			add_utf8(r, "\xe2\x80\x9d");
		}
		break;
	case 's':
		if (strcmp(w, "sect") == 0)
			end_para(r, 0);
		break;
	case 't':
		if (strcmp(w, "tab") == 0)
			add_utf8(r, "\t");
		break;
	case 'u':
		if (strcmp(w, "u") == 0 && has_param) {
			add_codepoint(r, (unsigned)(param < 0 ? param + 65536 : param) & 0xffff);
			r->skip_chars = g->uc;
		} else if (strcmp(w, "uc") == 0 && has_param) {
			g->uc = param < 0 ? 0 : param > MAX_UC ? MAX_UC : (unsigned char)param;
		}
		break;
	default:
		break;
	}
}

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* After a backslash at r->pos - 1. */
static void
control(rtf_t *r)
{
	char word[33];
	size_t n = 0;
	long param = 0;
	int has_param = 0, neg = 0, counted = r->skip_chars > 0;
	unsigned char c;

	if (r->pos >= r->len)
		return;
	c = r->s[r->pos];
	if (!is_alpha(c)) {
		r->pos++;
		if (counted) {
			r->skip_chars--;
			if (c == '\'' && r->pos + 2 <= r->len)
				r->pos += 2;
			return;
		}
		r->star = 0;
		switch (c) {
		case '\'': {
			int h = r->pos + 2 <= r->len ? hex(r->s[r->pos]) : -1;
			int l = h >= 0 ? hex(r->s[r->pos + 1]) : -1;
			if (l >= 0) {
				r->pos += 2;
				add_byte(r, (unsigned char)(h << 4 | l));
			}
			break;
		}
		case '\\': case '{': case '}':
			add_byte(r, c);
			break;
		case '~':
			add_utf8(r, "\xc2\xa0");
			break;
		case '_':
			add_utf8(r, "-");
			break;
		case '*':
			r->star = 1;
			break;
		case '\n': case '\r':
			end_para(r, 0);
			break;
		case '\t':
			add_utf8(r, "\t");
			break;
		default: /* \- optional hyphen, \| \: formulas, ... */
			break;
		}
		return;
	}
	while (r->pos < r->len && is_alpha(r->s[r->pos])) {
		if (n < sizeof word - 1)
			word[n++] = (char)r->s[r->pos];
		r->pos++;
	}
	word[n] = '\0';
	if (r->pos < r->len && r->s[r->pos] == '-' && r->pos + 1 < r->len &&
	    r->s[r->pos + 1] >= '0' && r->s[r->pos + 1] <= '9') {
		neg = 1;
		r->pos++;
	}
	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9') {
		if (param < 100000000L)
			param = param * 10 + (r->s[r->pos] - '0');
		has_param = 1;
		r->pos++;
	}
	if (neg)
		param = -param;
	if (r->pos < r->len && r->s[r->pos] == ' ')
		r->pos++;

	if (strcmp(word, "bin") == 0) {
		size_t skip = has_param && param > 0 ? (size_t)param : 0;
		r->pos += skip < r->len - r->pos ? skip : r->len - r->pos;
		return;
	}
	if (counted) {
		r->skip_chars--;
		return;
	}
	control_word(r, word, has_param, param);
}

/* ---- the reader ------------------------------------------------------------ */

static void
open_group(rtf_t *r)
{
	if (r->depth >= MAX_DEPTH) {
		r->status = reader_priv_fail(r->doc, READER_MALFORMED,
					     "RTF nested too deeply (over %d groups)",
					     MAX_DEPTH);
		return;
	}
	r->groups[r->depth] = r->groups[r->depth - 1];
	r->groups[r->depth].opens_para = 0;
	r->depth++;
	r->skip_chars = 0;
	r->star = 0;
}

static void
close_group(rtf_t *r)
{
	group_t *g = &r->groups[r->depth - 1];
	flush_raw(r);
	if (g->opens_para) {
		end_para(r, 0);
		r->n_para--;
	}
	r->depth--;
	r->skip_chars = 0;
	r->star = 0;
}

reader_status_t
reader_priv_read_rtf(reader_doc_t *doc, const void *buf, size_t len)
{
	rtf_t *r = xcalloc(1, sizeof *r);
	reader_status_t st;

	r->doc = doc;
	r->s = buf;
	r->len = len;
	r->groups = xcalloc(MAX_DEPTH, sizeof *r->groups);
	r->doc_cp = 1252;
	r->deff = -1;
	r->n_para = 1;
	r->status = READER_OK;
	for (int i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_init(&r->para[i], 0);
	strbuf_init(&r->raw, 0);

	/* The outermost group: "{\rtf1 ...}", the caller checked the brace. */
	r->pos = 1;
	r->depth = 1;
	r->groups[0].font = -1;
	r->groups[0].uc = 1;
	while (r->status == READER_OK && r->depth > 0 && r->pos < r->len) {
		unsigned char c = r->s[r->pos++];
		switch (c) {
		case '{':
			open_group(r);
			break;
		case '}':
			close_group(r);
			break;
		case '\\':
			control(r);
			break;
		case '\r': case '\n':
			break;
		default:
			r->star = 0;
			if (r->skip_chars) {
				r->skip_chars--;
			} else if (c == '\t') {
				add_utf8(r, "\t");
			} else if (c >= 0x20) {
				add_byte(r, c);
			}
			break;
		}
	}
	if (r->status == READER_OK && r->depth > 0)
		r->status = reader_priv_fail(doc, READER_MALFORMED,
					     "truncated RTF (%d group%s not closed)",
					     r->depth, r->depth == 1 ? "" : "s");
	if (r->status == READER_OK)
		end_para(r, 0);
	if (r->status == READER_OK)
		doc->encoding = cp_name(r->doc_cp);
	st = r->status;
	for (int i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_release(&r->para[i]);
	strbuf_release(&r->raw);
	free(r->fonts);
	free(r->groups);
	free(r);
	return st;
}
