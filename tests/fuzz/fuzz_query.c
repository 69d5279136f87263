/*
 * Fuzz target: the query language, from the user's bytes to results.
 *
 * Every input goes through query_prepare as it is (NUL bytes included),
 * then, cut at its first NUL as a command line would, through the whole
 * search path on a small database made at the first call: the front end,
 * the abbreviation rewrite, Xapian's QueryParser with the field and range
 * callbacks, the match with sorting and facets, snippets.  The first input
 * byte picks the sort order, the facets and "today".  A crash, a leak, or a
 * broken invariant checked below (abort) is a bug; a refused query is not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/indexer.h"
#include "searcher/query.h"
#include "searcher/searcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A protocol written for this target: fields for every query field. */
static const char protocol_text[] =
	"ПРОТОКОЛ № 7\n"
	"совещания руководителей общеобразовательных организаций\n"
	"Кондопожского муниципального района\n"
	"г. Кондопога\t\t\t15.03.2022\n"
	"Председатель: Семёнова А.П.\n"
	"Повестка дня:\n"
	"1. Об объективности проведения всероссийских проверочных работ. "
	"Докладчик: Лебедева О.Н.\n"
	"2. О работе со школами с низкими образовательными результатами (ШНОР).\n"
	"Слушали: Лебедеву О.Н.\n"
	"РЕШИЛИ:\n"
	"1. Руководителям ОО:\n"
	"1.1. Обеспечить объективность проведения ВПР.\n"
	"Срок: до 01.04.2022\n"
	"1.2. Провести анализ результатов ВПР, \"оценки\" и ВСОКО.\n"
	"Срок: постоянно\n"
	"2. Методическому центру:\n"
	"2.1. Разработать программы поддержки ШНОР.\n"
	"Срок: в течение 2022-2023 учебного года\n"
	"2.2. Провести семинар для учителей.\n"
	"Срок: после получения результатов ВПР\n"
	"Секретарь: Иванова Е.В.\n";

static searcher_t *searcher;
static char dir[64];

static void
cleanup(void)
{
	searcher_close(searcher);
	if (*dir) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz_query: cannot remove %s\n", dir);
	}
}

static void
setup(void)
{
	char path[128], db[128], err[256];
	indexer_t *ix;
	indexer_outcome_t outcome;
	FILE *f;
	char *msg = NULL;

	snprintf(dir, sizeof(dir), "%s/fuzz-query-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/protocol.txt", dir);
	snprintf(db, sizeof(db), "%s/db", dir);
	f = fopen(path, "w");
	if (!f || fwrite(protocol_text, 1, sizeof(protocol_text) - 1, f) != sizeof(protocol_text) - 1 ||
	    fclose(f) != 0)
		abort();
	if (indexer_open(db, &ix, &msg) != INDEXER_OK ||
	    indexer_add_file(ix, path, &outcome, err, sizeof(err)) != INDEXER_OK ||
	    outcome == INDEXER_SKIPPED || indexer_close(ix, &msg) != INDEXER_OK) {
		fprintf(stderr, "fuzz_query: cannot build the database: %s %s\n", msg ? msg : "", err);
		abort();
	}
	if (searcher_open(db, &searcher, &msg) != SEARCHER_OK) {
		fprintf(stderr, "fuzz_query: %s\n", msg ? msg : "");
		abort();
	}
}

static void
check_prepare(const uint8_t *data, size_t size)
{
	query_t q;
	query_error_t err;
	if (query_prepare((const char *)data, size, &q, &err) < 0) {
		if (q.n != 0 || err.offset > size || !err.column || !*err.message)
			abort();
		return;
	}
	if (q.n == 0)
		abort();
	for (size_t i = 0; i < q.n; i++)
		if (!q.segments[i].text || !*q.segments[i].text || q.segments[i].offset > size)
			abort();
	query_release(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned slots[] = { SLOT_MUNICIPALITY, SLOT_RESPONSIBLE, SLOT_YEAR };
	static const char *const days[] = { NULL, "2022-01-01", "2022-04-02", "2021-12-31" };
	searcher_request_t rq = SEARCHER_REQUEST_INIT;
	searcher_results_t res;
	char *text;
	unsigned mode;

	if (!searcher)
		setup();
	check_prepare(data, size);
	if (size == 0)
		return 0;
	mode = data[0];
	text = xstrndup((const char *)data + 1, size - 1); /* up to the first NUL */
	rq.query = text;
	rq.sort = (searcher_sort_t)(mode % 4);
	rq.n_facets = (mode >> 2) % 4;
	rq.facet_slots = slots;
	rq.today = days[(mode >> 4) % 4];
	rq.explain = (mode >> 6) & 1;
	rq.exact = mode >> 7;
	rq.limit = 5;
	rq.hl_start = "[";
	rq.hl_end = "]";
	if (searcher_run_query(searcher, &rq, &res) == SEARCHER_OK) {
		if (res.n > 5 || res.n > res.matches_upper || !res.explain || !res.warnings ||
		    res.n_facets != rq.n_facets)
			abort();
		for (size_t i = 0; i < res.n; i++)
			if (!res.hits[i].data || !res.hits[i].snippet)
				abort();
		searcher_results_release(&res);
	} else if (!*searcher_error(searcher)) {
		abort();
	}
	free(text);
	return 0;
}
