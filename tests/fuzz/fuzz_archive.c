/*
 * Fuzz target: the archive layer on arbitrary bytes.  Every input is
 * walked as an archive with small limits, and every member is read with
 * reader_read_buffer, as the indexer does.  Checked: member paths are
 * valid UTF-8 without control characters, members respect the size,
 * count and depth limits, the data is NUL-terminated, a failed walk says
 * why, problems name a member and a reason, and the readers keep their
 * own invariants.  A crash or a broken invariant (abort) is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/archive.h"
#include "indexer/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MEMBER_MAX (1u << 20)

struct state {
	const arc_limits_t *lim;
	size_t members;
	uint64_t total;
};

static void
check_path(const char *path)
{
	size_t len = strlen(path);
	if (len == 0 || !util_utf8_valid(path, len))
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7f)
			abort();
	}
}

static int
on_member(void *ctx, const arc_member_t *m)
{
	struct state *s = ctx;
	reader_doc_t doc;
	reader_status_t st;
	size_t seps = 0;
	const char *p;

	check_path(m->path);
	check_path(m->name);
	if (m->size > s->lim->max_member_bytes || !m->data || ((const char *)m->data)[m->size])
		abort();
	if (++s->members > s->lim->max_members || m->depth > s->lim->max_depth)
		abort();
	s->total += m->size;
	if (s->total > s->lim->max_total_bytes)
		abort();
	for (p = m->path; (p = strstr(p, "!/")); p += 2)
		seps++;
	if (seps < m->depth)
		abort();
	reader_doc_init(&doc);
	st = reader_read_buffer(m->name, m->data, m->size, &doc);
	if ((st == READER_OK) != (doc.n_paras > 0) || (st != READER_OK && !doc.error[0]))
		abort();
	for (size_t i = 0; i < doc.n_paras; i++)
		if (!doc.paras[i].text || strlen(doc.paras[i].text) != doc.paras[i].len)
			abort();
	reader_doc_release(&doc);
	return 0;
}

static void
on_problem(void *ctx, const char *path, const char *why)
{
	(void)ctx;
	check_path(path);
	if (!why || !*why)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arc_limits_t lim;
	struct state s = { &lim, 0, 0 };
	char err[512];
	arc_status_t st;
	strbuf_t name = STRBUF_INIT;

	arc_limits_default(&lim);
	lim.max_depth = 2;
	lim.max_member_bytes = MEMBER_MAX;
	lim.max_total_bytes = 8u * MEMBER_MAX;
	lim.max_members = 200;
	lim.max_seconds = 5;
	(void)arc_is_archive("fuzz.bin", data, size);
	st = arc_walk_buffer(data, size, &lim, on_member, on_problem, &s, err, sizeof err);
	if (st != ARC_OK && !err[0])
		abort();
	if (st == ARC_STOPPED)
		abort(); /* on_member never asks to stop */

	/* The input as a raw member name too. */
	arc_decode_name((const char *)data, size, &name);
	check_path(name.buf);
	strbuf_release(&name);
	return 0;
}
