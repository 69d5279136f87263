/*
 * corpus: renders the models built by gen.c into .txt, .docx, .odt, .rtf
 * and .html files (doc-writers.c, docx-writer.c), packs them into uploads
 * when asked (uploads.c),
 * writes the ground truth as JSON, and lays a corpus out on disk.
 *
 * A .txt protocol is encoded last, and its truth is passed through the
 * same encoder and back: what the truth says is exactly what a reader
 * decoding the file will see (KOI8-R has no «», so a phrase with «
 * becomes one with "<<" in both the file and the truth).
 */
#include "corpus/corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/corpus-int.h"
#include "corpus/doc-writers.h"
#include "corpus/docx-writer.h"

#define TRUTH_SCHEMA_VERSION 1

const char *
corpus_status_to_string(corpus_status_t status)
{
	switch (status) {
	case CORPUS_OK: return "success";
	case CORPUS_ERR_ARG: return "invalid argument";
	case CORPUS_ERR_ENCODING: return "character not representable in the target charset";
	case CORPUS_ERR_IO: return "input/output error";
	case CORPUS_ERR_ZIP: return "cannot build the .docx package";
	}
	return "unknown status";
}

void
corpus_options_init(corpus_options_t *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->seed = 1;
	opt->count = 50;
	opt->formats = CORPUS_FORMAT_DEFAULT;
	opt->encodings = CORPUS_ENC_DEFAULT;
}

/* Call fn on each trimmed, non-empty item of a comma-separated list. */
static corpus_status_t
parse_list(const char *list, unsigned *mask, unsigned (*fn)(const char *),
	   const char *what, char *err, size_t errsz)
{
	const char *p = list;
	*mask = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];
		unsigned bit;
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(item)) {
			if (errsz)
				snprintf(err, errsz, "empty or overlong %s in '%s'", what, list);
			return CORPUS_ERR_ARG;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		bit = fn(item);
		if (!bit) {
			if (errsz)
				snprintf(err, errsz, "unknown %s '%s'", what, item);
			return CORPUS_ERR_ARG;
		}
		*mask |= bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!*mask) {
		if (errsz)
			snprintf(err, errsz, "no %s given", what);
		return CORPUS_ERR_ARG;
	}
	return CORPUS_OK;
}

static unsigned
format_bit(const char *s)
{
	if (strcasecmp(s, "txt") == 0)
		return CORPUS_FORMAT_TXT;
	if (strcasecmp(s, "docx") == 0)
		return CORPUS_FORMAT_DOCX;
	if (strcasecmp(s, "odt") == 0)
		return CORPUS_FORMAT_ODT;
	if (strcasecmp(s, "rtf") == 0)
		return CORPUS_FORMAT_RTF;
	if (strcasecmp(s, "html") == 0 || strcasecmp(s, "htm") == 0)
		return CORPUS_FORMAT_HTML;
	return 0;
}

static unsigned
encoding_bit(const char *s)
{
	const char *c = corpus_charset_canonical(s, NULL);
	if (!c)
		return 0;
	if (strcmp(c, "utf-8") == 0)
		return CORPUS_ENC_UTF8;
	if (strcmp(c, "windows-1251") == 0)
		return CORPUS_ENC_CP1251;
	if (strcmp(c, "koi8-r") == 0)
		return CORPUS_ENC_KOI8R;
	if (strcmp(c, "ibm866") == 0)
		return CORPUS_ENC_IBM866;
	if (strcmp(c, "utf-16le") == 0)
		return CORPUS_ENC_UTF16LE;
	return 0;
}

corpus_status_t
corpus_parse_formats(const char *list, unsigned *mask, char *err, size_t errsz)
{
	return parse_list(list, mask, format_bit, "format", err, errsz);
}

corpus_status_t
corpus_parse_encodings(const char *list, unsigned *mask, char *err, size_t errsz)
{
	return parse_list(list, mask, encoding_bit, "encoding", err, errsz);
}

/* ------------------------------------------------------------------ */

