/*
 * query: the query language's front end (searcher/query.h) on its own:
 * what QueryParser is handed, which queries are refused and where, and the
 * dates and ranges of date: and due:.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "common/strbuf.h"
#include "searcher/query.h"

TestSuite(query);

/* The segments joined as the searcher joins them, fields marked [f]. */
static void
joined(const query_t *q, strbuf_t *out)
{
	for (size_t i = 0; i < q->n; i++) {
		if (i)
			strbuf_addch(out, ' ');
		if (q->segments[i].field >= 0)
			strbuf_addf(out, "[%s]", q->segments[i].text);
		else
			strbuf_adds(out, q->segments[i].text);
	}
}

/* Fixed arrays: Criterion re-executes the binary, pointers would dangle. */
typedef struct prepare_case {
	char query[96];
	char expect[128];
} prepare_case_t;

static prepare_case_t prepare_cases[] = {
	{ "объективность", "объективность" },
	{ "ВПР   объективность", "ВПР объективность" },
	/* Russian field names, any case, become English; values stay. */
	{ "мо:Мегион", "[municipality:Мегион]" },
	{ "МО:Мегион тип:решение", "[municipality:Мегион] [type:решение]" },
	{ "Municipality:Мегион", "[municipality:Мегион]" },
	{ "ответственный:\"руководителям ОО\"", "[responsible:\"руководителям ОО\"]" },
	{ "мо:«Вышний Волочек»", "[municipality:\"Вышний Волочек\"]" },
	{ "ВПР срок:..01.12.2021", "ВПР [due:..01.12.2021]" },
	{ "дата:2021-09..2022-05 ШНОР", "[date:2021-09..2022-05] ШНОР" },
	/* Russian operators in capitals; lower case is a word. */
	{ "ВПР И ШНОР", "ВПР AND ШНОР" },
	{ "ВПР ИЛИ ШНОР", "ВПР OR ШНОР" },
	/* NOT binds to the next item alone (as -item): "a NOT b c" is
	 * a, not b, and c, where QueryParser would read a NOT (b c). */
	{ "ВПР НЕ ШНОР", "ВПР -ШНОР" },
	{ "дефицит NOT квалификация тип:решение", "дефицит -квалификация [type:решение]" },
	{ "ВПР AND NOT ШНОР ГИА", "ВПР -ШНОР ГИА" },
	{ "НЕ мо:Мегион ВПР", "[-municipality:Мегион] ВПР" },
	{ "ВПР NOT \"школы с низкими\" ГИА", "ВПР -\"школы с низкими\" ГИА" },
	{ "ВПР NOT (ШНОР OR ГИА)", "ВПР NOT (ШНОР OR ГИА)" },
	{ "(ВПР NOT (ШНОР OR ГИА)) ВСОКО", "(ВПР NOT (ШНОР OR ГИА)) ВСОКО" },
	{ "ВПР NOT (ШНОР) OR ГИА", "ВПР NOT (ШНОР) OR ГИА" },
	{ "школы и сады", "школы и сады" },
	{ "ВПР РЯДОМ объективность", "ВПР NEAR объективность" },
	{ "(ВПР OR ШНОР) -мо:Мегион", "(ВПР OR ШНОР) [-municipality:Мегион]" },
	{ "«объективность оценивания»", "\"объективность оценивания\"" },
	/* Exclusions alone start from every record. */
	{ "-ВПР", "[protodexall:all] -ВПР" },
	{ "-мо:Мегион", "[protodexall:all] [-municipality:Мегион]" },
	{ "НЕ ВПР", "[protodexall:all] -ВПР" },
	{ "NOT (ВПР OR ШНОР)", "[protodexall:all] NOT (ВПР OR ШНОР)" },
	/* A word ending in a colon is text; so is a web address. */
	{ "Решили: обеспечить", "Решили: обеспечить" },
	{ "http://example.org", "http://example.org" },
	{ "10:00 совещание", "10:00 совещание" },
};

ParameterizedTestParameters(query, prepare)
{
	return cr_make_param_array(prepare_case_t, prepare_cases,
				   sizeof(prepare_cases) / sizeof(prepare_cases[0]));
}

