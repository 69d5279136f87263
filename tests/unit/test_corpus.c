/*
 * Suite "corpus": the synthetic-protocol generator, its .docx writer and
 * its charset conversion.
 *
 * The .docx files are checked twice: once by an independent reading in
 * this file (zip directory, CRC-32, inflate, libxml2 parse of every XML
 * part), once through protodex's own reader, which must give back exactly
 * the paragraphs and table cells that were written.  The ground truth is
 * parsed as JSON and held against the text as the reader returns it.
 * .odt, .rtf and .html protocols are read independently here too (and
 * through the reader, once it reads them); upload archives are opened
 * with this file's zip reading and libarchive, not protodex's own.
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

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
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
#include "corpus/doc-writers.h"
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
	if (strcmp(truth_name, "ibm866") == 0)
		return "IBM866";
	if (strcmp(truth_name, "utf-16le") == 0)
		return "UTF-16LE";
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
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_DEFAULT);
	cr_assert_eq(corpus_parse_formats("txt,docx,odt,rtf,html", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_ALL);
	cr_assert_eq(corpus_parse_formats("RTF", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_RTF);
	cr_assert_eq(corpus_parse_formats(" docx ", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_FORMAT_DOCX);
	cr_assert_eq(corpus_parse_formats("txt,pdf", &m, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_not_null(strstr(err, "'pdf'"));
	cr_assert_eq(corpus_parse_formats("txt,,docx", &m, err, sizeof(err)), CORPUS_ERR_ARG);
	cr_assert_eq(corpus_parse_encodings("utf-8,cp1251,KOI8-R", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_ENC_DEFAULT);
	cr_assert_eq(corpus_parse_encodings("cp866,utf-16", &m, err, sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)(CORPUS_ENC_IBM866 | CORPUS_ENC_UTF16LE));
	cr_assert_eq(corpus_parse_encodings("utf-8,windows-1251,koi8-r,ibm866,utf-16le", &m, err,
					    sizeof(err)), CORPUS_OK);
	cr_assert_eq(m, (unsigned)CORPUS_ENC_ALL);
	cr_assert_eq(corpus_parse_encodings("ebcdic", &m, err, sizeof(err)), CORPUS_ERR_ARG);
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
	for (i = 0; i < 15; i++) {
		static const char *const order[] = { "txt", "docx", "odt", "rtf", "html" };
		corpus_protocol_t a = gen(1, i, CORPUS_FORMAT_ALL, CORPUS_ENC_ALL);
		corpus_protocol_t b = gen(1, i, CORPUS_FORMAT_RTF | CORPUS_FORMAT_HTML, 0);
		corpus_protocol_t c = gen(1, i, CORPUS_FORMAT_HTML, CORPUS_ENC_CP1251);
		corpus_protocol_t d = gen(1, i, CORPUS_FORMAT_TXT, i % 2 ? CORPUS_ENC_IBM866 : CORPUS_ENC_UTF16LE);
		cr_assert_str_eq(a.format, order[i % 5]);
		cr_assert_not_null(strstr(a.path, order[i % 5]));
		cr_assert_str_eq(b.format, i % 2 ? "html" : "rtf");
		cr_assert_str_eq(c.encoding, "windows-1251");
		cr_assert_not_null(strstr(c.data, "charset=windows-1251"));
		cr_assert_str_eq(d.encoding, i % 2 ? "ibm866" : "utf-16le");
		if (i % 2 == 0)
			cr_assert_eq(memcmp(d.data, "\xff\xfe", 2), 0);
		if (strcmp(a.format, "odt") == 0)
			cr_assert_eq(memcmp(a.data, "PK\x03\x04", 4), 0);
		if (strcmp(b.format, "rtf") == 0)
			cr_assert_eq(memcmp(b.data, "{\\rtf1\\ansi\\ansicpg1251", 23), 0);
		corpus_protocol_release(&a);
		corpus_protocol_release(&b);
		corpus_protocol_release(&c);
		corpus_protocol_release(&d);
	}
}

/* The default options did not change with the new formats. */
Test(corpus, defaults_are_txt_and_docx_in_three_encodings)
{
	corpus_options_t opt;
	corpus_options_init(&opt);
	cr_assert_eq(opt.formats, (unsigned)(CORPUS_FORMAT_TXT | CORPUS_FORMAT_DOCX));
	cr_assert_eq(opt.encodings, (unsigned)(CORPUS_ENC_UTF8 | CORPUS_ENC_CP1251 | CORPUS_ENC_KOI8R));
	cr_assert_eq(opt.uploads, 0);
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

/* ------------------------------------------------------------------ */
/* New encodings of plain text: IBM866 and UTF-16LE.                    */
/* ------------------------------------------------------------------ */

Test(corpus, ibm866_and_utf16_read_back_exactly)
{
	size_t i, seen866 = 0, seen16 = 0;
	for (i = 0; i < 40; i++) {
		corpus_protocol_t p = gen(17, i, CORPUS_FORMAT_TXT, CORPUS_ENC_IBM866 | CORPUS_ENC_UTF16LE);
		reader_doc_t doc;
		jv_t *j = jparse_all(p.truth);
		if (strcmp(p.encoding, "utf-16le") == 0) {
			seen16++;
			cr_assert_eq(memcmp(p.data, "\xff\xfe", 2), 0, "%s: no BOM", p.path);
			cr_assert(jget(j, "bom")->b, "%s: truth says no BOM", p.path);
		} else {
			size_t k;
			cr_assert_str_eq(p.encoding, "ibm866");
			seen866++;
			/* No UTF-8 left in it: Cyrillic is one byte. */
			for (k = 0; k + 1 < p.len; k++)
				cr_assert(!((unsigned char)p.data[k] == 0xd0 &&
					    (unsigned char)p.data[k + 1] >= 0x90 &&
					    (unsigned char)p.data[k + 1] <= 0xbf &&
					    k + 2 < p.len && (unsigned char)p.data[k + 2] == 0xd0),
					  "%s: UTF-8 in an IBM866 file", p.path);
		}
		jfree(j);
		check_read_back(&p, &doc);
		reader_doc_release(&doc);
		check_truth(&p);
		corpus_protocol_release(&p);
	}
	cr_assert_gt(seen866, 5);
	cr_assert_gt(seen16, 5);
}

/* ------------------------------------------------------------------ */
/* Independent readings of .odt, .rtf and .html.                       */
/* ------------------------------------------------------------------ */

/* The value of attribute `attr` in the tag p..end, or NULL. */
static const char *
tag_attr(const char *p, const char *end, const char *attr, size_t *len)
{
	size_t al = strlen(attr);
	const char *q;
	for (q = p; q + al + 2 < end; q++)
		if (strncmp(q, attr, al) == 0 && q[al] == '=' && q[al + 1] == '"' && q[-1] == ' ') {
			const char *v = q + al + 2, *e = memchr(v, '"', (size_t)(end - v));
			cr_assert_not_null(e);
			*len = (size_t)(e - v);
			return v;
		}
	return NULL;
}

/*
 * content.xml's paragraphs: text:p, text:s (text:c spaces), text:tab,
 * text:line-break, table cells.  The writer puts no white space between
 * elements, so character data is taken as it is.
 */
static xparas_t
odt_walk(const char *x)
{
	xparas_t out = { NULL, 0 };
	strbuf_t para = STRBUF_INIT;
	int in_p = 0, tables = 0, r = -1, c = -1;
	const char *p = x, *text_start = NULL;

	while ((p = strchr(p, '<'))) {
		const char *end = strchr(p, '>');
		char name[40];
		size_t n = 0;
		int closing = p[1] == '/', empty;
		const char *q = p + 1 + closing;
		cr_assert_not_null(end);
		if (in_p && text_start)
			xml_unescape(&para, text_start, (size_t)(p - text_start));
		text_start = NULL;
		empty = end[-1] == '/';
		while (q < end && *q != ' ' && *q != '/' && n < sizeof(name) - 1)
			name[n++] = *q++;
		name[n] = '\0';
		if (strcmp(name, "text:p") == 0) {
			if (!closing) {
				in_p = 1;
				strbuf_reset(&para);
			}
			if (closing || empty) {
				cr_assert(in_p);
				xpush(&out, &para, tables > 0, tables ? (unsigned)r : 0, tables ? (unsigned)c : 0);
				in_p = 0;
			}
		} else if (strcmp(name, "text:s") == 0 && in_p) {
			size_t vl, k, count = 1;
			const char *v = tag_attr(p, end, "text:c", &vl);
			if (v)
				count = strtoul(v, NULL, 10);
			for (k = 0; k < count; k++)
				strbuf_addch(&para, ' ');
		} else if (strcmp(name, "text:tab") == 0 && in_p) {
			strbuf_addch(&para, '\t');
		} else if (strcmp(name, "text:line-break") == 0 && in_p) {
			strbuf_addch(&para, '\n');
		} else if (strcmp(name, "table:table") == 0) {
			tables += closing ? -1 : 1;
			r = -1;
		} else if (strcmp(name, "table:table-row") == 0 && !closing) {
			r++;
			c = -1;
		} else if (strcmp(name, "table:table-cell") == 0 && !closing) {
			c++;
		}
		p = end + 1;
		if (in_p)
			text_start = p;
	}
	cr_assert(!in_p && tables == 0, "unbalanced content.xml");
	strbuf_release(&para);
	return out;
}

static xparas_t
odt_independent_read(const char *buf, size_t len)
{
	static const char *const parts[] = { "content.xml", "styles.xml", "META-INF/manifest.xml" };
	const unsigned char *b = (const unsigned char *)buf;
	xparas_t out = { NULL, 0 };
	size_t i, xl, n_entries;
	char *mt;

	/* "mimetype" first, stored, its content right after the header. */
	cr_assert_eq(rd32(b), 0x04034b50u);
	cr_assert_eq(rd16(b + 8), 0u, "mimetype is compressed");
	cr_assert_eq(rd16(b + 26), 8u);
	cr_assert_eq(rd16(b + 28), 0u);
	cr_assert_eq(memcmp(b + 30, "mimetype", 8), 0);
	cr_assert_eq(memcmp(b + 38, "application/vnd.oasis.opendocument.text", 39), 0);
	mt = zip_extract(buf, len, "mimetype", &xl, &n_entries);
	cr_assert_str_eq(mt, "application/vnd.oasis.opendocument.text");
	free(mt);
	cr_assert_eq(n_entries, 4);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *x = zip_extract(buf, len, parts[i], &xl, NULL);
		xmlDoc *doc;
		cr_assert_not_null(x, "part %s missing", parts[i]);
		doc = xmlReadMemory(x, (int)xl, parts[i], NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		cr_assert_not_null(doc, "%s is not well-formed XML", parts[i]);
		xmlFreeDoc(doc);
		if (i == 0)
			out = odt_walk(x);
		if (i == 2)
			cr_assert_not_null(strstr(x, "manifest:full-path=\"content.xml\""));
		free(x);
	}
	return out;
}

/* The Unicode character of a windows-1251 byte, by iconv. */
static void
add_cp1251(strbuf_t *sb, unsigned char c)
{
	size_t n;
	char *u = iconv_back("WINDOWS-1251", (const char *)&c, 1, &n);
	strbuf_add(sb, u, n);
	free(u);
}

/*
 * RTF, as far as the writer uses it: groups, \'xx in windows-1251, \uN
 * with one fallback character (\uc1), \tab, \line, \par, \cell, \row,
 * \intbl, \pard, and destinations ({\fonttbl ...}, {\*\...}) skipped.
 */
static xparas_t
rtf_independent_read(const char *buf, size_t len)
{
	xparas_t out = { NULL, 0 };
	strbuf_t para = STRBUF_INIT;
	int skip[64] = { 0 }, depth = 0, intbl = 0;
	unsigned row = 0, col = 0, high = 0;
	size_t i = 0, k;

	cr_assert_eq(strncmp(buf, "{\\rtf1\\ansi\\ansicpg1251", 23), 0);
	for (k = 0; k < len; k++)
		cr_assert_lt((unsigned char)buf[k], 0x80, "RTF is 7-bit");
	while (i < len) {
		char c = buf[i];
		if (c == '{') {
			cr_assert_lt(depth, 63);
			skip[depth + 1] = skip[depth];
			depth++;
			i++;
		} else if (c == '}') {
			cr_assert_gt(depth, 0, "unbalanced braces");
			depth--;
			i++;
		} else if (c == '\r' || c == '\n') {
			i++;
		} else if (c != '\\') {
			if (!skip[depth])
				strbuf_addch(&para, c);
			i++;
		} else if (strchr("\\{}", buf[i + 1])) {
			if (!skip[depth])
				strbuf_addch(&para, buf[i + 1]);
			i += 2;
		} else if (buf[i + 1] == '\'') {
			unsigned v;
			cr_assert_eq(sscanf(buf + i + 2, "%2x", &v), 1);
			if (!skip[depth])
				add_cp1251(&para, (unsigned char)v);
			i += 4;
		} else if (buf[i + 1] == '*') {
			skip[depth] = 1;
			i += 2;
		} else {
			char word[32];
			size_t n = 0;
			long arg = 0;
			int has_arg = 0;
			i++;
			while (i < len && buf[i] >= 'a' && buf[i] <= 'z' && n < sizeof(word) - 1)
				word[n++] = buf[i++];
			word[n] = '\0';
			cr_assert_gt(n, 0, "bad control word at %zu", i);
			if (buf[i] == '-' || (buf[i] >= '0' && buf[i] <= '9')) {
				char *e;
				arg = strtol(buf + i, &e, 10);
				i = (size_t)(e - buf);
				has_arg = 1;
			}
			if (buf[i] == ' ')
				i++;
			if (strcmp(word, "fonttbl") == 0 || strcmp(word, "colortbl") == 0) {
				skip[depth] = 1;
			} else if (strcmp(word, "u") == 0 && has_arg) {
				unsigned u = (unsigned)(arg < 0 ? arg + 65536 : arg);
				/* The fallback: one character, or one \'xx. */
				if (buf[i] == '\\' && buf[i + 1] == '\'')
					i += 4;
				else
					i++;
				if (skip[depth])
					continue;
				if (u >= 0xd800 && u < 0xdc00) {
					high = u;
				} else if (u >= 0xdc00 && u < 0xe000) {
					cr_assert_neq(high, 0u, "a low surrogate alone");
					put_utf8(&para, 0x10000 + ((high - 0xd800) << 10) + (u - 0xdc00));
					high = 0;
				} else {
					put_utf8(&para, u);
				}
			} else if (skip[depth]) {
				continue;
			} else if (strcmp(word, "tab") == 0) {
				strbuf_addch(&para, '\t');
			} else if (strcmp(word, "line") == 0) {
				strbuf_addch(&para, '\n');
			} else if (strcmp(word, "pard") == 0) {
				intbl = 0;
			} else if (strcmp(word, "intbl") == 0) {
				intbl = 1;
			} else if (strcmp(word, "trowd") == 0) {
				col = 0;
			} else if (strcmp(word, "par") == 0) {
				xpush(&out, &para, intbl, intbl ? row : 0, intbl ? col : 0);
				if (!intbl)
					row = 0;
			} else if (strcmp(word, "cell") == 0) {
				xpush(&out, &para, 1, row, col);
				col++;
			} else if (strcmp(word, "row") == 0) {
				row++;
			}
		}
	}
	cr_assert_eq(depth, 0, "unbalanced braces");
	strbuf_release(&para);
	return out;
}

/* HTML: <p> paragraphs in <td> cells, entities, the page's charset. */
static xparas_t
html_independent_read(const char *buf, size_t len)
{
	xparas_t out = { NULL, 0 };
	strbuf_t para = STRBUF_INIT;
	char *page, *p;
	int in_p = 0, tables = 0, r = -1, c = -1;
	size_t n;

	if (strstr(buf, "charset=windows-1251")) {
		page = iconv_back("WINDOWS-1251", buf, len, &n);
	} else {
		cr_assert_not_null(strstr(buf, "<meta charset=\"utf-8\">"));
		cr_assert(util_utf8_valid(buf, len), "UTF-8 page with bytes that are not");
		page = xstrndup(buf, len);
	}
	p = strstr(page, "<body>");
	cr_assert_not_null(p);
	while (*p) {
		if (*p == '<') {
			char *end = strchr(p, '>');
			char name[16];
			size_t k = 0;
			int closing = p[1] == '/';
			const char *q = p + 1 + closing;
			cr_assert_not_null(end);
			while (q < end && *q != ' ' && k < sizeof(name) - 1)
				name[k++] = *q++;
			name[k] = '\0';
			if (strcmp(name, "p") == 0) {
				if (!closing) {
					in_p = 1;
					strbuf_reset(&para);
				} else {
					cr_assert(in_p);
					xpush(&out, &para, tables > 0, tables ? (unsigned)r : 0,
					      tables ? (unsigned)c : 0);
					in_p = 0;
				}
			} else if (strcmp(name, "table") == 0) {
				tables += closing ? -1 : 1;
				r = -1;
			} else if (strcmp(name, "tr") == 0 && !closing) {
				r++;
				c = -1;
			} else if (strcmp(name, "td") == 0 && !closing) {
				c++;
			}
			p = end + 1;
		} else if (*p == '&' && in_p) {
			char *semi = strchr(p, ';');
			cr_assert_not_null(semi);
			if (strncmp(p, "&laquo;", 7) == 0)
				strbuf_adds(&para, "«");
			else if (strncmp(p, "&raquo;", 7) == 0)
				strbuf_adds(&para, "»");
			else if (strncmp(p, "&mdash;", 7) == 0)
				strbuf_adds(&para, "—");
			else if (strncmp(p, "&ndash;", 7) == 0)
				strbuf_adds(&para, "–");
			else
				xml_unescape(&para, p, (size_t)(semi - p + 1));
			p = semi + 1;
		} else {
			if (in_p)
				strbuf_addch(&para, *p);
			else
				cr_assert(*p == '\r' || *p == '\n', "text outside a paragraph");
			p++;
		}
	}
	cr_assert(!in_p && tables == 0);
	free(page);
	strbuf_release(&para);
	return out;
}

/* Non-empty paragraphs of both, in order, with their cell positions. */
static void
compare_paras(const corpus_protocol_t *p, const xparas_t *x)
{
	size_t i = 0, k = 0;
	for (;;) {
		while (i < p->n_paras && !*p->paras[i].text)
			i++;
		while (k < x->n && !*x->p[k].text)
			k++;
		if (i == p->n_paras || k == x->n)
			break;
		cr_assert_str_eq(x->p[k].text, p->paras[i].text, "%s: paragraph %zu", p->path, i);
		cr_assert_eq(x->p[k].cell, p->paras[i].cell, "%s: paragraph %zu", p->path, i);
		if (p->paras[i].cell) {
			cr_assert_eq(x->p[k].row, p->paras[i].row, "%s: paragraph %zu row", p->path, i);
			cr_assert_eq(x->p[k].col, p->paras[i].col, "%s: paragraph %zu col", p->path, i);
		}
		i++;
		k++;
	}
	cr_assert_eq(i, p->n_paras, "%s: paragraph %zu not in the file", p->path, i);
	cr_assert_eq(k, x->n, "%s: the file has more paragraphs", p->path);
}

static xparas_t
independent_read(const corpus_protocol_t *p)
{
	if (strcmp(p->format, "odt") == 0)
		return odt_independent_read(p->data, p->len);
	if (strcmp(p->format, "rtf") == 0)
		return rtf_independent_read(p->data, p->len);
	cr_assert_str_eq(p->format, "html");
	return html_independent_read(p->data, p->len);
}

Test(corpus, odt_rtf_html_hold_what_was_written)
{
	size_t i;
	int split = 0, cp1251 = 0, unicode_rtf = 0, hex_rtf = 0, goback = 0;
	for (i = 0; i < 90; i++) {
		corpus_protocol_t p = gen(23, i, CORPUS_FORMAT_ODT | CORPUS_FORMAT_RTF | CORPUS_FORMAT_HTML, 0);
		corpus_protocol_t q = gen(23, i, CORPUS_FORMAT_ODT | CORPUS_FORMAT_RTF | CORPUS_FORMAT_HTML, 0);
		xparas_t x = independent_read(&p);
		compare_paras(&p, &x);
		xparas_free(&x);
		cr_assert_eq(p.len, q.len);
		cr_assert_eq(memcmp(p.data, q.data, p.len), 0, "%s: not deterministic", p.path);
		split |= strstr(p.truth, "\"split_runs\":true") != NULL;
		cp1251 |= strcmp(p.format, "html") == 0 && strcmp(p.encoding, "windows-1251") == 0;
		if (strcmp(p.format, "rtf") == 0) {
			unicode_rtf |= strstr(p.data, "\\u1056?") != NULL;   /* Р */
			hex_rtf |= strstr(p.data, "\\'d0") != NULL;
		}
		goback |= strstr(p.data, "_GoBack") != NULL;
		corpus_protocol_release(&p);
		corpus_protocol_release(&q);
	}
	cr_assert(split && cp1251 && unicode_rtf && hex_rtf && goback,
		  "split %d cp1251 %d \\u %d \\' %d goback %d", split, cp1251, unicode_rtf, hex_rtf, goback);
}

/* The writers' escaping on awkward text, through the independent readings. */
Test(corpus, odt_rtf_html_escape_awkward_text)
{
	static const char *const formats[] = { "odt", "rtf", "html" };
	size_t f;
	for (f = 0; f < 3; f++) {
		corpus_protocol_t p;
		docw_t *w = docw_new();
		xparas_t x;
		size_t i;
		memset(&p, 0, sizeof(p));
		p.path = (char *)"sample";
		p.format = formats[f];
		docw_set_split_runs(w, 1);
		docw_set_seed(w, 4);
		docw_set_rtf_escapes(w, DOCW_RTF_MIXED);
		docw_set_html_charset(w, f == 2 ? "windows-1251" : "utf-8");
		docw_add_paragraph(w, "  два  пробела\tи\tтабы  ", 0);
		docw_add_paragraph(w, "{скобки} \\ <теги> & \"кавычки\" «ёлки» № 5 — … ñ 😀", DOCX_PARA_BOLD);
		docw_add_table(w, 3, 3, sample_cells);
		docw_add_paragraph(w, "после таблицы", DOCX_PARA_GOBACK | DOCX_PARA_CENTER);
		cr_assert_eq(docw_write(w, f == 0 ? DOCW_ODT : f == 1 ? DOCW_RTF : DOCW_HTML, &p.data,
					&p.len), DOCX_OK);
		x = independent_read(&p);
		i = 0;
		if (f == 2) {
			cr_assert_str_eq(x.p[0].text, "два пробела и табы");
		} else {
			cr_assert_str_eq(x.p[0].text, "  два  пробела\tи\tтабы  ");
		}
		cr_assert_str_eq(x.p[1].text, "{скобки} \\ <теги> & \"кавычки\" «ёлки» № 5 — … ñ 😀");
		for (i = 2; i < x.n && x.p[i].cell; i++)
			;
		cr_assert_eq(i, 2 + 10, "%s: %zu cell paragraphs", formats[f], i - 2);
		cr_assert_str_eq(x.p[2 + 4].text, "Провести анализ");
		cr_assert_eq(x.p[2 + 4].row, 1u);
		cr_assert_eq(x.p[2 + 4].col, 1u);
		cr_assert_str_eq(x.p[x.n - 1].text[0] ? x.p[x.n - 1].text : x.p[x.n - 2].text, "после таблицы");
		xparas_free(&x);
		free(p.data);
		docw_free(w);
	}
}

/*
 * Through protodex's reader: the .odt, .rtf and .html readers are being
 * written alongside the generator, so this test passes once they read
 * these formats; it states what they must give back.
 */
Test(corpus, odt_rtf_html_read_back_through_reader)
{
	size_t i;
	for (i = 0; i < 45; i++) {
		corpus_protocol_t p = gen(11, i, CORPUS_FORMAT_ODT | CORPUS_FORMAT_RTF | CORPUS_FORMAT_HTML,
					  CORPUS_ENC_UTF8 | CORPUS_ENC_CP1251);
		reader_doc_t doc;
		check_read_back(&p, &doc);
		reader_doc_release(&doc);
		check_truth(&p);
		corpus_protocol_release(&p);
	}
}

/* ------------------------------------------------------------------ */
/* Upload archives.                                                    */
/* ------------------------------------------------------------------ */

/* Central-directory flags of `name` in the zip, or -1 if absent. */
static int
zip_flags(const char *buf, size_t len, const char *name)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t eocd = len - 22, off, i, n;
	cr_assert_eq(rd32(b + eocd), 0x06054b50u);
	n = rd16(b + eocd + 10);
	off = rd32(b + eocd + 16);
	for (i = 0; i < n; i++) {
		unsigned nlen = rd16(b + off + 28);
		if (nlen == strlen(name) && memcmp(b + off + 46, name, nlen) == 0)
			return (int)rd16(b + off + 8);
		off += 46 + nlen + rd16(b + off + 30) + rd16(b + off + 32);
	}
	return -1;
}