/* The formats in the order protocol indices cycle through them. */
static const struct {
	unsigned bit;
	const char *name;
} formats_order[] = {
	{ CORPUS_FORMAT_TXT, "txt" },
	{ CORPUS_FORMAT_DOCX, "docx" },
	{ CORPUS_FORMAT_ODT, "odt" },
	{ CORPUS_FORMAT_RTF, "rtf" },
	{ CORPUS_FORMAT_HTML, "html" },
};

typedef struct render {
	const corpus_options_t *opt;
	size_t index;
	rng_t r;               /* file-level choices: encoding, newlines */
	const char *format;    /* "txt", "docx", ... */
	int docx;              /* structured (docx, odt, rtf, html): paragraphs, not lines */
	const char *encoding;
	codec_t codec;
	int lossy;             /* truth strings must go through the codec */
	int collapse;          /* html: truth strings with white space collapsed */
	int crlf, bom, final_newline, split_runs;
	unsigned rtf_escapes;  /* DOCW_RTF_* */
	int html_entities;
} render_t;

static const char *
choose_encoding(render_t *rd)
{
	static const unsigned bits[] = { CORPUS_ENC_UTF8, CORPUS_ENC_CP1251, CORPUS_ENC_KOI8R,
					 CORPUS_ENC_IBM866, CORPUS_ENC_UTF16LE };
	static const char *const names[] = { "utf-8", "windows-1251", "koi8-r", "ibm866", "utf-16le" };
	static const unsigned weight[] = { 75, 17, 8, 6, 6 };
	unsigned mask = rd->opt->encodings ? rd->opt->encodings : CORPUS_ENC_DEFAULT;
	unsigned total = 0, x, i;
	for (i = 0; i < 5; i++)
		if (mask & bits[i])
			total += weight[i];
	x = rng_below(&rd->r, total);
	for (i = 0; i < 5; i++) {
		if (!(mask & bits[i]))
			continue;
		if (x < weight[i])
			return names[i];
		x -= weight[i];
	}
	return "utf-8";
}

/* Map a truth string to what a reader of the encoded file will see. */
static char *
as_read(render_t *rd, const char *s)
{
	strbuf_t enc = STRBUF_INIT, dec = STRBUF_INIT;
	char err[8];
	if (rd->collapse)
		return docw_html_text(s);
	if (!rd->lossy)
		return xstrdup(s);
	if (codec_encode(&rd->codec, s, strlen(s), &enc, err, 0) != CORPUS_OK ||
	    codec_decode(&rd->codec, enc.buf, enc.len, &dec) != CORPUS_OK) {
		strbuf_release(&enc);
		strbuf_release(&dec);
		return xstrdup(s);
	}
	strbuf_release(&enc);
	return strbuf_detach(&dec, NULL);
}

/* ---- JSON. ---- */

typedef struct jw {
	strbuf_t *sb;
	render_t *rd;
	int first;
} jw_t;

static void
j_sep(jw_t *j)
{
	if (!j->first)
		strbuf_addch(j->sb, ',');
	j->first = 0;
}

static void
j_key(jw_t *j, const char *key)
{
	j_sep(j);
	strbuf_add_json_string(j->sb, key, strlen(key));
	strbuf_addch(j->sb, ':');
}

static void
j_strval(jw_t *j, const char *s)
{
	if (!s) {
		strbuf_adds(j->sb, "null");
	} else {
		char *m = as_read(j->rd, s);
		strbuf_add_json_string(j->sb, m, strlen(m));
		free(m);
	}
}

static void
j_str(jw_t *j, const char *key, const char *s)
{
	j_key(j, key);
	j_strval(j, s);
}

/* A string that is not text of the document: never mapped. */
static void
j_raw(jw_t *j, const char *key, const char *s)
{
	j_key(j, key);
	strbuf_add_json_string(j->sb, s, strlen(s));
}

static void
j_date(jw_t *j, const char *key, const char *iso)
{
	j_str(j, key, iso && *iso ? iso : NULL);
}

static void
j_int(jw_t *j, const char *key, long v)
{
	j_key(j, key);
	strbuf_addf(j->sb, "%ld", v);
}

static void
j_bool(jw_t *j, const char *key, int v)
{
	j_key(j, key);
	strbuf_adds(j->sb, v ? "true" : "false");
}

