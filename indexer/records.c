/*
 * The documents of one source: a protocol document and one document per
 * decision, laid out as common/schema.h describes.
 */
#include "indexer/indexer-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/docdata.h"
#include "common/schema.h"
#include "common/util.h"

/* Xapian refuses terms over 245 bytes. */
#define TERM_MAX 240

struct text_ctx {
	xapian_c_doc_t *doc;
	strbuf_t term;
	unsigned wdf;
	int failed;
};

static int
add_token(void *vctx, const stemmer_token_t *tok)
{
	struct text_ctx *ctx = vctx;
	strbuf_reset(&ctx->term);
	strbuf_adds(&ctx->term, PREFIX_STEM);
	strbuf_add(&ctx->term, tok->key, tok->key_len);
	if (ctx->term.len > TERM_MAX)
		return 0; /* such a "word" is noise */
	if (xapian_c_doc_add_posting(ctx->doc, ctx->term.buf, tok->pos + 1, ctx->wdf) !=
	    XAPIAN_C_OK) {
		ctx->failed = 1;
		return 1;
	}
	return 0;
}

/* Index `text` at positions from *pos on, each occurrence worth `wdf`. */
static int
add_text(records_ctx_t *rc, xapian_c_doc_t *doc, const char *text, size_t len, unsigned *pos,
	 unsigned wdf)
{
	struct text_ctx ctx = { doc, STRBUF_INIT, wdf, 0 };
	int r = stemmer_analyze(rc->stemmer, text, len, *pos, add_token, &ctx, pos);
	strbuf_release(&ctx.term);
	if (ctx.failed) {
		snprintf(rc->err, rc->err_size, "cannot build the document: out of memory");
		return -1;
	}
	if (r < 0) {
		snprintf(rc->err, rc->err_size, "analysis failed: %s", stemmer_error(rc->stemmer));
		return -1;
	}
	return 0;
}

/* prefix+value, cut to Xapian's limit at a character boundary. */
static void
bool_term(strbuf_t *t, const char *prefix, const char *value)
{
	strbuf_reset(t);
	strbuf_adds(t, prefix);
	strbuf_adds(t, value);
	if (t->len > TERM_MAX) {
		size_t cut = TERM_MAX;
		while (cut && ((unsigned char)t->buf[cut] & 0xc0) == 0x80)
			cut--;
		strbuf_setlen(t, cut);
	}
}

/* A boolean term prefix+value (bool_term). */
static xapian_c_status_t
add_bool(xapian_c_doc_t *doc, const char *prefix, const char *value)
{
	strbuf_t t = STRBUF_INIT;
	xapian_c_status_t st;
	if (!*value)
		return XAPIAN_C_OK;
	bool_term(&t, prefix, value);
	st = xapian_c_doc_add_boolean_term(doc, t.buf);
	strbuf_release(&t);
	return st;
}

/*
 * Names (municipality, region, responsible party, speaker) are matched
 * word by word by field queries.  A name has its boolean term on every
 * document with it, and PREFIX_NAME_WORD terms for the keys of its words
 * (common/schema.h) on the source's protocol: a query finds the names by
 * them, then the documents by the names' terms.  A name too long to be
 * spelt out in them is known by a hash, and has them on every document.
 * Analysing a name also puts its words in the database's word list
 * (META_WORD); it is done once per source (records_names).
 */
struct name_terms {
	char *term;       /* prefix + name (bool_term) */
	strbuf_t words;   /* its PREFIX_NAME_WORD terms, NUL-separated */
	int hashed;
};

struct records_names {
	struct name_terms *v;
	size_t n;
};

/* The keys of a name's words, NUL-separated, each once. */
static int
name_key(void *vctx, const stemmer_token_t *tok)
{
	strbuf_t *keys = vctx;
	for (const char *p = keys->buf; p < keys->buf + keys->len; p += strlen(p) + 1)
		if (strlen(p) == tok->key_len && !memcmp(p, tok->key, tok->key_len))
			return 0;
	if (tok->key_len && !memchr(tok->key, ' ', tok->key_len) &&
	    !memchr(tok->key, '\0', tok->key_len)) {
		strbuf_add(keys, tok->key, tok->key_len);
		strbuf_addch(keys, '\0');
	}
	return 0;
}

