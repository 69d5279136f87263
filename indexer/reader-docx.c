/*
 * reader-docx: WordprocessingML (DOCX) main document part, and the list
 * definitions (word/numbering.xml, word/styles.xml) its numbering uses.
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
 *
 * A paragraph in a Word list (w:numPr, directly or from its paragraph
 * style) starts with the label Word shows for it, computed from
 * word/numbering.xml ("1.1. Организовать ..."; see "list numbering").
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

/* Untrusted XML: see reader_priv_parse_xml. */
static xmlDocPtr
parse_xml(const char *buf, size_t len, const char *url, xml_errors_t *errs)
{
	return reader_priv_parse_xml(buf, len, url, errs->first, sizeof errs->first);
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

/* ---- list numbering ------------------------------------------------------ */

/*
 * Word's automatic numbering puts "1.", "1.1." or a bullet before a
 * paragraph without writing it into the text: the paragraph names a list
 * instance (w:numPr/w:numId, directly or through its paragraph style) and
 * a level (w:ilvl); word/numbering.xml maps the instance (w:num) to a list
 * definition (w:abstractNum) whose w:lvl says how the level counts and
 * what it shows.  The label is recomputed here in document order.
 *
 * Counters: list instances that share a definition share its counters,
 * unless the instance overrides a level (w:lvlOverride with
 * w:startOverride or a w:lvl), which makes it a list of its own.  Using a
 * level advances it (a level not used since it was last reset starts at
 * w:start, or the instance's w:startOverride) and resets the deeper levels
 * whose w:lvlRestart allows it (by default, every deeper level).  An upper
 * level not used yet when a deeper one is counts as used at its start
 * value, as LibreOffice does: "1.1." then "2." for a list that begins at
 * level 1.
 *
 * The numbering part is untrusted like the main part and parsed the same
 * way; a missing, damaged or oversized one only means no labels.  Every
 * table is bounded, values are clamped, and the walk over the parts is a
 * fixed number of nested loops over child lists.
 */

#define NUM_LEVELS 9
/* Largest numbering, styles or relationships part read. */
#define AUX_PART_MAX (16u << 20)
/* Most list definitions, list instances and paragraph styles kept. */
#define MAX_ABSTRACT_NUMS 4096
#define MAX_NUMS 8192
#define MAX_STYLES 8192
/* Longest w:basedOn chain followed (it may be a cycle). */
#define MAX_STYLE_CHAIN 16
/* Longest w:lvlText kept, and longest label made, in bytes. */
#define LVL_TEXT_MAX 64
#define LABEL_MAX 256
/* Counters and start values are clamped to this. */
#define NUM_VALUE_MAX 999999999L
/* Letters repeat ("aa", "bb") up to this many times, then decimal. */
#define LETTER_REPEAT_MAX 30
/* No w:ilvl given. */
#define ILVL_NONE (-100)

typedef enum num_fmt {
	NF_DECIMAL = 0, /* also every format not listed here */
	NF_DECIMAL_ZERO,
	NF_UPPER_ROMAN,
	NF_LOWER_ROMAN,
	NF_UPPER_LETTER,
	NF_LOWER_LETTER,
	NF_RUSSIAN_UPPER,
	NF_RUSSIAN_LOWER,
	NF_BULLET,
	NF_NONE
} num_fmt_t;

typedef struct num_level {
	int defined;
	long start;                  /* w:start (0 if absent, as ECMA-376 says) */
	num_fmt_t fmt;
	int restart;                 /* w:lvlRestart: -1 absent, 0 never, n:
					after a use of levels 1..n (1-based) */
	int legal;                   /* w:isLgl: every number in decimal */
	char *pstyle;                /* w:pStyle, malloc'd, or NULL */
	char text[LVL_TEXT_MAX + 1]; /* w:lvlText, control characters blanked */
} num_level_t;

typedef struct list_state {
	long value[NUM_LEVELS];
	unsigned char started[NUM_LEVELS];
} list_state_t;

typedef struct abstract_num {
	long id;
	size_t order; /* position in the part: the first of equal ids wins */
	num_level_t lvl[NUM_LEVELS];
	list_state_t state; /* shared by the instances that override nothing */
} abstract_num_t;

typedef struct num_inst {
	long id, abstract_id;
	size_t order;
	abstract_num_t *abs; /* resolved once the table is sorted, or NULL */
	int own_state;       /* overrides a level: counts on its own */
	long start_override[NUM_LEVELS];
	unsigned char has_start[NUM_LEVELS];
	num_level_t *lvl;    /* NUM_LEVELS overriding definitions, or NULL */
	list_state_t state;
} num_inst_t;

typedef struct para_style {
	char *id, *based_on;
	size_t order;
	long num_id; /* -1 if the style has no w:numId */
	int ilvl;    /* ILVL_NONE if it has no w:ilvl */
} para_style_t;

typedef struct numbering {
	abstract_num_t *abs;
	size_t n_abs, alloc_abs;
	num_inst_t *nums;
	size_t n_nums, alloc_nums;
	para_style_t *styles;
	size_t n_styles, alloc_styles;
	char *default_style; /* w:default paragraph style's id, or NULL */
} numbering_t;

static xmlChar *
w_attr(const xmlNode *n, const char *name)
{
	return xmlGetNsProp(n, BAD_CAST name, n->ns->href);
}

/* An integer attribute clamped to [lo, hi]; `dflt` if absent or not a number. */
static long
w_long(const xmlNode *n, const char *name, long dflt, long lo, long hi)
{
	xmlChar *v = w_attr(n, name);
	char *end;
	long x;
	if (!v)
		return dflt;
	x = strtol((const char *)v, &end, 10);
	if (end == (char *)v)
		x = dflt;
	else if (x < lo)
		x = lo;
	else if (x > hi)
		x = hi;
	xmlFree(v);
	return x;
}

/* An on/off property: present without w:val means on. */
static int
w_on(const xmlNode *n)
{
	xmlChar *v = w_attr(n, "val");
	int on = !v || !(strcmp((const char *)v, "0") == 0 ||
			 strcmp((const char *)v, "false") == 0 ||
			 strcmp((const char *)v, "off") == 0);
	xmlFree(v);
	return on;
}

static num_fmt_t
parse_num_fmt(const xmlNode *n)
{
	static const struct {
		const char *name;
		num_fmt_t fmt;
	} names[] = {
		{ "decimalZero", NF_DECIMAL_ZERO }, { "upperRoman", NF_UPPER_ROMAN },
		{ "lowerRoman", NF_LOWER_ROMAN },   { "upperLetter", NF_UPPER_LETTER },
		{ "lowerLetter", NF_LOWER_LETTER }, { "russianUpper", NF_RUSSIAN_UPPER },
		{ "russianLower", NF_RUSSIAN_LOWER }, { "bullet", NF_BULLET },
		{ "none", NF_NONE },
	};
	xmlChar *v = w_attr(n, "val");
	num_fmt_t fmt = NF_DECIMAL;
	for (size_t i = 0; v && i < sizeof names / sizeof names[0]; i++)
		if (strcmp((const char *)v, names[i].name) == 0)
			fmt = names[i].fmt;
	xmlFree(v);
	return fmt;
}

/* Length of the UTF-8 sequence led by byte c (1 for stray bytes). */
static size_t
utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static void
copy_lvl_text(const xmlNode *n, char *out)
{
	xmlChar *v = w_attr(n, "val");
	size_t len = 0;
	if (v) {
		const char *s = (const char *)v;
		size_t max = strlen(s);
		/* Whole characters only. */
		while (len < max && len + utf8_len((unsigned char)s[len]) <= LVL_TEXT_MAX)
			len += utf8_len((unsigned char)s[len]);
		if (len > max)
			len = max;
		memcpy(out, s, len);
		/* A label must not break the paragraph: &#10; is legal XML. */
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)out[i] < 0x20 && out[i] != '\t')
				out[i] = ' ';
	}
	out[len] = '\0';
	xmlFree(v);
}

