/*
 * protocol: the parser's rules (tests/expected/README.md), one behaviour
 * per test, on small protocols written here for the purpose.  Each text
 * is split at '\n' into paragraphs, as a plain-text reader would; a line
 * starting with '|' is a table row whose cells are separated by '|'.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/gazetteer.h"
#include "indexer/protocol.h"

static gazetteer_t *gaz;

static void
setup(void)
{
	gaz = gazetteer_new_default();
}

static void
teardown(void)
{
	gazetteer_free(gaz);
}

TestSuite(protocol, .init = setup, .fini = teardown);

/* Parse `text` into *p (protocol_init done here; the caller releases). */
static void
parse(protocol_t *p, const char *text)
{
	reader_para_t paras[256];
	size_t n = 0;
	unsigned row = 0;
	const char *s = text;
	memset(paras, 0, sizeof(paras));
	while (*s && n < 256) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len && s[0] == '|') {
			/* a table row: one CELL per cell */
			const char *c = s + 1, *end = s + len;
			unsigned col = 0;
			while (c < end && n < 256) {
				const char *bar = memchr(c, '|', (size_t)(end - c));
				size_t cl = bar ? (size_t)(bar - c) : (size_t)(end - c);
				if (cl) {
					paras[n].text = xstrndup(c, cl);
					paras[n].len = cl;
					paras[n].kind = READER_CELL;
					paras[n].row = row;
					paras[n].col = col;
					n++;
				}
				col++;
				c += cl + 1;
			}
			row++;
		} else if (len) {
			paras[n].text = xstrndup(s, len);
			paras[n].len = len;
			paras[n].kind = READER_PARA;
			n++;
			row = 0;
		}
		s += len + (nl ? 1 : 0);
	}
	protocol_init(p);
	protocol_parse(p, paras, n, gaz);
	while (n)
		free(paras[--n].text);
}

/* ---- header -------------------------------------------------------------------- */

typedef struct header_case {
	char text[400];
	char kind[48];
	char number[16];
	char date[11];
	char place[48];
} header_case_t;

static header_case_t header_cases[] = {
	{ "ПРОТОКОЛ №11\nсовещания руководителей\nот 10.07.2022г.\nг. Мегион",
	  "протокол", "11", "2022-07-10", "г. Мегион" },
	{ "Выписка из протокола № 8\n«02» сентября 2021\nг. Красный Холм",
	  "выписка из протокола", "8", "2021-09-02", "г. Красный Холм" },
	{ "П Р О Т О К О Л No 4/22\n<<27>> февраля 2023 г.", "протокол", "4/22", "2023-02-27", "" },
	{ "РЕШЕНИЕ\nсовещания\n24 ноября 2022 года", "решение", "", "2022-11-24", "" },
	{ "Протокол\nот 10.11.2022 года\n№\u00a03", "протокол", "3", "2022-11-10", "" },
	/* the first date of the header, not a deadline in the agenda */
	{ "Протокол совещания\n29.01.2021\nПовестка дня:\n1. О сроках до 01.12.2021",
	  "протокол", "", "2021-01-29", "" },
	/* a room is not a place */
	{ "Протокол\nМесто проведения: Отдел образования\n01.02.2022", "протокол", "", "2022-02-01", "" },
};

ParameterizedTestParameters(protocol, header)
{
	return cr_make_param_array(header_case_t, header_cases,
				   sizeof(header_cases) / sizeof(header_cases[0]));
}

ParameterizedTest(header_case_t *c, protocol, header)
{
	protocol_t p;
	parse(&p, c->text);
	cr_expect_str_eq(p.kind, c->kind, "kind of «%s»", c->text);
	cr_expect_str_eq(p.number, c->number, "number of «%s»", c->text);
	cr_expect_str_eq(p.date, c->date, "date of «%s»", c->text);
	cr_expect_str_eq(p.place, c->place, "place of «%s»", c->text);
	protocol_release(&p);
}