/* The terms of a name, worked out at its first use in the source. */
static const struct name_terms *
name_terms(records_ctx_t *rc, const char *prefix, const char *name)
{
	struct records_names *rn = rc->names;
	strbuf_t term = STRBUF_INIT, keys = STRBUF_INIT, t = STRBUF_INIT;
	struct name_terms *e;
	const char *as_termed, *k;
	size_t longest = 0;

	bool_term(&term, prefix, name);
	for (size_t i = 0; i < rn->n; i++)
		if (!strcmp(rn->v[i].term, term.buf)) {
			strbuf_release(&term);
			return &rn->v[i];
		}
	rn->v = xrealloc(rn->v, (rn->n + 1) * sizeof(*rn->v));
	e = &rn->v[rn->n++];
	e->term = strbuf_detach(&term, NULL);
	strbuf_init(&e->words, 0);
	as_termed = e->term + strlen(prefix);
	stemmer_analyze(rc->stemmer, name, strlen(name), 0, name_key, &keys, NULL);
	/* spelt out in all its word terms, or hashed in all: the searcher
	 * meets a name's words under one spelling */
	for (k = keys.buf; k < keys.buf + keys.len; k += strlen(k) + 1)
		if (strlen(k) > longest)
			longest = strlen(k);
	e->hashed = strlen(PREFIX_NAME_WORD) + 1 + longest + 1 + strlen(as_termed) > TERM_MAX;
	for (k = keys.buf; k < keys.buf + keys.len; k += strlen(k) + 1) {
		strbuf_reset(&t);
		strbuf_addf(&t, "%s%s%s ", PREFIX_NAME_WORD, prefix + 1, k);
		if (e->hashed)
			strbuf_addf(&t, "#%016llx",
				    (unsigned long long)util_hash64(as_termed, strlen(as_termed)));
		else
			strbuf_adds(&t, as_termed);
		if (t.len <= TERM_MAX) /* else such a "word" is noise */
			strbuf_add(&e->words, t.buf, t.len + 1);
	}
	strbuf_release(&keys);
	strbuf_release(&t);
	return e;
}

static xapian_c_status_t
add_words(xapian_c_doc_t *doc, const struct name_terms *e)
{
	xapian_c_status_t st = XAPIAN_C_OK;
	for (const char *p = e->words.buf; !st && p < e->words.buf + e->words.len;
	     p += strlen(p) + 1)
		st = xapian_c_doc_add_boolean_term(doc, p);
	return st;
}

/* A name's term; its word terms too on a protocol (on_protocol). */
static xapian_c_status_t
add_name(records_ctx_t *rc, xapian_c_doc_t *doc, const char *prefix, const char *name,
	 int on_protocol)
{
	const struct name_terms *e;
	xapian_c_status_t st;
	if (!*name)
		return XAPIAN_C_OK;
	e = name_terms(rc, prefix, name);
	st = xapian_c_doc_add_boolean_term(doc, e->term);
	if (!st && (on_protocol || e->hashed))
		st = add_words(doc, e);
	return st;
}

static void
names_release(struct records_names *rn)
{
	for (size_t i = 0; i < rn->n; i++) {
		free(rn->v[i].term);
		strbuf_release(&rn->v[i].words);
	}
	free(rn->v);
}

/* The party of "A; B" at *r (*party, its length returned); *r moves past it. */
static size_t
next_party(const char **r, const char **party)
{
	const char *semi = strstr(*r, "; ");
	size_t n = semi ? (size_t)(semi - *r) : strlen(*r);
	*party = *r;
	*r += n + (semi ? 2 : 0);
	return n;
}

