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

static int
ignore_token(void *ctx, const stemmer_token_t *tok)
{
	(void)ctx;
	(void)tok;
	return 0;
}

/*
 * A name kept as a boolean term (municipality, region, responsible party,
 * speaker) is matched word by word by field queries: analysing it here
 * puts its words in the database's word list (common/schema.h, META_WORD).
 */
static void
learn_name(records_ctx_t *rc, const char *name)
{
	if (*name)
		stemmer_analyze(rc->stemmer, name, strlen(name), 0, ignore_token, NULL, NULL);
}

/* A boolean term prefix+value, cut to Xapian's limit at a character boundary. */
static xapian_c_status_t
add_bool(xapian_c_doc_t *doc, const char *prefix, const char *value)
{
	strbuf_t t = STRBUF_INIT;
	xapian_c_status_t st;
	if (!*value)
		return XAPIAN_C_OK;
	strbuf_adds(&t, prefix);
	strbuf_adds(&t, value);
	if (t.len > TERM_MAX) {
		size_t cut = TERM_MAX;
		while (cut && ((unsigned char)t.buf[cut] & 0xc0) == 0x80)
			cut--;
		strbuf_setlen(&t, cut);
	}
	st = xapian_c_doc_add_boolean_term(doc, t.buf);
	strbuf_release(&t);
	return st;
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

/* The fields every document of the source shares. */
static xapian_c_status_t
add_common(xapian_c_doc_t *doc, const records_source_t *src, const protocol_t *p,
	   const char *type)
{
	char date[9], year[5] = "";
	xapian_c_status_t st = XAPIAN_C_OK;
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
	if (!st) st = add_bool(doc, PREFIX_MUNICIPALITY, p->municipality);
	if (!st) st = add_bool(doc, PREFIX_REGION, p->region);
	if (!st) st = add_bool(doc, PREFIX_YEAR, year);
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

static int
write_doc(records_ctx_t *rc, const char *idterm, xapian_c_doc_t *doc, xapian_c_status_t st)
{
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
	st = add_common(doc, src, p, TYPE_PROTOCOL);
	if (!st) st = add_bool(doc, PREFIX_FORMAT, src->format);
	if (!st) st = add_bool(doc, PREFIX_SOURCE, src->file);
	if (!st) st = set_value(doc, SLOT_FILE, src->file);
	if (!st && src->content) st = add_bool(doc, PREFIX_CONTENT, src->content);
	/* the names decisions share with it are learnt once, here */
	learn_name(rc, p->municipality);
	learn_name(rc, p->region);
	for (i = 0; i < p->n_agenda && !st; i++) {
		st = add_bool(doc, PREFIX_SPEAKER, p->agenda[i].speaker);
		learn_name(rc, p->agenda[i].speaker);
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
	st = add_common(doc, src, p, TYPE_DECISION);
	if (!st) st = add_bool(doc, PREFIX_DEADLINE_KIND, protocol_deadline_kind_name(d->deadline.kind));
	if (!st && item) st = add_bool(doc, PREFIX_SPEAKER, item->speaker);
	/* several parties "A; B": a term and a facet slot each */
	{
		static const unsigned party_slots[] = { SLOT_RESPONSIBLE, SLOT_RESPONSIBLE_2,
							SLOT_RESPONSIBLE_3, SLOT_RESPONSIBLE_4 };
		const char *r = d->responsible;
		size_t k = 0;
		while (!st && *r) {
			const char *semi = strstr(r, "; ");
			size_t n = semi ? (size_t)(semi - r) : strlen(r);
			char *party = xstrndup(r, n);
			st = add_bool(doc, PREFIX_RESPONSIBLE, party);
			learn_name(rc, party);
			if (!st && k < sizeof(party_slots) / sizeof(party_slots[0]))
				st = set_value(doc, party_slots[k++], party);
			free(party);
			r += n + (semi ? 2 : 0);
		}
	}
	if (!st) st = set_value(doc, SLOT_DUE_FROM, from);
	if (!st) st = set_value(doc, SLOT_DUE_TO, to);
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
	if (write_protocol(rc, src, rd, p) < 0)
		return -1;
	for (i = 0; i < p->n_decisions; i++)
		if (write_decision(rc, src, p, &p->decisions[i]) < 0)
			return -1;
	return 0;
}