ParameterizedTest(prepare_case_t *c, query, prepare)
{
	query_t q;
	query_error_t err;
	strbuf_t out = STRBUF_INIT;
	int r = query_prepare(c->query, strlen(c->query), &q, &err);
	cr_assert_eq(r, 0, "'%s' refused: %s", c->query, err.message);
	joined(&q, &out);
	cr_expect_str_eq(out.buf, c->expect, "'%s' gave '%s'", c->query, out.buf);
	strbuf_release(&out);
	query_release(&q);
}

typedef struct error_case {
	char query[64];
	unsigned column;
	char message[64]; /* a part of the message */
	char hint[48];    /* a part of the hint, or "" */
} error_case_t;

static error_case_t error_cases[] = {
	{ "ВПР дата_заседания:2021", 5, "unknown field 'дата_заседания'", "" },
	{ "dtae:2021", 1, "unknown field 'dtae'", "did you mean 'date:'" },
	{ "регоин:Тверская", 1, "unknown field", "did you mean 'регион:'" },
	{ "фио:Иванов", 1, "unknown field 'фио'", "fields are" },
	{ "мо:Мегион (ВПР", 11, "unmatched '('", "add ')'" },
	{ "ВПР)", 4, "unmatched ')'", "" },
	{ "ВПР () ШНОР", 5, "empty brackets", "" },
	{ "ВПР OR", 5, "'OR' has nothing after it", "" },
	{ "AND ВПР", 1, "'AND' has nothing before it", "" },
	{ "ВПР ИЛИ ИЛИ ШНОР", 9, "'ИЛИ' has nothing before it", "" },
	{ "ВПР НЕ", 5, "'НЕ' has nothing after it", "" },
	{ "ВПР NOT (ШНОР OR ГИА) ВСОКО", 23, "a NOT group followed by more words", "(a NOT (b OR c)) d" },
	{ "ВПР OR NOT ШНОР", 8, "NOT cannot follow 'OR'", "a OR (b NOT c)" },
	{ "ВПР NOT NOT ШНОР", 9, "NOT after NOT", "" },
	{ "\"ВПР объективность", 1, "unclosed quote", "closing quote" },
	{ "мо:\"Вышний Волочек", 4, "unclosed quote", "" },
	{ "due:2021-13-01", 5, "there is no month 13", "" },
	{ "date:31.02.2021", 6, "there is no day 31", "" },
	{ "дата:2022..2021", 6, "ends before it starts", "" },
	{ "срок:вчера", 6, "bad deadline 'вчера'", "permanent" },
	{ "due:..", 5, "at least one side", "" },
	{ "тип:отчёт", 5, "unknown record type 'отчёт'", "type:decision" },
	{ "мо:", 4, "has no value", "" },
	{ "мо: Мегион", 4, "has no value", "" },
	{ "мо:(Мегион OR Кондопога)", 4, "brackets cannot follow", "мо:A OR мо:B" },
	{ "ВПР 2021..2022", 5, "a range without a field", "date:A..B" },
	{ "   ", 1, "nothing to search for", "" },
	{ "мо:--", 4, "no words in the value", "" },
};

ParameterizedTestParameters(query, errors)
{
	return cr_make_param_array(error_case_t, error_cases,
				   sizeof(error_cases) / sizeof(error_cases[0]));
}

ParameterizedTest(error_case_t *c, query, errors)
{
	query_t q;
	query_error_t err;
	int r = query_prepare(c->query, strlen(c->query), &q, &err);
	cr_assert_eq(r, -1, "'%s' accepted", c->query);
	cr_expect_eq(err.column, c->column, "'%s': column %u, expected %u (%s)", c->query,
		     err.column, c->column, err.message);
	cr_expect(strstr(err.message, c->message) != NULL, "'%s': message '%s'", c->query,
		  err.message);
	cr_expect(strstr(err.hint, c->hint) != NULL, "'%s': hint '%s'", c->query, err.hint);
	cr_expect_eq(q.n, 0);
}

