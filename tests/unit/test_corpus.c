/*
 * Suite "corpus": the synthetic-protocol generator, its .docx writer and
 * its charset conversion.
 *
 * The .docx files are checked twice: once by an independent reading in
 * this file (zip directory, CRC-32, inflate, libxml2 parse of every XML
 * part), once through protodex's own reader, which must give back exactly
 * the paragraphs and table cells that were written.  The ground truth is
 * parsed as JSON and held against the text as the reader returns it.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <ftw.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/*
 * libxml2 checks that every XML part is well-formed.  tests/local.mk does
 * not pass $(LIBXML_CFLAGS) to this test (the library is linked through
 * the reader), so without the headers the two functions used are
 * declared here: an opaque document pointer is all they need.
 */
#if defined(__has_include)
#if __has_include(<libxml/parser.h>)
#include <libxml/parser.h>
#define HAVE_LIBXML_HEADERS 1
#endif
#endif
#ifndef HAVE_LIBXML_HEADERS
typedef struct _xmlDoc xmlDoc;
xmlDoc *xmlReadMemory(const char *buffer, int size, const char *url, const char *encoding,
		      int options);
void xmlFreeDoc(xmlDoc *doc);
#define XML_PARSE_NOERROR (1 << 5)
#define XML_PARSE_NOWARNING (1 << 6)
#define XML_PARSE_NONET (1 << 11)
#endif

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/corpus.h"
#include "corpus/docx-writer.h"
#include "indexer/reader.h"

/* ------------------------------------------------------------------ */
/* A minimal JSON parser, enough to check the truth records.           */
/* ------------------------------------------------------------------ */

typedef struct jv {
	char t;              /* 'o' object, 'a' array, 's', 'n', 'b', 'z' (null) */
	char *s;
	double n;
	int b;
	struct jv **v;
	char **k;
	size_t len;
} jv_t;

static void
jfree(jv_t *j)
{
	size_t i;
	if (!j)
		return;
	for (i = 0; i < j->len; i++) {
		jfree(j->v[i]);
		if (j->k)
			free(j->k[i]);
	}
	free(j->v);
	free(j->k);
	free(j->s);
	free(j);
}

static void
jskip(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static void
put_utf8(strbuf_t *sb, unsigned cp)
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

static char *
jstring(const char **p)
{
	strbuf_t sb = STRBUF_INIT;
	if (**p != '"')
		return NULL;
	(*p)++;
	while (**p && **p != '"') {
		unsigned char c = (unsigned char)**p;
		if (c < 0x20)
			goto bad;
		if (c == '\\') {
			(*p)++;
			switch (**p) {
			case '"': strbuf_addch(&sb, '"'); break;
			case '\\': strbuf_addch(&sb, '\\'); break;
			case '/': strbuf_addch(&sb, '/'); break;
			case 'b': strbuf_addch(&sb, '\b'); break;
			case 'f': strbuf_addch(&sb, '\f'); break;
			case 'n': strbuf_addch(&sb, '\n'); break;
			case 'r': strbuf_addch(&sb, '\r'); break;
			case 't': strbuf_addch(&sb, '\t'); break;
			case 'u': {
				unsigned cp;
				if (sscanf(*p + 1, "%4x", &cp) != 1)
					goto bad;
				*p += 4;
				put_utf8(&sb, cp);
				break;
			}
			default:
				goto bad;
			}
			(*p)++;
		} else {
			strbuf_addch(&sb, c);
			(*p)++;
		}
	}
	if (**p != '"')
		goto bad;
	(*p)++;
	return strbuf_detach(&sb, NULL);
bad:
	strbuf_release(&sb);
	return NULL;
}

static jv_t *
jparse(const char **p, int depth)
{
	jv_t *j;
	if (depth > 32)
		return NULL;
	jskip(p);
	j = xcalloc(1, sizeof(*j));
	if (**p == '{' || **p == '[') {
		char close = **p == '{' ? '}' : ']';
		j->t = **p == '{' ? 'o' : 'a';
		(*p)++;
		jskip(p);
		if (**p == close) {
			(*p)++;
			return j;
		}
		for (;;) {
			char *key = NULL;
			jv_t *v;
			jskip(p);
			if (j->t == 'o') {
				key = jstring(p);
				jskip(p);
				if (!key || **p != ':') {
					free(key);
					goto bad;
				}
				(*p)++;
			}
			v = jparse(p, depth + 1);
			if (!v) {
				free(key);
				goto bad;
			}
			j->v = xrealloc(j->v, (j->len + 1) * sizeof(*j->v));
			if (j->t == 'o')
				j->k = xrealloc(j->k, (j->len + 1) * sizeof(*j->k));
			j->v[j->len] = v;
			if (j->t == 'o')
				j->k[j->len] = key;
			j->len++;
			jskip(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p == close) {
				(*p)++;
				return j;
			}
			goto bad;
		}
	}
	if (**p == '"') {
		j->t = 's';
		j->s = jstring(p);
		if (!j->s)
			goto bad;
		return j;
	}
	if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
		j->t = 'b';
		j->b = **p == 't';
		*p += j->b ? 4 : 5;
		return j;
	}
	if (strncmp(*p, "null", 4) == 0) {
		j->t = 'z';
		*p += 4;
		return j;
	}
	if (**p == '-' || (**p >= '0' && **p <= '9')) {
		char *end;
		j->t = 'n';
		j->n = strtod(*p, &end);
		*p = end;
		return j;
	}
bad:
	jfree(j);
	return NULL;
}

static jv_t *
jparse_all(const char *s)
{
	const char *p = s;
	jv_t *j = jparse(&p, 0);
	jskip(&p);
	if (j && *p) {
		jfree(j);
		return NULL;
	}
	return j;
}

static jv_t *
jget(const jv_t *o, const char *key)
{
	size_t i;
	if (!o || o->t != 'o')
		return NULL;
	for (i = 0; i < o->len; i++)
		if (strcmp(o->k[i], key) == 0)
			return o->v[i];
	return NULL;
}

/* The string at key, or NULL if absent or null. */
static const char *
jstr(const jv_t *o, const char *key)
{
	jv_t *v = jget(o, key);
	return v && v->t == 's' ? v->s : NULL;
}

/* ------------------------------------------------------------------ */
/* Helpers.                                                            */
/* ------------------------------------------------------------------ */

/* Collapse runs of white space (NBSP included) to one space; trim. */
static char *
squeeze(const char *s)
{
	strbuf_t sb = STRBUF_INIT;
	int space = 0;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		int w = 0;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			w = 1;
		else if (c == 0xc2 && (unsigned char)s[1] == 0xa0)
			w = 2;
		if (w) {
			space = 1;
			s += w;
			continue;
		}
		if (space && sb.len)
			strbuf_addch(&sb, ' ');
		space = 0;
		strbuf_addch(&sb, c);
		s++;
	}
	return strbuf_detach(&sb, NULL);
}

/* What the reader keeps of a paragraph: trailing white space goes. */
static char *
rtrimmed(const char *s)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_adds(&sb, s);
	for (;;) {
		if (sb.len && strchr(" \t\r\n\f\v", sb.buf[sb.len - 1]))
			strbuf_setlen(&sb, sb.len - 1);
		else if (sb.len >= 2 && (unsigned char)sb.buf[sb.len - 2] == 0xc2 &&
			 (unsigned char)sb.buf[sb.len - 1] == 0xa0)
			strbuf_setlen(&sb, sb.len - 2);
		else
			break;
	}
	return strbuf_detach(&sb, NULL);
}

