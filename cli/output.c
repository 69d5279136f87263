#include "cli/output.h"

#include <stdlib.h>
#include <string.h>

#include "common/docdata.h"
#include "common/schema.h"

const char *const output_record_fields[] = {
	DATA_ID, DATA_TYPE, DATA_PROTOCOL, DATA_PATH, DATA_TITLE, DATA_KIND,
	DATA_MUNICIPALITY, DATA_REGION, DATA_DATE, DATA_NUMBER,
	DATA_DECISION_NUMBER, DATA_ORDINAL, "text", DATA_RESPONSIBLE, DATA_RESPONSIBLE_TEXT,
	DATA_DEADLINE_TEXT, DATA_DEADLINE_KIND, DATA_DEADLINE_FROM, DATA_DEADLINE_TO,
	DATA_AGENDA, NULL
};

/* "text" is the decision's body; a protocol's body is its whole text,
 * which the record does not repeat (see `protodex show`). */
static const char *
field(const searcher_hit_t *h, const char *key, size_t *len)
{
	if (!strcmp(key, "text")) {
		size_t tl;
		const char *type = searcher_hit_field(h, DATA_TYPE, &tl);
		if (type && tl == strlen(TYPE_DECISION) && !memcmp(type, TYPE_DECISION, tl)) {
			const char *b = docdata_body(h->data, h->data_len, len);
			if (b) {
				while (*len && b[*len - 1] == '\n')
					(*len)--;
				return b;
			}
		}
		*len = 0;
		return "";
	}
	{
		const char *v = searcher_hit_field(h, key, len);
		if (!v) {
			*len = 0;
			return "";
		}
		return v;
	}
}

void
output_hit_json(const searcher_hit_t *h, strbuf_t *out)
{
	const char *const *k;
	strbuf_addf(out, "{\"rank\":%u", h->rank);
	for (k = output_record_fields; *k; k++) {
		size_t len;
		const char *v = field(h, *k, &len);
		strbuf_addch(out, ',');
		strbuf_add_json_string(out, *k, strlen(*k));
		strbuf_addch(out, ':');
		if (!strcmp(*k, DATA_ORDINAL)) {
			if (len)
				strbuf_add(out, v, len);
			else
				strbuf_adds(out, "null");
		} else {
			strbuf_add_json_string(out, v, len);
		}
	}
	strbuf_addf(out, ",\"score\":%.4f,\"percent\":%d,\"snippet\":", h->score, h->percent);
	strbuf_add_json_string(out, h->snippet, strlen(h->snippet));
	strbuf_addch(out, '}');
}

void
output_csv_field(strbuf_t *out, const char *s, size_t len)
{
	size_t i;
	int quote = 0;
	for (i = 0; i < len; i++)
		if (s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, s[i]);
	}
	strbuf_addch(out, '"');
}

void
output_csv_header(strbuf_t *out)
{
	const char *const *k;
	strbuf_adds(out, "rank");
	for (k = output_record_fields; *k; k++) {
		strbuf_addch(out, ',');
		strbuf_adds(out, *k);
	}
	strbuf_adds(out, ",score,percent,snippet\r\n");
}

void
output_hit_csv(const searcher_hit_t *h, strbuf_t *out)
{
	const char *const *k;
	strbuf_addf(out, "%u", h->rank);
	for (k = output_record_fields; *k; k++) {
		size_t len;
		const char *v = field(h, *k, &len);
		strbuf_addch(out, ',');
		output_csv_field(out, v, len);
	}
	strbuf_addf(out, ",%.4f,%d,", h->score, h->percent);
	output_csv_field(out, h->snippet, strlen(h->snippet));
	strbuf_adds(out, "\r\n");
}

static void
put(FILE *f, const searcher_hit_t *h, const char *key, const char *before, const char *after)
{
	size_t len;
	const char *v = field(h, key, &len);
	if (len)
		fprintf(f, "%s%.*s%s", before, (int)len, v, after);
}

void
output_hit_text(const searcher_hit_t *h, int colour, FILE *f)
{
	size_t tl, dl;
	const char *type = field(h, DATA_TYPE, &tl);
	int decision = tl == strlen(TYPE_DECISION) && !memcmp(type, TYPE_DECISION, tl);
	const char *bold = colour ? "\033[1m" : "", *off = colour ? "\033[0m" : "";

	/* 1. [решение 1.2] Мегион, 2021-01-29, протокол №8  (score) */
	fprintf(f, "%s", bold);
	if (h->rank) /* 0: a record shown on its own, not a result */
		fprintf(f, "%u. ", h->rank);
	fprintf(f, "[%s", decision ? "решение" : "протокол");
	if (decision)
		put(f, h, DATA_DECISION_NUMBER, " ", "");
	fprintf(f, "]%s", off);
	put(f, h, DATA_MUNICIPALITY, " ", ",");
	put(f, h, DATA_DATE, " ", "");
	put(f, h, DATA_NUMBER, ", №", "");
	if (h->rank)
		fprintf(f, "  (%.2f)", h->score);
	fputc('\n', f);
	if (decision) {
		put(f, h, "text", "   ", "\n");
		put(f, h, DATA_RESPONSIBLE, "   ответственный: ", "\n");
		field(h, DATA_DEADLINE_TEXT, &dl);
		if (dl) {
			put(f, h, DATA_DEADLINE_TEXT, "   срок: ", "");
			put(f, h, DATA_DEADLINE_FROM, " [", "");
			put(f, h, DATA_DEADLINE_TO, "..", "]");
			fputc('\n', f);
		}
	} else {
		put(f, h, DATA_TITLE, "   ", "\n");
		if (*h->snippet)
			fprintf(f, "   %s\n", h->snippet);
	}
	put(f, h, DATA_PATH, "   ", "");
	put(f, h, DATA_ID, "  (id ", ")\n");
}