Test(query, invalid_utf8_names_the_byte)
{
	const char s[] = "ВПР \xff\xfe";
	query_t q;
	query_error_t err;
	cr_assert_eq(query_prepare(s, sizeof(s) - 1, &q, &err), -1);
	cr_expect_eq(err.offset, strlen("ВПР "));
	cr_expect(strstr(err.message, "UTF-8") != NULL);
}

Test(query, nul_bytes_are_spaces)
{
	const char s[] = "ВПР\0ШНОР";
	query_t q;
	query_error_t err;
	strbuf_t out = STRBUF_INIT;
	cr_assert_eq(query_prepare(s, sizeof(s) - 1, &q, &err), 0, "%s", err.message);
	joined(&q, &out);
	cr_expect_str_eq(out.buf, "ВПР ШНОР");
	strbuf_release(&out);
	query_release(&q);
}

Test(query, field_names)
{
	cr_expect_eq(query_field_lookup("мо", strlen("мо")), QUERY_FIELD_MUNICIPALITY);
	cr_expect_eq(query_field_lookup("СРОК", strlen("СРОК")), QUERY_FIELD_DUE);
	cr_expect_eq(query_field_lookup("Due", 3), QUERY_FIELD_DUE);
	cr_expect_eq(query_field_lookup("protodexall", 11), -1);
	cr_expect_eq(query_field_lookup("dat", 3), -1);
	for (int f = 0; f < QUERY_FIELD_COUNT; f++) {
		const char *en = query_field_name((query_field_t)f);
		const char *ru = query_field_name_ru((query_field_t)f);
		cr_expect_eq(query_field_lookup(en, strlen(en)), f, "%s", en);
		cr_expect_eq(query_field_lookup(ru, strlen(ru)), f, "%s", ru);
	}
	cr_expect_str_eq(query_type_value("Решения", strlen("Решения")), "decision");
	cr_expect_str_eq(query_type_value("PROTOCOL", 8), "protocol");
	cr_expect_null(query_type_value("report", 6));
	cr_expect_eq(query_due_keyword("ПОСТОЯННО", strlen("ПОСТОЯННО")), QUERY_DUE_PERMANENT);
	cr_expect_eq(query_due_keyword("overdue", 7), QUERY_DUE_OVERDUE);
	cr_expect_eq(query_due_keyword("нет", strlen("нет")), QUERY_DUE_NO_DEADLINE);
	cr_expect_eq(query_due_keyword("event", 5), QUERY_DUE_EVENT);
	cr_expect_eq(query_due_keyword("2021", 4), QUERY_DUE_NONE_KEYWORD);
}

/* ---- Dates and ranges ----------------------------------------------------- */

typedef struct range_case {
	char text[40];
	char from[9];
	char to[9];
	int ok;
} range_case_t;

static range_case_t range_cases[] = {
	{ "2021-12-01", "20211201", "20211201", 1 },
	{ "01.12.2021", "20211201", "20211201", 1 },
	{ "1.2.2022", "20220201", "20220201", 1 },
	{ "01.12.21", "20211201", "20211201", 1 },
	{ "2021-12", "20211201", "20211231", 1 },
	{ "12.2021", "20211201", "20211231", 1 },
	{ "2024-02", "20240201", "20240229", 1 },
	{ "2023-02", "20230201", "20230228", 1 },
	{ "2021", "20210101", "20211231", 1 },
	{ "today", "20261123", "20261123", 1 },
	{ "Сегодня", "20261123", "20261123", 1 },
	{ "2021-12-01..2022-05-31", "20211201", "20220531", 1 },
	{ "..2021-12-01", "", "20211201", 1 },
	{ "2021-09-01..", "20210901", "", 1 },
	{ "2021..2022-05", "20210101", "20220531", 1 },
	{ "01.12.2021..31.12.2021", "20211201", "20211231", 1 },
	{ "2021-12..2021-12", "20211201", "20211231", 1 },
	{ "..today", "", "20261123", 1 },
	{ "2000-02-29", "20000229", "20000229", 1 },
	{ "1900-02-29", "", "", 0 },
	{ "2021-02-29", "", "", 0 },
	{ "2021-13", "", "", 0 },
	{ "2021-00-10", "", "", 0 },
	{ "32.01.2021", "", "", 0 },
	{ "2021.12.01", "", "", 0 },
	{ "2021-12.01", "", "", 0 },
	{ "12021", "", "", 0 },
	{ "1899", "", "", 0 },
	{ "", "", "", 0 },
	{ "..", "", "", 0 },
	{ "2022..2021", "", "", 0 },
	{ "2021..2022..2023", "", "", 0 },
	{ "вчера", "", "", 0 },
	{ "2021-1x", "", "", 0 },
	{ "-2021", "", "", 0 },
};

