/*
 * gazetteer: the built-in data, mentions in running text, lookups of
 * typed names, and the loader's errors.
 *
 * The seed protocols are read from $PROTODEX_SEEDS (default
 * /work/shared/seeds); without them those tests are skipped.  Every other
 * text here was written for this test.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "indexer/gazetteer.h"

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
	gaz = NULL;
}

TestSuite(gazetteer, .init = setup, .fini = teardown);

/* ---- mentions ------------------------------------------------------------ */

/* Fixed arrays: Criterion re-executes the binary, pointers would dangle. */
typedef struct find_case {
	char text[160];
	char name[96];      /* canonical name, "" for no match */
	char mention[96];   /* the matched text */
} find_case_t;

static find_case_t find_cases[] = {
	/* The forms the seeds' headers use. */
	{ "совещания руководителей Вышневолоцкого ГО в режиме ВКС", "Вышневолоцкий городской округ",
	  "Вышневолоцкого ГО" },
	{ "с директорами школ Краснохолмского муниципального округа", "Краснохолмский муниципальный округ",
	  "Краснохолмского муниципального округа" },
	{ "Отдел образования Администрации Краснохолмского МО", "Краснохолмский муниципальный округ",
	  "Краснохолмского МО" },
	{ "г. Мегион                    29.01.2021", "Мегион", "г. Мегион" },
	{ "г. Петрозаводск", "Петрозаводский городской округ", "г. Петрозаводск" },
	{ "Администрации Петрозаводского городского округа – председатель",
	  "Петрозаводский городской округ", "Петрозаводского городского округа" },
	{ "Западнодвинского муниципального округа Тверской области", "Западнодвинский муниципальный округ",
	  "Западнодвинского муниципального округа" },
	/* Other cases and spellings. */
	{ "Вышневолоцкий городской округ", "Вышневолоцкий городской округ", "Вышневолоцкий городской округ" },
	{ "в Вышневолоцком городском округе", "Вышневолоцкий городской округ",
	  "Вышневолоцком городском округе" },
	{ "по Вышневолоцкому ГО", "Вышневолоцкий городской округ", "Вышневолоцкому ГО" },
	{ "ВЫШНЕВОЛОЦКИМ ГОРОДСКИМ ОКРУГОМ", "Вышневолоцкий городской округ",
	  "ВЫШНЕВОЛОЦКИМ ГОРОДСКИМ ОКРУГОМ" },
	{ "школы Вышневолоцкого района", "Вышневолоцкий городской округ", "Вышневолоцкого района" },
	{ "руководители школ вышневолоцкого", "Вышневолоцкий городской округ", "вышневолоцкого" },
	{ "АДМИНИСТРАЦИЯ КИМРСКОГО МУНИЦИПАЛЬНОГО ОКРУГА", "Кимрский муниципальный округ",
	  "КИМРСКОГО МУНИЦИПАЛЬНОГО ОКРУГА" },
	{ "Бологовского муниципального района", "Бологовский муниципальный округ",
	  "Бологовского муниципального района" },
	{ "города Мегиона", "Мегион", "города Мегиона" },
	{ "в городе Мегионе", "Мегион", "городе Мегионе" },
	{ "школы Мегиона", "Мегион", "Мегиона" },
	{ "г.Нягань", "Нягань", "г.Нягань" },
	{ "г Урай", "Урай", "г Урай" },
	{ "г. Вышний Волочёк", "Вышневолоцкий городской округ", "г. Вышний Волочёк" },
	{ "г. Вышний  Волочек", "Вышневолоцкий городской округ", "г. Вышний  Волочек" },
	{ "г. Красный Холм", "Краснохолмский муниципальный округ", "г. Красный Холм" },
	{ "ЗАТО Озёрный", "ЗАТО Озёрный", "ЗАТО Озёрный" },
	{ "пгт Пено", "Пеновский муниципальный округ", "пгт Пено" },
	{ "с. Выльгорт", "Сыктывдинский муниципальный район", "с. Выльгорт" },
	{ "управление образования города Твери", "Тверь", "города Твери" },
	{ "Лесного муниципального округа", "Лесной муниципальный округ", "Лесного муниципального округа" },
	{ "Советского района ХМАО", "Советский район", "Советского района" },
	{ "Пряжинского национального муниципального района", "Пряжинский национальный муниципальный район",
	  "Пряжинского национального муниципального района" },
	{ "Усть-Вымского района", "Усть-Вымский муниципальный район", "Усть-Вымского района" },
	{ "Верхнеключевского муниципального округа", "Верхнеключевской муниципальный округ",
	  "Верхнеключевского муниципального округа" },
	{ "«Вышневолоцкий городской округ»", "Вышневолоцкий городской округ", "Вышневолоцкий городской округ" },
	/* The first mention wins. */
	{ "г. Петрозаводск, Кондопожский район", "Петрозаводский городской округ", "г. Петрозаводск" },
	{ "Тверской области, Ржевского муниципального округа", "Ржевский муниципальный округ",
	  "Ржевского муниципального округа" },
	/* Not mentions. */
	{ "Министерство образования Тверской области", "", "" },
	{ "Тверская область", "", "" },
	{ "директор МБОУ «Краснохолмская сош №1»", "", "" },
	{ "директор МБОУ ДО «Краснохолмский ДДТ»", "", "" },
	{ "Вышневолоцкая школа", "", "" },
	{ "вышневолоцкие школы", "", "" },
	{ "Новомегион", "", "" },
	{ "Мегионский", "", "" },
	{ "лесной массив", "", "" },
	{ "Ржевский А.А., директор", "", "" },
	{ "Советский Союз", "", "" },
	{ "Пено", "", "" },
	{ "г. Нефтеюганск", "", "" },
	{ "Ханты-Мансийский автономный округ — Югра", "", "" },
	{ "Краснохолмский край", "", "" },
	{ "", "", "" },
};