void
output_reparse(const char *data, size_t len, const gazetteer_t *gaz, protocol_t *p)
{
	size_t blen = 0, n = 0, alloc = 16;
	const char *body = docdata_body(data, len, &blen), *end;
	reader_para_t *paras = calloc(alloc, sizeof(*paras));
	protocol_init(p);
	if (!paras)
		return;
	end = body ? body + blen : NULL;
	while (body && body < end) {
		const char *nl = memchr(body, '\n', (size_t)(end - body));
		size_t l = nl ? (size_t)(nl - body) : (size_t)(end - body);
		if (l) {
			if (n == alloc) {
				reader_para_t *more = realloc(paras, 2 * alloc * sizeof(*paras));
				if (!more)
					break;
				paras = more;
				alloc *= 2;
			}
			paras[n].text = (char *)body;
			paras[n].len = l;
			paras[n].kind = READER_PARA;
			paras[n].row = paras[n].col = 0;
			n++;
		}
		body += l + 1;
	}
	/* The table cells among the lines, as the reader gave them. */
	{
		size_t cl = 0;
		const char *c = docdata_get(data, len, DATA_CELLS, &cl), *ce = c ? c + cl : NULL;
		while (c && c < ce) {
			unsigned long line, row, col;
			char *after;
			line = strtoul(c, &after, 10);
			if (after == c || *after != ':')
				break;
			row = strtoul(after + 1, &after, 10);
			if (*after != ':')
				break;
			col = strtoul(after + 1, &after, 10);
			if (line < n) {
				paras[line].kind = READER_CELL;
				paras[line].row = (unsigned)row;
				paras[line].col = (unsigned)col;
			}
			c = after;
			while (c < ce && *c == ' ')
				c++;
		}
	}
	protocol_parse(p, paras, n, gaz);
	free(paras);
}

static void
print_deadline(const protocol_deadline_t *d, FILE *f)
{
	if (d->kind == DEADLINE_NONE)
		return;
	fprintf(f, "      срок: %s [%s", d->text, protocol_deadline_kind_name(d->kind));
	if (*d->from)
		fprintf(f, " %s..%s", d->from, d->to);
	fprintf(f, "]\n");
}

void
output_protocol_text(const char *source, const protocol_t *p, FILE *f)
{
	size_t i;
	fprintf(f, "%s\n", source);
	fprintf(f, "  kind:          %s%s%s\n", p->kind, *p->number ? " №" : "", p->number);
	fprintf(f, "  date:          %s%s%s%s\n", *p->date ? p->date : "-",
		*p->date_text ? " (" : "", p->date_text, *p->date_text ? ")" : "");
	fprintf(f, "  place:         %s\n", *p->place ? p->place : "-");
	fprintf(f, "  municipality:  %s%s%s%s%s\n", *p->municipality ? p->municipality : "-",
		*p->municipality_type ? " [" : "", p->municipality_type,
		*p->municipality_type ? "]" : "",
		*p->municipality && !p->municipality_known ? " (not in the gazetteer)" : "");
	fprintf(f, "  region:        %s\n", *p->region ? p->region : "-");
	fprintf(f, "  chair:         %s\n", *p->chair ? p->chair : "-");
	fprintf(f, "  secretary:     %s\n", *p->secretary ? p->secretary : "-");
	if (p->attendees_count >= 0)
		fprintf(f, "  attendees:     %d\n", p->attendees_count);
	else
		fprintf(f, "  attendees:     -\n");
	fprintf(f, "  agenda:        %zu item%s\n", p->n_agenda, p->n_agenda == 1 ? "" : "s");
	for (i = 0; i < p->n_agenda; i++)
		fprintf(f, "    %s. %s%s%s%s\n", p->agenda[i].number, p->agenda[i].text,
			*p->agenda[i].speaker ? " (" : "", p->agenda[i].speaker,
			*p->agenda[i].speaker ? ")" : "");
	fprintf(f, "  decisions:     %zu\n", p->n_decisions);
	for (i = 0; i < p->n_decisions; i++) {
		const protocol_decision_t *d = &p->decisions[i];
		fprintf(f, "    [%u] %s%s%s\n", d->ordinal, *d->number ? d->number : "•",
			*d->number ? ". " : " ", d->text);
		if (*d->responsible)
			fprintf(f, "      ответственный: %s\n", d->responsible);
		print_deadline(&d->deadline, f);
	}
}

void
output_protocol_json(const char *data, size_t len, const protocol_t *p, strbuf_t *out)
{
	static const char *const keys[] = {
		DATA_ID, DATA_PATH, DATA_TITLE, DATA_FORMAT, DATA_ENCODING, DATA_SIZE, NULL
	};
	const char *const *k;
	strbuf_addch(out, '{');
	for (k = keys; *k; k++) {
		size_t vl;
		const char *v = docdata_get(data, len, *k, &vl);
		strbuf_add_json_string(out, *k, strlen(*k));
		strbuf_addch(out, ':');
		strbuf_add_json_string(out, v ? v : "", v ? vl : 0);
		strbuf_addch(out, ',');
	}
	protocol_to_json_fields(p, out);
	strbuf_addch(out, '}');
}