static void
level_property(const xmlNode *e, num_level_t *lvl)
{
	if (is_w(e, "start")) {
		lvl->start = w_long(e, "val", 0, 0, NUM_VALUE_MAX);
	} else if (is_w(e, "numFmt")) {
		lvl->fmt = parse_num_fmt(e);
	} else if (is_w(e, "lvlText")) {
		copy_lvl_text(e, lvl->text);
	} else if (is_w(e, "lvlRestart")) {
		lvl->restart = (int)w_long(e, "val", -1, 0, NUM_LEVELS);
	} else if (is_w(e, "isLgl")) {
		lvl->legal = w_on(e);
	} else if (is_w(e, "pStyle")) {
		xmlChar *v = w_attr(e, "val");
		free(lvl->pstyle);
		lvl->pstyle = v ? xstrdup((const char *)v) : NULL;
		xmlFree(v);
	}
}

/* A w:lvl into `lvl` (which holds nothing yet). */
static void
parse_level(const xmlNode *n, num_level_t *lvl)
{
	lvl->defined = 1;
	lvl->restart = -1;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is_mc(c, "AlternateContent")) {
			/* Word 2010's custom formats: the fallback is a format
			 * every reader knows. */
			for (const xmlNode *b = c->children; b; b = b->next)
				if (is_mc(b, "Fallback"))
					for (const xmlNode *e = b->children; e; e = e->next)
						level_property(e, lvl);
			continue;
		}
		level_property(c, lvl);
	}
}