Test(protocol, municipality_from_inflected_mention)
{
	protocol_t p;
	parse(&p, "ПРОТОКОЛ\nсовещания руководителей ОО Краснохолмского муниципального округа\n"
		  "01.02.2022");
	cr_expect_str_eq(p.municipality, "Краснохолмский муниципальный округ");
	cr_expect_str_eq(p.municipality_type, "МО");
	cr_expect_str_eq(p.region, "Тверская область");
	protocol_release(&p);
}

/* ---- chair and secretary ---------------------------------------------------------- */

typedef struct people_case {
	char text[400];
	char chair[48];
	char secretary[48];
} people_case_t;

static people_case_t people_cases[] = {
	{ "Протокол\nПредседатель: О.М.Берёзкина\nСекретарь: Голубева Т.С.",
	  "Берёзкина О.М.", "Голубева Т.С." },
	{ "Протокол\nПредседательствующий:\nСорокина Вера Павловна\t директор центра\n"
	  "Секретарь:\nЛебедева Анна Игоревна",
	  "Сорокина В.П.", "Лебедева А.И." },
	{ "Протокол\nПредседатель совещания – начальник управления образования администрации "
	  "города Урая Д.Д. Санникова", "Санникова Д.Д.", "" },
	/* «председатель комитета» in a job title is no chair */
	{ "Протокол\nПрисутствовали:\nПетрова А.А., председатель комитета по образованию\n"
	  "Повестка дня:\n1. О работе.", "", "" },
	/* the signature marks the chair ... */
	{ "Протокол\nРешили:\n1. Принять к сведению.\nПредседательствующий ____________ М.Д. Киселёва\n"
	  "Секретарь      Д.Ф. Карпова", "Киселёва М.Д.", "Карпова Д.Ф." },
	/* ... but not a signature under a job title alone */
	{ "Протокол\nРешили:\n1. Принять к сведению.\nНачальник управления образования\n"
	  "И.И. Петров", "", "" },
	/* the header wins over the signature */
	{ "Протокол\nПредседатель: Иванова А.А.\nРешили:\n1. Принять.\nПредседатель  Б.Б. Сидорова",
	  "Иванова А.А.", "" },
};

ParameterizedTestParameters(protocol, chair_secretary)
{
	return cr_make_param_array(people_case_t, people_cases,
				   sizeof(people_cases) / sizeof(people_cases[0]));
}

ParameterizedTest(people_case_t *c, protocol, chair_secretary)
{
	protocol_t p;
	parse(&p, c->text);
	cr_expect_str_eq(p.chair, c->chair, "chair of «%s»", c->text);
	cr_expect_str_eq(p.secretary, c->secretary, "secretary of «%s»", c->text);
	protocol_release(&p);
}

/* ---- attendees ----------------------------------------------------------------------- */

typedef struct attendees_case {
	char text[400];
	int count;
} attendees_case_t;

static attendees_case_t attendees_cases[] = {
	{ "Протокол\nПрисутствовали: 12 человек\nПовестка дня:\n1. О работе.", 12 },
	{ "Протокол\nПрисутствовали:\nРуководители ОО – 15 человек;\nспециалисты отдела – 3 человека.\n"
	  "Повестка дня:\n1. О работе.", 18 },
	{ "Протокол\nПрисутствовали:\nИванова А.А. – методист\nПетров Б.Б. – директор\n"
	  "Сидорова Вера Павловна\nПовестка дня:\n1. О работе.", 3 },
	/* a school named after someone names no attendee */
	{ "Протокол\nПрисутствовали:\n1. Белкин Д.В. – директор школы «№ 9 имени И.С. Фрадкова»\n"
	  "2. Колоколова А.В. – директор\nПовестка дня:\n1. О работе.", 2 },
	/* named people and an uncounted group: the number is unknown */
	{ "Протокол\nПрисутствовали:\nИванова А.А. – методист\nРуководители и методисты школ\n"
	  "Повестка дня:\n1. О работе.", -1 },
	{ "Протокол\nПрисутствовали: руководители ОО (список прилагается)\nПовестка дня:\n1. О работе.",
	  -1 },
};