static void
j_open(jw_t *j, const char *key, char c)
{
	if (key)
		j_key(j, key);
	else
		j_sep(j);
	strbuf_addch(j->sb, c);
	j->first = 1;
}

static void
j_close(jw_t *j, char c)
{
	strbuf_addch(j->sb, c);
	j->first = 0;
}

static void
j_person(jw_t *j, const char *key, const tperson_t *p, int present)
{
	if (!present) {
		j_key(j, key);
		strbuf_adds(j->sb, "null");
		return;
	}
	j_open(j, key, '{');
	j_str(j, "name", p->name);
	j_str(j, "as_written", p->as_written);
	j_str(j, "role", p->role);
	j_close(j, '}');
}

static void
j_null(jw_t *j, const char *key)
{
	j_key(j, key);
	strbuf_adds(j->sb, "null");
}

static void
truth_json(render_t *rd, const model_t *m, const char *path, size_t file_len,
	   size_t text_bytes, strbuf_t *sb)
{
	jw_t J = { sb, rd, 1 }, *j = &J;
	size_t i, k;

	strbuf_addch(sb, '{');
	j_int(j, "schema", TRUTH_SCHEMA_VERSION);
	j_raw(j, "file", path);
	j_raw(j, "format", rd->format);
	j_raw(j, "encoding", rd->encoding);
	j_bool(j, "bom", rd->bom || strcmp(rd->encoding, "utf-16le") == 0);
	if (rd->docx) {
		j_null(j, "newline");
		j_bool(j, "split_runs", rd->split_runs);
	} else {
		j_str(j, "newline", rd->crlf ? "crlf" : "lf");
		j_bool(j, "split_runs", 0);
	}
	j_int(j, "bytes", (long)file_len);
	j_int(j, "text_bytes", (long)text_bytes);
	j_str(j, "kind", m->kind);
	j_str(j, "kind_text", m->kind_text);
	j_open(j, "meeting", '{');
	j_str(j, "type", m->meeting_type);
	j_str(j, "text", m->meeting_text);
	j_close(j, '}');
	j_str(j, "theme", m->theme);
	j_str(j, "organ", m->organ);
	j_str(j, "number", m->number);
	j_str(j, "number_text", m->number_text);
	j_str(j, "date", m->date);
	j_str(j, "date_text", m->date_text);
	j_str(j, "place", m->place);
	j_str(j, "venue", m->venue);
	j_str(j, "time", m->time);

	j_open(j, "municipality", '{');
	j_str(j, "id", m->muni->id);
	j_str(j, "name", m->muni->name);
	j_open(j, "as_written", '[');
	for (i = 0; i < m->n_muni_written; i++) {
		j_sep(j);
		j_strval(j, m->muni_written[i]);
	}
	j_close(j, ']');
	j_close(j, '}');
	j_str(j, "region", corpus_regions[m->muni->region].name);

	j_person(j, "chair", &m->chair, m->has_chair);
	j_person(j, "secretary", &m->secretary, m->has_secretary);

	j_open(j, "attendees", '{');
	if (m->attendees_count >= 0)
		j_int(j, "count", m->attendees_count);
	else
		j_null(j, "count");
	j_str(j, "basis", m->attendees_basis);
	j_open(j, "listed", '[');
	for (i = 0; i < m->n_listed; i++) {
		j_open(j, NULL, '{');
		j_str(j, "name", m->listed[i].name);
		j_str(j, "role", m->listed[i].role);
		j_close(j, '}');
	}
	j_close(j, ']');
	j_close(j, '}');

	j_open(j, "topics", '[');
	for (i = 0; i < m->n_topics; i++) {
		j_sep(j);
		j_strval(j, m->topics[i]);
	}
	j_close(j, ']');

	j_open(j, "agenda", '[');
	for (i = 0; i < m->n_agenda; i++) {
		const tagenda_t *a = &m->agenda[i];
		j_open(j, NULL, '{');
		j_int(j, "n", a->n);
		j_str(j, "text", a->text);
		j_str(j, "speaker", a->speaker);
		j_str(j, "topic", a->topic);
		j_open(j, "heard", '[');
		for (k = 0; k < a->n_heard; k++) {
			j_sep(j);
			j_strval(j, a->heard[k]);
		}
		j_close(j, ']');
		j_close(j, '}');
	}
	j_close(j, ']');

	j_open(j, "decisions", '[');
	for (i = 0; i < m->n_decisions; i++) {
		const tdecision_t *d = &m->decisions[i];
		j_open(j, NULL, '{');
		j_int(j, "ordinal", d->ordinal);
		j_str(j, "number", d->number);
		j_str(j, "marker", d->marker);
		j_str(j, "path", d->path);
		j_str(j, "text", d->text);
		j_bool(j, "verbatim", d->verbatim);
		if (d->resp) {
			j_open(j, "responsible", '{');
			j_str(j, "as_written", d->resp->as_written);
			j_open(j, "ids", '[');
			for (k = 0; k < d->resp->n_ids; k++) {
				j_sep(j);
				j_strval(j, d->resp->ids[k]);
			}
			j_close(j, ']');
			j_open(j, "persons", '[');
			for (k = 0; k < d->resp->n_persons; k++) {
				j_sep(j);
				j_strval(j, d->resp->persons[k]);
			}
			j_close(j, ']');
			j_str(j, "placement", d->resp->placement);
			j_close(j, '}');
		} else {
			j_null(j, "responsible");
		}
		j_open(j, "deadline", '{');
		j_str(j, "text", d->dl.text);
		j_str(j, "kind", d->dl.kind);
		j_date(j, "from", d->dl.from);
		j_date(j, "to", d->dl.to);
		j_str(j, "period", d->dl.period);
		j_str(j, "placement", d->dl.placement);
		j_close(j, '}');
		if (d->agenda_item)
			j_int(j, "agenda_item", d->agenda_item);
		else
			j_null(j, "agenda_item");
		j_str(j, "topic", d->topic);
		j_close(j, '}');
	}
	j_close(j, ']');

	j_open(j, "signatures", '[');
	for (i = 0; i < m->n_signatures; i++) {
		j_open(j, NULL, '{');
		j_str(j, "role", m->signatures[i].role);
		j_str(j, "name", m->signatures[i].name);
		j_close(j, '}');
	}
	j_close(j, ']');

	j_open(j, "artefacts", '[');
	for (i = 0; i < m->n_artefacts; i++) {
		j_sep(j);
		j_strval(j, m->artefacts[i]);
	}
	j_close(j, ']');

	j_open(j, "phrases", '[');
	for (i = 0; i < m->n_phrases; i++) {
		j_sep(j);
		j_strval(j, m->phrases[i]);
	}
	j_close(j, ']');
	strbuf_addch(sb, '}');
}