static void
release_levels(num_level_t *lvl)
{
	for (int i = 0; i < NUM_LEVELS; i++)
		free(lvl[i].pstyle);
}

static int
cmp_abstract(const void *a, const void *b)
{
	const abstract_num_t *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
cmp_num(const void *a, const void *b)
{
	const num_inst_t *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
cmp_style(const void *a, const void *b)
{
	const para_style_t *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Lookups, once the tables are sorted and hold each id once. */
static int
cmp_abstract_id(const void *key, const void *elem)
{
	long id = *(const long *)key, e = ((const abstract_num_t *)elem)->id;
	return id < e ? -1 : id > e;
}

static int
cmp_num_id(const void *key, const void *elem)
{
	long id = *(const long *)key, e = ((const num_inst_t *)elem)->id;
	return id < e ? -1 : id > e;
}

static int
cmp_style_id(const void *key, const void *elem)
{
	return strcmp(key, ((const para_style_t *)elem)->id);
}

static abstract_num_t *
find_abstract(const numbering_t *nb, long id)
{
	return nb->n_abs ? bsearch(&id, nb->abs, nb->n_abs, sizeof *nb->abs, cmp_abstract_id)
			 : NULL;
}

static num_inst_t *
find_num(const numbering_t *nb, long id)
{
	return nb->n_nums ? bsearch(&id, nb->nums, nb->n_nums, sizeof *nb->nums, cmp_num_id)
			  : NULL;
}

static const para_style_t *
find_style(const numbering_t *nb, const char *id)
{
	return id && nb->n_styles ? bsearch(id, nb->styles, nb->n_styles, sizeof *nb->styles,
					    cmp_style_id)
				  : NULL;
}

static void
parse_abstract_num(numbering_t *nb, const xmlNode *n)
{
	abstract_num_t *a;
	long id = w_long(n, "abstractNumId", -1, -1, INT32_MAX);
	if (id < 0 || nb->n_abs >= MAX_ABSTRACT_NUMS)
		return;
	if (nb->n_abs == nb->alloc_abs) {
		nb->alloc_abs = nb->alloc_abs ? 2 * nb->alloc_abs : 8;
		nb->abs = xrealloc(nb->abs, nb->alloc_abs * sizeof *nb->abs);
	}
	a = &nb->abs[nb->n_abs];
	memset(a, 0, sizeof *a);
	a->id = id;
	a->order = nb->n_abs++;
	for (const xmlNode *c = n->children; c; c = c->next) {
		long ilvl;
		if (!is_w(c, "lvl"))
			continue;
		ilvl = w_long(c, "ilvl", -1, -1, NUM_LEVELS);
		if (ilvl >= 0 && ilvl < NUM_LEVELS && !a->lvl[ilvl].defined)
			parse_level(c, &a->lvl[ilvl]);
	}
}

static void
parse_num(numbering_t *nb, const xmlNode *n)
{
	num_inst_t *m;
	long id = w_long(n, "numId", -1, -1, INT32_MAX);
	if (id <= 0 || nb->n_nums >= MAX_NUMS)
		return; /* 0 is "no list" and cannot be defined */
	if (nb->n_nums == nb->alloc_nums) {
		nb->alloc_nums = nb->alloc_nums ? 2 * nb->alloc_nums : 8;
		nb->nums = xrealloc(nb->nums, nb->alloc_nums * sizeof *nb->nums);
	}
	m = &nb->nums[nb->n_nums];
	memset(m, 0, sizeof *m);
	m->id = id;
	m->abstract_id = -1;
	m->order = nb->n_nums++;
	for (const xmlNode *c = n->children; c; c = c->next) {
		long ilvl;
		if (is_w(c, "abstractNumId")) {
			m->abstract_id = w_long(c, "val", -1, -1, INT32_MAX);
			continue;
		}
		if (!is_w(c, "lvlOverride"))
			continue;
		ilvl = w_long(c, "ilvl", -1, -1, NUM_LEVELS);
		if (ilvl < 0 || ilvl >= NUM_LEVELS)
			continue;
		for (const xmlNode *e = c->children; e; e = e->next) {
			if (is_w(e, "startOverride") && !m->has_start[ilvl]) {
				m->has_start[ilvl] = 1;
				m->start_override[ilvl] = w_long(e, "val", 0, 0, NUM_VALUE_MAX);
				m->own_state = 1;
			} else if (is_w(e, "lvl")) {
				if (!m->lvl)
					m->lvl = xcalloc(NUM_LEVELS, sizeof *m->lvl);
				if (!m->lvl[ilvl].defined)
					parse_level(e, &m->lvl[ilvl]);
				m->own_state = 1;
			}
		}
	}
}

static void
parse_numbering(numbering_t *nb, const xmlNode *root)
{
	size_t i, k;
	if (!is_w(root, "numbering"))
		return;
	for (const xmlNode *c = root->children; c; c = c->next) {
		if (is_w(c, "abstractNum"))
			parse_abstract_num(nb, c);
		else if (is_w(c, "num"))
			parse_num(nb, c);
	}
	/* Sort by id, keep the first of each id, then link. */
	if (nb->n_abs)
		qsort(nb->abs, nb->n_abs, sizeof *nb->abs, cmp_abstract);
	for (i = k = 0; i < nb->n_abs; i++) {
		if (k && nb->abs[k - 1].id == nb->abs[i].id)
			release_levels(nb->abs[i].lvl);
		else
			nb->abs[k++] = nb->abs[i];
	}
	nb->n_abs = k;
	if (nb->n_nums)
		qsort(nb->nums, nb->n_nums, sizeof *nb->nums, cmp_num);
	for (i = k = 0; i < nb->n_nums; i++) {
		if (k && nb->nums[k - 1].id == nb->nums[i].id) {
			if (nb->nums[i].lvl) {
				release_levels(nb->nums[i].lvl);
				free(nb->nums[i].lvl);
			}
		} else {
			nb->nums[k++] = nb->nums[i];
		}
	}
	nb->n_nums = k;
	for (i = 0; i < nb->n_nums; i++)
		nb->nums[i].abs = find_abstract(nb, nb->nums[i].abstract_id);
}

static void
parse_styles(numbering_t *nb, const xmlNode *root)
{
	size_t i, k;
	if (!is_w(root, "styles"))
		return;
	for (const xmlNode *c = root->children; c; c = c->next) {
		xmlChar *type, *id, *dflt;
		para_style_t *s;
		if (!is_w(c, "style") || nb->n_styles >= MAX_STYLES)
			continue;
		type = w_attr(c, "type");
		id = w_attr(c, "styleId");
		if ((type && strcmp((const char *)type, "paragraph") != 0) || !id) {
			xmlFree(type);
			xmlFree(id);
			continue;
		}
		xmlFree(type);
		if (nb->n_styles == nb->alloc_styles) {
			nb->alloc_styles = nb->alloc_styles ? 2 * nb->alloc_styles : 32;
			nb->styles = xrealloc(nb->styles, nb->alloc_styles * sizeof *nb->styles);
		}
		s = &nb->styles[nb->n_styles];
		s->id = xstrdup((const char *)id);
		s->based_on = NULL;
		s->order = nb->n_styles++;
		s->num_id = -1;
		s->ilvl = ILVL_NONE;
		dflt = w_attr(c, "default");
		if (dflt && !nb->default_style &&
		    (strcmp((const char *)dflt, "1") == 0 || strcmp((const char *)dflt, "true") == 0 ||
		     strcmp((const char *)dflt, "on") == 0))
			nb->default_style = xstrdup((const char *)id);
		xmlFree(dflt);
		xmlFree(id);
		for (const xmlNode *d = c->children; d; d = d->next) {
			if (is_w(d, "basedOn") && !s->based_on) {
				xmlChar *v = w_attr(d, "val");
				s->based_on = v ? xstrdup((const char *)v) : NULL;
				xmlFree(v);
			}
			if (!is_w(d, "pPr"))
				continue;
			for (const xmlNode *e = d->children; e; e = e->next) {
				if (!is_w(e, "numPr"))
					continue;
				for (const xmlNode *f = e->children; f; f = f->next) {
					if (is_w(f, "numId"))
						s->num_id = w_long(f, "val", 0, 0, INT32_MAX);
					else if (is_w(f, "ilvl"))
						s->ilvl = (int)w_long(f, "val", 0, -1, NUM_LEVELS);
				}
			}
		}
	}
	if (nb->n_styles)
		qsort(nb->styles, nb->n_styles, sizeof *nb->styles, cmp_style);
	for (i = k = 0; i < nb->n_styles; i++) {
		if (k && strcmp(nb->styles[k - 1].id, nb->styles[i].id) == 0) {
			free(nb->styles[i].id);
			free(nb->styles[i].based_on);
		} else {
			nb->styles[k++] = nb->styles[i];
		}
	}
	nb->n_styles = k;
}

static void
numbering_release(numbering_t *nb)
{
	size_t i;
	for (i = 0; i < nb->n_abs; i++)
		release_levels(nb->abs[i].lvl);
	for (i = 0; i < nb->n_nums; i++) {
		if (nb->nums[i].lvl) {
			release_levels(nb->nums[i].lvl);
			free(nb->nums[i].lvl);
		}
	}
	for (i = 0; i < nb->n_styles; i++) {
		free(nb->styles[i].id);
		free(nb->styles[i].based_on);
	}
	free(nb->abs);
	free(nb->nums);
	free(nb->styles);
	free(nb->default_style);
	memset(nb, 0, sizeof *nb);
}

/*
 * Resolve a relationship target against the directory of the part that
 * names it (dir[0..dir_len), ending in '/'): "numbering.xml",
 * "../word/x.xml", "/word/x.xml".  Leaves `out` alone if it does not fit.
 */
static void
resolve_target(const char *dir, size_t dir_len, const char *target, char *out,
	       size_t size)
{
	char buf[512];
	size_t n = 0;
	if (*target == '/') {
		target++;
	} else {
		if (dir_len >= sizeof buf)
			return;
		memcpy(buf, dir, dir_len);
		n = dir_len;
	}
	while (*target) {
		const char *slash = strchr(target, '/');
		size_t seg = slash ? (size_t)(slash - target) : strlen(target);
		if (seg == 2 && target[0] == '.' && target[1] == '.') {
			if (n)
				n--; /* the '/' after the last segment */
			while (n && buf[n - 1] != '/')
				n--;
		} else if (seg && !(seg == 1 && target[0] == '.')) {
			if (n + seg + 1 >= sizeof buf)
				return;
			memcpy(buf + n, target, seg);
			n += seg;
			buf[n++] = '/';
		}
		target += seg + (slash != NULL);
	}
	if (!n || n > size)
		return;
	memcpy(out, buf, n - 1);
	out[n - 1] = '\0';
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * The numbering and styles parts of the main part z->entries[main]: from
 * its relationships if it has them, else Word's usual names.
 */
static void
related_parts(const zip_t *z, size_t main, char *numbering, char *styles, size_t size)
{
	const zip_entry_t *e = &z->entries[main];
	char rels[512], err[64], *text;
	size_t dir_len = 0, len;
	xml_errors_t errs;
	xmlDocPtr xml;
	xmlNodePtr root;

	snprintf(numbering, size, "word/numbering.xml");
	snprintf(styles, size, "word/styles.xml");
	if (e->name_len + 16 > sizeof rels || memchr(e->name, '\0', e->name_len))
		return;
	for (size_t i = 0; i < e->name_len; i++)
		if (e->name[i] == '/')
			dir_len = i + 1;
	snprintf(rels, sizeof rels, "%.*s_rels/%.*s.rels", (int)dir_len, e->name,
		 (int)(e->name_len - dir_len), e->name + dir_len);
	if (zip_extract(z, rels, AUX_PART_MAX, &text, &len, err, sizeof err) != ZIP_OK)
		return;
	xml = parse_xml(text, len, rels, &errs);
	free(text);
	if (!xml)
		return;
	root = xmlDocGetRootElement(xml);
	for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
		xmlChar *type, *target, *mode;
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "Relationship") != 0)
			continue;
		type = xmlGetNoNsProp(n, BAD_CAST "Type");
		target = xmlGetNoNsProp(n, BAD_CAST "Target");
		mode = xmlGetNoNsProp(n, BAD_CAST "TargetMode");
		if (type && target && !(mode && strcmp((const char *)mode, "External") == 0)) {
			if (ends_with((const char *)type, "/numbering"))
				resolve_target(e->name, dir_len, (const char *)target,
					       numbering, size);
			else if (ends_with((const char *)type, "/styles"))
				resolve_target(e->name, dir_len, (const char *)target,
					       styles, size);
		}
		xmlFree(type);
		xmlFree(target);
		xmlFree(mode);
	}
	xmlFreeDoc(xml);
}

/* Parse part `name` of z, or NULL if it is missing, too large or damaged. */
static xmlDocPtr
load_aux_part(const zip_t *z, const char *name)
{
	char *text, err[64];
	size_t len;
	xml_errors_t errs;
	xmlDocPtr xml;
	if (zip_extract(z, name, AUX_PART_MAX, &text, &len, err, sizeof err) != ZIP_OK)
		return NULL;
	xml = parse_xml(text, len, name, &errs);
	free(text);
	return xml;
}

/* Load the list definitions of the DOCX whose main part is z->entries[main]. */
static void
numbering_load(numbering_t *nb, const zip_t *z, size_t main)
{
	char num_part[512], style_part[512];
	xmlDocPtr xml;

	memset(nb, 0, sizeof *nb);
	related_parts(z, main, num_part, style_part, sizeof num_part);
	if (!(xml = load_aux_part(z, num_part)))
		return;
	if (xmlDocGetRootElement(xml))
		parse_numbering(nb, xmlDocGetRootElement(xml));
	xmlFreeDoc(xml);
	if (!nb->n_nums)
		return; /* nothing a style could point to */
	if (!(xml = load_aux_part(z, style_part)))
		return;
	if (xmlDocGetRootElement(xml))
		parse_styles(nb, xmlDocGetRootElement(xml));
	xmlFreeDoc(xml);
}

/* ---- labels ---- */

static const num_level_t *
level_def(const num_inst_t *m, int ilvl)
{
	if (m->lvl && m->lvl[ilvl].defined)
		return &m->lvl[ilvl];
	return &m->abs->lvl[ilvl];
}

static long
level_start(const num_inst_t *m, int ilvl)
{
	return m->has_start[ilvl] ? m->start_override[ilvl] : level_def(m, ilvl)->start;
}

/*
 * One use of level `ilvl`: the upper levels not used yet start, it
 * counts, the levels below it reset.
 */
static void
advance(const num_inst_t *m, list_state_t *st, int ilvl)
{
	for (int k = 0; k < ilvl; k++) {
		if (!st->started[k]) {
			st->value[k] = level_start(m, k);
			st->started[k] = 1;
		}
	}
	if (!st->started[ilvl])
		st->value[ilvl] = level_start(m, ilvl);
	else if (st->value[ilvl] < NUM_VALUE_MAX)
		st->value[ilvl]++;
	st->started[ilvl] = 1;
	for (int k = ilvl + 1; k < NUM_LEVELS; k++) {
		int restart = level_def(m, k)->restart;
		if (restart < 0)
			restart = k; /* after any higher level */
		if (ilvl < restart)
			st->started[k] = 0;
	}
}

static void
roman(long v, int upper, char *out)
{
	static const struct {
		long v;
		const char *s;
	} r[] = { { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
		  { 90, "xc" }, { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" },
		  { 5, "v" }, { 4, "iv" }, { 1, "i" } };
	size_t n = 0;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		for (; v >= r[i].v; v -= r[i].v)
			for (const char *s = r[i].s; *s; s++)
				out[n++] = upper ? (char)(*s - 'a' + 'A') : *s;
	out[n] = '\0';
}

/*
 * Number v in format fmt into out (at least 72 bytes).  Letters go a..z,
 * aa..zz, ...; the Russian alphabets are LibreOffice's (no ё, й, ъ, ь).
 * Values a format cannot show fall back to decimal.
 */
static void
format_number(num_fmt_t fmt, long v, char *out)
{
	static const char *const ru_lower[] = {
		"а", "б", "в", "г", "д", "е", "ж", "з", "и", "к", "л", "м", "н", "о", "п",
		"р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ы", "э", "ю", "я"
	};
	static const char *const ru_upper[] = {
		"А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К", "Л", "М", "Н", "О", "П",
		"Р", "С", "Т", "У", "Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Ы", "Э", "Ю", "Я"
	};
	const long n_ru = (long)(sizeof ru_lower / sizeof ru_lower[0]);

	switch (fmt) {
	case NF_NONE:
	case NF_BULLET:
		out[0] = '\0';
		return;
	case NF_DECIMAL_ZERO:
		snprintf(out, 72, v < 10 ? "0%ld" : "%ld", v);
		return;
	case NF_UPPER_ROMAN:
	case NF_LOWER_ROMAN:
		if (v >= 1 && v <= 3999) {
			roman(v, fmt == NF_UPPER_ROMAN, out);
			return;
		}
		break;
	case NF_UPPER_LETTER:
	case NF_LOWER_LETTER:
		if (v >= 1 && v <= 26 * LETTER_REPEAT_MAX) {
			long reps = (v - 1) / 26 + 1;
			char c = (char)((fmt == NF_UPPER_LETTER ? 'A' : 'a') + (v - 1) % 26);
			memset(out, c, (size_t)reps);
			out[reps] = '\0';
			return;
		}
		break;
	case NF_RUSSIAN_UPPER:
	case NF_RUSSIAN_LOWER:
		if (v >= 1 && v <= n_ru * LETTER_REPEAT_MAX) {
			const char *c = (fmt == NF_RUSSIAN_UPPER ? ru_upper : ru_lower)[(v - 1) % n_ru];
			long reps = (v - 1) / n_ru + 1;
			out[0] = '\0';
			for (long i = 0; i < reps; i++)
				strcat(out, c);
			return;
		}
		break;
	default:
		break;
	}
	snprintf(out, 72, "%ld", v);
}

/* A bullet's mark: dashes stay a dash, anything else (often a symbol
 * font's private-use character) is shown as "•". */
static const char *
bullet_mark(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned cp = s[0];
	if (s[0] >= 0xe0 && s[0] < 0xf0 && s[1] && s[2])
		cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	if (cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
	    cp == 0xf02d /* Symbol's hyphen */)
		return "-";
	return "•";
}

/* Append s[0..len) to the label if it fits whole. */
static void
label_add(char *label, size_t *n, const char *s, size_t len)
{
	if (*n + len > LABEL_MAX)
		return;
	memcpy(label + *n, s, len);
	*n += len;
	label[*n] = '\0';
}

static void
build_label(const num_inst_t *m, const list_state_t *st, int ilvl, char *label)
{
	const num_level_t *def = level_def(m, ilvl);
	size_t n = 0;
	label[0] = '\0';
	if (def->fmt == NF_NONE || !def->text[0])
		return;
	if (def->fmt == NF_BULLET) {
		label_add(label, &n, bullet_mark(def->text), strlen(bullet_mark(def->text)));
		return;
	}
	for (const char *s = def->text; *s;) {
		if (s[0] == '%' && s[1] >= '1' && s[1] <= '9') {
			int k = s[1] - '1';
			const num_level_t *kd = level_def(m, k);
			num_fmt_t fmt = kd->fmt;
			long v = st->started[k] ? st->value[k] : level_start(m, k);
			char num[72];
			if (def->legal && fmt != NF_NONE && fmt != NF_BULLET)
				fmt = NF_DECIMAL;
			format_number(fmt, v, num);
			label_add(label, &n, num, strlen(num));
			s += 2;
		} else {
			size_t len = utf8_len((unsigned char)*s);
			if (strnlen(s, len) < len)
				len = strnlen(s, len);
			label_add(label, &n, s, len);
			s += len;
		}
	}
	/* One space separates label and text, whatever lvlText ends with. */
	while (n > 0 && (label[n - 1] == ' ' || label[n - 1] == '\t'))
		label[--n] = '\0';
}

/*
 * The label Word shows before paragraph `p` ("" if none), counting it in
 * its list.  Direct w:numPr wins over the paragraph style's (w:numId 0
 * switches numbering off); without w:ilvl the level is the style's, or
 * the one whose w:pStyle names the paragraph's style, or 0.  A w:ilvl
 * outside 0-8, or a list that is not defined, gives no label.
 */
static void
para_label(numbering_t *nb, const xmlNode *p, char *label)
{
	const xmlNode *ppr = NULL;
	xmlChar *style = NULL;
	const char *style_id;
	long num_id = -1;
	int ilvl = ILVL_NONE;
	num_inst_t *m;

	label[0] = '\0';
	for (const xmlNode *c = p->children; c && !ppr; c = c->next)
		if (is_w(c, "pPr"))
			ppr = c;
	for (const xmlNode *c = ppr ? ppr->children : NULL; c; c = c->next) {
		if (is_w(c, "pStyle") && !style) {
			style = w_attr(c, "val");
		} else if (is_w(c, "numPr")) {
			for (const xmlNode *d = c->children; d; d = d->next) {
				if (is_w(d, "numId"))
					num_id = w_long(d, "val", 0, 0, INT32_MAX);
				else if (is_w(d, "ilvl"))
					ilvl = (int)w_long(d, "val", 0, -1, NUM_LEVELS);
			}
		}
	}
	style_id = style ? (const char *)style : nb->default_style;
	if (num_id < 0 || ilvl == ILVL_NONE) {
		const para_style_t *s = find_style(nb, style_id);
		for (int depth = 0; s && depth < MAX_STYLE_CHAIN; depth++) {
			if (num_id < 0 && s->num_id >= 0)
				num_id = s->num_id;
			if (ilvl == ILVL_NONE && s->ilvl != ILVL_NONE)
				ilvl = s->ilvl;
			if (num_id >= 0 && ilvl != ILVL_NONE)
				break;
			s = find_style(nb, s->based_on);
		}
	}
	if (num_id <= 0 || !(m = find_num(nb, num_id)) || !m->abs)
		goto out;
	if (ilvl == ILVL_NONE) {
		ilvl = 0;
		for (int k = 0; style_id && k < NUM_LEVELS; k++) {
			const char *ps = level_def(m, k)->pstyle;
			if (ps && strcmp(ps, style_id) == 0) {
				ilvl = k;
				break;
			}
		}
	}
	if (ilvl < 0 || ilvl >= NUM_LEVELS || !level_def(m, ilvl)->defined)
		goto out;
	{
		list_state_t *st = m->own_state ? &m->state : &m->abs->state;
		advance(m, st, ilvl);
		build_label(m, st, ilvl, label);
	}
out:
	xmlFree(style);
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
	char label[MAX_PARA_DEPTH][LABEL_MAX + 1]; /* list label of each */
	int n_para, para_overflow;
	numbering_t *numbering; /* NULL: the document has no lists */
	strbuf_t joined;        /* label, space and text */
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
enter(void *ctx, xmlNode *n)
{
	walker_t *w = ctx;
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
			if (w->n_para < MAX_PARA_DEPTH) {
				w->label[w->n_para][0] = '\0';
				if (w->numbering)
					para_label(w->numbering, n, w->label[w->n_para]);
				strbuf_reset(&w->para[w->n_para++]);
			} else
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
	const char *label = w->label[w->n_para];
	unsigned row = 0, col = 0;

	reader_priv_rtrim(p);
	if (*label) {
		/* Word shows an empty numbered paragraph's label too. */
		strbuf_reset(&w->joined);
		strbuf_adds(&w->joined, label);
		strbuf_addch(&w->joined, ' ');
		strbuf_add(&w->joined, p->buf, p->len);
		reader_priv_rtrim(&w->joined);
		p = &w->joined;
	}
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
leave(void *ctx, xmlNode *n)
{
	walker_t *w = ctx;
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
	numbering_t numbering;
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
	strbuf_init(&w->joined, 0);
	numbering_load(&numbering, z, (size_t)idx);
	if (numbering.n_nums)
		w->numbering = &numbering;
	reader_priv_walk(find_body(root), enter, leave, w, &w->status);
	st = w->status;
	numbering_release(&numbering);
	for (i = 0; i < MAX_PARA_DEPTH; i++)
		strbuf_release(&w->para[i]);
	strbuf_release(&w->nfc);
	strbuf_release(&w->joined);
	free(w);
	xmlFreeDoc(xml);
	return st;
}