ParameterizedTestParameters(protocol, attendees)
{
	return cr_make_param_array(attendees_case_t, attendees_cases,
				   sizeof(attendees_cases) / sizeof(attendees_cases[0]));
}

ParameterizedTest(attendees_case_t *c, protocol, attendees)
{
	protocol_t p;
	parse(&p, c->text);
	cr_expect_eq(p.attendees_count, c->count, "count of «%s»: %d", c->text, p.attendees_count);
	protocol_release(&p);
}

/* ---- agenda ---------------------------------------------------------------------------- */

Test(protocol, agenda_speakers)
{
	protocol_t p;
	parse(&p, "Протокол\nПовестка дня:\n"
		  "1. О результатах ВПР. – Петрова Е.С.\n"
		  "2. О подготовке к ГИА.\nПетров Б.Б.\n"
		  "3. Об олимпиаде.\nДокладчик: В.В. Сидорова, методист центра\n"
		  "4) О наставничестве (докладчик – Г.Г. Орлова).\n"
		  "5. О разном\n"
		  "По первому вопросу выступила Петрова Е.С.");
	cr_assert_eq(p.n_agenda, 5);
	cr_expect_str_eq(p.agenda[0].number, "1");
	cr_expect_str_eq(p.agenda[0].text, "О результатах ВПР.");
	cr_expect_str_eq(p.agenda[0].speaker, "Петрова Е.С.");
	cr_expect_str_eq(p.agenda[1].speaker, "Петров Б.Б.");
	cr_expect_str_eq(p.agenda[2].speaker, "Сидорова В.В.");
	cr_expect_str_eq(p.agenda[3].number, "4");
	cr_expect_str_eq(p.agenda[3].text, "О наставничестве");
	cr_expect_str_eq(p.agenda[3].speaker, "Орлова Г.Г.");
	cr_expect_str_eq(p.agenda[4].speaker, "");
	protocol_release(&p);
}

Test(protocol, agenda_broken_lines)
{
	protocol_t p;
	parse(&p, "Протокол\nПовестка дня:\n1. О результатах ВПР весной\n2024 года и мерах.\n"
		  "2.\nОб\nитогах\nмониторинга. – М.В. Яковлева\n"
		  "По первому вопросу выступила Иванова А.А.");
	cr_assert_eq(p.n_agenda, 2);
	cr_expect_str_eq(p.agenda[0].text, "О результатах ВПР весной 2024 года и мерах.");
	cr_expect_str_eq(p.agenda[1].number, "2");
	cr_expect_str_eq(p.agenda[1].text, "Об итогах мониторинга.");
	cr_expect_str_eq(p.agenda[1].speaker, "Яковлева М.В.");
	protocol_release(&p);
}

Test(protocol, agenda_ends_at_numbered_hearing)
{
	protocol_t p;
	parse(&p, "Протокол\nПовестка:\n1) О ВСОКО.\n2) О ВПР.\n"
		  "1. СЛУШАЛИ: Королёву А.В., директора центра, – о ВСОКО.\nРешили:\n1) Принять к сведению.\n"
		  "2. Слушали: Голубеву С.В. – о ВПР.\nРешили:\n1) Провести анализ.");
	cr_assert_eq(p.n_agenda, 2);
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_eq(p.decisions[0].agenda_item, 0);
	cr_expect_eq(p.decisions[1].agenda_item, 1);
	protocol_release(&p);
}

/* ---- decision numbers -------------------------------------------------------------------- */

typedef struct number_case {
	char text[300];
	int n;                 /* decisions expected */
	char numbers[4][12];   /* the first ones' numbers */
	char texts[4][64];     /* and texts */
} number_case_t;