/* ---- Paragraph lists. ---- */

static void
push_para(corpus_protocol_t *p, size_t *alloc, const char *text, size_t len, int cell,
	  unsigned row, unsigned col)
{
	corpus_para_t *q;
	if (p->n_paras == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 64;
		p->paras = xrealloc(p->paras, *alloc * sizeof(*p->paras));
	}
	q = &p->paras[p->n_paras++];
	q->text = xstrndup(text, len);
	q->cell = cell;
	q->row = row;
	q->col = col;
}

/* ---- Rendering. ---- */

static unsigned
docx_flags(unsigned f)
{
	unsigned d = 0;
	if (f & B_CENTER)
		d |= DOCX_PARA_CENTER;
	if (f & B_RIGHT)
		d |= DOCX_PARA_RIGHT;
	if (f & B_JUSTIFY)
		d |= DOCX_PARA_JUSTIFY;
	if (f & B_BOLD)
		d |= DOCX_PARA_BOLD;
	if (f & B_GOBACK)
		d |= DOCX_PARA_GOBACK;
	return d;
}

static corpus_status_t
render_docx(render_t *rd, const model_t *m, corpus_protocol_t *p, size_t *text_bytes,
	    char *err, size_t errsz)
{
	docx_writer_t *w = docx_writer_new();
	size_t i, alloc = 0;
	int rc;

	docx_writer_set_split_runs(w, rd->split_runs);
	docx_writer_set_seed(w, rng_next(&rd->r));
	*text_bytes = 0;
	for (i = 0; i < m->n_blocks; i++) {
		const cblock_t *b = &m->blocks[i];
		if (b->table) {
			size_t r, c;
			docx_writer_add_table(w, b->rows, b->cols, (const char *const *)b->cells);
			for (r = 0; r < b->rows; r++)
				for (c = 0; c < b->cols; c++) {
					const char *cell = b->cells[r * b->cols + c];
					for (;;) {
						const char *nl = strchr(cell, '\n');
						size_t n = nl ? (size_t)(nl - cell) : strlen(cell);
						push_para(p, &alloc, cell, n, 1, (unsigned)r, (unsigned)c);
						*text_bytes += n + 1;
						if (!nl)
							break;
						cell = nl + 1;
					}
				}
		} else {
			const char *rest = b->text + b->label_len + 1;
			if (b->list_level > 0) {
				if (b->list_start)
					docx_writer_start_list(w, b->list_start);
				docx_writer_add_numbered(w, (unsigned)b->list_level - 1, rest,
							 docx_flags(b->flags));
			} else if (b->list_level < 0) {
				docx_writer_add_bulleted(w, rest, docx_flags(b->flags));
			} else {
				docx_writer_add_paragraph_flags(w, b->text, docx_flags(b->flags));
			}
			/* A list item reads back with its label: the whole text. */
			push_para(p, &alloc, b->text, strlen(b->text), 0, 0, 0);
			*text_bytes += strlen(b->text) + 1;
			if (m->blank_lines && i + 1 < m->n_blocks && *b->text) {
				docx_writer_add_paragraph(w, "");
				push_para(p, &alloc, "", 0, 0, 0, 0);
			}
		}
	}
	rc = docx_writer_write_buffer(w, &p->data, &p->len);
	docx_writer_free(w);
	if (rc != DOCX_OK) {
		if (errsz)
			snprintf(err, errsz, "%s '%s'", docx_status_to_string(rc), p->path);
		return CORPUS_ERR_ZIP;
	}
	return CORPUS_OK;
}