ParameterizedTestParameters(gazetteer, find)
{
	return cr_make_param_array(find_case_t, find_cases, sizeof(find_cases) / sizeof(find_cases[0]));
}

ParameterizedTest(find_case_t *c, gazetteer, find)
{
	gazetteer_match_t m;
	int found = gazetteer_find(gaz, c->text, strlen(c->text), &m);
	if (!c->name[0]) {
		cr_expect_not(found, "«%s»: unexpected match «%s» (%.*s)", c->text,
			      found ? m.entry->name : "", found ? (int)m.len : 0, found ? c->text + m.start : "");
		return;
	}
	cr_assert(found, "«%s»: no match", c->text);
	cr_expect_str_eq(m.entry->name, c->name, "«%s»", c->text);
	cr_expect(m.len == strlen(c->mention) && memcmp(c->text + m.start, c->mention, m.len) == 0,
		  "«%s»: matched «%.*s», expected «%s»", c->text, (int)m.len, c->text + m.start, c->mention);
}

Test(gazetteer, entry_fields)
{
	gazetteer_match_t m;
	const char *t = "г. Мегион";
	cr_assert(gazetteer_find(gaz, t, strlen(t), &m));
	cr_expect_str_eq(m.entry->type, "ГО");
	cr_expect_str_eq(m.entry->region, "Ханты-Мансийский автономный округ — Югра");
	t = "Краснохолмского МО";
	cr_assert(gazetteer_find(gaz, t, strlen(t), &m));
	cr_expect_str_eq(m.entry->type, "МО");
	cr_expect_str_eq(m.entry->region, "Тверская область");
}

/* `len` is the end of the text: nothing is read after it. */
Test(gazetteer, find_respects_len)
{
	gazetteer_match_t m;
	const char *t = "Мегионе";
	cr_expect_not(gazetteer_find(gaz, t, strlen("Мегио"), &m));
	cr_expect(gazetteer_find(gaz, t, strlen("Мегион"), &m));
	cr_expect_eq(m.len, strlen("Мегион"));
	cr_expect_not(gazetteer_find(NULL, t, strlen(t), &m));
}

/* ---- the built-in data --------------------------------------------------- */

Test(gazetteer, builtin_size)
{
	cr_expect_geq(gazetteer_size(gaz), 60);
	cr_expect_null(gazetteer_entry(gaz, gazetteer_size(gaz)));
}

/* Every entry is found by its own canonical name, by lookup and in text. */
Test(gazetteer, self_consistent)
{
	for (size_t i = 0; i < gazetteer_size(gaz); i++) {
		const gazetteer_entry_t *e = gazetteer_entry(gaz, i);
		char text[256];
		gazetteer_match_t m;
		cr_expect_eq(gazetteer_lookup(gaz, e->name), e, "lookup «%s»", e->name);
		snprintf(text, sizeof(text), "Совещание: %s, протокол", e->name);
		cr_expect(gazetteer_find(gaz, text, strlen(text), &m), "find «%s»", e->name);
		if (gazetteer_find(gaz, text, strlen(text), &m))
			cr_expect_eq(m.entry, e, "find «%s» gave «%s»", e->name, m.entry->name);
		cr_expect(!strcmp(e->type, "ГО") || !strcmp(e->type, "МО") || !strcmp(e->type, "МР") ||
			  !strcmp(e->type, "город"), "«%s»: type %s", e->name, e->type);
	}
}