static number_case_t number_cases[] = {
	{ "Решили:\n1.1. Провести анализ.\n1.2. Обеспечить контроль.", 2,
	  { "1.1", "1.2" }, { "Провести анализ.", "Обеспечить контроль." } },
	{ "Решили:\n1.1. Провести анализ.\n12. Обеспечить контроль.", 2,
	  { "1.1", "12" }, { "Провести анализ.", "Обеспечить контроль." } },
	{ "Решили:\n1. З. Провести анализ.", 1, { "1. З" }, { "Провести анализ." } },
	{ "Решили:\n2.1. Провести анализ. 2.2. Обеспечить контроль.", 2,
	  { "2.1", "2.2" }, { "Провести анализ.", "Обеспечить контроль." } },
	{ "Решили:\n1 Провести анализ.\n2 Обеспечить контроль.", 2,
	  { "1", "2" }, { "Провести анализ.", "Обеспечить контроль." } },
	{ "Решили:\n1) Провести анализ.\n- обеспечить контроль;", 2,
	  { "1", "" }, { "Провести анализ.", "обеспечить контроль;" } },
	/* an unnumbered paragraph directly under the heading is an item ... */
	{ "Решили:\nИнформацию принять к сведению.\n1. Провести анализ.", 2,
	  { "", "1" }, { "Информацию принять к сведению.", "Провести анализ." } },
	/* ... unless it introduces the items */
	{ "Решили:\nПо итогам обсуждения:\n1. Провести анализ.", 1, { "1" }, { "Провести анализ." } },
	/* a lower-case paragraph continues the item; «Срок:» is no item */
	{ "Решили:\n1. Провести\nанализ.\nСрок: постоянно\n2. Обеспечить.", 2,
	  { "1", "2" }, { "Провести анализ.", "Обеспечить." } },
};

ParameterizedTestParameters(protocol, decision_numbers)
{
	return cr_make_param_array(number_case_t, number_cases,
				   sizeof(number_cases) / sizeof(number_cases[0]));
}

ParameterizedTest(number_case_t *c, protocol, decision_numbers)
{
	protocol_t p;
	size_t k;
	parse(&p, c->text);
	cr_assert_eq(p.n_decisions, (size_t)c->n, "decisions of «%s»: %zu", c->text, p.n_decisions);
	for (k = 0; k < p.n_decisions && k < 4; k++) {
		cr_expect_str_eq(p.decisions[k].number, c->numbers[k], "number %zu of «%s»", k, c->text);
		cr_expect_str_eq(p.decisions[k].text, c->texts[k], "text %zu of «%s»", k, c->text);
	}
	protocol_release(&p);
}

/* ---- bullets ---------------------------------------------------------------------------- */

Test(protocol, bullets_continue_an_item_ending_with_colon)
{
	protocol_t p;
	parse(&p, "Решили:\n1. Руководителям ОО обеспечить:\n- анализ результатов;\n"
		  "· контроль объективности.\n2. Провести семинар.");
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_str_eq(p.decisions[0].text, "Руководителям ОО обеспечить: анализ результатов; "
					      "контроль объективности.");
	cr_expect_str_eq(p.decisions[1].number, "2");
	protocol_release(&p);
}

Test(protocol, bullets_are_items_under_a_responsible_heading)
{
	protocol_t p;
	parse(&p, "Решили:\n3. Руководителям ОО:\n- провести анализ;\n• обеспечить контроль.\n"
		  "4. Отделу образования:\n1. Подготовить справку.");
	cr_assert_eq(p.n_decisions, 3);
	cr_expect_str_eq(p.decisions[0].number, "");
	cr_expect_str_eq(p.decisions[0].parent, "3");
	cr_expect_str_eq(p.decisions[0].responsible, "руководители ОО");
	cr_expect_str_eq(p.decisions[0].responsible_text, "Руководителям ОО");
	cr_expect_str_eq(p.decisions[1].text, "обеспечить контроль.");
	cr_expect_str_eq(p.decisions[2].parent, "4");
	cr_expect_str_eq(p.decisions[2].responsible, "Отдел образования");
	protocol_release(&p);
}