/* ODT, RTF and HTML: the same paragraphs and tables as a .docx. */
static corpus_status_t
render_doc(render_t *rd, const model_t *m, corpus_protocol_t *p, size_t *text_bytes,
	   char *err, size_t errsz)
{
	docw_t *w = docw_new();
	docw_format_t f = strcmp(rd->format, "odt") == 0 ? DOCW_ODT
			  : strcmp(rd->format, "rtf") == 0 ? DOCW_RTF : DOCW_HTML;
	size_t i, alloc = 0;
	int rc;

	docw_set_split_runs(w, rd->split_runs);
	docw_set_seed(w, rng_next(&rd->r));
	docw_set_rtf_escapes(w, rd->rtf_escapes);
	docw_set_html_charset(w, rd->encoding);
	docw_set_html_entities(w, rd->html_entities);
	*text_bytes = 0;
	for (i = 0; i < m->n_blocks; i++) {
		const cblock_t *b = &m->blocks[i];
		if (b->table) {
			size_t r, c;
			docw_add_table(w, b->rows, b->cols, (const char *const *)b->cells);
			for (r = 0; r < b->rows; r++)
				for (c = 0; c < b->cols; c++) {
					const char *cell = b->cells[r * b->cols + c];
					for (;;) {
						const char *nl = strchr(cell, '\n');
						size_t n = nl ? (size_t)(nl - cell) : strlen(cell);
						char *t = xstrndup(cell, n);
						if (rd->collapse) {
							char *h = docw_html_text(t);
							free(t);
							t = h;
						}
						push_para(p, &alloc, t, strlen(t), 1, (unsigned)r, (unsigned)c);
						*text_bytes += strlen(t) + 1;
						free(t);
						if (!nl)
							break;
						cell = nl + 1;
					}
				}
		} else {
			/* Word's list labels are part of the text here. */
			char *t = rd->collapse ? docw_html_text(b->text) : xstrdup(b->text);
			docw_add_paragraph(w, b->text, docx_flags(b->flags));
			push_para(p, &alloc, t, strlen(t), 0, 0, 0);
			*text_bytes += strlen(t) + 1;
			free(t);
			if (m->blank_lines && i + 1 < m->n_blocks && *b->text) {
				docw_add_paragraph(w, "", 0);
				push_para(p, &alloc, "", 0, 0, 0, 0);
			}
		}
	}
	rc = docw_write(w, f, &p->data, &p->len);
	docw_free(w);
	if (rc != DOCX_OK) {
		if (errsz)
			snprintf(err, errsz, "%s '%s'", docx_status_to_string(rc), p->path);
		return CORPUS_ERR_ZIP;
	}
	return CORPUS_OK;
}