static xapian_c_status_t
set_value(xapian_c_doc_t *doc, unsigned slot, const char *value)
{
	if (!*value)
		return XAPIAN_C_OK;
	return xapian_c_doc_set_value(doc, slot, value, strlen(value));
}

/* "2021-12-01" -> "20211201" (sortable, what Xapian's date ranges use). */
static void
compact_date(const char *iso, char out[9])
{
	if (strlen(iso) != 10) {
		out[0] = '\0';
		return;
	}
	memcpy(out, iso, 4);
	memcpy(out + 4, iso + 5, 2);
	memcpy(out + 6, iso + 8, 2);
	out[8] = '\0';
}

/* prefix + the month ("YYYYMM") and the day ("YYYYMMDD") of `date`, and
 * with `year` prefix + its year: date queries take whole years, months and
 * days by them (META_DATE_TERMS). */
static xapian_c_status_t
add_period(xapian_c_doc_t *doc, const char *prefix, const char *date, int year)
{
	static const int lengths[] = { 6, 8, 4 };
	xapian_c_status_t st = XAPIAN_C_OK;
	for (int i = 0; !st && i < (year ? 3 : 2); i++) {
		char t[16];
		snprintf(t, sizeof(t), "%s%.*s", prefix, lengths[i], date);
		st = xapian_c_doc_add_boolean_term(doc, t);
	}
	return st;
}

/* The fields every document of the source shares. */
static xapian_c_status_t
add_common(records_ctx_t *rc, xapian_c_doc_t *doc, const records_source_t *src,
	   const protocol_t *p, const char *type)
{
	char date[9], year[5] = "";
	xapian_c_status_t st = XAPIAN_C_OK;
	int on_protocol = !strcmp(type, TYPE_PROTOCOL);
	compact_date(p->date, date);
	if (*date)
		memcpy(year, date, 4), year[4] = '\0';
	if (!st) st = add_bool(doc, PREFIX_TYPE, type);
	if (!st) st = add_bool(doc, PREFIX_PROTOCOL, src->id);
	/* path: queries match whole parts of the source path */
	{
		const char *part = src->path;
		while (!st && *part) {
			size_t n = strcspn(part, "/");
			/* "a.zip!/b.docx": the archive's part is "a.zip" */
			size_t keep = n && part[n] == '/' && part[n - 1] == '!' ? n - 1 : n;
			if (keep) {
				char *one = xstrndup(part, keep);
				st = add_bool(doc, PREFIX_PATH, one);
				free(one);
			}
			part += n;
			while (*part == '/')
				part++;
		}
	}
	if (!st) st = add_bool(doc, PREFIX_KIND, p->kind);
	if (!st) st = add_name(rc, doc, PREFIX_MUNICIPALITY, p->municipality, on_protocol);
	if (!st) st = add_name(rc, doc, PREFIX_REGION, p->region, on_protocol);
	if (!st) st = add_bool(doc, PREFIX_YEAR, year);
	if (!st && *date) st = add_period(doc, PREFIX_MONTH, date, 0);
	if (!st) st = add_bool(doc, PREFIX_NUMBER, p->number);
	if (!st) st = set_value(doc, SLOT_DATE, date);
	if (!st) st = set_value(doc, SLOT_MUNICIPALITY, p->municipality);
	if (!st) st = set_value(doc, SLOT_REGION, p->region);
	if (!st) st = set_value(doc, SLOT_YEAR, year);
	if (!st) st = set_value(doc, SLOT_TYPE, type);
	if (!st) {
		char key[32];
		strbuf_t m = STRBUF_INIT;
		snprintf(key, sizeof(key), "%s%s", SORT_DUE_NONE, date);
		st = set_value(doc, SLOT_SORT_DUE, key);
		strbuf_addf(&m, "%s\t%s", *p->municipality ? p->municipality : "\xff", date);
		if (!st) st = set_value(doc, SLOT_SORT_MUNICIPALITY, m.buf);
		strbuf_release(&m);
	}
	if (!st) st = set_value(doc, SLOT_KIND, p->kind);
	if (!st && src->archive)
		st = add_bool(doc, PREFIX_ARCHIVE, src->archive);
	return st;
}