/* ---- responsible parties ------------------------------------------------------------------- */

typedef struct resp_case {
	char text[400];
	char responsible[128];
	char written[200];
} resp_case_t;

static resp_case_t resp_cases[] = {
	{ "Решили:\n1. Руководителям ОУ:\n1.1. Провести анализ.", "руководители ОО", "Руководителям ОУ" },
	{ "Решили:\nРуководителям:\n- провести анализ.", "руководители ОО", "Руководителям" },
	{ "Решили:\n1. Директорам школ:\n1.1. Провести анализ.", "руководители ОО", "Директорам школ" },
	{ "Решили:\n2. Управлению образования комитета по социальной политике (Г.Р. Седова) и МАУ ДПО "
	  "ЦРО (К.Д. Ласточкина):\n- провести анализ.",
	  "Управление образования комитета по социальной политике; МАУ ДПО ЦРО",
	  "Управлению образования комитета по социальной политике (Г.Р. Седова) и МАУ ДПО ЦРО "
	  "(К.Д. Ласточкина)" },
	{ "Решили:\n2.Муниципальному казённому учреждению «Центр развития образования»:\n"
	  "2.1. Провести семинар.", "МКУ «Центр развития образования»",
	  "Муниципальному казённому учреждению «Центр развития образования»" },
	{ "Решили:\n1. Педагогическим работникам:\n1.1. Провести уроки.", "педагогические работники",
	  "Педагогическим работникам" },
	/* a person addressed by role and name: the name, in the nominative */
	{ "Решили:\n2. Ведущему специалисту отдела образования Смородиной П.А.:\n2.1. Подготовить справку.",
	  "Смородина П.А.", "Ведущему специалисту отдела образования Смородиной П.А." },
	{ "Решили:\n2. Методисту центра Харитонову В.Е.:\n2.1. Подготовить справку.",
	  "Харитонов В.Е.", "Методисту центра Харитонову В.Е." },
	/* the addressee written before the verb */
	{ "Решили:\n1. Руководителям ОО обеспечить участие педагогов.", "руководители ОО",
	  "Руководителям ОО" },
	{ "Решили:\n1. МКУ «Методический центр» провести семинар.", "МКУ «Методический центр»",
	  "МКУ «Методический центр»" },
	/* a line naming the party of the item above */
	{ "Решили:\n1. Провести анализ.\nОтветственные: Заместители директоров по УВР\nСрок: постоянно",
	  "заместители директоров по УВР", "Заместители директоров по УВР" },
	/* an item is not an addressee */
	{ "Решили:\n1. Информацию принять к сведению.", "", "" },
};

ParameterizedTestParameters(protocol, responsible)
{
	return cr_make_param_array(resp_case_t, resp_cases, sizeof(resp_cases) / sizeof(resp_cases[0]));
}

ParameterizedTest(resp_case_t *c, protocol, responsible)
{
	protocol_t p;
	parse(&p, c->text);
	cr_assert_geq(p.n_decisions, 1, "no decision in «%s»", c->text);
	cr_expect_str_eq(p.decisions[0].responsible, c->responsible, "party of «%s»", c->text);
	cr_expect_str_eq(p.decisions[0].responsible_text, c->written, "as written in «%s»", c->text);
	protocol_release(&p);
}

Test(protocol, heading_scope_ends_at_next_block)
{
	protocol_t p;
	parse(&p, "Решили:\n1. Руководителям ОО:\n1.1. Провести анализ.\nПо второму вопросу выступила "
		  "Петрова А.А.\nРешили:\n1. Провести семинар.");
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_str_eq(p.decisions[0].responsible, "руководители ОО");
	cr_expect_str_eq(p.decisions[1].responsible, "");
	cr_expect_str_eq(p.decisions[1].parent, "");
	protocol_release(&p);
}