static corpus_status_t
render_txt(render_t *rd, const model_t *m, corpus_protocol_t *p, size_t *text_bytes,
	   char *err, size_t errsz)
{
	strbuf_t text = STRBUF_INIT, enc = STRBUF_INIT, dec = STRBUF_INIT;
	const char *nl = rd->crlf ? "\r\n" : "\n";
	size_t i, k, alloc = 0;
	corpus_status_t rc;
	const char *s, *end;
	char msg[256];

	if (rd->bom)
		strbuf_adds(&text, "\xef\xbb\xbf");
	for (i = 0; i < m->n_blocks; i++) {
		const cblock_t *b = &m->blocks[i];
		if (b->table) {
			size_t r, c;
			for (r = 0; r < b->rows; r++) {
				for (c = 0; c < b->cols; c++) {
					const char *cell = b->cells[r * b->cols + c];
					if (c)
						strbuf_addch(&text, '\t');
					for (; *cell; cell++)
						strbuf_addch(&text, *cell == '\n' ? ' ' : *cell);
				}
				strbuf_adds(&text, nl);
			}
		} else {
			strbuf_adds(&text, b->indent);
			strbuf_adds(&text, b->text);
			strbuf_adds(&text, nl);
		}
		for (k = 0; k < (size_t)b->blank_after; k++)
			strbuf_adds(&text, nl);
		if (m->blank_lines && i + 1 < m->n_blocks)
			strbuf_adds(&text, nl);
	}
	if (!rd->final_newline && text.len >= strlen(nl))
		strbuf_setlen(&text, text.len - strlen(nl));

	rc = codec_encode(&rd->codec, text.buf, text.len, &enc, msg, sizeof(msg));
	strbuf_release(&text);
	if (rc != CORPUS_OK) {
		strbuf_release(&enc);
		if (errsz)
			snprintf(err, errsz, "%s '%s'", msg, p->path);
		return rc;
	}
	/* The paragraphs are what decoding the bytes gives back. */
	rc = codec_decode(&rd->codec, enc.buf, enc.len, &dec);
	if (rc != CORPUS_OK) {
		strbuf_release(&enc);
		strbuf_release(&dec);
		if (errsz)
			snprintf(err, errsz, "cannot decode what was encoded '%s'", p->path);
		return rc;
	}
	s = dec.buf;
	end = dec.buf + dec.len;
	if (dec.len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	*text_bytes = (size_t)(end - s);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
		if (n && s[n - 1] == '\r')
			n--;
		push_para(p, &alloc, s, n, 0, 0, 0);
		if (!e)
			break;
		s = e + 1;
	}
	strbuf_release(&dec);
	p->len = enc.len;
	p->data = strbuf_detach(&enc, NULL);
	return CORPUS_OK;
}

static uint64_t
file_seed(uint64_t seed, size_t index)
{
	return (seed ^ 0x243f6a8885a308d3ULL) * 0x9e3779b97f4a7c15ULL + (uint64_t)index * 0xbf58476d1ce4e5b9ULL;
}