static char *
make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t;
	if (!base || !*base)
		base = "/tmp";
	t = xmalloc(strlen(base) + 32);
	sprintf(t, "%s/test_corpus.XXXXXX", base);
	cr_assert_not_null(mkdtemp(t), "mkdtemp: %s", strerror(errno));
	return t;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static corpus_protocol_t
gen(uint64_t seed, size_t index, unsigned formats, unsigned encodings)
{
	corpus_options_t opt;
	corpus_protocol_t p;
	char err[256];
	corpus_options_init(&opt);
	opt.seed = seed;
	if (formats)
		opt.formats = formats;
	if (encodings)
		opt.encodings = encodings;
	cr_assert_eq(corpus_protocol_generate(&opt, index, &p, err, sizeof(err)), CORPUS_OK,
		     "generate %zu: %s", index, err);
	return p;
}

/* ------------------------------------------------------------------ */
/* An independent reading of a .docx: zip, CRC, inflate, libxml2.       */
/* ------------------------------------------------------------------ */

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] | ((unsigned)p[1] << 8);
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Extract `name` from the zip in buf; checks headers and CRC. NULL if absent. */
static char *
zip_extract(const char *buf, size_t len, const char *name, size_t *out_len, size_t *n_entries)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t eocd, i, off, n;
	uint32_t cd_off;
	char *found = NULL;

	cr_assert_geq(len, 22);
	eocd = len - 22;
	cr_assert_eq(rd32(b + eocd), 0x06054b50u, "no end of central directory");
	n = rd16(b + eocd + 10);
	cd_off = rd32(b + eocd + 16);
	cr_assert_eq((size_t)cd_off + rd32(b + eocd + 12), eocd, "central directory size");
	if (n_entries)
		*n_entries = n;
	off = cd_off;
	for (i = 0; i < n; i++) {
		unsigned method, nlen, xlen, clen;
		uint32_t crc, csize, usize, loff;
		cr_assert_leq(off + 46, len);
		cr_assert_eq(rd32(b + off), 0x02014b50u);
		method = rd16(b + off + 10);
		crc = rd32(b + off + 16);
		csize = rd32(b + off + 20);
		usize = rd32(b + off + 24);
		nlen = rd16(b + off + 28);
		xlen = rd16(b + off + 30);
		clen = rd16(b + off + 32);
		loff = rd32(b + off + 42);
		cr_assert_eq(rd32(b + loff), 0x04034b50u, "local header");
		cr_assert_eq(rd16(b + loff + 26), nlen);
		cr_assert_eq(memcmp(b + loff + 30, b + off + 46, nlen), 0, "names agree");
		cr_assert_eq(rd32(b + loff + 14), crc, "local and central CRC agree");
		if (nlen == strlen(name) && memcmp(b + off + 46, name, nlen) == 0) {
			const unsigned char *data = b + loff + 30 + nlen + rd16(b + loff + 28);
			char *out = xmalloc(usize + 1);
			if (method == 8) {
				z_stream zs;
				memset(&zs, 0, sizeof(zs));
				cr_assert_eq(inflateInit2(&zs, -15), Z_OK);
				zs.next_in = (Bytef *)(uintptr_t)data;
				zs.avail_in = csize;
				zs.next_out = (Bytef *)out;
				zs.avail_out = usize;
				cr_assert_eq(inflate(&zs, Z_FINISH), Z_STREAM_END, "inflate %s", name);
				cr_assert_eq(zs.total_out, usize);
				inflateEnd(&zs);
			} else {
				cr_assert_eq(method, 0u);
				memcpy(out, data, usize);
			}
			cr_assert_eq((uint32_t)crc32(0, (const Bytef *)out, usize), crc, "CRC of %s", name);
			out[usize] = '\0';
			*out_len = usize;
			found = out;
		}
		off += 46 + nlen + xlen + clen;
	}
	return found;
}

typedef struct xpara {
	char *text;
	int cell;
	unsigned row, col;
} xpara_t;

typedef struct xparas {
	xpara_t *p;
	size_t n;
} xparas_t;

static void
xpush(xparas_t *out, strbuf_t *sb, int cell, unsigned row, unsigned col)
{
	out->p = xrealloc(out->p, (out->n + 1) * sizeof(*out->p));
	out->p[out->n].text = strbuf_detach(sb, NULL);
	out->p[out->n].cell = cell;
	out->p[out->n].row = row;
	out->p[out->n].col = col;
	out->n++;
}

/* Append XML character data with its entity references resolved. */
static void
xml_unescape(strbuf_t *sb, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '&') {
			const char *semi = memchr(s + i, ';', n - i);
			size_t k;
			cr_assert_not_null(semi, "bad entity");
			k = (size_t)(semi - (s + i));
			if (k == 4 && strncmp(s + i, "&amp", 4) == 0)
				strbuf_addch(sb, '&');
			else if (k == 3 && strncmp(s + i, "&lt", 3) == 0)
				strbuf_addch(sb, '<');
			else if (k == 3 && strncmp(s + i, "&gt", 3) == 0)
				strbuf_addch(sb, '>');
			else if (k == 5 && strncmp(s + i, "&quot", 5) == 0)
				strbuf_addch(sb, '"');
			else if (k == 5 && strncmp(s + i, "&apos", 5) == 0)
				strbuf_addch(sb, '\'');
			else if (s[i + 1] == '#')
				put_utf8(sb, (unsigned)strtoul(s + i + 2 + (s[i + 2] == 'x'), NULL,
							       s[i + 2] == 'x' ? 16 : 10));
			else
				cr_assert_fail("unknown entity");
			i += k + 1;
		} else {
			strbuf_addch(sb, s[i++]);
		}
	}
}

/*
 * The paragraphs of word/document.xml, in order, by a scan of the tags:
 * w:p starts and ends a paragraph, w:t holds text, w:tab and w:br are a
 * tab and a line break, w:tbl/w:tr/w:tc give cell positions.  It knows
 * only what docx-writer writes, which is the point: it shares no code
 * with the reader.
 */
static void
xml_walk(const char *x, xparas_t *out)
{
	strbuf_t para = STRBUF_INIT;
	int in_p = 0, in_t = 0, tables = 0;
	int r = -1, c = -1;
	const char *p = x, *text_start = NULL;

	while ((p = strchr(p, '<'))) {
		const char *end = strchr(p, '>');
		char name[32];
		size_t n = 0;
		int closing = p[1] == '/', empty;
		const char *q = p + 1 + closing;
		cr_assert_not_null(end);
		empty = end[-1] == '/';
		while (q < end && *q != ' ' && *q != '/' && n < sizeof(name) - 1)
			name[n++] = *q++;
		name[n] = '\0';
		if (in_t && closing && strcmp(name, "w:t") == 0) {
			xml_unescape(&para, text_start, (size_t)(p - text_start));
			in_t = 0;
		} else if (strcmp(name, "w:t") == 0 && !closing && !empty) {
			in_t = 1;
			text_start = end + 1;
		} else if (strcmp(name, "w:p") == 0) {
			if (!closing) {
				in_p = 1;
				strbuf_reset(&para);
			}
			if (closing || empty) {
				cr_assert(in_p);
				xpush(out, &para, tables > 0, tables ? (unsigned)r : 0, tables ? (unsigned)c : 0);
				in_p = 0;
			}
		} else if (strcmp(name, "w:tab") == 0 && in_p && empty) {
			strbuf_addch(&para, '\t');
		} else if (strcmp(name, "w:br") == 0 && in_p) {
			strbuf_addch(&para, '\n');
		} else if (strcmp(name, "w:tbl") == 0) {
			tables += closing ? -1 : 1;
			r = -1;
		} else if (strcmp(name, "w:tr") == 0 && !closing) {
			r++;
			c = -1;
		} else if (strcmp(name, "w:tc") == 0 && !closing) {
			c++;
		}
		p = end + 1;
	}
	cr_assert(!in_p && !in_t && tables == 0, "unbalanced document.xml");
	strbuf_release(&para);
}