/* ---- deadlines ---------------------------------------------------------------------------- */

Test(protocol, deadline_applies_since_previous_srok)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n1. Провести анализ.\n2. Обеспечить контроль.\n"
		  "Срок: до 01.12.2022\n3. Провести семинар.\nСрок: декабрь 2022\n4. Подготовить отчёт.");
	cr_assert_eq(p.n_decisions, 4);
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_DATE);
	cr_expect_str_eq(p.decisions[0].deadline.from, "2022-12-01");
	cr_expect_str_eq(p.decisions[1].deadline.to, "2022-12-01");
	cr_expect_eq(p.decisions[2].deadline.kind, DEADLINE_RANGE);
	cr_expect_str_eq(p.decisions[2].deadline.from, "2022-12-01");
	cr_expect_str_eq(p.decisions[2].deadline.to, "2022-12-31");
	cr_expect_eq(p.decisions[3].deadline.kind, DEADLINE_NONE);
	cr_expect_str_eq(p.decisions[3].deadline.text, "");
	protocol_release(&p);
}

Test(protocol, deadline_stays_in_its_block)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n1. Провести анализ.\nПо второму вопросу выступила "
		  "Петрова А.А.\nРешили:\n1. Провести семинар.\nСрок: постоянно");
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_NONE);
	cr_expect_eq(p.decisions[1].deadline.kind, DEADLINE_PERMANENT);
	protocol_release(&p);
}

Test(protocol, inline_deadline_is_the_items_own)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n1. Провести анализ.\n"
		  "2. Обеспечить контроль (срок – в течение 2022-2023 учебного года).\n"
		  "3. Подготовить отчёт в срок до 01.03.2023.\n4. Провести семинар.\nСрок: ежегодно");
	cr_assert_eq(p.n_decisions, 4);
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_PERMANENT);
	cr_expect_eq(p.decisions[1].deadline.kind, DEADLINE_RANGE);
	cr_expect_str_eq(p.decisions[1].deadline.from, "2022-09-01");
	cr_expect_str_eq(p.decisions[1].deadline.to, "2023-08-31");
	cr_expect_str_eq(p.decisions[1].text,
			 "Обеспечить контроль (срок – в течение 2022-2023 учебного года).");
	cr_expect_eq(p.decisions[2].deadline.kind, DEADLINE_DATE);
	cr_expect_str_eq(p.decisions[2].deadline.to, "2023-03-01");
	cr_expect_eq(p.decisions[3].deadline.kind, DEADLINE_PERMANENT);
	protocol_release(&p);
}

Test(protocol, broken_line_with_open_bracket_continues_the_item)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n1.1. Обеспечить сопровождение\n(срок\n"
		  "– декабрь 2022 г.).\n1.2. Провести анализ.");
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_str_eq(p.decisions[0].text, "Обеспечить сопровождение (срок – декабрь 2022 г.).");
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_RANGE);
	cr_expect_eq(p.decisions[1].deadline.kind, DEADLINE_NONE);
	protocol_release(&p);
}

/* ---- decision tables --------------------------------------------------------------------- */

Test(protocol, decision_table)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n"
		  "|№ п/п|Содержание решения|Ответственный|Срок исполнения\n"
		  "|1.|Провести анализ результатов.|Руководители ОО|до 01.12.2022\n"
		  "|2|Подготовить справку.|Отдел образования|постоянно\n"
		  "Председатель   А.А. Иванова");
	cr_assert_eq(p.n_decisions, 2);
	cr_expect_str_eq(p.decisions[0].number, "1");
	cr_expect_str_eq(p.decisions[0].text, "Провести анализ результатов.");
	cr_expect_str_eq(p.decisions[0].responsible, "руководители ОО");
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_DATE);
	cr_expect_str_eq(p.decisions[1].number, "2");
	cr_expect_str_eq(p.decisions[1].responsible, "Отдел образования");
	cr_expect_eq(p.decisions[1].deadline.kind, DEADLINE_PERMANENT);
	protocol_release(&p);
}