corpus_status_t
corpus_protocol_generate(const corpus_options_t *opt, size_t index, corpus_protocol_t *p,
			 char *err, size_t errsz)
{
	render_t rd;
	model_t m;
	unsigned formats = opt->formats ? opt->formats : CORPUS_FORMAT_DEFAULT;
	strbuf_t sb = STRBUF_INIT;
	size_t text_bytes = 0, n_formats = 0, i;
	const char *chosen[5];
	corpus_status_t rc;

	memset(p, 0, sizeof(*p));
	memset(&rd, 0, sizeof(rd));
	if ((formats & ~CORPUS_FORMAT_ALL) || (opt->encodings & ~CORPUS_ENC_ALL)) {
		if (errsz)
			snprintf(err, errsz, "unknown format or encoding bits");
		return CORPUS_ERR_ARG;
	}
	rd.opt = opt;
	rd.index = index;
	rng_seed(&rd.r, file_seed(opt->seed, index));
	for (i = 0; i < sizeof(formats_order) / sizeof(formats_order[0]); i++)
		if (formats & formats_order[i].bit)
			chosen[n_formats++] = formats_order[i].name;
	rd.format = chosen[index % n_formats];
	rd.docx = strcmp(rd.format, "txt") != 0;
	if (strcmp(rd.format, "docx") == 0 || strcmp(rd.format, "odt") == 0) {
		rd.encoding = "utf-8";
		rd.split_runs = rng_chance(&rd.r, 50);
	} else if (strcmp(rd.format, "rtf") == 0) {
		rd.encoding = "windows-1251";
		rd.split_runs = rng_chance(&rd.r, 50);
		rd.rtf_escapes = rng_below(&rd.r, 3);
	} else if (strcmp(rd.format, "html") == 0) {
		unsigned mask = opt->encodings ? opt->encodings : CORPUS_ENC_DEFAULT;
		int cp1251 = rng_chance(&rd.r, 30);
		if (!(mask & CORPUS_ENC_CP1251))
			cp1251 = 0;
		else if (!(mask & CORPUS_ENC_UTF8))
			cp1251 = 1;
		rd.encoding = cp1251 ? "windows-1251" : "utf-8";
		rd.split_runs = rng_chance(&rd.r, 50);
		rd.html_entities = rng_chance(&rd.r, 40);
		rd.collapse = 1;
	} else {
		rd.encoding = choose_encoding(&rd);
		rd.crlf = rng_chance(&rd.r, strcmp(rd.encoding, "utf-8") == 0 ? 20 : 45);
		rd.bom = strcmp(rd.encoding, "utf-8") == 0 && rng_chance(&rd.r, 10);
		rd.final_newline = rng_chance(&rd.r, 85);
	}
	if (codec_open(&rd.codec, rd.encoding) < 0) {
		if (errsz)
			snprintf(err, errsz, "iconv cannot convert to %s", rd.encoding);
		return CORPUS_ERR_ENCODING;
	}
	/* Only plain text loses characters: the others escape what the
	 * charset lacks (RTF \uN, HTML &#N;), and UTF-16 holds everything. */
	rd.lossy = !rd.docx && strcmp(rd.encoding, "utf-8") != 0 &&
		   strcmp(rd.encoding, "utf-16le") != 0;

	model_generate(&m, opt->seed, index, rd.docx);
	p->format = rd.format;
	p->encoding = rd.encoding;
	p->number = m.number ? xstrdup(m.number) : NULL;
	snprintf(p->date, sizeof(p->date), "%s", m.date);
	p->extract = m.kind && strcmp(m.kind, "extract") == 0;
	{
		strbuf_t path = STRBUF_INIT;
		strbuf_addf(&path, "%s/protocol-%05zu.%s", m.muni->id, index + 1, p->format);
		p->path = strbuf_detach(&path, NULL);
	}
	if (strcmp(rd.format, "txt") == 0)
		rc = render_txt(&rd, &m, p, &text_bytes, err, errsz);
	else if (strcmp(rd.format, "docx") == 0)
		rc = render_docx(&rd, &m, p, &text_bytes, err, errsz);
	else
		rc = render_doc(&rd, &m, p, &text_bytes, err, errsz);
	if (rc == CORPUS_OK) {
		truth_json(&rd, &m, p->path, p->len, text_bytes, &sb);
		p->truth = strbuf_detach(&sb, NULL);
	}
	model_release(&m);
	codec_close(&rd.codec);
	if (rc != CORPUS_OK)
		corpus_protocol_release(p);
	return rc;
}