static void
xparas_free(xparas_t *x)
{
	size_t i;
	for (i = 0; i < x->n; i++)
		free(x->p[i].text);
	free(x->p);
}

/*
 * Check the package and return document.xml's paragraphs (the text only:
 * the labels of list paragraphs are not in it).  word/numbering.xml is
 * there exactly when a paragraph is in a Word list, and is then named by
 * the content types and the document's relationships.
 */
static xparas_t
docx_independent_read(const char *buf, size_t len)
{
	static const char *const parts[] = { "[Content_Types].xml", "_rels/.rels",
		"word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
		"word/numbering.xml" };
	xparas_t out = { NULL, 0 };
	size_t i, n_entries = 0, n_parts = 0;
	int lists = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t xl;
		char *x = zip_extract(buf, len, parts[i], &xl, &n_entries);
		xmlDoc *doc;
		if (!x && strcmp(parts[i], "word/numbering.xml") == 0) {
			cr_assert(!lists, "paragraphs in lists but no word/numbering.xml");
			continue;
		}
		cr_assert_not_null(x, "part %s missing", parts[i]);
		n_parts++;
		if (strcmp(parts[i], "word/document.xml") == 0)
			lists = strstr(x, "<w:numPr>") != NULL;
		if (strcmp(parts[i], "word/numbering.xml") == 0)
			cr_assert(lists, "word/numbering.xml without list paragraphs");
		if (lists && strcmp(parts[i], "word/_rels/document.xml.rels") == 0)
			cr_assert_not_null(strstr(x, "relationships/numbering\" Target=\"numbering.xml\""));
		doc = xmlReadMemory(x, (int)xl, parts[i], NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
		cr_assert_not_null(doc, "%s is not well-formed XML", parts[i]);
		if (strcmp(parts[i], "word/document.xml") == 0) {
			cr_assert_not_null(strstr(x, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
						  "wordprocessingml/2006/main\""));
			xml_walk(x, &out);
		}
		if (strcmp(parts[i], "[Content_Types].xml") == 0)
			cr_assert_not_null(strstr(x, "wordprocessingml.document.main+xml"));
		if (strcmp(parts[i], "word/numbering.xml") == 0) {
			char *types = zip_extract(buf, len, "[Content_Types].xml", &xl, NULL);
			cr_assert_not_null(strstr(types, "\"/word/numbering.xml\" ContentType=\""
						  "application/vnd.openxmlformats-officedocument."
						  "wordprocessingml.numbering+xml\""));
			free(types);
		}
		xmlFreeDoc(doc);
		free(x);
	}
	cr_assert_eq(n_entries, n_parts);
	return out;
}

/* ------------------------------------------------------------------ */
/* Determinism.                                                        */
/* ------------------------------------------------------------------ */

Test(corpus, same_seed_gives_identical_bytes)
{
	size_t i;
	for (i = 0; i < 24; i++) {
		corpus_protocol_t a = gen(7, i, 0, 0), b = gen(7, i, 0, 0);
		cr_assert_str_eq(a.path, b.path);
		cr_assert_eq(a.len, b.len, "protocol %zu length", i);
		cr_assert_eq(memcmp(a.data, b.data, a.len), 0, "protocol %zu bytes", i);
		cr_assert_str_eq(a.truth, b.truth);
		corpus_protocol_release(&a);
		corpus_protocol_release(&b);
	}
}

Test(corpus, different_seed_gives_different_protocols)
{
	size_t i, same = 0;
	for (i = 0; i < 24; i++) {
		corpus_protocol_t a = gen(7, i, 0, 0), b = gen(8, i, 0, 0);
		if (a.len == b.len && memcmp(a.data, b.data, a.len) == 0)
			same++;
		corpus_protocol_release(&a);
		corpus_protocol_release(&b);
	}
	cr_assert_eq(same, 0);
}

static char *
slurp(const char *dir, const char *rel, size_t *len)
{
	char path[4096];
	char *buf;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	cr_assert_eq(util_read_file(path, 64u << 20, &buf, len), 0, "read %s", path);
	return buf;
}