Test(protocol, decision_table_as_text_with_tabs)
{
	protocol_t p;
	parse(&p, "Протокол\n10.11.2022\nРешили:\n"
		  "№\tМероприятие\tОтветственные\tСрок\n"
		  "1.\tПровести анализ.\tЗаместители директоров по УВР\tдекабрь 2022\n");
	cr_assert_eq(p.n_decisions, 1);
	cr_expect_str_eq(p.decisions[0].text, "Провести анализ.");
	cr_expect_str_eq(p.decisions[0].responsible, "заместители директоров по УВР");
	cr_expect_eq(p.decisions[0].deadline.kind, DEADLINE_RANGE);
	protocol_release(&p);
}

/* ---- agenda items of decision blocks ------------------------------------------------------- */

Test(protocol, agenda_item_of_the_opened_item)
{
	protocol_t p;
	parse(&p, "Протокол\nПовестка дня:\n1. О ВПР.\n2. О ГИА.\n"
		  "По первому вопросу выступила Иванова А.А., которая рассказала о ВПР.\nРешили:\n1. Провести анализ.\n"
		  "По второму вопросу выступил Петров Б.Б.\nРешили:\n1. Провести семинар.\n"
		  "Решили:\n1. Подготовить отчёт.");
	cr_assert_eq(p.n_decisions, 3);
	cr_expect_eq(p.decisions[0].agenda_item, 0);
	cr_expect_eq(p.decisions[1].agenda_item, 1);
	/* no item opened since: the previous block's */
	cr_expect_eq(p.decisions[2].agenda_item, 1);
	protocol_release(&p);
}

Test(protocol, agenda_item_by_number_in_an_extract)
{
	protocol_t p;
	parse(&p, "Выписка из протокола\nПовестка дня:\n3. Об олимпиаде.\n"
		  "По третьему вопросу выступила Иванова А.А.\nРешили:\n1. Провести анализ.");
	cr_assert_eq(p.n_decisions, 1);
	cr_expect_eq(p.decisions[0].agenda_item, 0);
	protocol_release(&p);
}

Test(protocol, lone_block_after_several_items_sums_up)
{
	protocol_t p;
	parse(&p, "Протокол\nПовестка дня:\n1. О ВПР.\n2. О ГИА.\n"
		  "По первому вопросу выступила Иванова А.А.\nПо второму вопросу выступил Петров Б.Б.\n"
		  "Решение:\n1. Принять к сведению.");
	cr_assert_eq(p.n_decisions, 1);
	cr_expect_eq(p.decisions[0].agenda_item, -1);
	protocol_release(&p);
}

Test(protocol, no_agenda_item_without_agenda_or_opening)
{
	protocol_t p;
	parse(&p, "Протокол\nРешили:\n1. Принять к сведению.");
	cr_expect_eq(p.decisions[0].agenda_item, -1);
	protocol_release(&p);
	parse(&p, "Протокол\nПовестка дня:\n1. О ВПР.\nСлушали:\nИванову А.А.\nРешили:\n1. Принять.");
	cr_expect_eq(p.decisions[0].agenda_item, -1);
	protocol_release(&p);
}

/* ---- where a block ends ------------------------------------------------------------------ */

typedef struct end_case {
	char text[300];
	int n;
} end_case_t;