/* The municipalities the brief and the expected records name. */
Test(gazetteer, required_entries)
{
	static const char *const names[] = {
		"Вышневолоцкий городской округ", "Западнодвинский муниципальный округ",
		"Краснохолмский муниципальный округ", "Тверь", "Ржевский муниципальный округ",
		"Кимрский муниципальный округ", "Торжокский муниципальный округ",
		"Осташковский городской округ", "Бологовский муниципальный округ",
		"Петрозаводский городской округ", "Мегион", NULL
	};
	for (size_t i = 0; names[i]; i++)
		cr_expect_not_null(gazetteer_lookup(gaz, names[i]), "«%s» missing", names[i]);
}

/* ---- lookup -------------------------------------------------------------- */

typedef struct lookup_case {
	char typed[96];
	char name[96];   /* "" for none */
} lookup_case_t;

static lookup_case_t lookup_cases[] = {
	{ "вышневолоцкого", "Вышневолоцкий городской округ" },
	{ "Вышневолоцкий ГО", "Вышневолоцкий городской округ" },
	{ "ВЫШНЕВОЛОЦКИЙ", "Вышневолоцкий городской округ" },
	{ "вышневолоцкий городской округ", "Вышневолоцкий городской округ" },
	{ "  Краснохолмского   МО. ", "Краснохолмский муниципальный округ" },
	{ "мегион", "Мегион" },
	{ "Мегиона", "Мегион" },
	{ "г. Мегион", "Мегион" },
	{ "красный холм", "Краснохолмский муниципальный округ" },
	{ "Пено", "Пеновский муниципальный округ" },
	{ "лесной", "Лесной муниципальный округ" },
	{ "затo", "" },
	{ "Тверской области", "" },
	{ "Мегион и Урай", "" },
	{ "", "" },
};

ParameterizedTestParameters(gazetteer, lookup)
{
	return cr_make_param_array(lookup_case_t, lookup_cases, sizeof(lookup_cases) / sizeof(lookup_cases[0]));
}

ParameterizedTest(lookup_case_t *c, gazetteer, lookup)
{
	const gazetteer_entry_t *e = gazetteer_lookup(gaz, c->typed);
	if (!c->name[0])
		cr_expect_null(e, "«%s» gave «%s»", c->typed, e ? e->name : "");
	else
		cr_expect(e && !strcmp(e->name, c->name), "«%s» gave «%s», expected «%s»", c->typed,
			  e ? e->name : "(none)", c->name);
}

/* ---- the seeds ----------------------------------------------------------- */

static const char *
seeds_dir(void)
{
	const char *d = getenv("PROTODEX_SEEDS");
	return d && *d ? d : "/work/shared/seeds";
}

typedef struct seed_case {
	char file[64];
	char name[96];
} seed_case_t;

static seed_case_t seed_cases[] = {
	{ "000_fb71e6cebb70d0e9.txt", "Вышневолоцкий городской округ" },
	{ "001_345e5aa1fd04ffa4.txt", "Краснохолмский муниципальный округ" },
	{ "002_0e2a6682de688926.txt", "Мегион" },
	{ "003_561482cac62842d1.txt", "Петрозаводский городской округ" },
	{ "004_cec696610b62c740.txt", "Западнодвинский муниципальный округ" },
};

ParameterizedTestParameters(gazetteer, seed)
{
	return cr_make_param_array(seed_case_t, seed_cases, sizeof(seed_cases) / sizeof(seed_cases[0]));
}

/*
 * The first mention in the seed is its municipality, and every other
 * mention anywhere in it names the same one (no false positives over a
 * whole real protocol).
 */
ParameterizedTest(seed_case_t *c, gazetteer, seed)
{
	char path[4096], *data = NULL;
	size_t len = 0, pos = 0, mentions = 0;
	gazetteer_match_t m;

	snprintf(path, sizeof(path), "%s/%s", seeds_dir(), c->file);
	if (access(path, R_OK) != 0)
		cr_skip_test("seed %s not found (set PROTODEX_SEEDS)", path);
	cr_assert_eq(util_read_file(path, 1u << 24, &data, &len), 0, "cannot read %s", path);
	cr_assert(gazetteer_find(gaz, data, len, &m), "%s: no mention", c->file);
	cr_expect_str_eq(m.entry->name, c->name, "%s: first mention «%.*s»", c->file, (int)m.len,
			 data + m.start);
	while (pos < len && gazetteer_find(gaz, data + pos, len - pos, &m)) {
		cr_expect_str_eq(m.entry->name, c->name, "%s: mention «%.*s» at %zu", c->file, (int)m.len,
				 data + pos + m.start, pos + m.start);
		pos += m.start + m.len;
		mentions++;
	}
	cr_expect_geq(mentions, 1);
	free(data);
}

/* ---- the loader ---------------------------------------------------------- */

typedef struct load_case {
	char tsv[256];
	char error[160];  /* a part of the message; "" when it loads */
} load_case_t;