Test(corpus, generate_writes_identical_directories)
{
	char *d1 = make_tmpdir(), *d2 = make_tmpdir(), *d3 = make_tmpdir();
	corpus_options_t opt;
	char err[512];
	char *t1, *t2, *t3, *line, *save = NULL;
	size_t l1, l2, l3, n = 0;

	corpus_options_init(&opt);
	opt.count = 30;
	opt.seed = 42;
	cr_assert_eq(corpus_generate(&opt, d1, err, sizeof(err)), CORPUS_OK, "%s", err);
	cr_assert_eq(corpus_generate(&opt, d2, err, sizeof(err)), CORPUS_OK, "%s", err);
	opt.count = 12;
	cr_assert_eq(corpus_generate(&opt, d3, err, sizeof(err)), CORPUS_OK, "%s", err);

	t1 = slurp(d1, "truth.jsonl", &l1);
	t2 = slurp(d2, "truth.jsonl", &l2);
	t3 = slurp(d3, "truth.jsonl", &l3);
	cr_assert_eq(l1, l2);
	cr_assert_eq(memcmp(t1, t2, l1), 0);
	/* A smaller corpus is a prefix of a larger one. */
	cr_assert_lt(l3, l1);
	cr_assert_eq(memcmp(t1, t3, l3), 0);

	for (line = strtok_r(t1, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		jv_t *j = jparse_all(line);
		const char *file;
		size_t a, b;
		char *x, *y;
		cr_assert_not_null(j);
		file = jstr(j, "file");
		cr_assert_not_null(file);
		x = slurp(d1, file, &a);
		y = slurp(d2, file, &b);
		cr_assert_eq(a, b, "%s", file);
		cr_assert_eq(memcmp(x, y, a), 0, "%s differs", file);
		cr_assert_eq((double)a, jget(j, "bytes")->n);
		free(x);
		free(y);
		jfree(j);
		n++;
	}
	cr_assert_eq(n, 30);
	free(t1);
	free(t2);
	free(t3);
	rm_tree(d1);
	rm_tree(d2);
	rm_tree(d3);
}

Test(corpus, generate_reports_unwritable_directory)
{
	corpus_options_t opt;
	char err[512];
	corpus_options_init(&opt);
	opt.count = 1;
	cr_assert_eq(corpus_generate(&opt, "/proc/version/x", err, sizeof(err)), CORPUS_ERR_IO);
	cr_assert_not_null(strstr(err, "'/proc/version/x'"), "%s", err);
}

/* ------------------------------------------------------------------ */
/* The .docx writer.                                                   */
/* ------------------------------------------------------------------ */

static const char *const sample_paras[] = {
	"ПРОТОКОЛ",
	"совещания руководителей общеобразовательных организаций",
	"Срок: до 01.12.2021",
	"1.1.\tОбеспечить объективность <проверки> & \"перепроверки\" работ",
	"  ведущие пробелы сохраняются",
	"Председатель\t\t\tИ.О. Фамилия",
	"ёЁйЙ «кавычки» — тире № 5 …",
};

static const char *const sample_cells[] = {
	"№", "Мероприятие", "Срок",
	"1.", "Провести анализ\nрезультатов ВПР", "постоянно",
	"2.", NULL, "до 01.09.2023",
};

static docx_writer_t *
sample_writer(int split, uint64_t seed)
{
	docx_writer_t *w = docx_writer_new();
	size_t i;
	docx_writer_set_split_runs(w, split);
	docx_writer_set_seed(w, seed);
	for (i = 0; i < 4; i++)
		docx_writer_add_paragraph(w, sample_paras[i]);
	docx_writer_add_table(w, 3, 3, sample_cells);
	for (i = 4; i < sizeof(sample_paras) / sizeof(sample_paras[0]); i++)
		docx_writer_add_paragraph_flags(w, sample_paras[i],
						i == 5 ? DOCX_PARA_GOBACK | DOCX_PARA_BOLD : DOCX_PARA_CENTER);
	return w;
}

/* What was written, in order, as the reader should report it. */
static xparas_t
sample_expected(void)
{
	xparas_t x = { NULL, 0 };
	size_t i, r, c;
#define ADD(t, ce, ro, co)                                                 \
	do {                                                               \
		x.p = xrealloc(x.p, (x.n + 1) * sizeof(*x.p));             \
		x.p[x.n].text = xstrdup(t);                                \
		x.p[x.n].cell = (ce);                                      \
		x.p[x.n].row = (ro);                                       \
		x.p[x.n].col = (co);                                       \
		x.n++;                                                     \
	} while (0)
	for (i = 0; i < 4; i++)
		ADD(sample_paras[i], 0, 0, 0);
	for (r = 0; r < 3; r++)
		for (c = 0; c < 3; c++) {
			const char *cell = sample_cells[r * 3 + c];
			if (!cell) {
				ADD("", 1, r, c);
			} else if (strchr(cell, '\n')) {
				char *copy = xstrdup(cell), *nl = strchr(copy, '\n');
				*nl = '\0';
				ADD(copy, 1, r, c);
				ADD(nl + 1, 1, r, c);
				free(copy);
			} else {
				ADD(cell, 1, r, c);
			}
		}
	for (i = 4; i < sizeof(sample_paras) / sizeof(sample_paras[0]); i++)
		ADD(sample_paras[i], 0, 0, 0);
#undef ADD
	return x;
}

Test(corpus, docx_writer_builds_valid_package)
{
	int split;
	for (split = 0; split <= 1; split++) {
		docx_writer_t *w = sample_writer(split, 99);
		char *buf;
		size_t len, i;
		xparas_t got, want = sample_expected();

		cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
		got = docx_independent_read(buf, len);
		/* The trailing <w:p/> after a final table is absent here. */
		cr_assert_eq(got.n, want.n, "split=%d: %zu paragraphs, want %zu", split, got.n, want.n);
		for (i = 0; i < want.n; i++) {
			cr_assert_str_eq(got.p[i].text, want.p[i].text, "split=%d para %zu", split, i);
			cr_assert_eq(got.p[i].cell, want.p[i].cell);
			cr_assert_eq(got.p[i].row, want.p[i].row);
			cr_assert_eq(got.p[i].col, want.p[i].col);
		}
		if (split) {
			/* More runs than paragraphs: the text really was cut up. */
			size_t xl, runs = 0;
			char *x = zip_extract(buf, len, "word/document.xml", &xl, NULL);
			const char *q;
			for (q = x; (q = strstr(q, "<w:r")); q++)
				runs += q[4] == '>' || q[4] == ' ';
			cr_assert_gt(runs, want.n + 4, "%zu runs", runs);
			free(x);
		}
		xparas_free(&got);
		xparas_free(&want);
		free(buf);
		docx_writer_free(w);
	}
}

Test(corpus, docx_writer_split_runs_change_markup_not_text)
{
	docx_writer_t *a = sample_writer(0, 1), *b = sample_writer(1, 1), *c = sample_writer(1, 2);
	char *ba, *bb, *bc, *xa, *xb, *xc;
	size_t la, lb, lc, xla, xlb, xlc;
	cr_assert_eq(docx_writer_write_buffer(a, &ba, &la), DOCX_OK);
	cr_assert_eq(docx_writer_write_buffer(b, &bb, &lb), DOCX_OK);
	cr_assert_eq(docx_writer_write_buffer(c, &bc, &lc), DOCX_OK);
	xa = zip_extract(ba, la, "word/document.xml", &xla, NULL);
	xb = zip_extract(bb, lb, "word/document.xml", &xlb, NULL);
	xc = zip_extract(bc, lc, "word/document.xml", &xlc, NULL);
	/* More runs with splitting; a different seed cuts elsewhere. */
	cr_assert_gt(xlb, xla);
	cr_assert(xlb != xlc || memcmp(xb, xc, xlb) != 0);
	cr_assert_not_null(strstr(xb, "_GoBack"));
	free(xa);
	free(xb);
	free(xc);
	free(ba);
	free(bb);
	free(bc);
	docx_writer_free(a);
	docx_writer_free(b);
	docx_writer_free(c);
}

Test(corpus, docx_writer_is_deterministic)
{
	docx_writer_t *a = sample_writer(1, 5), *b = sample_writer(1, 5);
	char *ba, *bb;
	size_t la, lb;
	cr_assert_eq(docx_writer_write_buffer(a, &ba, &la), DOCX_OK);
	cr_assert_eq(docx_writer_write_buffer(b, &bb, &lb), DOCX_OK);
	cr_assert_eq(la, lb);
	cr_assert_eq(memcmp(ba, bb, la), 0);
	free(ba);
	free(bb);
	docx_writer_free(a);
	docx_writer_free(b);
}

Test(corpus, docx_writer_repairs_bad_text)
{
	docx_writer_t *w = docx_writer_new();
	char *buf;
	size_t len;
	xparas_t got;
	docx_writer_add_paragraph(w, "a\x01" "b\xff" "c\xd0" "d]]>");
	docx_writer_add_paragraph(w, "строка\nперенос");
	docx_writer_add_paragraph(w, NULL);
	docx_writer_add_table(w, 0, 3, NULL);   /* adds nothing */
	cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
	got = docx_independent_read(buf, len);
	cr_assert_eq(got.n, 3);
	cr_assert_str_eq(got.p[0].text, "ab\xef\xbf\xbd" "c\xef\xbf\xbd" "d]]>");
	cr_assert_str_eq(got.p[1].text, "строка\nперенос");
	cr_assert_str_eq(got.p[2].text, "");
	xparas_free(&got);
	free(buf);
	docx_writer_free(w);
	docx_writer_free(NULL);
}

Test(corpus, docx_write_file_names_the_file)
{
	docx_writer_t *w = docx_writer_new();
	char err[256];
	docx_writer_add_paragraph(w, "x");
	cr_assert_eq(docx_writer_write_file(w, "/nonexistent-dir/a.docx", err, sizeof(err)), DOCX_ERR_IO);
	cr_assert_not_null(strstr(err, "'/nonexistent-dir/a.docx'"), "%s", err);
	docx_writer_free(w);
}

/* The reader must return exactly what was written: split runs joined,
 * cells with their positions, nothing lost. */
Test(corpus, docx_writer_reads_back_through_reader)
{
	int split;
	for (split = 0; split <= 1; split++) {
		docx_writer_t *w = sample_writer(split, 3);
		xparas_t want = sample_expected();
		reader_doc_t doc;
		char *buf;
		size_t len, i, k = 0;

		cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
		reader_doc_init(&doc);
		cr_assert_eq(reader_read_buffer("sample.docx", buf, len, &doc), READER_OK, "%s", doc.error);
		cr_assert_eq(doc.format, READER_FORMAT_DOCX);
		for (i = 0; i < want.n; i++) {
			char *t = rtrimmed(want.p[i].text);
			if (!*t) {
				free(t);
				continue;   /* the reader skips empty paragraphs */
			}
			cr_assert_lt(k, doc.n_paras, "split=%d: missing paragraph %zu '%s'", split, i, t);
			cr_assert_str_eq(doc.paras[k].text, t, "split=%d para %zu", split, i);
			cr_assert_eq(doc.paras[k].kind == READER_CELL, want.p[i].cell);
			if (want.p[i].cell) {
				cr_assert_eq(doc.paras[k].row, want.p[i].row);
				cr_assert_eq(doc.paras[k].col, want.p[i].col);
			}
			free(t);
			k++;
		}
		cr_assert_eq(k, doc.n_paras, "split=%d: extra paragraphs", split);
		reader_doc_release(&doc);
		xparas_free(&want);
		free(buf);
		docx_writer_free(w);
	}
}

/* Word's list numbering: the labels are not in the text, the reader
 * computes them from word/numbering.xml. */
Test(corpus, docx_writer_lists_read_back_with_labels)
{
	static const char *const want[] = {
		"РЕШИЛИ:",
		"1. Руководителям ОУ:",
		"1.1. Обеспечить объективность.",
		"Срок: постоянно",
		"1.2. Провести анализ.",
		"2. Методистам:",
		"2.1. Подготовить рекомендации.",
		"2.1.1. третий уровень",
		"2.2. Второй пункт.",
		"• первый маркер;",
		"• второй маркер.",
		"3.1. Новый список с третьего вопроса.",
		"3.2. Ещё пункт.",
		"4. Уровень ноль после уровня один.",
		"1. Список с начала.",
		"2. Продолжение.",
		"3.",
		"4. Пункт без нового списка продолжает последний.",
	};
	docx_writer_t *w = docx_writer_new();
	reader_doc_t doc;
	xparas_t got;
	char *buf, *x;
	size_t len, xl, i;

	docx_writer_set_split_runs(w, 1);
	docx_writer_add_paragraph_flags(w, "РЕШИЛИ:", DOCX_PARA_BOLD);
	docx_writer_add_numbered(w, 0, "Руководителям ОУ:", 0);
	docx_writer_add_numbered(w, 1, "Обеспечить объективность.", DOCX_PARA_JUSTIFY);
	docx_writer_add_paragraph(w, "Срок: постоянно");
	docx_writer_add_numbered(w, 1, "Провести анализ.", DOCX_PARA_GOBACK);
	docx_writer_add_numbered(w, 0, "Методистам:", 0);
	docx_writer_add_numbered(w, 1, "Подготовить рекомендации.", 0);
	docx_writer_add_numbered(w, 7, "третий уровень", 0);   /* 7 is 2 */
	docx_writer_add_numbered(w, 1, "Второй пункт.", 0);
	docx_writer_add_bulleted(w, "первый маркер;", 0);
	docx_writer_add_bulleted(w, "второй маркер.", DOCX_PARA_CENTER);
	docx_writer_start_list(w, 3);
	docx_writer_add_numbered(w, 1, "Новый список с третьего вопроса.", 0);
	docx_writer_add_numbered(w, 1, "Ещё пункт.", 0);
	docx_writer_add_numbered(w, 0, "Уровень ноль после уровня один.", 0);
	docx_writer_start_list(w, 1);
	docx_writer_add_numbered(w, 0, "Список с начала.", 0);
	docx_writer_add_numbered(w, 0, "Продолжение.", 0);
	docx_writer_add_numbered(w, 0, NULL, 0);             /* Word shows "3." */
	docx_writer_add_numbered(w, 0, "Пункт без нового списка продолжает последний.", 0);
	cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);

	/* The package: valid, with numbering.xml; the text holds no label. */
	got = docx_independent_read(buf, len);
	cr_assert_eq(got.n, sizeof(want) / sizeof(want[0]));
	cr_assert_str_eq(got.p[1].text, "Руководителям ОУ:");
	cr_assert_str_eq(got.p[2].text, "Обеспечить объективность.");
	cr_assert_str_eq(got.p[9].text, "первый маркер;");
	xparas_free(&got);
	x = zip_extract(buf, len, "word/numbering.xml", &xl, NULL);
	cr_assert_not_null(strstr(x, "<w:lvlText w:val=\"%1.%2.\"/>"));
	cr_assert_not_null(strstr(x, "<w:startOverride w:val=\"3\"/>"));
	free(x);

	reader_doc_init(&doc);
	cr_assert_eq(reader_read_buffer("lists.docx", buf, len, &doc), READER_OK, "%s", doc.error);
	cr_assert_eq(doc.n_paras, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < doc.n_paras && i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_str_eq(doc.paras[i].text, want[i], "paragraph %zu", i);
	reader_doc_release(&doc);
	free(buf);
	docx_writer_free(w);

	/* No list paragraph: the package is the same five parts as ever. */
	w = docx_writer_new();
	docx_writer_start_list(w, 4);
	docx_writer_add_paragraph(w, "1. Номер в тексте");
	cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
	got = docx_independent_read(buf, len);
	cr_assert_null(zip_extract(buf, len, "word/numbering.xml", &xl, NULL));
	xparas_free(&got);
	free(buf);
	docx_writer_free(w);
}

/* ------------------------------------------------------------------ */
/* Generated protocols read back.                                      */
/* ------------------------------------------------------------------ */

static const char *
reader_encoding_name(const char *truth_name)
{
	if (strcmp(truth_name, "utf-8") == 0)
		return "UTF-8";
	if (strcmp(truth_name, "windows-1251") == 0)
		return "windows-1251";
	return "KOI8-R";
}

/* Read a generated protocol with the reader; compare with p->paras. */
static void
check_read_back(const corpus_protocol_t *p, reader_doc_t *doc)
{
	size_t i, k = 0;
	reader_doc_init(doc);
	cr_assert_eq(reader_read_buffer(p->path, p->data, p->len, doc), READER_OK,
		     "%s: %s", p->path, doc->error);
	cr_assert_str_eq(reader_format_name(doc->format), p->format, "%s", p->path);
	if (strcmp(p->format, "txt") == 0)
		/* "UTF-8 (BOM)" is UTF-8 too. */
		cr_assert(strncasecmp(doc->encoding, reader_encoding_name(p->encoding),
				      strlen(reader_encoding_name(p->encoding))) == 0,
			  "%s: read as %s, written as %s", p->path, doc->encoding, p->encoding);
	for (i = 0; i < p->n_paras; i++) {
		char *t = rtrimmed(p->paras[i].text);
		if (!*t) {
			free(t);
			continue;
		}
		cr_assert_lt(k, doc->n_paras, "%s: paragraph %zu missing: '%s'", p->path, i, t);
		cr_assert_str_eq(doc->paras[k].text, t, "%s: paragraph %zu", p->path, i);
		cr_assert_eq(doc->paras[k].kind == READER_CELL, p->paras[i].cell, "%s: %zu", p->path, i);
		if (p->paras[i].cell) {
			cr_assert_eq(doc->paras[k].row, p->paras[i].row, "%s: %zu", p->path, i);
			cr_assert_eq(doc->paras[k].col, p->paras[i].col, "%s: %zu", p->path, i);
		}
		free(t);
		k++;
	}
	cr_assert_eq(k, doc->n_paras, "%s: reader found extra paragraphs", p->path);
}

Test(corpus, generated_protocols_read_back_exactly)
{
	size_t i;
	for (i = 0; i < 60; i++) {
		corpus_protocol_t p = gen(11, i, 0, 0);
		reader_doc_t doc;
		if (strcmp(p.format, "docx") == 0) {
			xparas_t x = docx_independent_read(p.data, p.len);
			xparas_free(&x);
		}
		check_read_back(&p, &doc);
		reader_doc_release(&doc);
		corpus_protocol_release(&p);
	}
}

/*
 * Some .docx protocols number their decisions with Word's lists: the
 * numbers are then not in document.xml, and the reader must rebuild them
 * (p->paras holds the text with the labels).
 */
Test(corpus, generated_lists_read_back_with_numbers)
{
	size_t i, with_lists = 0, labelled = 0, bullets = 0, nested = 0;
	for (i = 0; i < 240; i++) {
		corpus_protocol_t p = gen(5, i, CORPUS_FORMAT_DOCX, 0);
		reader_doc_t doc;
		xparas_t x = docx_independent_read(p.data, p.len);
		size_t k, j = 0, xl;
		char *num = zip_extract(p.data, p.len, "word/numbering.xml", &xl, NULL);
		if (num) {
			with_lists++;
			/* Text paragraphs of the file against those the reader
			 * should give: a list paragraph lost its label only. */
			for (k = 0; k < p.n_paras && j < x.n; k++, j++) {
				const char *want = p.paras[k].text, *file = x.p[j].text;
				size_t wl = strlen(want), fl = strlen(file);
				if (strcmp(want, file) == 0)
					continue;
				cr_assert_gt(wl, fl + 1, "%s: paragraph %zu", p.path, k);
				cr_assert_str_eq(want + wl - fl, file, "%s: paragraph %zu", p.path, k);
				cr_assert_eq(want[wl - fl - 1], ' ');
				labelled++;
				bullets += strncmp(want, "• ", strlen("• ")) == 0;
				nested += want[0] >= '1' && want[0] <= '9' && strchr(want, '.') &&
					  strchr(want, '.')[1] >= '1' && strchr(want, '.')[1] <= '9';
			}
		}
		check_read_back(&p, &doc);
		reader_doc_release(&doc);
		xparas_free(&x);
		free(num);
		corpus_protocol_release(&p);
	}
	/* About 40% of the .docx files are drawn; most number their items. */
	cr_assert_gt(with_lists, 40, "%zu protocols with lists", with_lists);
	cr_assert_gt(labelled, 300, "%zu labelled paragraphs", labelled);
	cr_assert_gt(bullets, 5, "%zu bullets", bullets);
	cr_assert_gt(nested, 50, "%zu two-level numbers", nested);
}

Test(corpus, every_encoding_reads_back)
{
	static const unsigned encs[] = { CORPUS_ENC_UTF8, CORPUS_ENC_CP1251, CORPUS_ENC_KOI8R };
	size_t e, i;
	for (e = 0; e < 3; e++)
		for (i = 0; i < 8; i++) {
			corpus_protocol_t p = gen(3, i, CORPUS_FORMAT_TXT, encs[e]);
			reader_doc_t doc;
			cr_assert_str_eq(p.format, "txt");
			check_read_back(&p, &doc);
			reader_doc_release(&doc);
			corpus_protocol_release(&p);
		}
}

/* ------------------------------------------------------------------ */
/* Ground truth.                                                       */
/* ------------------------------------------------------------------ */

static int
contains_squeezed(const char *hay_squeezed, const char *needle)
{
	char *n = squeeze(needle);
	int r = strstr(hay_squeezed, n) != NULL;
	free(n);
	return r;
}

static int
in_one_paragraph(const reader_doc_t *doc, const char *s)
{
	size_t i;
	for (i = 0; i < doc->n_paras; i++)
		if (strstr(doc->paras[i].text, s))
			return 1;
	return 0;
}

static int
valid_iso(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
	       y >= 2018 && y <= 2026 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static void
check_truth(const corpus_protocol_t *p)
{
	jv_t *j = jparse_all(p->truth), *v, *a;
	reader_doc_t doc;
	strbuf_t all = STRBUF_INIT;
	char *sq;
	size_t i, k;
	const char *s, *kind, *date;

	cr_assert_not_null(j, "%s: truth is not JSON", p->path);
	cr_assert_eq(j->t, 'o');
	cr_assert_eq(jget(j, "schema")->n, 1.0);
	cr_assert_str_eq(jstr(j, "file"), p->path);
	cr_assert_str_eq(jstr(j, "format"), p->format);
	cr_assert_str_eq(jstr(j, "encoding"), p->encoding);

	check_read_back(p, &doc);
	for (i = 0; i < doc.n_paras; i++) {
		strbuf_adds(&all, doc.paras[i].text);
		strbuf_addch(&all, '\n');
	}
	sq = squeeze(all.buf);

	/* The file lives under its municipality. */
	v = jget(j, "municipality");
	cr_assert_not_null(v);
	s = jstr(v, "id");
	cr_assert(strncmp(p->path, s, strlen(s)) == 0 && p->path[strlen(s)] == '/', "%s", p->path);
	cr_assert_not_null(jstr(v, "name"));
	a = jget(v, "as_written");
	/* A protocol may name only its town ("г. Мегион"). */
	cr_assert(a && a->t == 'a' && (a->len >= 1 || jstr(j, "place")),
		  "%s: municipality never written", p->path);
	for (i = 0; i < a->len; i++)
		cr_assert(contains_squeezed(sq, a->v[i]->s), "%s: municipality '%s' not in text",
			  p->path, a->v[i]->s);
	cr_assert_not_null(jstr(j, "region"));

	/* Header. */
	kind = jstr(j, "kind");
	cr_assert(strcmp(kind, "protocol") == 0 || strcmp(kind, "extract") == 0);
	cr_assert(contains_squeezed(sq, jstr(j, "kind_text")), "%s: kind_text", p->path);
	date = jstr(j, "date");
	cr_assert(valid_iso(date), "%s: date %s", p->path, date);
	cr_assert(strstr(all.buf, jstr(j, "date_text")), "%s: date_text '%s'", p->path, jstr(j, "date_text"));
	if ((s = jstr(j, "number_text")))
		cr_assert(strstr(all.buf, s), "%s: number_text '%s'", p->path, s);
	cr_assert(!jstr(j, "number_text") == !jstr(j, "number"));
	if ((s = jstr(j, "place")))
		cr_assert(strstr(all.buf, s), "%s: place '%s'", p->path, s);
	if ((s = jstr(jget(j, "meeting"), "text")))
		cr_assert(contains_squeezed(sq, s), "%s: meeting '%s'", p->path, s);
	cr_assert_not_null(jstr(jget(j, "meeting"), "type"));
	if ((s = jstr(j, "theme")))
		cr_assert(strstr(all.buf, s), "%s: theme", p->path);
	v = jget(j, "chair");
	if (v && v->t == 'o' && (s = jstr(v, "as_written")))
		cr_assert(strstr(all.buf, s), "%s: chair '%s'", p->path, s);
	v = jget(j, "secretary");
	if (v && v->t == 'o' && (s = jstr(v, "as_written")))
		cr_assert(strstr(all.buf, s), "%s: secretary '%s'", p->path, s);
	v = jget(j, "attendees");
	cr_assert(v && v->t == 'o');
	a = jget(v, "count");
	if (a->t == 'n')
		cr_assert(a->n > 0 && jstr(v, "basis"));
	if (jstr(v, "basis") && strcmp(jstr(v, "basis"), "enumerated") == 0)
		cr_assert_eq(a->n, (double)jget(v, "listed")->len);

	/* Agenda. */
	a = jget(j, "agenda");
	cr_assert(a && a->t == 'a');
	cr_assert_geq(jget(j, "topics")->len, 1);
	for (i = 0; i < a->len; i++)
		cr_assert(contains_squeezed(sq, jstr(a->v[i], "text")), "%s: agenda '%s'",
			  p->path, jstr(a->v[i], "text"));

	/* Decisions. */
	a = jget(j, "decisions");
	cr_assert(a && a->t == 'a' && a->len >= 1, "%s: no decisions", p->path);
	cr_assert(strstr(all.buf, "Решил") || strstr(all.buf, "РЕШИЛ") || strstr(all.buf, "Решение") ||
		  strstr(all.buf, "ПОСТАНОВИЛ") || strstr(all.buf, "Постановил"),
		  "%s: no decision heading", p->path);
	for (i = 0; i < a->len; i++) {
		jv_t *d = a->v[i], *dl = jget(d, "deadline"), *r = jget(d, "responsible");
		const char *text = jstr(d, "text"), *dk = jstr(dl, "kind");
		cr_assert_eq(jget(d, "ordinal")->n, (double)(i + 1));
		cr_assert_not_null(text);
		if (jget(d, "verbatim")->b)
			cr_assert(in_one_paragraph(&doc, text), "%s: decision %zu not verbatim: '%s'",
				  p->path, i + 1, text);
		else
			cr_assert(contains_squeezed(sq, text), "%s: decision %zu: '%s'", p->path, i + 1, text);
		if ((s = jstr(d, "number")))
			cr_assert(contains_squeezed(sq, s));
		cr_assert(strcmp(dk, "date") == 0 || strcmp(dk, "range") == 0 || strcmp(dk, "permanent") == 0 ||
			  strcmp(dk, "event") == 0 || strcmp(dk, "none") == 0, "%s: kind %s", p->path, dk);
		if (strcmp(dk, "none") == 0) {
			cr_assert_null(jstr(dl, "text"));
		} else {
			cr_assert(contains_squeezed(sq, jstr(dl, "text")), "%s: deadline '%s'",
				  p->path, jstr(dl, "text"));
			cr_assert_not_null(jstr(dl, "placement"));
		}
		if (strcmp(dk, "date") == 0) {
			cr_assert(valid_iso(jstr(dl, "to")));
			cr_assert(strcmp(jstr(dl, "to"), date) > 0, "%s: deadline before the meeting", p->path);
		}
		if (strcmp(dk, "range") == 0) {
			cr_assert(valid_iso(jstr(dl, "from")) && valid_iso(jstr(dl, "to")));
			cr_assert(strcmp(jstr(dl, "from"), jstr(dl, "to")) < 0);
		}
		if (r && r->t == 'o') {
			cr_assert(contains_squeezed(sq, jstr(r, "as_written")), "%s: responsible '%s'",
				  p->path, jstr(r, "as_written"));
			cr_assert_geq(jget(r, "ids")->len, 1);
		}
		if ((v = jget(d, "agenda_item")) && v->t == 'n') {
			jv_t *ag = jget(j, "agenda");
			int found = ag->len == 0;
			for (k = 0; k < ag->len; k++)
				found |= jget(ag->v[k], "n")->n == v->n;
			cr_assert(found, "%s: decision %zu points at agenda item %g", p->path, i + 1, v->n);
		}
	}

	/* Phrases: verbatim, within one paragraph, distinct. */
	a = jget(j, "phrases");
	cr_assert(a && a->t == 'a');
	cr_assert_eq(a->len, 3, "%s: %zu phrases", p->path, a->len);
	for (i = 0; i < a->len; i++) {
		cr_assert(strchr(a->v[i]->s, ' '), "%s: phrase '%s' is one word", p->path, a->v[i]->s);
		cr_assert(in_one_paragraph(&doc, a->v[i]->s), "%s: phrase '%s' not in text", p->path,
			  a->v[i]->s);
		for (k = 0; k < i; k++)
			cr_assert_str_neq(a->v[i]->s, a->v[k]->s);
	}

	/* Signatures name the chair. */
	a = jget(j, "signatures");
	cr_assert(a && a->t == 'a' && a->len >= 1);
	for (i = 0; i < a->len; i++)
		cr_assert_not_null(jstr(a->v[i], "name"));

	free(sq);
	strbuf_release(&all);
	reader_doc_release(&doc);
	jfree(j);
}

/* TEST_CORPUS_COUNT=N (and TEST_CORPUS_SEED) widen the sweep by hand. */
Test(corpus, truth_matches_the_text)
{
	const char *n_env = getenv("TEST_CORPUS_COUNT"), *s_env = getenv("TEST_CORPUS_SEED");
	size_t i, n = n_env ? strtoul(n_env, NULL, 10) : 120;
	uint64_t seed = s_env ? strtoull(s_env, NULL, 10) : 2024;
	for (i = 0; i < n; i++) {
		corpus_protocol_t p = gen(seed, i, 0, 0);
		check_truth(&p);
		corpus_protocol_release(&p);
	}
}

Test(corpus, sizes_stay_between_2_and_20_kb)
{
	size_t i, lo = (size_t)-1, hi = 0;
	for (i = 0; i < 300; i++) {
		corpus_protocol_t p = gen(5, i, 0, 0);
		jv_t *j = jparse_all(p.truth);
		size_t n = (size_t)jget(j, "text_bytes")->n;
		cr_assert_geq(n, 2000, "%s: %zu bytes of text", p.path, n);
		cr_assert_leq(n, 20480, "%s: %zu bytes of text", p.path, n);
		if (n < lo)
			lo = n;
		if (n > hi)
			hi = n;
		jfree(j);
		corpus_protocol_release(&p);
	}
	/* And they do spread over the range. */
	cr_assert_lt(lo, 4000);
	cr_assert_gt(hi, 12000);
}

/* Many layouts, not one: every knob shows up in a few hundred protocols. */
Test(corpus, layouts_vary)
{
	static const char *const want[] = {
		"\"kind\":\"extract\"", "\"kind\":\"protocol\"", "\"kind\":\"date\"", "\"kind\":\"range\"",
		"\"kind\":\"permanent\"", "\"kind\":\"event\"", "\"placement\":\"shared\"",
		"\"placement\":\"inline\"", "\"placement\":\"table\"", "\"placement\":\"heading\"",
		"\"marker\":\"", "\"encoding\":\"koi8-r\"", "\"encoding\":\"windows-1251\"",
		"\"split_runs\":true", "\"newline\":\"crlf\"", "\"bom\":true", "goback", "extra_spaces",
		"broken_lines", "\"basis\":\"stated\"", "\"basis\":\"enumerated\"", "\"count\":null",
		"\"theme\":\"", "\"ids\":[\"person\"]", "\"ids\":[\"education_authority\"]",
		"\"ids\":[\"methodical_service\"]", "\"period\":\"year\"",
	};
	int seen[sizeof(want) / sizeof(want[0])] = { 0 };
	char munis[64][64];
	size_t n_munis = 0, i, k;
	int topics = 0;

	for (i = 0; i < 400; i++) {
		corpus_protocol_t p = gen(9, i, 0, 0);
		const char *slash = strchr(p.path, '/');
		int have = 0;
		for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			seen[k] |= strstr(p.truth, want[k]) != NULL;
		for (k = 0; k < n_munis; k++)
			have |= strncmp(munis[k], p.path, (size_t)(slash - p.path)) == 0 &&
				munis[k][slash - p.path] == '\0';
		if (!have && n_munis < 64) {
			snprintf(munis[n_munis], sizeof(munis[0]), "%.*s", (int)(slash - p.path), p.path);
			n_munis++;
		}
		if (strstr(p.truth, "\"vpr_objectivity\"") && strstr(p.truth, "\"low_results\""))
			topics |= 1;
		if (strstr(p.truth, "\"functional_literacy\"") || strstr(p.truth, "\"mentoring\""))
			topics |= 2;
		corpus_protocol_release(&p);
	}
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		cr_expect(seen[k], "never generated: %s", want[k]);
	cr_assert_geq(n_munis, 35);
	cr_assert_eq(topics, 3);
}

/* ------------------------------------------------------------------ */
/* Options and charsets.                                               */
/* ------------------------------------------------------------------ */

Test(corpus, option_lists_parse)
{
	unsigned m;
	char err[128];
	cr_assert_eq(corpus_parse_formats("txt,docx", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_ALL);
	cr_assert_eq(corpus_parse_formats(" docx ", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_DOCX);
	cr_assert_eq(corpus_parse_formats("txt,pdf", &m, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_not_null(strstr(err, "'pdf'"));
	cr_assert_eq(corpus_parse_formats("txt,,docx", &m, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_eq(corpus_parse_encodings("utf-8,cp1251,KOI8-R", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_ENC_ALL);
	cr_assert_eq(corpus_parse_encodings("ibm866", &m, err, sizeof(err)), CORPUS_ERR_ARG);
}

Test(corpus, formats_and_encodings_are_honoured)
{
	size_t i;
	for (i = 0; i < 10; i++) {
		corpus_protocol_t a = gen(1, i, CORPUS_FORMAT_DOCX, 0);
		corpus_protocol_t b = gen(1, i, CORPUS_FORMAT_TXT, CORPUS_ENC_CP1251);
		corpus_protocol_t c = gen(1, i, 0, 0);
		cr_assert_str_eq(a.format, "docx");
		cr_assert_eq(memcmp(a.data, "PK\x03\x04", 4), 0);
		cr_assert_str_eq(b.format, "txt");
		cr_assert_str_eq(b.encoding, "windows-1251");
		cr_assert_str_eq(c.format, i % 2 ? "docx" : "txt");
		corpus_protocol_release(&a);
		corpus_protocol_release(&b);
		corpus_protocol_release(&c);
	}
}

static char *
iconv_back(const char *charset, const char *buf, size_t len, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	size_t room = len * 4 + 16;
	char *out = xmalloc(room), *op = out;
	char *in = (char *)(uintptr_t)buf;
	cr_assert_neq(cd, (iconv_t)-1);
	cr_assert_neq(iconv(cd, &in, &len, &op, &room), (size_t)-1, "iconv from %s", charset);
	iconv_close(cd);
	*op = '\0';
	*out_len = (size_t)(op - out);
	return out;
}

Test(corpus, encode_round_trips)
{
	static const char text[] =
		"ПРОТОКОЛ № 8\nсовещания руководителей ОО Ёлкинского МО\n"
		"Срок: до 01.12.2021 — «постоянно»…\tИтог\n";
	static const struct {
		const char *charset, *iconv_name;
		const char *back;    /* expected decoding; NULL: the text itself */
	} cases[] = {
		{ "windows-1251", "WINDOWS-1251", NULL },
		{ "cp1251", "WINDOWS-1251", NULL },
		{ "KOI8-R", "KOI8-R",
		  "ПРОТОКОЛ No 8\nсовещания руководителей ОО Ёлкинского МО\n"
		  "Срок: до 01.12.2021 -- <<постоянно>>...\tИтог\n" },
		{ "ibm866", "IBM866",
		  "ПРОТОКОЛ № 8\nсовещания руководителей ОО Ёлкинского МО\n"
		  "Срок: до 01.12.2021 -- <<постоянно>>...\tИтог\n" },
		{ "utf-16le", "UTF-16LE", NULL },
		{ "utf-8", "UTF-8", NULL },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *back, err[256];
		size_t out_len, back_len, skip = 0;
		cr_assert_eq(corpus_encode(cases[i].charset, text, strlen(text), &out, &out_len, err,
					   sizeof(err)), CORPUS_OK, "%s: %s", cases[i].charset, err);
		if (strcmp(cases[i].iconv_name, "UTF-16LE") == 0) {
			cr_assert_eq(memcmp(out, "\xff\xfe", 2), 0, "UTF-16LE starts with a BOM");
			skip = 2;
		}
		back = iconv_back(cases[i].iconv_name, out + skip, out_len - skip, &back_len);
		cr_assert_str_eq(back, cases[i].back ? cases[i].back : text, "%s", cases[i].charset);
		free(back);
		free(out);
	}
}

Test(corpus, encode_refuses_what_it_cannot_hold)
{
	char *out, err[256];
	size_t n;
	/* A Latin letter with a tilde is no typographic character. */
	cr_assert_eq(corpus_encode("koi8-r", "абв\nгд ñ", strlen("абв\nгд ñ"), &out, &n, err,
				   sizeof(err)), CORPUS_ERR_ENCODING);
	cr_assert_null(out);
	cr_assert_not_null(strstr(err, "U+00F1"), "%s", err);
	cr_assert_not_null(strstr(err, "line 2, column 4"), "%s", err);
	cr_assert_eq(corpus_encode("windows-1251", "\xf0\x9f\x98\x80", 4, &out, &n, err, sizeof(err)),
		     CORPUS_ERR_ENCODING);
	cr_assert_eq(corpus_encode("koi8-r", "\xff", 1, &out, &n, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_eq(corpus_encode("ebcdic-ru", "a", 1, &out, &n, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_not_null(strstr(err, "'ebcdic-ru'"));
}