static end_case_t end_cases[] = {
	{ "Решили:\n1. Провести анализ.\nПредседатель     А.А. Иванова\n2. Не решение.", 1 },
	{ "Решили:\n1. Провести анализ.\nСекретарь: Б.Б. Петрова", 1 },
	{ "Решили:\n1. Провести анализ.\nДроздову Марину Ивановну, которая рассказала о ВПР.", 1 },
	{ "Решили:\n1. Провести анализ.\nПо второму вопросу выступила Петрова А.А.\n2. Не решение.", 1 },
	{ "Решили:\n1. Провести анализ.\nСлушали:\n2. Не решение.", 1 },
	{ "Решили:\n1. Провести анализ.\nВыступили: Петрова А.А.", 1 },
	{ "Решили:\n1. Провести анализ.\n2. По второму вопросу выступила Петрова А.А.", 1 },
	{ "Решили:\n1. Провести анализ.\nОбщая часть протокола продолжается.\n2. Не решение.", 1 },
};

ParameterizedTestParameters(protocol, block_ends)
{
	return cr_make_param_array(end_case_t, end_cases, sizeof(end_cases) / sizeof(end_cases[0]));
}

ParameterizedTest(end_case_t *c, protocol, block_ends)
{
	protocol_t p;
	parse(&p, c->text);
	cr_expect_eq(p.n_decisions, (size_t)c->n, "decisions of «%s»: %zu", c->text, p.n_decisions);
	protocol_release(&p);
}

/* ---- Word artefacts ------------------------------------------------------------------------ */

Test(protocol, word_artefacts_removed)
{
	protocol_t p;
	parse(&p, "Протокол\n[bookmark: _GoBack]Председатель: Иванова А.А.\nРешили:\n"
		  "1. Провести [image: image1.jpg] анализ\t  результатов.");
	cr_expect_str_eq(p.chair, "Иванова А.А.");
	cr_assert_eq(p.n_decisions, 1);
	cr_expect_str_eq(p.decisions[0].text, "Провести анализ результатов.");
	protocol_release(&p);
}

Test(protocol, json_record)
{
	protocol_t p;
	strbuf_t sb = STRBUF_INIT;
	parse(&p, "ПРОТОКОЛ № 5\n01.02.2022\nРешили:\n1. Провести «анализ».");
	protocol_to_json(&p, &sb);
	cr_expect(strstr(sb.buf, "\"number\":\"5\"") != NULL, "%s", sb.buf);
	cr_expect(strstr(sb.buf, "\"attendees_count\":null") != NULL, "%s", sb.buf);
	cr_expect(strstr(sb.buf, "\"deadline\":{\"kind\":\"none\"") != NULL, "%s", sb.buf);
	strbuf_release(&sb);
	protocol_release(&p);
}

/* A long protocol parses in linear time: a block of 100,000 items, and
 * one item continued over 100,000 lines.  Linear work takes a second
 * (half a minute under valgrind); quadratic work, over a minute. */
Test(protocol, long_inputs_stay_linear, .timeout = 60)
{
	size_t n = 100000, k;
	reader_para_t *paras = xcalloc(n + 2, sizeof(*paras));
	protocol_t p;
	paras[0].text = xstrdup("Решили:");
	paras[0].len = strlen(paras[0].text);
	paras[1].text = xstrdup("1. Провести (анализ");
	paras[1].len = strlen(paras[1].text);
	for (k = 2; k < n + 2; k++) {
		paras[k].text = xstrdup(k % 2 ? "продолжение" : "ещё строка");
		paras[k].len = strlen(paras[k].text);
	}
	protocol_init(&p);
	protocol_parse(&p, paras, n + 2, gaz);
	cr_expect_eq(p.n_decisions, 1);
	protocol_release(&p);
	for (k = 1; k < n + 2; k++) {
		char buf[32];
		free(paras[k].text);
		snprintf(buf, sizeof(buf), "%zu.%zu. Пункт.", k / 90 % 90 + 1, k % 90 + 1);
		paras[k].text = xstrdup(buf);
		paras[k].len = strlen(buf);
	}
	protocol_init(&p);
	protocol_parse(&p, paras, n + 2, gaz);
	cr_expect_eq(p.n_decisions, n + 1);
	protocol_release(&p);
	for (k = 0; k < n + 2; k++)
		free(paras[k].text);
	free(paras);
}