/* A UTF-8 name in CP866 bytes. */
static char *
to_cp866(const char *utf8)
{
	iconv_t cd = iconv_open("IBM866", "UTF-8");
	size_t len = strlen(utf8), room = len + 1;
	char *out = xcalloc(1, room), *op = out, *in = (char *)(uintptr_t)utf8;
	cr_assert_neq(cd, (iconv_t)-1);
	cr_assert_neq(iconv(cd, &in, &len, &op, &room), (size_t)-1, "not CP866: %s", utf8);
	iconv_close(cd);
	return out;
}

/* A member of a zip, checking how its name is encoded. */
static char *
zip_member(const char *zip, size_t zlen, const char *name, int cp866, size_t *len)
{
	char *stored = cp866 ? to_cp866(name) : xstrdup(name);
	int flags = zip_flags(zip, zlen, stored);
	char *data;
	cr_assert_neq(flags, -1, "no member '%s'", name);
	if (cp866)
		cr_assert_eq(flags & 0x800, 0, "'%s': UTF-8 flag on a CP866 name", name);
	else
		cr_assert_eq(flags & 0x800, 0x800, "'%s': no UTF-8 flag", name);
	data = zip_extract(zip, zlen, stored, len, NULL);
	cr_assert_not_null(data);
	free(stored);
	return data;
}