static load_case_t load_cases[] = {
	{ "# c\nА-ский округ\tМО\tОбласть\tаский\t-\t-\n", "" },
	{ "А-ский округ\tМО\tОбласть\tаский\n", "" },
	{ "\xef\xbb\xbfА-ский округ\tМО\tОбласть\tаский\r\n", "" },
	{ "# c\n\nА-ский округ\tXX\tОбласть\tаский\n", "unknown type 'XX' (expected ГО, МО, МР or город) in gazetteer line 3" },
	{ "А-ский округ\tМО\tОбласть\n", "expected 4 to 6 TAB-separated fields, found fewer in gazetteer line 1" },
	{ "А\tМО\tО\tаский\t-\t-\tлишнее\n", "expected 4 to 6 TAB-separated fields, found more in gazetteer line 1" },
	{ "\tМО\tОбласть\tаский\n", "empty name in gazetteer line 1" },
	{ "А\tМО\t-\tаский\n", "empty region in gazetteer line 1" },
	{ "А\tМО\tО\tаская\n", "adjective 'аская' does not end in -ий, -ый or -ой in gazetteer line 1" },
	{ "А\tМО\tО\t-\t-\t-\n", "no adjective, name or place to recognise 'А' by in gazetteer line 1" },
	{ "А\tМО\tО\tаский\nа\tГО\tО\t-\tАбв\n", "duplicate name 'а' (first on line 1) in gazetteer line 2" },
	{ "А\tМО\tО\tаский\n\xff\xfe\n", "invalid UTF-8 in gazetteer line 2" },
	{ "# only a comment\n", "no entries in gazetteer" },
};

ParameterizedTestParameters(gazetteer, load_text)
{
	return cr_make_param_array(load_case_t, load_cases, sizeof(load_cases) / sizeof(load_cases[0]));
}

ParameterizedTest(load_case_t *c, gazetteer, load_text)
{
	char *err = (char *)1;
	gazetteer_t *g = gazetteer_new_from_text(c->tsv, strlen(c->tsv), &err);
	if (!c->error[0]) {
		cr_expect_not_null(g, "failed: %s", err && err != (char *)1 ? err : "");
		cr_expect_null(err);
		if (g) {
			gazetteer_match_t m;
			const char *t = "в Аском округе";
			cr_expect_eq(gazetteer_size(g), 1);
			cr_expect(gazetteer_find(g, t, strlen(t), &m));
		}
	} else {
		cr_expect_null(g);
		cr_assert_not_null(err);
		cr_expect_str_eq(err, c->error);
		free(err);
	}
	gazetteer_free(g);
}

Test(gazetteer, load_file)
{
	char path[] = "/tmp/protodex-gaz-XXXXXX";
	const char *bad = "# header\nБ-ский округ\tМО\tОбласть\tбский\nВ\tZZ\tО\tвский\n";
	char *err = NULL, *expect;
	gazetteer_t *g;
	int fd = mkstemp(path);
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs(bad, f);
	fclose(f);
	g = gazetteer_new_from_file(path, &err);
	cr_expect_null(g);
	cr_assert_not_null(err);
	cr_assert_geq(asprintf(&expect, "unknown type 'ZZ' (expected ГО, МО, МР or город) in '%s' line 3", path), 0);
	cr_expect_str_eq(err, expect);
	free(expect);
	free(err);

	f = fopen(path, "w");
	fputs("Б-ский округ\tМО\tОбласть\tбский\n", f);
	fclose(f);
	err = NULL;
	g = gazetteer_new_from_file(path, &err);
	cr_expect_not_null(g);
	cr_expect_null(err);
	cr_expect_eq(gazetteer_size(g), 1);
	gazetteer_free(g);
	unlink(path);

	g = gazetteer_new_from_file("/nonexistent/gazetteer.tsv", &err);
	cr_expect_null(g);
	cr_assert_not_null(err);
	cr_expect_str_eq(err, "cannot read gazetteer '/nonexistent/gazetteer.tsv': No such file or directory");
	free(err);
}

/* The source file loads as the built-in copy does (same entry count). */
Test(gazetteer, source_file_matches_builtin)
{
	const char *src = getenv("TESTS_SRCDIR");
	char path[4096];
	char *err = NULL;
	gazetteer_t *g;
	snprintf(path, sizeof(path), "%s/../indexer/data/gazetteer.tsv", src && *src ? src : "/work/main/tests");
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not found", path);
	g = gazetteer_new_from_file(path, &err);
	cr_assert_not_null(g, "%s", err ? err : "");
	cr_expect_eq(gazetteer_size(g), gazetteer_size(gaz));
	gazetteer_free(g);
}

Test(gazetteer, free_null)
{
	gazetteer_free(NULL);
	cr_expect_eq(gazetteer_size(NULL), 0);
	cr_expect_null(gazetteer_lookup(NULL, "Мегион"));
}
