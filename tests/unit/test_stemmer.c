/*
 * Criterion suite "stemmer": the analysis chain of stemmer/stemmer.h.
 *
 * Parameter tables hold their strings in fixed-size arrays, not pointers,
 * so they survive Criterion's copying of parameters into the test process.
 */
#include "config.h"

#include "stemmer/stemmer.h"

#include "common/strbuf.h"
#include "common/util.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static stemmer_t *st;

static void
setup(void)
{
	char *err = NULL;
	st = stemmer_new(&err);
	cr_assert_not_null(st, "stemmer_new: %s", err ? err : "?");
}

static void
teardown(void)
{
	stemmer_free(st);
	st = NULL;
}

TestSuite(stemmer, .init = setup, .fini = teardown);

/* ---- helpers ----------------------------------------------------------- */

struct tok {
	stemmer_token_kind_t kind;
	stemmer_step_t step;
	unsigned pos;
	size_t offset;
	char *surface;
	char *key;  /* the primary key */
	char *all;  /* every key, space-separated */
};

struct toks {
	struct tok *v;
	size_t n, alloc;
	size_t stop_after; /* 0: never stop */
	int stop_rc;
	const char *text;  /* the analysed text, to check surfaces */
};

static int
collect(void *ctx, const stemmer_token_t *t)
{
	struct toks *ts = ctx;
	struct tok *o;

	if (ts->text)
		cr_assert_eq(t->surface, ts->text + t->offset,
			     "surface does not point at the offset");
	cr_assert_eq(strlen(t->key), t->key_len);
	cr_assert_lt(t->key_index, t->nkeys);
	if (t->key_index > 0) {
		/* Another key of the token just recorded. */
		strbuf_t sb = STRBUF_INIT;
		cr_assert_gt(ts->n, 0);
		o = &ts->v[ts->n - 1];
		cr_assert_eq(o->pos, t->pos);
		cr_assert_eq(o->offset, t->offset);
		strbuf_adds(&sb, o->all);
		strbuf_addch(&sb, ' ');
		strbuf_add(&sb, t->key, t->key_len);
		free(o->all);
		o->all = strbuf_detach(&sb, NULL);
		return 0;
	}
	if (ts->n == ts->alloc) {
		ts->alloc = ts->alloc ? ts->alloc * 2 : 16;
		ts->v = xrealloc(ts->v, ts->alloc * sizeof *ts->v);
	}
	o = &ts->v[ts->n++];
	o->kind = t->kind;
	o->pos = t->pos;
	o->offset = t->offset;
	o->surface = xstrndup(t->surface, t->surface_len);
	o->key = xstrdup(t->key);
	o->all = xstrdup(t->key);
	o->step = t->step;
	if (ts->stop_after && ts->n == ts->stop_after)
		return ts->stop_rc;
	return 0;
}

static void
toks_release(struct toks *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->v[i].surface);
		free(ts->v[i].key);
		free(ts->v[i].all);
	}
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

static int
analyze_str(const char *text, struct toks *ts, unsigned first_pos, unsigned *next_pos)
{
	memset(ts, 0, sizeof *ts);
	ts->text = text;
	return stemmer_analyze(st, text, strlen(text), first_pos, collect, ts, next_pos);
}

/* The keys of the WORD/NUMBER/COMPOUND tokens, space-separated. */
static char *
key_sequence(const char *text)
{
	struct toks ts;
	strbuf_t sb = STRBUF_INIT;

	cr_assert_eq(analyze_str(text, &ts, 0, NULL), 0);
	for (size_t i = 0; i < ts.n; i++) {
		if (ts.v[i].kind == STEMMER_PART)
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_adds(&sb, ts.v[i].key);
	}
	toks_release(&ts);
	return strbuf_detach(&sb, NULL);
}

static char *
key_of(const char *word)
{
	const char *k = NULL;
	size_t n = 0;
	int rc = stemmer_key(st, word, strlen(word), &k, &n);
	cr_assert_eq(rc, 0, "no key for \"%s\"", word);
	cr_assert_eq(strlen(k), n);
	return xstrdup(k);
}

/* ---- keys -------------------------------------------------------------- */

Test(stemmer, inflections_share_keys)
{
	char *a = key_sequence("Объективности проверочных работ");
	char *b = key_sequence("объективность проверочная работа");
	cr_assert_str_eq(a, b);
	cr_assert_eq(strchr(a, ' ') != NULL, 1);
	free(a);
	free(b);
}

struct same_case {
	char a[64];
	char b[64];
};

