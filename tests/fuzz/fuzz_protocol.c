/*
 * Fuzz target: the protocol parser on arbitrary paragraphs.  The input is
 * split at '\n' into paragraphs, as a reader would hand them over (a
 * trailing '\r' dropped, NUL bytes turned into spaces since no reader
 * produces them, empty lines skipped); invalid UTF-8 is left as it is.
 * A line starting with byte 0x01 is a table cell whose row and column are
 * the next two bytes, so the table code is reached too.  Every record is
 * parsed with the default gazetteer, printed as JSON, checked, released.
 * A crash, a leak, or a broken invariant checked below (abort) is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/gazetteer.h"
#include "indexer/protocol.h"
#include "indexer/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const protocol_t *p)
{
	for (size_t i = 0; i < p->n_decisions; i++) {
		const protocol_decision_t *d = &p->decisions[i];
		if (!d->number || !d->parent || !d->text || !d->responsible ||
		    !d->responsible_text || !d->deadline.text)
			abort();
		if (d->agenda_item < -1 || (d->agenda_item >= 0 && (size_t)d->agenda_item >= p->n_agenda))
			abort();
		if (d->ordinal != i + 1)
			abort();
	}
	for (size_t i = 0; i < p->n_agenda; i++)
		if (!p->agenda[i].number || !p->agenda[i].text || !p->agenda[i].speaker)
			abort();
	if (!p->kind || !p->number || !p->place || !p->municipality || !p->chair ||
	    !p->secretary || p->attendees_count < -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gazetteer_t *gaz;
	reader_para_t *paras = NULL;
	size_t n = 0, cap = 0, i = 0;
	strbuf_t json = STRBUF_INIT;
	protocol_t p;

	if (!gaz)
		gaz = gazetteer_new_default();
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) : size, st = i, len;
		reader_para_t *para;
		unsigned row = 0, col = 0;
		int cell = 0;
		i = end + 1;
		if (end > st && data[st] == 0x01) {
			cell = 1;
			st++;
			if (st < end)
				row = data[st++];
			if (st < end)
				col = data[st++];
		}
		if (end > st && data[end - 1] == '\r')
			end--;
		len = end - st;
		if (!len)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			paras = xrealloc(paras, cap * sizeof(*paras));
		}
		para = &paras[n++];
		memset(para, 0, sizeof(*para));
		para->text = xstrndup((const char *)data + st, len);
		for (size_t k = 0; k < len; k++)
			if (para->text[k] == '\0')
				para->text[k] = ' ';
		para->len = len;
		para->kind = cell ? READER_CELL : READER_PARA;
		para->row = row;
		para->col = col;
	}

	protocol_init(&p);
	protocol_parse(&p, paras, n, gaz);
	check(&p);
	protocol_to_json(&p, &json);
	if (json.len < 2 || json.buf[0] != '{' || json.buf[json.len - 1] != '}')
		abort();
	protocol_release(&p);
	strbuf_release(&json);
	for (size_t k = 0; k < n; k++)
		free(paras[k].text);
	free(paras);
	return 0;
}
