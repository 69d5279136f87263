/*
 * Fuzz target: dates, deadlines and the gazetteer on arbitrary bytes.
 * The input is NUL-terminated for the date functions and passed with its
 * length to gazetteer_find; the first line, if it looks like an ISO date,
 * serves as the meeting date too.  A crash, or a broken invariant checked
 * below (abort), is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "indexer/gazetteer.h"
#include "indexer/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gazetteer_t *gaz;

/* "YYYY-MM-DD" with plausible digits, or "". */
static void
check_iso(const char *s)
{
	if (s[0] == '\0')
		return;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		abort();
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			abort();
	int m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	char iso[11], meeting[11] = "";
	long end;
	protocol_deadline_t dl;
	gazetteer_match_t m;

	if (!gaz)
		gaz = gazetteer_new_default();
	memcpy(text, data, size);
	text[size] = '\0';

	end = protocol_parse_date(text, iso);
	if (end < -1 || end > (long)strlen(text))
		abort();
	if (end >= 0) {
		check_iso(iso);
		memcpy(meeting, iso, sizeof(meeting));
	} else if (iso[0] != '\0') {
		abort();
	}

	protocol_parse_deadline(text, meeting, &dl);
	check_iso(dl.from);
	check_iso(dl.to);
	if (!dl.text || strlen(dl.text) > strlen(text))
		abort();
	if (dl.kind == DEADLINE_DATE && strcmp(dl.from, dl.to) != 0)
		abort();
	if (dl.from[0] && dl.to[0] && strcmp(dl.from, dl.to) > 0)
		abort();
	if ((dl.kind == DEADLINE_PERMANENT || dl.kind == DEADLINE_NONE) && (dl.from[0] || dl.to[0]))
		abort();
	if (dl.kind == DEADLINE_NONE && dl.text[0])
		abort();
	free(dl.text);

	if (gazetteer_find(gaz, (const char *)data, size, &m)) {
		if (!m.entry || m.len == 0 || m.start + m.len > size)
			abort();
		if (gazetteer_lookup(gaz, m.entry->name) != m.entry)
			abort();
	}
	(void)gazetteer_lookup(gaz, text);
	free(text);
	return 0;
}