/* What every record starts with. */
static void
data_ids(strbuf_t *data, const records_source_t *src, const char *type, const char *id)
{
	docdata_add_field(data, DATA_TYPE, type);
	docdata_add_field(data, DATA_ID, id);
	docdata_add_field(data, DATA_PROTOCOL, src->id);
}

/* The protocol's fields: its decisions' records take them from it when read. */
static void
data_protocol(strbuf_t *data, const records_source_t *src, const protocol_t *p)
{
	docdata_add_field(data, DATA_PATH, src->path);
	docdata_add_field(data, DATA_TITLE, src->title);
	docdata_add_field(data, DATA_KIND, p->kind);
	docdata_add_field(data, DATA_NUMBER, p->number);
	docdata_add_field(data, DATA_DATE, p->date);
	docdata_add_field(data, DATA_MUNICIPALITY, p->municipality);
	docdata_add_field(data, DATA_REGION, p->region);
}

/* BM25's length factor applied to the wdf as it is written (schema.h). */
static xapian_c_status_t
normalise_wdf(xapian_c_doc_t *doc)
{
	unsigned long length = 0;
	xapian_c_status_t st = xapian_c_doc_length(doc, &length);
	if (st != XAPIAN_C_OK || length == 0)
		return st;
	return xapian_c_doc_scale_wdf(doc, wdf_norm_factor(length));
}

static int
write_doc(records_ctx_t *rc, const char *idterm, xapian_c_doc_t *doc, xapian_c_status_t st)
{
	if (st == XAPIAN_C_OK && rc->wdf_normalised)
		st = normalise_wdf(doc);
	if (st == XAPIAN_C_OK)
		st = xapian_c_doc_add_boolean_term(doc, idterm);
	if (st != XAPIAN_C_OK) {
		snprintf(rc->err, rc->err_size, "cannot build the document: %s",
			 xapian_c_status_to_string(st));
		return -1;
	}
	if (xapian_c_wdb_replace_document(rc->wdb, idterm, doc, NULL) != XAPIAN_C_OK) {
		snprintf(rc->err, rc->err_size, "cannot write to the database: %s",
			 xapian_c_wdb_error(rc->wdb));
		rc->db_failed = 1;
		return -1;
	}
	return 0;
}