/* A member of a .tar.gz or .7z, through libarchive (not protodex). */
static char *
libarchive_member(const char *path, const char *name, size_t *len)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *data = NULL;
	cr_assert_neq(utf8, (locale_t)0);
	old = uselocale(utf8);
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	cr_assert_eq(archive_read_open_filename(a, path, 16384), ARCHIVE_OK, "%s", archive_error_string(a));
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *n = archive_entry_pathname_utf8(e);
		if (n && strcmp(n, name) == 0) {
			la_int64_t size = archive_entry_size(e);
			data = xmalloc((size_t)size + 1);
			cr_assert_eq(archive_read_data(a, data, (size_t)size), (la_ssize_t)size);
			*len = (size_t)size;
			break;
		}
	}
	archive_read_free(a);
	uselocale(old);
	freelocale(utf8);
	cr_assert_not_null(data, "%s: no member '%s'", path, name);
	return data;
}

Test(corpus, uploads_hold_every_protocol)
{
	char *d = make_tmpdir(), *d2 = make_tmpdir(), *plain_dir = make_tmpdir();
	corpus_options_t opt;
	char err[512];
	char *t, *t2, *line, *save = NULL;
	size_t l, l2, n = 0;
	int seen_cp866 = 0, seen_utf8 = 0, seen_tgz = 0, seen_7z = 0, seen_nested = 0, seen_plain = 0;

	corpus_options_init(&opt);
	opt.count = 260;
	opt.seed = 31;
	opt.formats = CORPUS_FORMAT_ALL;
	opt.encodings = CORPUS_ENC_ALL;
	opt.uploads = 1;
	cr_assert_eq(corpus_generate(&opt, d, err, sizeof(err)), CORPUS_OK, "%s", err);
	opt.count = 70;
	cr_assert_eq(corpus_generate(&opt, d2, err, sizeof(err)), CORPUS_OK, "%s", err);
	t = slurp(d, "truth.jsonl", &l);
	t2 = slurp(d2, "truth.jsonl", &l2);
	/* The truth of a smaller corpus is a prefix, uploads and all. */
	cr_assert_lt(l2, l);
	cr_assert_eq(memcmp(t, t2, l2), 0);

	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		jv_t *j = jparse_all(line), *up;
		const char *file, *bang;
		char *data, full[4096];
		size_t len;
		corpus_protocol_t p;
		cr_assert_not_null(j);
		file = jstr(j, "file");
		up = jget(j, "upload");
		cr_assert_not_null(up, "no upload field");
		p = gen(31, n, CORPUS_FORMAT_ALL, CORPUS_ENC_ALL);
		if (up->t == 'z') {
			seen_plain = 1;
			cr_assert_null(strstr(file, "!/"));
			cr_assert_str_eq(file, p.path);
			data = slurp(d, file, &len);
		} else {
			const char *type = jstr(up, "type"), *path = jstr(up, "path");
			const char *member = jstr(up, "member"), *nested = jstr(up, "nested");
			int cp866 = strcmp(jstr(up, "names"), "cp866") == 0;
			strbuf_t want = STRBUF_INIT;
			strbuf_addf(&want, "%s!/", path);
			if (nested)
				strbuf_addf(&want, "%s!/", nested);
			strbuf_adds(&want, member);
			cr_assert_str_eq(file, want.buf);
			strbuf_release(&want);
			bang = strstr(file, "!/");
			cr_assert_eq((size_t)(bang - file), strlen(path));
			/* Named as people name them, with the protocol's extension. */
			cr_assert(strstr(member, "ротокол") || strstr(member, "Выписка"), "%s", member);
			cr_assert_str_eq(strrchr(member, '.') + 1, p.format);
			snprintf(full, sizeof(full), "%s/%s", d, path);
			if (strcmp(type, "zip") == 0) {
				size_t zl;
				char *zip = slurp(d, path, &zl);
				if (nested) {
					size_t il;
					char *inner = zip_member(zip, zl, nested, 0, &il);
					data = zip_member(inner, il, member, cp866, &len);
					free(inner);
					seen_nested = 1;
				} else {
					data = zip_member(zip, zl, member, cp866, &len);
				}
				seen_cp866 |= cp866;
				seen_utf8 |= !cp866;
				free(zip);
			} else {
				cr_assert(strcmp(type, "tar.gz") == 0 || strcmp(type, "7z") == 0, "%s", type);
				cr_assert(!cp866);
				data = libarchive_member(full, member, &len);
				seen_tgz |= strcmp(type, "tar.gz") == 0;
				seen_7z |= strcmp(type, "7z") == 0;
			}
		}
		/* The member is the protocol, byte for byte. */
		cr_assert_eq(len, p.len, "%s", file);
		cr_assert_eq(memcmp(data, p.data, len), 0, "%s differs", file);
		cr_assert_eq((double)len, jget(j, "bytes")->n);
		free(data);
		corpus_protocol_release(&p);
		jfree(j);
		n++;
	}
	cr_assert_eq(n, 260);
	cr_assert(seen_cp866 && seen_utf8 && seen_tgz && seen_7z && seen_nested && seen_plain,
		  "cp866 %d utf8 %d tgz %d 7z %d nested %d plain %d", seen_cp866, seen_utf8, seen_tgz,
		  seen_7z, seen_nested, seen_plain);

	/* Same options, same bytes: every upload is reproducible. */
	opt.count = 260;
	rm_tree(d2);
	d2 = make_tmpdir();
	cr_assert_eq(corpus_generate(&opt, d2, err, sizeof(err)), CORPUS_OK, "%s", err);
	free(t2);
	t2 = slurp(d2, "truth.jsonl", &l2);
	cr_assert_eq(l, l2);
	free(t);
	free(t2);
	{
		/* Compare every upload file by path, from the fresh truth. */
		char *tt = slurp(d, "truth.jsonl", &l), *s2 = NULL, *ln;
		for (ln = strtok_r(tt, "\n", &s2); ln; ln = strtok_r(NULL, "\n", &s2)) {
			jv_t *j = jparse_all(ln), *up = jget(j, "upload");
			const char *path = up->t == 'o' ? jstr(up, "path") : jstr(j, "file");
			size_t a, b;
			char *x = slurp(d, path, &a), *y = slurp(d2, path, &b);
			cr_assert_eq(a, b, "%s", path);
			cr_assert_eq(memcmp(x, y, a), 0, "%s differs", path);
			free(x);
			free(y);
			jfree(j);
		}
		free(tt);
	}
	rm_tree(d);
	rm_tree(d2);
	rm_tree(plain_dir);
}

/* Without --uploads nothing changes: no "upload" field, plain files. */
Test(corpus, no_uploads_no_upload_field)
{
	corpus_protocol_t p = gen(3, 0, 0, 0);
	cr_assert_null(strstr(p.truth, "\"upload\""));
	cr_assert_eq(strncmp(p.truth, "{\"schema\":1,\"file\":\"", 20), 0);
	corpus_protocol_release(&p);
}