ParameterizedTestParameters(stemmer, same_key)
{
	static struct same_case cases[] = {
		{ "школам", "школ" },
		{ "школа", "школ" },
		{ "школы", "школ" },
		{ "Школам", "ШКОЛЫ" },
		{ "Ёлка", "елка" },
		{ "ёлка", "ЕЛКА" },
		{ "всё", "все" },
		{ "ВСЁ", "все" },
		{ "Объективности", "объективность" },
		{ "проверочных", "Проверочная" },
		{ "МОНИТОРИНГА", "мониторинг" },
		{ "PISA", "pisa" },
		{ "Straße", "STRASSE" },
		/* Decomposed ё (е + U+0308) and й (и + U+0306) compose first. */
		{ "е\xcc\x88лка", "ёлка" },
		{ "и\xcc\x86од", "йод" },
		/* Soft hyphen and zero-width characters inside a word. */
		{ "об\xc2\xadщество", "общество" },
		{ "об\xe2\x80\x8bщество", "общество" },
		{ "об\xe2\x80\x8dщест\xe2\x81\xa0во", "общество" },
	};
	return cr_make_param_array(struct same_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct same_case *c, stemmer, same_key)
{
	char *ka = key_of(c->a), *kb = key_of(c->b);
	cr_assert_str_eq(ka, kb, "\"%s\" -> \"%s\", \"%s\" -> \"%s\"", c->a, ka, c->b, kb);
	free(ka);
	free(kb);
}

struct diff_case {
	char a[64];
	char b[64];
};

ParameterizedTestParameters(stemmer, different_key)
{
	static struct diff_case cases[] = {
		{ "йод", "иод" },
		{ "чайка", "чаика" },
		{ "Йошкар", "Иошкар" },
		{ "школа", "школа2" },
		{ "1.4", "14" },
		{ "№6", "6" },
	};
	return cr_make_param_array(struct diff_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct diff_case *c, stemmer, different_key)
{
	char *ka = key_of(c->a), *kb = key_of(c->b);
	cr_assert_str_neq(ka, kb, "\"%s\" and \"%s\" both -> \"%s\"", c->a, c->b, ka);
	free(ka);
	free(kb);
}

/*
 * In the Snowball-only chain, for lower-case words without ё the key is
 * exactly Snowball's stem: й is handed to the stemmer as й, where Snowball
 * conflates (мой, мои) so do we.
 */
struct snowball_case {
	char word[64];
};

ParameterizedTestParameters(stemmer, key_is_snowball_stem)
{
	static struct snowball_case cases[] = {
		{ "мой" }, { "мои" }, { "край" }, { "краи" }, { "йод" },
		{ "чайка" }, { "объективности" }, { "проверочных" },
		{ "общеобразовательных" }, { "руководителей" }, { "школам" },
		{ "информацию" }, { "самообследования" }, { "пэт" },
	};
	return cr_make_param_array(struct snowball_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct snowball_case *c, stemmer, key_is_snowball_stem)
{
	struct sb_stemmer *sb = sb_stemmer_new("russian", "UTF_8");
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	const sb_symbol *r;
	char *k;

	opt.analyzer = STEMMER_ANALYZER_SNOWBALL;
	stemmer_free(st);
	st = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(st);
	cr_assert_eq(stemmer_has_dictionary(st), 0);
	cr_assert_not_null(sb);
	r = sb_stemmer_stem(sb, (const sb_symbol *)c->word, (int)strlen(c->word));
	cr_assert_not_null(r);
	k = key_of(c->word);
	cr_assert_str_eq(k, (const char *)r);
	free(k);
	sb_stemmer_delete(sb);
}

Test(stemmer, yo_folds_and_short_i_stays)
{
	char *k = key_of("ЙОД");
	cr_assert_str_eq(k, "йод");
	free(k);
	k = key_of("Ёж");
	cr_assert_str_eq(k, "еж");
	free(k);
}

struct exact_case {
	char word[64];
	char key[64];
};

ParameterizedTestParameters(stemmer, exact_key)
{
	static struct exact_case cases[] = {
		{ "Школам", "школа" },
		{ "1.4", "1.4" },
		{ "6", "6" },
		{ "01.12.2021", "01.12.2021" },
		{ "№6", "№6" },
		{ "№ 6", "№6" },
		{ "№\xc2\xa0" "6", "№6" },
		{ "2022-2023", "2022-2023" },
		{ "ПЭТ-2", "пэт-2" },
		{ "ПЭТ\xe2\x80\x90" "2", "пэт-2" },
		{ "ПЭТ\xe2\x80\x91" "2", "пэт-2" },
		{ "ГИА-2022", "гиа-2022" },
		{ "общественно-государственного", "общественно-государственного" },
		{ "10.07.2022г", "10.07.2022г" },
		{ "ОГЭ", ":огэ" },
		{ "PISA", "pisa" },
		{ "«кавычки»", "кавычка" },
	};
	return cr_make_param_array(struct exact_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct exact_case *c, stemmer, exact_key)
{
	char *k = key_of(c->word);
	cr_assert_str_eq(k, c->key, "\"%s\" -> \"%s\"", c->word, k);
	free(k);
}

Test(stemmer, key_of_nothing)
{
	const char *k = NULL;
	size_t n = 99;
	cr_assert_eq(stemmer_key(st, "", 0, &k, &n), -1);
	cr_assert_str_eq(k, "");
	cr_assert_eq(n, 0);
	cr_assert_eq(stemmer_key(st, NULL, 0, &k, &n), -1);
	cr_assert_eq(stemmer_key(st, " ,.;— ", strlen(" ,.;— "), &k, &n), -1);
	cr_assert_eq(stemmer_key(st, "\xc2\xad", 2, &k, &n), -1);
	cr_assert_eq(stemmer_key(st, "\xff\xfe", 2, &k, &n), -1);
	cr_assert_eq(stemmer_key(NULL, "школа", 10, &k, &n), -1);
}

/*
 * The contract: stemmer_key(word) is the key analysis gives the same word
 * in running text.
 */
struct word_case {
	char word[64];
};

ParameterizedTestParameters(stemmer, key_matches_analysis)
{
	static struct word_case cases[] = {
		{ "Школам" }, { "школ" }, { "ОБЪЕКТИВНОСТИ" }, { "ёлка" }, { "Ёлка" },
		{ "всё" }, { "мой" }, { "Йошкар" }, { "1.4" }, { "6" }, { "2021" },
		{ "01.12.2021" }, { "№6" }, { "2022-2023" }, { "ПЭТ-2" },
		{ "ГИА-2022" }, { "общественно-государственного" }, { "10.07.2022г" },
		{ "2022г" }, { "ВПР" }, { "PISA" }, { "Straße" }, { "т.д" },
		{ "об\xc2\xadщество" }, { "е\xcc\x88лка" }, { "5кл" },
	};
	return cr_make_param_array(struct word_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct word_case *c, stemmer, key_matches_analysis)
{
	strbuf_t text = STRBUF_INIT;
	struct toks ts;
	size_t at, i;
	char *k;

	strbuf_adds(&text, "Решили: ");
	at = text.len;
	strbuf_adds(&text, c->word);
	strbuf_adds(&text, ", принять к сведению.");
	k = key_of(c->word);
	cr_assert_eq(analyze_str(text.buf, &ts, 0, NULL), 0);
	for (i = 0; i < ts.n; i++)
		if (ts.v[i].offset == at)
			break;
	cr_assert_lt(i, ts.n, "no token at the word in \"%s\"", text.buf);
	cr_assert_neq(ts.v[i].kind, STEMMER_PART);
	cr_assert_str_eq(ts.v[i].key, k, "\"%s\": analysis \"%s\", key \"%s\"",
			 c->word, ts.v[i].key, k);
	/* And each part's key is the key of the part's surface. */
	for (size_t j = i + 1; j < ts.n && ts.v[j].kind == STEMMER_PART; j++) {
		char *pk = key_of(ts.v[j].surface);
		cr_assert_str_eq(ts.v[j].key, pk);
		free(pk);
	}
	free(k);
	toks_release(&ts);
	strbuf_release(&text);
}

/* ---- tokens ------------------------------------------------------------ */

#define MAX_TOKS 8

struct tok_case {
	char text[96];
	unsigned first_pos;
	unsigned next_pos;
	size_t n;
	struct {
		stemmer_token_kind_t kind;
		char surface[64];
		char key[64];
		unsigned pos;
		size_t offset;
	} t[MAX_TOKS];
};

#define W STEMMER_WORD
#define N STEMMER_NUMBER
#define C STEMMER_COMPOUND
#define P STEMMER_PART

ParameterizedTestParameters(stemmer, tokens)
{
	static struct tok_case cases[] = {
		{ "№6", 0, 1, 2, {
			{ C, "№6", "№6", 0, 0 },
			{ P, "6", "6", 0, 3 } } },
		{ "приказ № 6 от", 0, 3, 4, {
			{ W, "приказ", "приказ", 0, 0 },
			{ C, "№ 6", "№6", 1, 13 },
			{ P, "6", "6", 1, 17 },
			{ W, "от", "от", 2, 19 } } },
		{ "№\xc2\xa0" "38", 0, 1, 2, {
			{ C, "№\xc2\xa0" "38", "№38", 0, 0 },
			{ P, "38", "38", 0, 5 } } },
		{ "№ п/п", 0, 2, 2, {
			{ W, "п", "п", 0, 4 },
			{ W, "п", "п", 1, 7 } } },
		{ "пункт 1.4.", 0, 2, 2, {
			{ W, "пункт", "пункт", 0, 0 },
			{ N, "1.4", "1.4", 1, 11 } } },
		{ "от 01.12.2021", 0, 2, 2, {
			{ W, "от", "от", 0, 0 },
			{ N, "01.12.2021", "01.12.2021", 1, 5 } } },
		{ "в 2022-2023 году", 5, 9, 5, {
			{ W, "в", "в", 5, 0 },
			{ C, "2022-2023", "2022-2023", 6, 3 },
			{ P, "2022", "2022", 6, 3 },
			{ P, "2023", "2023", 7, 8 },
			{ W, "году", "год", 8, 13 } } },
		{ "ПЭТ-2 форма", 0, 3, 4, {
			{ C, "ПЭТ-2", "пэт-2", 0, 0 },
			{ P, "ПЭТ", "пэт", 0, 0 },
			{ P, "2", "2", 1, 7 },
			{ W, "форма", "форма", 2, 9 } } },
		{ "ПЭТ\xe2\x80\x90" "2", 0, 2, 3, {
			{ C, "ПЭТ\xe2\x80\x90" "2", "пэт-2", 0, 0 },
			{ P, "ПЭТ", "пэт", 0, 0 },
			{ P, "2", "2", 1, 9 } } },
		{ "ГИА-2022", 0, 2, 3, {
			{ C, "ГИА-2022", "гиа-2022", 0, 0 },
			{ P, "ГИА", ":гиа", 0, 0 },
			{ P, "2022", "2022", 1, 7 } } },
		{ "общественно-государственного управления", 0, 3, 4, {
			{ C, "общественно-государственного",
			  "общественно-государственного", 0, 0 },
			{ P, "общественно", "общественный", 0, 0 },
			{ P, "государственного", "государственный", 1, 23 },
			{ W, "управления", "управление", 2, 56 } } },
		{ "ПЭТ - 2", 0, 2, 2, {
			{ W, "ПЭТ", "пэт", 0, 0 },
			{ N, "2", "2", 1, 9 } } },
		{ "от 10.07.2022г.", 0, 3, 4, {
			{ W, "от", "от", 0, 0 },
			{ C, "10.07.2022г", "10.07.2022г", 1, 5 },
			{ P, "10.07.2022", "10.07.2022", 1, 5 },
			{ P, "г", "г", 2, 15 } } },
		{ "«Итоги» — (ВПР)!!! ... ; ?", 0, 2, 2, {
			{ W, "Итоги", "итог", 0, 2 },
			{ W, "ВПР", ":впр", 1, 20 } } },
		{ "об\xc2\xadщество", 0, 1, 1, {
			{ W, "об\xc2\xadщество", "общество", 0, 0 } } },
		{ "\xef\xbb\xbf" "Протокол", 0, 1, 1, {
			{ W, "Протокол", "протокол", 0, 3 } } },
		{ "Ёлка, ёлка", 0, 2, 2, {
			{ W, "Ёлка", "елка", 0, 0 },
			{ W, "ёлка", "елка", 1, 10 } } },
		{ "", 7, 7, 0, { { W, "", "", 0, 0 } } },
		{ " \t\n—–…", 7, 7, 0, { { W, "", "", 0, 0 } } },
	};
	return cr_make_param_array(struct tok_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct tok_case *c, stemmer, tokens)
{
	struct toks ts;
	unsigned next = 12345;

	cr_assert_eq(analyze_str(c->text, &ts, c->first_pos, &next), 0);
	cr_assert_eq(ts.n, c->n, "\"%s\": %zu tokens, expected %zu", c->text, ts.n, c->n);
	for (size_t i = 0; i < ts.n; i++) {
		cr_expect_eq(ts.v[i].kind, c->t[i].kind, "\"%s\" #%zu kind", c->text, i);
		cr_expect_str_eq(ts.v[i].surface, c->t[i].surface, "\"%s\" #%zu", c->text, i);
		cr_expect_str_eq(ts.v[i].key, c->t[i].key, "\"%s\" #%zu", c->text, i);
		cr_expect_eq(ts.v[i].pos, c->t[i].pos, "\"%s\" #%zu pos %u", c->text, i,
			     ts.v[i].pos);
		cr_expect_eq(ts.v[i].offset, c->t[i].offset, "\"%s\" #%zu offset %zu",
			     c->text, i, ts.v[i].offset);
	}
	cr_expect_eq(next, c->next_pos, "\"%s\": next_pos %u", c->text, next);
	toks_release(&ts);
}

Test(stemmer, invalid_utf8_separates)
{
	static const char text[] =
		"школа\xff\xfeучитель\xc0\x80урок\xed\xa0\x80класс \xe0\x80\xaf"
		"итог\xf0\x9f\x98 конец\xe2\x84";
	struct toks ts;
	const char *want[] = { "школа", "учитель", "урок", "класс", "итог", "конец" };
	size_t i;

	memset(&ts, 0, sizeof ts);
	ts.text = text;
	cr_assert_eq(stemmer_analyze(st, text, sizeof text - 1, 0, collect, &ts, NULL), 0);
	cr_assert_eq(ts.n, 6);
	for (i = 0; i < 6; i++) {
		cr_expect_str_eq(ts.v[i].key, want[i]);
		cr_expect_eq(ts.v[i].pos, i);
		cr_expect_eq(memcmp(text + ts.v[i].offset, ts.v[i].surface,
				    strlen(ts.v[i].surface)), 0);
	}
	toks_release(&ts);
}

Test(stemmer, all_bytes_do_not_crash)
{
	unsigned char buf[512];
	struct toks ts;
	for (int i = 0; i < 512; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 8));
	memset(&ts, 0, sizeof ts);
	ts.text = (const char *)buf;
	cr_assert_eq(stemmer_analyze(st, (const char *)buf, sizeof buf, 0, collect, &ts,
				     NULL), 0);
	toks_release(&ts);
}

Test(stemmer, empty_input)
{
	struct toks ts;
	unsigned next = 0;
	memset(&ts, 0, sizeof ts);
	cr_assert_eq(stemmer_analyze(st, "", 0, 3, collect, &ts, &next), 0);
	cr_assert_eq(ts.n, 0);
	cr_assert_eq(next, 3);
	cr_assert_eq(stemmer_analyze(st, NULL, 0, 4, collect, &ts, &next), 0);
	cr_assert_eq(ts.n, 0);
	cr_assert_eq(next, 4);
}

Test(stemmer, bad_arguments)
{
	unsigned next = 0;
	cr_assert_eq(stemmer_analyze(st, NULL, 5, 2, collect, NULL, &next), -1);
	cr_assert_eq(next, 2);
	cr_assert_str_neq(stemmer_error(st), "");
	cr_assert_eq(stemmer_analyze(NULL, "a", 1, 0, collect, NULL, NULL), -1);
	cr_assert_str_eq(stemmer_error(NULL), "");
	/* The message goes with the next successful call. */
	cr_assert_eq(stemmer_analyze(st, "a", 1, 0, NULL, NULL, NULL), 0);
	cr_assert_str_eq(stemmer_error(st), "");
	stemmer_free(NULL);
}

Test(stemmer, callback_stops_early)
{
	struct toks ts;
	unsigned next = 0;
	int rc;

	memset(&ts, 0, sizeof ts);
	ts.stop_after = 2;
	ts.stop_rc = 42;
	rc = stemmer_analyze(st, "раз два три четыре", strlen("раз два три четыре"), 10,
			     collect, &ts, &next);
	cr_assert_eq(rc, 42);
	cr_assert_eq(ts.n, 2);
	cr_assert_eq(next, 12);
	toks_release(&ts);

	/* Stopping inside a compound. */
	memset(&ts, 0, sizeof ts);
	ts.stop_after = 2;
	ts.stop_rc = -7;
	rc = stemmer_analyze(st, "ПЭТ-2 форма", strlen("ПЭТ-2 форма"), 0, collect, &ts, &next);
	cr_assert_eq(rc, -7);
	cr_assert_eq(ts.n, 2);
	cr_assert_eq(next, 1);
	toks_release(&ts);
}

Test(stemmer, positions_continue)
{
	struct toks ts;
	unsigned next = 0, next2 = 0;

	cr_assert_eq(analyze_str("Первый абзац.", &ts, 0, &next), 0);
	cr_assert_eq(next, 2);
	toks_release(&ts);
	cr_assert_eq(analyze_str("Второй абзац, № 5.", &ts, next, &next2), 0);
	cr_assert_eq(ts.n, 4);
	cr_assert_eq(ts.v[0].pos, 2);
	cr_assert_eq(ts.v[1].pos, 3);
	cr_assert_eq(ts.v[2].pos, 4);
	cr_assert_eq(ts.v[3].pos, 4);
	cr_assert_eq(next2, 5);
	toks_release(&ts);

	/* Without a callback only the positions are counted. */
	cr_assert_eq(stemmer_analyze(st, "ПЭТ-2 форма", strlen("ПЭТ-2 форма"), 100,
				     NULL, NULL, &next), 0);
	cr_assert_eq(next, 103);
}

static int
key_inside_callback(void *ctx, const stemmer_token_t *t)
{
	int *n = ctx;
	const char *k;
	size_t kl;
	char *mine = xstrndup(t->key, t->key_len);

	cr_assert_eq(stemmer_key(st, "Школам", strlen("Школам"), &k, &kl), 0);
	cr_assert_str_eq(k, "школа");
	/* The token handed to us is intact. */
	cr_assert_eq(strcmp(mine, t->key), 0);
	free(mine);
	if (t->key_index == 0)
		(*n)++;
	return 0;
}

Test(stemmer, key_inside_callback)
{
	const char *text = "Объективность проверочных работ 2022-2023";
	int n = 0;
	cr_assert_eq(stemmer_analyze(st, text, strlen(text), 0, key_inside_callback, &n,
				     NULL), 0);
	cr_assert_eq(n, 6);
}

Test(stemmer, version)
{
	const char *v = stemmer_version();
	size_t digits = strspn(v + 3, "0123456789");

	/* "icu<major>-...": the Unicode data in use is part of the chain. */
	cr_assert_eq(strncmp(v, "icu", 3), 0, "%s", v);
	cr_assert_gt(digits, 0, "%s", v);
	cr_assert_eq(v[3 + digits], '-', "%s", v);
	cr_assert_not_null(strstr(v, "snowball-russian"), "%s", v);
	cr_assert_str_eq(stemmer_version(), v);
}

/* Text longer than one ICU chunk: offsets and positions stay exact. */
static int
check_long(void *ctx, const stemmer_token_t *t)
{
	const char *base = ctx;

	cr_assert_eq(t->surface, base + t->offset);
	switch (t->kind) {
	case STEMMER_WORD:
		cr_assert_str_eq(t->key, t->pos % 3 ? "школа" : "протокол",
				 "pos %u offset %zu", t->pos, t->offset);
		cr_assert_eq(memcmp(t->surface, t->pos % 3 ? "школы" : "Протокол",
				    t->surface_len), 0);
		break;
	case STEMMER_COMPOUND:
		cr_assert_str_eq(t->key, "№7");
		cr_assert_eq(t->pos % 3, 2);
		break;
	case STEMMER_PART:
		cr_assert_str_eq(t->key, "7");
		cr_assert_eq(t->pos % 3, 2);
		break;
	default:
		cr_assert_fail("unexpected kind %d at %zu", (int)t->kind, t->offset);
	}
	return 0;
}

Test(stemmer, long_text_in_chunks)
{
	/* One line: "Протокол школы №7\n" is 3 positions, 31 bytes. */
	static const char line[] = "Протокол школы №7\n";
	const size_t lines = 50000; /* 1.5 MB: two chunks */
	strbuf_t sb = STRBUF_INIT;
	unsigned next = 0;

	for (size_t i = 0; i < lines; i++)
		strbuf_add(&sb, line, sizeof line - 1);
	cr_assert_eq(stemmer_analyze(st, sb.buf, sb.len, 0, check_long, sb.buf, &next), 0);
	cr_assert_eq(next, 3 * lines);

	/* No newline at all: the cut falls on a space. */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n')
			sb.buf[i] = ' ';
	cr_assert_eq(stemmer_analyze(st, sb.buf, sb.len, 0, check_long, sb.buf, &next), 0);
	cr_assert_eq(next, 3 * lines);
	strbuf_release(&sb);
}

Test(stemmer, huge_word_does_not_crash)
{
	strbuf_t sb = STRBUF_INIT;
	unsigned next = 0;
	for (size_t i = 0; i < 600000; i++) /* 1.2 MB */
		strbuf_add(&sb, "я", 2);
	cr_assert_eq(stemmer_analyze(st, sb.buf, sb.len, 0, NULL, NULL, &next), 0);
	cr_assert_geq(next, 2);
	strbuf_release(&sb);
}

/* ---- morphology --------------------------------------------------------- */

/* Every key of the first token of `word`, space-separated. */
static char *
all_keys(const char *word)
{
	struct toks ts;
	char *r;
	cr_assert_eq(analyze_str(word, &ts, 0, NULL), 0);
	cr_assert_gt(ts.n, 0, "no token in \"%s\"", word);
	r = xstrdup(ts.v[0].all);
	toks_release(&ts);
	return r;
}

/* 1 when the space-separated key lists share a key. */
static int
share_key(const char *a, const char *b)
{
	char *copy = xstrdup(a), *save = NULL;
	int found = 0;
	for (char *k = strtok_r(copy, " ", &save); k && !found; k = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(k);
		for (const char *p = b; (p = strstr(p, k)); p++)
			if ((p == b || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
				found = 1;
	}
	free(copy);
	return found;
}

static void
require_dictionary(void)
{
	if (!stemmer_has_dictionary(st))
		cr_skip_test("hunspell-ru is not installed: %s", stemmer_notice(st));
}

Test(stemmer, abbreviations_never_meet_words)
{
	static const char *const words[] = { "ОО", "ОУ", "о", "НОР", "нора", "МО", "МОУ",
					     "ДО", "до", "ГО" };
	const size_t n = sizeof words / sizeof words[0];
	char *keys[sizeof words / sizeof words[0]];

	for (size_t i = 0; i < n; i++)
		keys[i] = all_keys(words[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_expect(!share_key(keys[i], keys[j]), "\"%s\" (%s) meets \"%s\" (%s)",
				  words[i], keys[i], words[j], keys[j]);
	cr_expect_str_eq(keys[0], ":оо");
	cr_expect_str_eq(keys[3], ":нор");
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
}

Test(stemmer, abbreviation_case_rules)
{
	char *k = all_keys("впр"); /* "any": recognised in lower case too */
	cr_expect_str_eq(k, ":впр");
	free(k);
	k = all_keys("Мбоу");
	cr_expect_str_eq(k, ":мбоу");
	free(k);
	k = all_keys("нор"); /* "caps": lower case is a word */
	cr_expect(!share_key(k, ":нор"), "нор -> %s", k);
	free(k);
}

struct lemma_case {
	char word[64];
	char lemma[64];
};

ParameterizedTestParameters(stemmer, lemma)
{
	static struct lemma_case cases[] = {
		{ "школам", "школа" },
		{ "Школ", "школа" },
		{ "ШКОЛАМИ", "школа" },
		{ "дефициты", "дефицит" },
		{ "дефицитов", "дефицит" },
		{ "оцениванию", "оценивание" },
		{ "Оценивания", "оценивание" },
		{ "сформированности", "сформированность" },
		{ "вебинаре", "вебинар" },
		{ "внутришкольного", "внутришкольный" },
		{ "видеоконференцсвязи", "видеоконференцсвязь" },
		{ "компетенций", "компетенция" },
		{ "объективности", "объективность" },
		{ "проверочных", "проверочный" },
		{ "ёлке", "елка" },
		{ "Москве", "москва" },
		{ "москве", "москва" },   /* as QueryParser hands it over */
		{ "Липецке", "липецк" },
		{ "мыла", "мыло" },
		{ "мыла", "мыть" },
		{ "стекло", "стечь" },
	};
	return cr_make_param_array(struct lemma_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct lemma_case *c, stemmer, lemma)
{
	char *k;
	require_dictionary();
	k = all_keys(c->word);
	cr_assert(share_key(k, c->lemma), "\"%s\" -> \"%s\", no \"%s\"", c->word, k, c->lemma);
	free(k);
}

Test(stemmer, homonyms_all_lemmas_primary_first)
{
	struct toks ts;
	char *k;

	require_dictionary();
	cr_assert_eq(analyze_str("стекло", &ts, 0, NULL), 0);
	cr_assert_eq(ts.n, 1);
	cr_expect_str_eq(ts.v[0].all, "стекло стечь");
	cr_expect_eq(ts.v[0].step, STEMMER_STEP_DICTIONARY);
	toks_release(&ts);
	/* The query key is the primary one: the lemma equal to the word. */
	k = key_of("стекло");
	cr_expect_str_eq(k, "стекло");
	free(k);
}

Test(stemmer, steps)
{
	struct toks ts;
	require_dictionary();
	cr_assert_eq(analyze_str("ВПР школам дефициты Квазизябликам 2022", &ts, 0, NULL), 0);
	cr_assert_eq(ts.n, 5);
	cr_expect_eq(ts.v[0].step, STEMMER_STEP_ABBREVIATION);
	cr_expect_eq(ts.v[1].step, STEMMER_STEP_DICTIONARY);
	cr_expect_eq(ts.v[2].step, STEMMER_STEP_VOCABULARY);
	cr_expect(ts.v[3].step == STEMMER_STEP_STEM_MAP || ts.v[3].step == STEMMER_STEP_SNOWBALL);
	cr_expect_eq(ts.v[4].step, STEMMER_STEP_FORM);
	cr_expect_str_eq(stemmer_step_name(STEMMER_STEP_STEM_MAP), "stem-map");
	toks_release(&ts);
}

struct concept_case {
	char text[128];
	char key[32];
	unsigned first, last; /* positions carrying the concept */
};

ParameterizedTestParameters(stemmer, expansion_concepts)
{
	static struct concept_case cases[] = {
		{ "всероссийских проверочных работ", ":впр", 0, 2 },
		{ "Всероссийская проверочная работа", ":впр", 0, 2 },
		{ "итоги ВСЕРОССИЙСКОЙ ПРОВЕРОЧНОЙ РАБОТЫ по математике", ":впр", 1, 3 },
		{ "в общеобразовательных организациях", ":оо", 1, 2 },
		{ "школы с низкими образовательными результатами", ":шнор", 0, 4 },
		{ "школы с низкими образовательными результатами", ":нор", 2, 4 },
		{ "данные ФИС ОКО", ":фис_око", 1, 2 },
		{ "детско-юношеская спортивная школа", ":дюсш", 0, 3 },
	};
	return cr_make_param_array(struct concept_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct concept_case *c, stemmer, expansion_concepts)
{
	struct toks ts;
	unsigned last = 0, seen = 0;

	require_dictionary();
	cr_assert_eq(analyze_str(c->text, &ts, 0, NULL), 0);
	for (size_t i = 0; i < ts.n; i++) {
		cr_assert_geq(ts.v[i].pos, last, "position went back at #%zu", i);
		last = ts.v[i].pos;
		if (ts.v[i].kind != STEMMER_CONCEPT || strcmp(ts.v[i].key, c->key))
			continue;
		cr_expect_eq(ts.v[i].step, STEMMER_STEP_EXPANSION);
		cr_expect_geq(ts.v[i].pos, c->first);
		cr_expect_leq(ts.v[i].pos, c->last);
		seen++;
	}
	cr_expect_eq(seen, c->last - c->first + 1, "\"%s\": %u concepts %s", c->text, seen,
		     c->key);
	toks_release(&ts);
}

Test(stemmer, no_concept_for_broken_expansion)
{
	struct toks ts;
	cr_assert_eq(analyze_str("всероссийских 5 проверочных работ, проверочная работа",
				 &ts, 0, NULL), 0);
	for (size_t i = 0; i < ts.n; i++)
		cr_expect_neq(ts.v[i].kind, STEMMER_CONCEPT, "#%zu %s", i, ts.v[i].key);
	toks_release(&ts);
}

Test(stemmer, concept_stops_early)
{
	struct toks ts;
	unsigned next = 0;
	const char *text = "итоги всероссийских проверочных работ";

	memset(&ts, 0, sizeof ts);
	ts.text = text;
	ts.stop_after = 3; /* итоги, всероссийских, its concept */
	ts.stop_rc = 5;
	cr_assert_eq(stemmer_analyze(st, text, strlen(text), 0, collect, &ts, &next), 5);
	cr_assert_eq(next, 2);
	toks_release(&ts);
}

struct rewrite_case {
	char query[128];
	char want[128];
};

ParameterizedTestParameters(stemmer, rewrite_query)
{
	static struct rewrite_case cases[] = {
		{ "ВПР", "_впр" },
		{ "впр по математике", "_впр по математике" },
		{ "НОР", "_нор" },
		{ "нор", "нор" },
		{ "-ВПР объективность", "-_впр объективность" },
		{ "\"итоги ВПР\"", "\"итоги _впр\"" },
		{ "итоги всероссийских проверочных работ", "итоги _впр" },
		{ "Всероссийская проверочная работа NOT ОО", "_впр NOT _оо" },
		/* In a phrase the long form keeps its words (and positions). */
		{ "\"итоги всероссийских проверочных работ по\"",
		  "\"итоги всероссийских проверочных работ по\"" },
		{ "всероссийская OR проверочная работа", "всероссийская OR проверочная работа" },
		{ "всероссийская \"проверочная работа\"", "всероссийская \"проверочная работа\"" },
		{ "ГИА-2022", "_гиа-2022" },
		{ "ФИС ОКО", "_фис_око" },
		{ "школы с низкими образовательными результатами", "_шнор" },
		{ "", "" },
	};
	return cr_make_param_array(struct rewrite_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct rewrite_case *c, stemmer, rewrite_query)
{
	char *out = NULL;
	require_dictionary();
	cr_assert_eq(stemmer_rewrite_query(st, c->query, strlen(c->query), &out), 0);
	cr_assert_str_eq(out, c->want, "\"%s\" -> \"%s\"", c->query, out);
	free(out);
}

Test(stemmer, marker_words_are_concepts)
{
	char *k = key_of("_впр");
	cr_expect_str_eq(k, ":впр");
	free(k);
	k = key_of("_фис_око");
	cr_expect_str_eq(k, ":фис_око");
	free(k);
	/* Not an abbreviation: analysed as any word. */
	k = key_of("_нетаких");
	cr_expect_neq(k[0], ':');
	free(k);
}

/* The same keys with and without the cache; the cache stays bounded. */
static void
keys_of_text(stemmer_t *s, const char *text, strbuf_t *out)
{
	stemmer_t *save = st;
	struct toks ts;
	st = s;
	cr_assert_eq(analyze_str(text, &ts, 0, NULL), 0);
	for (size_t i = 0; i < ts.n; i++)
		strbuf_addf(out, "%u:%s|", ts.v[i].pos, ts.v[i].all);
	toks_release(&ts);
	st = save;
}

Test(stemmer, cache_changes_nothing_and_is_bounded)
{
	static const char text[] =
		"Протокол совещания. Слушали: об итогах всероссийских проверочных работ "
		"в школах района; ОО, ОУ и НОР; мыла стекло Москве москве дефициты "
		"оцениванию ВПР. Протокол совещания, школы, школам, ВПР, итоги.";
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	strbuf_t a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	stemmer_t *nocache, *small;

	opt.cache_entries = -1;
	nocache = stemmer_new_with(&opt, NULL);
	opt.cache_entries = 4;
	small = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(nocache);
	cr_assert_not_null(small);
	for (int round = 0; round < 2; round++) { /* the second round hits */
		strbuf_reset(&a);
		strbuf_reset(&b);
		strbuf_reset(&c);
		keys_of_text(st, text, &a);
		keys_of_text(nocache, text, &b);
		keys_of_text(small, text, &c);
		cr_assert_str_eq(a.buf, b.buf);
		cr_assert_str_eq(a.buf, c.buf);
	}
	cr_expect_gt(stemmer_cache_entries(st), 4);
	cr_expect_leq(stemmer_cache_entries(small), 4);
	cr_expect_eq(stemmer_cache_entries(nocache), 0);
	stemmer_free(nocache);
	stemmer_free(small);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

/* A word source answering from a word list, counting what it could not. */
struct word_list {
	const char *list;
	size_t len;
	unsigned missing;
	int damaged; /* answer garbage */
};

static int
from_list(void *ctx, const char *word, size_t len, strbuf_t *keys)
{
	struct word_list *wl = ctx;
	const char *p = wl->list, *w, *k;
	size_t left = wl->len, n, kl;
	while (stemmer_word_list_next(&p, &left, &w, &n, &k, &kl) == 1)
		if (n == len && !memcmp(w, word, len)) {
			if (wl->damaged)
				strbuf_adds(keys, "9zz");
			else
				strbuf_add(keys, k, kl);
			return 1;
		}
	wl->missing++;
	return 0;
}

Test(stemmer, word_lists_give_the_same_keys)
{
	static const char text[] =
		"Протокол совещания. Руководителям ОО обеспечить объективность "
		"проведения всероссийских проверочных работ; Школам с низкими "
		"результатами – Журавлёвой Т.И.";
	static const char lower[] =
		"протокол руководителям обеспечить объективность школам журавлёвой";
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	strbuf_t expansions = STRBUF_INIT, words = STRBUF_INIT, a = STRBUF_INIT,
		 b = STRBUF_INIT;
	struct word_list wl = { NULL, 0, 0, 0 };
	stemmer_t *indexing, *query;
	const char *p, *w, *k;
	size_t left, n, kl;
	int entries = 0;

	require_dictionary();
	opt.log_words = 1;
	indexing = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(indexing);
	stemmer_export_words(indexing, &expansions);
	cr_assert_gt(expansions.len, 0, "the expansions' words are cached at the start");
	keys_of_text(indexing, text, &a);
	stemmer_take_words(indexing, &words);
	p = words.buf;
	left = words.len;
	while (stemmer_word_list_next(&p, &left, &w, &n, &k, &kl) == 1)
		entries++;
	cr_assert_eq(left, 0, "the log reads back to its end");
	cr_assert_gt(entries, 10);

	/* A search process: the expansions preloaded, the rest from the list. */
	opt.log_words = 0;
	opt.preload = expansions.buf;
	opt.preload_len = expansions.len;
	query = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(query);
	wl.list = words.buf;
	wl.len = words.len;
	stemmer_set_word_source(query, from_list, &wl);
	keys_of_text(query, text, &b);
	cr_expect_str_eq(a.buf, b.buf);
	cr_expect_eq(wl.missing, 0, "%u words were worked out again", wl.missing);
	/* words as queries and snippets hand them over: in lower case */
	strbuf_reset(&a);
	strbuf_reset(&b);
	keys_of_text(st, lower, &a);
	keys_of_text(query, lower, &b);
	cr_expect_str_eq(a.buf, b.buf);
	cr_expect_eq(wl.missing, 0, "lower-case forms missing from the list: %u", wl.missing);
	stemmer_free(query);

	/* Garbage from the source is ignored: the word is worked out. */
	opt.preload = NULL;
	opt.preload_len = 0;
	query = stemmer_new_with(&opt, NULL);
	wl.damaged = 1;
	stemmer_set_word_source(query, from_list, &wl);
	strbuf_reset(&b);
	keys_of_text(query, lower, &b);
	cr_expect_str_eq(a.buf, b.buf);
	stemmer_free(query);

	/* A damaged list says so. */
	p = "5:3:ab";
	left = strlen(p);
	cr_expect_eq(stemmer_word_list_next(&p, &left, &w, &n, &k, &kl), -1);
	p = "";
	left = 0;
	cr_expect_eq(stemmer_word_list_next(&p, &left, &w, &n, &k, &kl), 0);

	stemmer_free(indexing);
	strbuf_release(&expansions);
	strbuf_release(&words);
	strbuf_release(&a);
	strbuf_release(&b);
}

Test(stemmer, fallback_without_dictionary)
{
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	stemmer_t *fb;
	char *k;

	opt.analyzer = STEMMER_ANALYZER_FULL;
	opt.dict_dir = "/nonexistent/protodex-test";
	fb = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(fb);
	cr_expect_eq(stemmer_has_dictionary(fb), 0);
	cr_expect_str_neq(stemmer_notice(fb), "");
	cr_expect_null(strstr(stemmer_get_version(fb), "hunspell"), "%s",
		       stemmer_get_version(fb));
	cr_expect_not_null(strstr(stemmer_get_version(fb), "snowball-russian"));
	stemmer_free(st);
	st = fb;
	k = key_of("Школам");
	cr_expect_str_eq(k, "школ");
	free(k);
	k = all_keys("ОО");
	cr_expect_str_eq(k, ":оо");
	free(k);
	k = all_keys("о");
	cr_expect_str_eq(k, "о");
	free(k);
	k = all_keys("НОР");
	cr_expect_str_eq(k, ":нор");
	free(k);
}

Test(stemmer, version_names_the_dictionary)
{
	require_dictionary();
	cr_expect_not_null(strstr(stemmer_get_version(st), "hunspell-ru-"), "%s",
			   stemmer_get_version(st));
	cr_expect_str_eq(stemmer_get_version(st), stemmer_version());
	cr_expect_str_eq(stemmer_notice(st), "");
}

/* The version a stemmer reading the dictionary in dir reports, after hint. */
static char *
version_with_hint(const char *dir, const char *hint)
{
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	stemmer_t *s;
	char *v;

	stemmer_use_dictionary_hint(hint);
	opt.analyzer = STEMMER_ANALYZER_FULL;
	opt.dict_dir = dir;
	s = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(s);
	v = strdup(stemmer_get_version(s));
	stemmer_free(s);
	return v;
}

Test(stemmer, dictionary_hint_stands_for_the_same_files)
{
	strbuf_t hint = STRBUF_INIT, fake = STRBUF_INIT, want = STRBUF_INIT, dir = STRBUF_INIT;
	const char *env = getenv("PROTODEX_HUNSPELL_DIR"), *eq;
	char *v;

	require_dictionary();
	stemmer_dictionary_hint(&hint);
	eq = strrchr(hint.buf, '=');
	cr_assert_not_null(eq, "%s", hint.buf);
	cr_assert_eq(strlen(eq + 1), 8, "%s", hint.buf);
	/* the hash after '=' is the one the version carries */
	strbuf_addf(&want, "hunspell-ru-%s-", eq + 1);
	cr_expect_not_null(strstr(stemmer_version(), want.buf), "%s has no %s",
			   stemmer_version(), want.buf);

	/* The same files under another name (not hashed yet in this process):
	 * a hint with their identity gives its hash, without reading them. */
	strbuf_addf(&dir, "%s/.", env && *env ? env : HUNSPELL_DICT_DIR);
	strbuf_add(&fake, hint.buf, (size_t)(eq - hint.buf));
	strbuf_adds(&fake, "=0badc0de");
	v = version_with_hint(dir.buf, fake.buf);
	cr_expect_not_null(strstr(v, "hunspell-ru-0badc0de-"), "%s", v);
	free(v);

	/* A hint for other files (another inode, size, time) is not taken. */
	strbuf_adds(&dir, "/.");
	v = version_with_hint(dir.buf, "1:1:1.000000001;1:1:1.000000001;=0badc0de");
	cr_expect_not_null(strstr(v, want.buf), "%s", v);
	free(v);
	/* nor a damaged one */
	strbuf_adds(&dir, "/.");
	strbuf_reset(&fake);
	strbuf_add(&fake, hint.buf, (size_t)(eq - hint.buf));
	strbuf_adds(&fake, "=0BADC0DE!");
	v = version_with_hint(dir.buf, fake.buf);
	cr_expect_not_null(strstr(v, want.buf), "%s", v);
	free(v);
	stemmer_use_dictionary_hint(NULL);
	strbuf_release(&hint);
	strbuf_release(&fake);
	strbuf_release(&want);
	strbuf_release(&dir);
}

/* ---- the real protocols ------------------------------------------------ */

struct seed_check {
	const char *text;
	size_t len;
	size_t tokens;
	unsigned last_pos;
	int in_compound;
	unsigned compound_pos;
};

static int
check_seed_token(void *ctx, const stemmer_token_t *t)
{
	struct seed_check *c = ctx;

	cr_assert_leq(t->offset + t->surface_len, c->len);
	cr_assert_eq(t->surface, c->text + t->offset);
	cr_assert_gt(t->surface_len, 0);
	cr_assert_gt(t->key_len, 0, "empty key at offset %zu", t->offset);
	cr_assert_eq(strlen(t->key), t->key_len);
	cr_assert(util_utf8_valid(t->key, t->key_len), "key at %zu is not UTF-8",
		  t->offset);
	cr_assert(util_utf8_valid(t->surface, t->surface_len));
	if (c->tokens)
		cr_assert_geq(t->pos, c->last_pos);
	if (t->kind == STEMMER_COMPOUND) {
		c->in_compound = 1;
		c->compound_pos = t->pos;
	} else if (t->kind == STEMMER_PART) {
		cr_assert(c->in_compound, "a part without a compound at %zu", t->offset);
		if (c->in_compound == 1)
			cr_assert_eq(t->pos, c->compound_pos);
		c->in_compound = 2;
	} else {
		c->in_compound = 0;
	}
	c->last_pos = t->pos;
	c->tokens++;
	return 0;
}

Test(stemmer, seeds)
{
	const char *dir = getenv("PROTODEX_SEEDS");
	struct dirent *de;
	DIR *d;
	size_t files = 0;

	if (!dir || !*dir)
		dir = "/work/shared/seeds";
	d = opendir(dir);
	if (!d)
		cr_skip_test("no seeds in %s", dir);
	while ((de = readdir(d))) {
		strbuf_t path = STRBUF_INIT;
		struct seed_check c;
		struct stat sb;
		char *text;
		size_t len;
		unsigned next;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&path, "%s/%s", dir, de->d_name);
		if (stat(path.buf, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			strbuf_release(&path);
			continue;
		}
		cr_assert_eq(util_read_file(path.buf, (size_t)64 << 20, &text, &len), 0,
			     "cannot read %s", path.buf);
		memset(&c, 0, sizeof c);
		c.text = text;
		c.len = len;
		cr_assert_eq(stemmer_analyze(st, text, len, 0, check_seed_token, &c, &next),
			     0, "%s: %s", path.buf, stemmer_error(st));
		cr_assert_gt(c.tokens, 0, "%s: no tokens", path.buf);
		cr_assert_eq(next, c.last_pos + 1);
		free(text);
		strbuf_release(&path);
		files++;
	}
	closedir(d);
	if (!files)
		cr_skip_test("no seed files in %s", dir);
}

/* Every key of every token of `text`, tokens by " | ". */
static char *
token_keys_of(const char *text)
{
	struct toks ts;
	strbuf_t sb = STRBUF_INIT;
	cr_assert_eq(analyze_str(text, &ts, 0, NULL), 0);
	for (size_t i = 0; i < ts.n; i++)
		strbuf_addf(&sb, "%s%s", i ? " | " : "", ts.v[i].all);
	toks_release(&ts);
	return strbuf_detach(&sb, NULL);
}

/* Entries of stemmer_export_words. */
static size_t
exported_words(const stemmer_t *s)
{
	strbuf_t list = STRBUF_INIT;
	const char *p, *w, *k;
	size_t left, n, kl, count = 0;
	stemmer_export_words(s, &list);
	p = list.buf;
	left = list.len;
	while (stemmer_word_list_next(&p, &left, &w, &n, &k, &kl) == 1)
		count++;
	strbuf_release(&list);
	return count;
}

Test(stemmer, lazy_phrases_wait_for_two_words_and_match_the_same)
{
	static const char *const texts[] = {
		"ВПР",
		"объективность",
		"Ю.В.Порошина",
		"объективность всероссийских проверочных работ",
		"внутренней системы оценки качества образования (ВСОКО)",
	};
	stemmer_options_t opt = STEMMER_OPTIONS_INIT;
	stemmer_t *eager = st, *lazy;
	size_t at_start = exported_words(eager), before, after;
	char *seq[sizeof(texts) / sizeof(texts[0])];

	require_dictionary();
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		seq[i] = token_keys_of(texts[i]);
	opt.lazy_phrases = 1;
	lazy = stemmer_new_with(&opt, NULL);
	cr_assert_not_null(lazy);
	st = lazy;
	free(token_keys_of("объективность"));
	before = exported_words(lazy);
	cr_expect_lt(before, at_start, "one word analysed the long forms");
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *s = token_keys_of(texts[i]);
		cr_expect_str_eq(s, seq[i], "«%s»", texts[i]);
		free(s);
		free(seq[i]);
	}
	after = exported_words(lazy);
	cr_expect_geq(after, at_start, "two words did not analyse the long forms");
	st = eager;
	stemmer_free(lazy);
}

/* stemmer_key keeps its answers: asked again, the same, with or without a key. */
Test(stemmer, key_asked_again_gives_the_same_answer)
{
	static const char *const words[] = { "школам", "ВПР", "объективности", "2021", "!!!" };
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			const char *k = NULL;
			size_t n = 0;
			int rc = stemmer_key(st, words[i], strlen(words[i]), &k, &n);
			if (i + 1 == sizeof(words) / sizeof(words[0])) {
				cr_expect_eq(rc, -1, "«%s» has a key", words[i]);
				continue;
			}
			cr_assert_eq(rc, 0, "«%s» round %d", words[i], round);
			char *fresh = key_sequence(words[i]);
			cr_expect_eq(strncmp(fresh, k, n), 0, "«%s» round %d: %.*s, analysed %s",
				     words[i], round, (int)n, k, fresh);
			free(fresh);
		}
}