static int
write_protocol(records_ctx_t *rc, const records_source_t *src, const reader_doc_t *rd,
	       const protocol_t *p)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	strbuf_t data = STRBUF_INIT, idterm = STRBUF_INIT, header = STRBUF_INIT;
	xapian_c_status_t st;
	unsigned pos = 0;
	size_t i;
	int ret = -1;
	char count[32];

	for (i = 0; i < rd->n_paras; i++)
		if (add_text(rc, doc, rd->paras[i].text, rd->paras[i].len, &pos, 1) < 0)
			goto out;
	st = add_common(rc, doc, src, p, TYPE_PROTOCOL);
	if (!st) st = add_bool(doc, PREFIX_FORMAT, src->format);
	if (!st) st = add_bool(doc, PREFIX_SOURCE, src->file);
	if (!st) st = set_value(doc, SLOT_FILE, src->file);
	if (!st && src->content) st = add_bool(doc, PREFIX_CONTENT, src->content);
	for (i = 0; i < p->n_agenda && !st; i++)
		st = add_name(rc, doc, PREFIX_SPEAKER, p->agenda[i].speaker, 1);
	/* its decisions' parties: their word terms (not their terms) */
	for (i = 0; i < p->n_decisions && !st; i++) {
		const char *r = p->decisions[i].responsible, *at;
		while (!st && *r) {
			size_t n = next_party(&r, &at);
			char *party = xstrndup(at, n);
			if (*party)
				st = add_words(doc, name_terms(rc, PREFIX_RESPONSIBLE, party));
			free(party);
		}
	}
	if (!st) st = xapian_c_doc_set_value(doc, SLOT_STAMP, src->stamp, strlen(src->stamp));
	if (!st && !p->municipality_known)
		st = set_value(doc, SLOT_UNKNOWN_MUNICIPALITY, p->municipality);

	data_ids(&data, src, TYPE_PROTOCOL, src->id);
	data_protocol(&header, src, p);
	strbuf_add(&data, header.buf, header.len);
	if (!st) st = set_value(doc, SLOT_HEADER, header.buf);
	docdata_add_field(&data, DATA_SIZE, src->size);
	docdata_add_field(&data, DATA_FORMAT, src->format);
	docdata_add_field(&data, DATA_ENCODING, src->encoding);
	snprintf(count, sizeof(count), "%zu", p->n_decisions);
	docdata_add_field(&data, DATA_DECISIONS, count);
	{
		strbuf_t cells = STRBUF_INIT;
		for (i = 0; i < rd->n_paras; i++)
			if (rd->paras[i].kind == READER_CELL)
				strbuf_addf(&cells, "%s%zu:%u:%u", cells.len ? " " : "", i,
					    rd->paras[i].row, rd->paras[i].col);
		if (cells.len)
			docdata_add_field(&data, DATA_CELLS, cells.buf);
		strbuf_release(&cells);
	}
	docdata_begin_body(&data);
	{
		size_t body = data.len;
		char bytes[32];
		for (i = 0; i < rd->n_paras; i++) {
			strbuf_add(&data, rd->paras[i].text, rd->paras[i].len);
			strbuf_addch(&data, '\n');
		}
		snprintf(bytes, sizeof(bytes), "%zu", data.len - body);
		if (!st) st = set_value(doc, SLOT_TEXT_BYTES, bytes);
	}
	if (!st) st = xapian_c_doc_set_data(doc, data.buf, data.len);
	strbuf_addf(&idterm, "%s%s", PREFIX_ID, src->id);
	ret = write_doc(rc, idterm.buf, doc, st);
out:
	xapian_c_doc_free(doc);
	strbuf_release(&data);
	strbuf_release(&header);
	strbuf_release(&idterm);
	return ret;
}