ParameterizedTestParameters(query, ranges)
{
	return cr_make_param_array(range_case_t, range_cases,
				   sizeof(range_cases) / sizeof(range_cases[0]));
}

ParameterizedTest(range_case_t *c, query, ranges)
{
	char from[9] = "x", to[9] = "x", why[128] = "";
	int r = query_range(c->text, strlen(c->text), "20261123", from, to, why, sizeof(why));
	if (!c->ok) {
		cr_expect_eq(r, -1, "'%s' accepted as %s..%s", c->text, from, to);
		cr_expect(*why, "'%s': no reason given", c->text);
		return;
	}
	cr_assert_eq(r, 0, "'%s' refused: %s", c->text, why);
	cr_expect_str_eq(from, c->from, "'%s' from", c->text);
	cr_expect_str_eq(to, c->to, "'%s' to", c->text);
}

Test(query, today_needs_a_date)
{
	char from[9], to[9], why[64];
	cr_expect_eq(query_period("today", 5, NULL, from, to, why, sizeof(why)), -1);
}

/* ---- query_date_pieces ---------------------------------------------------- */

static int
add_piece(void *vctx, const char *period)
{
	strbuf_t *out = vctx;
	if (out->len)
		strbuf_addch(out, ' ');
	strbuf_adds(out, period);
	return 0;
}

/* Arrays, not pointers: each test runs in a process of its own. */
typedef struct {
	char from[9], to[9], pieces[400];
} pieces_case_t;

static pieces_case_t pieces_cases[] = {
	{ "20210927", "20220503",
	  "20210927 20210928 20210929 20210930 202110 202111 202112 202201 202202 202203 202204 "
	  "20220501 20220502 20220503" },
	{ "20190101", "20211231", "2019 2020 2021" },
	{ "20190201", "20201231", "201902 201903 201904 201905 201906 201907 201908 201909 "
				  "201910 201911 201912 2020" },
	{ "20190101", "20201130", "2019 202001 202002 202003 202004 202005 202006 202007 "
				  "202008 202009 202010 202011" },
	{ "20200201", "20200229", "202002" }, /* a leap year's February */
	{ "20210201", "20210228", "202102" },
	{ "20200226", "20200228", "20200226 20200227 20200228" },
	{ "20211201", "20211201", "20211201" },
	{ "20211231", "20220101", "20211231 20220101" },
	{ "20210130", "20211231", "20210130 20210131 202102 202103 202104 202105 202106 202107 "
				  "202108 202109 202110 202111 202112" },
};

ParameterizedTestParameters(query, date_pieces)
{
	return cr_make_param_array(pieces_case_t, pieces_cases,
				   sizeof(pieces_cases) / sizeof(pieces_cases[0]));
}

ParameterizedTest(pieces_case_t *c, query, date_pieces)
{
	strbuf_t out = STRBUF_INIT;
	int n = query_date_pieces(c->from, c->to, add_piece, &out);
	cr_expect_str_eq(out.buf ? out.buf : "", c->pieces, "%s..%s", c->from, c->to);
	/* one piece per space-separated period */
	int words = 1;
	for (const char *p = c->pieces; *p; p++)
		words += *p == ' ';
	cr_expect_eq(n, words);
	strbuf_release(&out);
}

static int
stop_at_second(void *vctx, const char *period)
{
	int *seen = vctx;
	(void)period;
	return ++*seen == 2;
}

Test(query, date_pieces_stop_when_told)
{
	int seen = 0;
	cr_expect_eq(query_date_pieces("20190101", "20241231", stop_at_second, &seen), -1);
	cr_expect_eq(seen, 2);
}