void
corpus_protocol_release(corpus_protocol_t *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n_paras; i++)
		free(p->paras[i].text);
	free(p->paras);
	free(p->path);
	free(p->data);
	free(p->truth);
	free(p->number);
	memset(p, 0, sizeof(*p));
}

/* ---- On disk. ---- */

/* mkdir -p; 0 or -1 with errno. */
static int
make_dirs(const char *path)
{
	struct stat st;
	if (util_mkdir_parents(path) < 0 || (mkdir(path, 0777) < 0 && errno != EEXIST))
		return -1;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static int
write_all(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int e;
	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		e = errno;
		fclose(f);
		errno = e;
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

corpus_status_t
corpus_generate(const corpus_options_t *opt, const char *outdir, char *err, size_t errsz)
{
	strbuf_t path = STRBUF_INIT, truth = STRBUF_INIT;
	corpus_status_t rc = CORPUS_OK;
	char **made = NULL;
	size_t n_made = 0, i, j;
	corpus_uploads_t *up = NULL;

	if (make_dirs(outdir) < 0) {
		if (errsz)
			snprintf(err, errsz, "cannot create directory (%s) '%s'", strerror(errno), outdir);
		return CORPUS_ERR_IO;
	}
	if (opt->uploads && !(up = corpus_uploads_new(opt->seed, outdir))) {
		if (errsz)
			snprintf(err, errsz, "iconv cannot convert to IBM866 '%s'", outdir);
		return CORPUS_ERR_ENCODING;
	}
	for (i = 0; i < opt->count && rc == CORPUS_OK; i++) {
		corpus_protocol_t p;
		const char *slash;
		int have = 0, plain = 1;

		if (up && (rc = corpus_uploads_flush(up, i, err, errsz)) != CORPUS_OK)
			break;
		rc = corpus_protocol_generate(opt, i, &p, err, errsz);
		if (rc != CORPUS_OK)
			break;
		if (up && (rc = corpus_uploads_place(up, i, &p, &plain, err, errsz)) != CORPUS_OK) {
			corpus_protocol_release(&p);
			break;
		}
		slash = strchr(p.path, '/');
		for (j = 0; j < n_made; j++)
			if (strncmp(made[j], p.path, (size_t)(slash - p.path)) == 0 &&
			    made[j][slash - p.path] == '\0')
				have = 1;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%.*s", outdir, (int)(slash - p.path), p.path);
		if (!have) {
			if (make_dirs(path.buf) < 0) {
				if (errsz)
					snprintf(err, errsz, "cannot create directory (%s) '%s'",
						 strerror(errno), path.buf);
				rc = CORPUS_ERR_IO;
			} else {
				made = xrealloc(made, (n_made + 1) * sizeof(char *));
				made[n_made++] = xstrndup(p.path, (size_t)(slash - p.path));
			}
		}
		if (rc == CORPUS_OK && plain) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", outdir, p.path);
			if (write_all(path.buf, p.data, p.len) < 0) {
				if (errsz)
					snprintf(err, errsz, "cannot write file (%s) '%s'", strerror(errno), path.buf);
				rc = CORPUS_ERR_IO;
			}
		}
		strbuf_adds(&truth, p.truth);
		strbuf_addch(&truth, '\n');
		corpus_protocol_release(&p);
	}
	if (up) {
		if (rc == CORPUS_OK)
			rc = corpus_uploads_flush(up, (size_t)-1, err, errsz);
		corpus_uploads_free(up);
	}
	if (rc == CORPUS_OK) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/truth.jsonl", outdir);
		if (write_all(path.buf, truth.buf, truth.len) < 0) {
			if (errsz)
				snprintf(err, errsz, "cannot write file (%s) '%s'", strerror(errno), path.buf);
			rc = CORPUS_ERR_IO;
		}
	}
	for (j = 0; j < n_made; j++)
		free(made[j]);
	free(made);
	strbuf_release(&path);
	strbuf_release(&truth);
	return rc;
}