static int
write_decision(records_ctx_t *rc, const records_source_t *src, const protocol_t *p,
	       const protocol_decision_t *d)
{
	xapian_c_doc_t *doc = xapian_c_doc_new();
	strbuf_t data = STRBUF_INIT, idterm = STRBUF_INIT, id = STRBUF_INIT;
	const protocol_agenda_item_t *item =
		d->agenda_item >= 0 && (size_t)d->agenda_item < p->n_agenda ? &p->agenda[d->agenda_item]
									   : NULL;
	char from[9], to[9], ordinal[16];
	xapian_c_status_t st;
	unsigned pos = 0;
	int ret = -1;

	strbuf_addf(&id, "%s-%u", src->id, d->ordinal);
	if (add_text(rc, doc, d->text, strlen(d->text), &pos, DECISION_TEXT_WDF) < 0)
		goto out;
	pos += SECTION_POSITION_GAP;
	if (add_text(rc, doc, d->responsible_text, strlen(d->responsible_text), &pos, 1) < 0)
		goto out;
	pos += SECTION_POSITION_GAP;
	if (d->deadline.text &&
	    add_text(rc, doc, d->deadline.text, strlen(d->deadline.text), &pos, 1) < 0)
		goto out;
	pos += SECTION_POSITION_GAP;
	if (item && add_text(rc, doc, item->text, strlen(item->text), &pos, 1) < 0)
		goto out;

	compact_date(d->deadline.from, from);
	compact_date(d->deadline.to, to);
	snprintf(ordinal, sizeof(ordinal), "%06u", d->ordinal);
	st = add_common(rc, doc, src, p, TYPE_DECISION);
	if (!st) st = add_bool(doc, PREFIX_DEADLINE_KIND, protocol_deadline_kind_name(d->deadline.kind));
	if (!st && item) st = add_name(rc, doc, PREFIX_SPEAKER, item->speaker, 0);
	/* several parties "A; B": a term and a facet slot each */
	{
		static const unsigned party_slots[] = { SLOT_RESPONSIBLE, SLOT_RESPONSIBLE_2,
							SLOT_RESPONSIBLE_3, SLOT_RESPONSIBLE_4 };
		const char *r = d->responsible, *at;
		size_t k = 0;
		while (!st && *r) {
			size_t n = next_party(&r, &at);
			char *party = xstrndup(at, n);
			st = add_name(rc, doc, PREFIX_RESPONSIBLE, party, 0);
			if (!st && k < sizeof(party_slots) / sizeof(party_slots[0]))
				st = set_value(doc, party_slots[k++], party);
			free(party);
		}
	}
	if (!st) st = set_value(doc, SLOT_DUE_FROM, from);
	if (!st) st = set_value(doc, SLOT_DUE_TO, to);
	if (!st && *to) st = add_period(doc, PREFIX_DUE_PERIOD, to, 1);
	if (!st && *to) {
		/* the deadline end first, then the meeting date (add_common
		 * wrote the key for no deadline) */
		char key[32], date[9];
		compact_date(p->date, date);
		snprintf(key, sizeof(key), "%s%s", to, date);
		st = set_value(doc, SLOT_SORT_DUE, key);
	}
	if (!st) st = set_value(doc, SLOT_ORDINAL, ordinal);

	data_ids(&data, src, TYPE_DECISION, id.buf);
	docdata_add_field(&data, DATA_DECISION_NUMBER, d->number);
	docdata_add_field(&data, DATA_ORDINAL, ordinal + strspn(ordinal, "0"));
	docdata_add_field(&data, DATA_RESPONSIBLE, d->responsible);
	docdata_add_field(&data, DATA_RESPONSIBLE_TEXT, d->responsible_text);
	docdata_add_field(&data, DATA_DEADLINE_TEXT, d->deadline.text ? d->deadline.text : "");
	docdata_add_field(&data, DATA_DEADLINE_KIND, protocol_deadline_kind_name(d->deadline.kind));
	docdata_add_field(&data, DATA_DEADLINE_FROM, d->deadline.from);
	docdata_add_field(&data, DATA_DEADLINE_TO, d->deadline.to);
	docdata_add_field(&data, DATA_AGENDA, item ? item->text : "");
	docdata_begin_body(&data);
	strbuf_adds(&data, d->text);
	if (!st) st = xapian_c_doc_set_data(doc, data.buf, data.len);
	strbuf_addf(&idterm, "%s%s", PREFIX_ID, id.buf);
	ret = write_doc(rc, idterm.buf, doc, st);
out:
	xapian_c_doc_free(doc);
	strbuf_release(&data);
	strbuf_release(&idterm);
	strbuf_release(&id);
	return ret;
}

int
records_write_source(records_ctx_t *rc, const records_source_t *src, const reader_doc_t *rd,
		     const protocol_t *p)
{
	strbuf_t all = STRBUF_INIT;
	size_t i;
	/* Whatever this source gave last time goes: decisions may be fewer now. */
	strbuf_addf(&all, "%s%s", PREFIX_PROTOCOL, src->id);
	if (xapian_c_wdb_delete_by_term(rc->wdb, all.buf) != XAPIAN_C_OK) {
		snprintf(rc->err, rc->err_size, "cannot write to the database: %s",
			 xapian_c_wdb_error(rc->wdb));
		rc->db_failed = 1;
		strbuf_release(&all);
		return -1;
	}
	strbuf_release(&all);
	/* the names its documents share are analysed once */
	struct records_names names = { NULL, 0 };
	int ret = 0;
	rc->names = &names;
	if (write_protocol(rc, src, rd, p) < 0)
		ret = -1;
	for (i = 0; !ret && i < p->n_decisions; i++)
		if (write_decision(rc, src, p, &p->decisions[i]) < 0)
			ret = -1;
	rc->names = NULL;
	names_release(&names);
	return ret;
}
