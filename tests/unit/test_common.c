/* common/: strbuf, docdata records and the UTF-8 check. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/docdata.h"
#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"

TestSuite(common);

Test(common, strbuf_grows_and_stays_terminated)
{
	strbuf_t sb = STRBUF_INIT;
	cr_assert_str_eq(sb.buf, "");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	cr_assert_eq(sb.len, 1000);
	cr_assert_eq(sb.buf[1000], '\0');
	cr_assert_eq(sb.buf[27], 'b');
	strbuf_addf(&sb, "%d-%s", 42, "x");
	cr_assert_str_eq(sb.buf + 1000, "42-x");
	strbuf_release(&sb);
	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
}

Test(common, strbuf_detach_hands_over_and_resets)
{
	strbuf_t sb = STRBUF_INIT;
	size_t len;
	char *s;
	strbuf_adds(&sb, "протокол");
	s = strbuf_detach(&sb, &len);
	cr_assert_str_eq(s, "протокол");
	cr_assert_eq(len, strlen("протокол"));
	cr_assert_eq(sb.len, 0);
	free(s);
	/* Detaching an untouched buffer still gives a freeable string. */
	s = strbuf_detach(&sb, NULL);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(common, strbuf_trim_removes_ascii_and_nbsp)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_adds(&sb, " \t\xc2\xa0Срок: до 01.12.2021 \xc2\xa0\n");
	strbuf_trim(&sb);
	cr_assert_str_eq(sb.buf, "Срок: до 01.12.2021");
	strbuf_reset(&sb);
	strbuf_adds(&sb, "   ");
	strbuf_trim(&sb);
	cr_assert_eq(sb.len, 0);
	strbuf_release(&sb);
}

Test(common, json_string_escapes_controls_quotes_and_keeps_utf8)
{
	strbuf_t sb = STRBUF_INIT;
	const char in[] = "«Центр» \"x\"\\\n\t\x01";
	strbuf_add_json_string(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sb.buf, "\"«Центр» \\\"x\\\"\\\\\\n\\t\\u0001\"");
	strbuf_release(&sb);
}

Test(common, docdata_round_trip)
{
	strbuf_t sb = STRBUF_INIT;
	size_t vlen, blen;
	const char *v, *body;
	docdata_add_field(&sb, DATA_PATH, "/a/Протокол №8.txt");
	docdata_add_field(&sb, DATA_TITLE, "line one\nline\ttwo");
	docdata_begin_body(&sb);
	strbuf_adds(&sb, "body text\npath\tnot a field\n");

	v = docdata_get(sb.buf, sb.len, DATA_PATH, &vlen);
	cr_assert_not_null(v);
	cr_assert_eq(vlen, strlen("/a/Протокол №8.txt"));
	cr_assert_eq(memcmp(v, "/a/Протокол №8.txt", vlen), 0);
	v = docdata_get(sb.buf, sb.len, DATA_TITLE, &vlen);
	cr_assert_eq(memcmp(v, "line one line two", vlen), 0, "newlines and tabs flattened");
	cr_assert_null(docdata_get(sb.buf, sb.len, DATA_SIZE, &vlen));
	/* A key-like line in the body is not a field. */
	cr_assert_null(docdata_get(sb.buf, sb.len, "body text", &vlen));
	body = docdata_body(sb.buf, sb.len, &blen);
	cr_assert_not_null(body);
	cr_assert_eq(blen, strlen("body text\npath\tnot a field\n"));
	strbuf_release(&sb);
}

Test(common, schema_mismatch_names_database_and_says_reindex)
{
	strbuf_t why = STRBUF_INIT;
	cr_assert(schema_compatible("/db", SCHEMA_VERSION, "a1", "a1", &why));
	cr_assert_not(schema_compatible("/db", SCHEMA_VERSION, "a0", "a1", &why));
	cr_assert(strstr(why.buf, "'/db'"));
	cr_assert(strstr(why.buf, "re-index"));
	strbuf_reset(&why);
	cr_assert_not(schema_compatible("/db", "", "", "a1", &why));
	cr_assert(strstr(why.buf, "not a protodex database"));
	strbuf_release(&why);
}

/* Inline arrays, not pointers: Criterion copies parameters into the
 * test's own process, where the parent's addresses mean nothing. */
struct utf8_case {
	char bytes[64];
	int valid;
};

ParameterizedTestParameters(common, utf8_valid)
{
	static struct utf8_case cases[] = {
		{ "plain ascii", 1 },
		{ "объективность ё №", 1 },
		{ "\xf0\x9f\x98\x80", 1 },          /* 4-byte */
		{ "\xd0", 0 },                      /* truncated */
		{ "\xc0\xaf", 0 },                  /* overlong */
		{ "\xed\xa0\x80", 0 },              /* surrogate */
		{ "\xcf\xf0\xee\xf2\xee\xea\xee\xeb", 0 }, /* windows-1251 */
		{ "\xf4\x90\x80\x80", 0 },          /* > U+10FFFF */
	};
	return cr_make_param_array(struct utf8_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct utf8_case *c, common, utf8_valid)
{
	cr_assert_eq(util_utf8_valid(c->bytes, strlen(c->bytes)), c->valid, "%s", c->bytes);
}

Test(common, hash_is_stable)
{
	/* Document ids depend on it: it must never change between builds. */
	cr_assert_eq(util_hash64("", 0), 0xcbf29ce484222325ULL);
	cr_assert_eq(util_hash64("a", 1), 0xaf63dc4c8601ec8cULL);
}

Test(common, mkdir_parents_creates_the_leading_directories_only)
{
	char tmpl[] = "/tmp/protodex-test-XXXXXX", path[256];
	struct stat st;
	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/a/b/db", tmpl);
	cr_assert_eq(util_mkdir_parents(path), 0);
	cr_assert_eq(stat(path, &st), -1, "the last component is left to the caller");
	snprintf(path, sizeof(path), "%s/a/b", tmpl);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(util_mkdir_parents(path), 0, "existing directories are fine");
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	cr_assert_eq(system(path), 0);
}
