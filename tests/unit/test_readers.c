/*
 * indexer readers: charset detection, plain text, the zip reader, DOCX,
 * ODT, RTF and HTML; .doc and PDF through their external programs (real
 * pdftotext on a PDF written here; fake antiword and pdftotext scripts to
 * test the pipeline exactly; LibreOffice-made files from the fuzz inputs).
 *
 * The seed protocols are read from $PROTODEX_SEEDS (default
 * /work/shared/seeds) and re-encoded here with iconv(3), independently of
 * the ICU code under test.  Zip archives are built byte by byte below, so
 * every field can be damaged on purpose; one DOCX comes from the
 * project's own docx-writer, to keep writer and reader in agreement.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/docx-writer.h"
#include "indexer/reader.h"
#include "indexer/zip.h"

TestSuite(readers);

/* ---- helpers: paragraphs ------------------------------------------------- */

typedef struct lines {
	char **v;
	size_t n;
} lines_t;

static void
lines_free(lines_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * What the text reader should make of UTF-8 text without CR or control
 * characters: one paragraph per line, trailing blanks dropped, blank lines
 * skipped.  Written independently of reader-txt.c.
 */
static lines_t
expected_lines(const char *text, size_t len)
{
	lines_t l = { NULL, 0 };
	size_t start = 0;
	l.v = xmalloc((len + 1) * sizeof *l.v);
	for (size_t i = 0; i <= len; i++) {
		size_t end;
		if (i < len && text[i] != '\n')
			continue;
		end = i;
		for (;;) {
			if (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
				end--;
			else if (end >= start + 2 && (unsigned char)text[end - 2] == 0xc2 &&
				 (unsigned char)text[end - 1] == 0xa0)
				end -= 2;
			else
				break;
		}
		if (end > start)
			l.v[l.n++] = xstrndup(text + start, end - start);
		start = i + 1;
	}
	return l;
}

static void
expect_doc_lines(const reader_doc_t *doc, const lines_t *want, const char *what)
{
	cr_expect_eq(doc->n_paras, want->n, "%s: %zu paragraphs, want %zu", what,
		     doc->n_paras, want->n);
	for (size_t i = 0; i < doc->n_paras && i < want->n; i++) {
		cr_expect_str_eq(doc->paras[i].text, want->v[i],
				 "%s: paragraph %zu differs", what, i);
		cr_expect_eq(doc->paras[i].len, strlen(want->v[i]));
		cr_expect_eq(doc->paras[i].kind, READER_PARA);
	}
}

/* ---- helpers: encodings -------------------------------------------------- */

/* Convert with iconv(3); NULL if a character cannot be converted. */
static char *
iconv_conv(const char *to, const char *from, const char *in, size_t len,
	   size_t *out_len)
{
	iconv_t cd = iconv_open(to, from);
	size_t cap = len * 4 + 16, il = len, ol = cap;
	char *out, *ip = (char *)in, *op;
	cr_assert_neq(cd, (iconv_t)-1, "iconv cannot convert %s to %s", from, to);
	out = op = xmalloc(cap);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*out_len = cap - ol;
	return out;
}

static const char *
seeds_dir(void)
{
	const char *d = getenv("PROTODEX_SEEDS");
	return d && *d ? d : "/work/shared/seeds";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The seed protocols, sorted; skips the test if there are none. */
static lines_t
seed_paths(void)
{
	lines_t l = { NULL, 0 };
	size_t alloc = 0;
	DIR *d = opendir(seeds_dir());
	struct dirent *de;
	if (!d)
		cr_skip_test("no seed protocols in %s", seeds_dir());
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		strbuf_t p = STRBUF_INIT;
		if (n < 5 || strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		if (l.n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			l.v = xrealloc(l.v, alloc * sizeof *l.v);
		}
		strbuf_addf(&p, "%s/%s", seeds_dir(), de->d_name);
		l.v[l.n++] = strbuf_detach(&p, NULL);
	}
	closedir(d);
	if (!l.n)
		cr_skip_test("no seed protocols in %s", seeds_dir());
	qsort(l.v, l.n, sizeof *l.v, cmp_str);
	return l;
}

static void
read_ok(const char *name, const void *buf, size_t len, reader_doc_t *doc)
{
	reader_status_t st = reader_read_buffer(name, buf, len, doc);
	cr_assert_eq(st, READER_OK, "%s: %s (%s)", name, reader_status_to_string(st),
		     doc->error);
	cr_assert_str_eq(doc->error, "");
}

/*
 * Read every seed re-encoded by `encode`, and compare with what the UTF-8
 * original gives.  `iconv_to` NULL: the original bytes.
 */
static void
check_seeds(const char *iconv_to, const char *prefix, size_t prefix_len,
	    const char *want_encoding)
{
	lines_t paths = seed_paths();
	for (size_t i = 0; i < paths.n; i++) {
		char *utf8, *enc, *back = NULL;
		size_t len, enc_len, back_len;
		strbuf_t input = STRBUF_INIT;
		lines_t want;
		reader_doc_t doc;

		cr_assert_eq(util_read_file(paths.v[i], 1 << 24, &utf8, &len), 0);
		if (!iconv_to) {
			enc = xstrndup(utf8, len);
			enc_len = len;
		} else if ((enc = iconv_conv(iconv_to, "UTF-8", utf8, len, &enc_len))) {
			/* Exact: the encoding holds every character of the seed. */
		} else {
			/*
			 * KOI8-R and IBM866 have no « » № –: transliterate, and
			 * expect what the transliterated text says in UTF-8.
			 */
			strbuf_t to = STRBUF_INIT;
			strbuf_addf(&to, "%s//TRANSLIT", iconv_to);
			enc = iconv_conv(to.buf, "UTF-8", utf8, len, &enc_len);
			cr_assert(enc, "%s: cannot transliterate to %s", paths.v[i], to.buf);
			strbuf_release(&to);
			back = iconv_conv("UTF-8", iconv_to, enc, enc_len, &back_len);
			cr_assert(back);
		}
		want = back ? expected_lines(back, back_len) : expected_lines(utf8, len);
		cr_assert_gt(want.n, 5, "%s: too few lines to be a protocol", paths.v[i]);
		strbuf_add(&input, prefix, prefix_len);
		strbuf_add(&input, enc, enc_len);

		reader_doc_init(&doc);
		read_ok(paths.v[i], input.buf, input.len, &doc);
		cr_expect_eq(doc.format, READER_FORMAT_TXT);
		cr_expect_str_eq(doc.encoding, want_encoding, "%s: encoding %s, want %s",
				 paths.v[i], doc.encoding, want_encoding);
		expect_doc_lines(&doc, &want, paths.v[i]);
		reader_doc_release(&doc);
		lines_free(&want);
		strbuf_release(&input);
		free(utf8);
		free(enc);
		free(back);
	}
	lines_free(&paths);
}

Test(readers, seeds_read_as_utf8)
{
	check_seeds(NULL, "", 0, "UTF-8");
}

Test(readers, seeds_with_utf8_bom)
{
	check_seeds(NULL, "\xef\xbb\xbf", 3, "UTF-8 (BOM)");
}

Test(readers, seeds_in_windows_1251)
{
	check_seeds("CP1251", "", 0, "windows-1251");
}

Test(readers, seeds_in_koi8_r)
{
	check_seeds("KOI8-R", "", 0, "KOI8-R");
}

Test(readers, seeds_in_ibm866)
{
	check_seeds("CP866", "", 0, "IBM866");
}

Test(readers, seeds_in_utf16le_with_bom)
{
	check_seeds("UTF-16LE", "\xff\xfe", 2, "UTF-16LE");
}

Test(readers, seeds_in_utf16be_with_bom)
{
	check_seeds("UTF-16BE", "\xfe\xff", 2, "UTF-16BE");
}

/*
 * Short lines of the kind protocols are made of (written for this test),
 * each in every 8-bit encoding: one line is all ICU's detector gets, and
 * it guesses badly on so little.
 */
static const char *const short_texts[] = {
	"Решили: информацию принять к сведению.",
	"Слушали: начальника отдела образования",
	"Ответственный: заместитель директора по УВР",
	"Срок исполнения: до конца учебного года",
	"Повестка дня: итоги мониторинга качества",
	"Присутствовали: директора школ и завучи",
	"ПРОТОКОЛ ЗАСЕДАНИЯ МЕТОДИЧЕСКОГО СОВЕТА",
	"О подготовке к государственной итоговой аттестации",
	"Голосовали единогласно, против нет.",
	"Контроль за исполнением оставляю за собой",
	"Утвердить план работы на следующий год",
	"Выступила Петрова А.С., методист",
	"совещание руководителей",
	"Председатель: Сидоров В.П.",
	"РЕШИЛИ:",
	"Итоги ВПР и ОГЭ в 9 классах",
	"Ремонт спортивного зала, сроки: август",
	"Обеспечить охват детей летним отдыхом",
	"Секретарь",
	"Дата проведения: 15.03.2023 г.",
};

static const struct {
	const char *iconv_name, *name;
} eight_bit[] = {
	{ "CP1251", "windows-1251" },
	{ "KOI8-R", "KOI8-R" },
	{ "CP866", "IBM866" },
};

Test(readers, short_lines_detected_in_each_8bit_encoding)
{
	size_t misses = 0;
	for (size_t i = 0; i < sizeof short_texts / sizeof short_texts[0]; i++) {
		for (size_t k = 0; k < sizeof eight_bit / sizeof eight_bit[0]; k++) {
			const char *s = short_texts[i];
			size_t enc_len, out_len;
			char *enc = iconv_conv(eight_bit[k].iconv_name, "UTF-8", s,
					       strlen(s), &enc_len);
			char *out, err[128];
			const char *encoding;
			reader_status_t st;
			cr_assert(enc);
			st = reader_decode_text(enc, enc_len, &out, &out_len, &encoding,
						err, sizeof err);
			cr_assert_eq(st, READER_OK, "%s", err);
			if (strcmp(encoding, eight_bit[k].name) != 0 || strcmp(out, s) != 0)
				misses++;
			cr_expect_str_eq(encoding, eight_bit[k].name,
					 "\"%s\" in %s taken for %s", s, eight_bit[k].name,
					 encoding);
			cr_expect_str_eq(out, s);
			cr_expect_eq(out_len, strlen(s));
			free(out);
			free(enc);
		}
	}
	cr_expect_eq(misses, 0);
}

Test(readers, two_line_text_in_each_8bit_encoding)
{
	const char *s = "Протокол совещания\r\nот 12.10.2022\r\n";
	for (size_t k = 0; k < sizeof eight_bit / sizeof eight_bit[0]; k++) {
		size_t enc_len;
		char *enc = iconv_conv(eight_bit[k].iconv_name, "UTF-8", s, strlen(s),
				       &enc_len);
		reader_doc_t doc;
		reader_doc_init(&doc);
		read_ok("short.txt", enc, enc_len, &doc);
		cr_expect_str_eq(doc.encoding, eight_bit[k].name);
		cr_assert_eq(doc.n_paras, 2);
		cr_expect_str_eq(doc.paras[0].text, "Протокол совещания");
		cr_expect_str_eq(doc.paras[1].text, "от 12.10.2022");
		reader_doc_release(&doc);
		free(enc);
	}
}

Test(readers, utf16_without_bom_is_recognised)
{
	const char *s = "Протокол № 5\nРешили: принять к сведению\n";
	const char *enc_names[][2] = { { "UTF-16LE", "UTF-16LE" },
				       { "UTF-16BE", "UTF-16BE" } };
	for (size_t k = 0; k < 2; k++) {
		size_t enc_len;
		char *enc = iconv_conv(enc_names[k][0], "UTF-8", s, strlen(s), &enc_len);
		reader_doc_t doc;
		reader_doc_init(&doc);
		read_ok("u16.txt", enc, enc_len, &doc);
		cr_expect_str_eq(doc.encoding, enc_names[k][1]);
		cr_assert_eq(doc.n_paras, 2);
		cr_expect_str_eq(doc.paras[0].text, "Протокол № 5");
		reader_doc_release(&doc);
		free(enc);
	}
}

Test(readers, ibm866_that_happens_to_be_valid_utf8)
{
	/* "сон рад" in IBM866 is E1 AE AD 20 E0 A0 A4: valid UTF-8 too. */
	const char *cp866 = "\xe1\xae\xad \xe0\xa0\xa4";
	const char *chinese = "会议纪要 第三号";
	char *out, err[64];
	size_t out_len;
	const char *enc;
	cr_assert_eq(reader_decode_text(cp866, strlen(cp866), &out, &out_len, &enc,
					err, sizeof err), READER_OK);
	cr_expect_str_eq(enc, "IBM866");
	cr_expect_str_eq(out, "сон рад");
	free(out);
	/* Real UTF-8 in another script stays UTF-8. */
	cr_assert_eq(reader_decode_text(chinese, strlen(chinese), &out, &out_len,
					&enc, err, sizeof err), READER_OK);
	cr_expect_str_eq(enc, "UTF-8");
	cr_expect_str_eq(out, chinese);
	free(out);
}

Test(readers, text_is_normalized_to_nfc)
{
	/* "й" written as и + combining breve, "ё" as е + combining diaeresis. */
	const char *s = "Зайцева \xd0\xb8\xcc\x86 \xd0\xb5\xcc\x88жик\n";
	char *out, err[64];
	size_t out_len;
	const char *enc;
	cr_assert_eq(reader_decode_text(s, strlen(s), &out, &out_len, &enc, err,
					sizeof err), READER_OK);
	cr_expect_str_eq(out, "Зайцева й ёжик\n");
	cr_expect_str_eq(enc, "UTF-8");
	free(out);
}

/* ---- plain text ---------------------------------------------------------- */

Test(readers, text_lines_trimmed_blank_lines_skipped)
{
	const char *s = "Первая строка  \r\nвторая\rтретья\n\n   \t\n"
			"\tс отступом\tи табуляцией\t \n"
			"звон\x07ок\x7f и \xc2\x85конец";
	reader_doc_t doc;
	reader_doc_init(&doc);
	read_ok("t.txt", s, strlen(s), &doc);
	cr_assert_eq(doc.n_paras, 6);
	cr_expect_str_eq(doc.paras[0].text, "Первая строка");
	cr_expect_str_eq(doc.paras[1].text, "вторая");
	cr_expect_str_eq(doc.paras[2].text, "третья");
	cr_expect_str_eq(doc.paras[3].text, "\tс отступом\tи табуляцией");
	cr_expect_str_eq(doc.paras[4].text, "звонок и");
	cr_expect_str_eq(doc.paras[5].text, "конец");
	cr_expect_eq(doc.text_bytes, strlen("Первая строка") + strlen("вторая") +
		     strlen("третья") + strlen("\tс отступом\tи табуляцией") +
		     strlen("звонок и") + strlen("конец"));
	reader_doc_release(&doc);
}

Test(readers, empty_and_blank_input)
{
	reader_doc_t doc;
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("e.txt", "", 0, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "empty file");
	cr_expect_eq(reader_read_buffer("b.txt", " \n\t\r\n  ", 7, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text");
	cr_expect_eq(doc.n_paras, 0);
	cr_expect_eq(reader_read_buffer("bom.txt", "\xef\xbb\xbf", 3, &doc),
		     READER_EMPTY);
	reader_doc_release(&doc);
}

Test(readers, binary_data_rejected)
{
	unsigned char buf[4096];
	uint32_t x = 12345;
	reader_doc_t doc;
	char *out, err[128];
	size_t out_len;
	const char *enc;

	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("r.txt", buf, sizeof buf, &doc),
		     READER_UNSUPPORTED);
	cr_expect_str_eq(doc.error, "binary data, not text");
	cr_expect_eq(doc.n_paras, 0);
	cr_expect_eq(reader_detect_format("r.txt", buf, sizeof buf),
		     READER_FORMAT_UNKNOWN);

	/* Text with NULs sprinkled in: a binary file with strings in it. */
	memset(buf, 'a', sizeof buf);
	for (size_t i = 0; i < sizeof buf; i += 64)
		buf[i] = 0;
	cr_expect_eq(reader_decode_text(buf, sizeof buf, &out, &out_len, &enc, err,
					sizeof err), READER_UNSUPPORTED);
	cr_expect_str_eq(err, "binary data, not text");
	cr_expect_null(out);

	/* Mostly control characters. */
	for (size_t i = 0; i < 100; i++)
		buf[i] = (unsigned char)(1 + i % 8);
	cr_expect_eq(reader_read_buffer("c.txt", buf, 100, &doc), READER_UNSUPPORTED);
	reader_doc_release(&doc);
}

Test(readers, known_binary_formats_named)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *message;
	} cases[] = {
		{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0", 12,
		  "OLE compound document without a Word document stream (Excel "
		  ".xls?): not read" },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "PNG image: not a text document" },
		{ "\xff\xd8\xff\xe0\0\x10JFIF", 10, "JPEG image: not a text document" },
		{ "GIF89a\x01\0\x01\0", 10, "GIF image: not a text document" },
		{ "\x7f" "ELF\x02\x01\x01\0", 8, "ELF executable: not a document" },
	};
	reader_doc_t doc;
	reader_doc_init(&doc);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_eq(reader_read_buffer("x.txt", cases[i].bytes, cases[i].len,
						&doc), READER_UNSUPPORTED);
		cr_expect_str_eq(doc.error, cases[i].message);
		cr_expect_eq(reader_detect_format("x.txt", cases[i].bytes, cases[i].len),
			     READER_FORMAT_UNKNOWN);
	}
	reader_doc_release(&doc);
}

Test(readers, read_file_errors)
{
	char path[] = "/tmp/test_readers_XXXXXX";
	int fd = mkstemp(path);
	reader_doc_t doc;
	cr_assert_geq(fd, 0);
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_file(path, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "empty file");
	cr_assert_eq(write(fd, "Протокол\n", strlen("Протокол\n")),
		     (ssize_t)strlen("Протокол\n"));
	close(fd);
	cr_expect_eq(reader_read_file(path, &doc), READER_OK);
	cr_expect_eq(doc.n_paras, 1);
	unlink(path);
	cr_expect_eq(reader_read_file(path, &doc), READER_IO);
	cr_expect_str_eq(doc.error, "cannot read: No such file or directory");
	cr_expect_eq(doc.n_paras, 0);
	cr_expect_eq(reader_read_file("/tmp", &doc), READER_IO);
	cr_expect_str_eq(doc.error, "cannot read: Is a directory");
	reader_doc_release(&doc);
}

Test(readers, status_and_format_names)
{
	cr_expect_str_eq(reader_status_to_string(READER_OK), "ok");
	cr_expect_str_eq(reader_status_to_string(READER_MALFORMED), "damaged file");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_TXT), "txt");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_DOCX), "docx");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_ODT), "odt");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_RTF), "rtf");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_HTML), "html");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_DOC), "doc");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_PDF), "pdf");
	cr_expect_str_eq(reader_format_name(READER_FORMAT_UNKNOWN), "unknown");
	/* Releasing twice, or an untouched doc, is harmless. */
	reader_doc_t doc;
	reader_doc_init(&doc);
	reader_doc_release(&doc);
	reader_doc_release(&doc);
	reader_doc_release(NULL);
}

/* ---- helpers: zip archives, byte by byte ----------------------------------- */

typedef struct member {
	const char *name;
	const void *data;  /* stored or raw-deflated bytes, as written */
	size_t data_len;
	uint16_t method;
	uint16_t flags;
	uint32_t crc;
	uint32_t usize;
} member_t;

static void
put16(strbuf_t *sb, unsigned v)
{
	strbuf_addch(sb, v & 0xff);
	strbuf_addch(sb, (v >> 8) & 0xff);
}

static void
put32(strbuf_t *sb, uint32_t v)
{
	put16(sb, v & 0xffff);
	put16(sb, v >> 16);
}

/* Raw deflate of data[0..len), appended to `out`. */
static void
raw_deflate(const void *data, size_t len, strbuf_t *out)
{
	z_stream s;
	unsigned char chunk[16384];
	int ret;
	memset(&s, 0, sizeof s);
	cr_assert_eq(deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	s.next_in = (Bytef *)data;
	s.avail_in = (uInt)len;
	do {
		s.next_out = chunk;
		s.avail_out = sizeof chunk;
		ret = deflate(&s, Z_FINISH);
		strbuf_add(out, chunk, sizeof chunk - s.avail_out);
	} while (ret == Z_OK);
	cr_assert_eq(ret, Z_STREAM_END);
	deflateEnd(&s);
}

/* A member holding `text`, deflated or stored; `pool` keeps the bytes. */
static member_t
member_of(const char *name, const char *text, int deflated, strbuf_t *pool)
{
	member_t m = { name, text, strlen(text), 0, 0, 0, 0 };
	m.crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)m.data_len);
	m.usize = (uint32_t)m.data_len;
	if (deflated) {
		strbuf_init(pool, 0);
		raw_deflate(text, m.data_len, pool);
		m.data = pool->buf;
		m.data_len = pool->len;
		m.method = 8;
	}
	return m;
}

/* Local headers and data, central directory, end record. */
static void
build_zip(const member_t *m, size_t n, strbuf_t *out)
{
	uint32_t *offsets = xcalloc(n ? n : 1, sizeof *offsets);
	size_t cd_start, cd_size;
	strbuf_init(out, 0);
	for (size_t i = 0; i < n; i++) {
		offsets[i] = (uint32_t)out->len;
		put32(out, 0x04034b50);
		put16(out, 20);
		put16(out, m[i].flags);
		put16(out, m[i].method);
		put16(out, 0);
		put16(out, 0x21);
		put32(out, m[i].crc);
		put32(out, (uint32_t)m[i].data_len);
		put32(out, m[i].usize);
		put16(out, (unsigned)strlen(m[i].name));
		put16(out, 0);
		strbuf_adds(out, m[i].name);
		strbuf_add(out, m[i].data, m[i].data_len);
	}
	cd_start = out->len;
	for (size_t i = 0; i < n; i++) {
		put32(out, 0x02014b50);
		put16(out, 20);
		put16(out, 20);
		put16(out, m[i].flags);
		put16(out, m[i].method);
		put16(out, 0);
		put16(out, 0x21);
		put32(out, m[i].crc);
		put32(out, (uint32_t)m[i].data_len);
		put32(out, m[i].usize);
		put16(out, (unsigned)strlen(m[i].name));
		put16(out, 0);
		put16(out, 0);
		put16(out, 0);
		put16(out, 0);
		put32(out, 0);
		put32(out, offsets[i]);
		strbuf_adds(out, m[i].name);
	}
	cd_size = out->len - cd_start;
	put32(out, 0x06054b50);
	put16(out, 0);
	put16(out, 0);
	put16(out, (unsigned)n);
	put16(out, (unsigned)n);
	put32(out, (uint32_t)cd_size);
	put32(out, (uint32_t)cd_start);
	put16(out, 0);
	free(offsets);
}

#define CONTENT_TYPES_XML                                                        \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                             \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"           \
	"<Override PartName=\"/word/document.xml\" ContentType=\""              \
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>" \
	"</Types>"

#define DOC_HEAD                                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"        \
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" \
	" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"" \
	" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"" \
	" xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>"
#define DOC_TAIL "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"

/* A DOCX whose word/document.xml is `xml`. */
static void
make_docx(const char *xml, int deflated, strbuf_t *out)
{
	strbuf_t pool[2];
	member_t m[2];
	m[0] = member_of("[Content_Types].xml", CONTENT_TYPES_XML, deflated, &pool[0]);
	m[1] = member_of("word/document.xml", xml, deflated, &pool[1]);
	build_zip(m, 2, out);
	if (deflated) {
		strbuf_release(&pool[0]);
		strbuf_release(&pool[1]);
	}
}

/* Read a DOCX made of DOC_HEAD body DOC_TAIL; expects READER_OK. */
static void
read_body(const char *body, reader_doc_t *doc)
{
	strbuf_t xml = STRBUF_INIT, zip;
	strbuf_addf(&xml, "%s%s%s", DOC_HEAD, body, DOC_TAIL);
	make_docx(xml.buf, 1, &zip);
	reader_doc_init(doc);
	read_ok("t.docx", zip.buf, zip.len, doc);
	cr_expect_eq(doc->format, READER_FORMAT_DOCX);
	strbuf_release(&xml);
	strbuf_release(&zip);
}

/* ---- zip ----------------------------------------------------------------- */

Test(readers, zip_stored_and_deflated_members)
{
	strbuf_t pool, zip;
	member_t m[3];
	zip_t z;
	char err[256], *out;
	size_t out_len;

	m[0] = member_of("a.txt", "хранится как есть", 0, NULL);
	m[1] = member_of("dir/b.xml", "<x>сжато сжато сжато сжато</x>", 1, &pool);
	m[2] = member_of("empty", "", 0, NULL);
	build_zip(m, 3, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK, "%s", err);
	cr_expect_eq(z.n_entries, 3);
	cr_expect_eq(zip_find(&z, "dir/b.xml"), 1);
	cr_expect_eq(zip_find(&z, "DIR/B.XML"), -1);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_OK);
	cr_expect_str_eq(out, "хранится как есть");
	free(out);
	cr_expect_eq(zip_extract(&z, "dir/b.xml", 1000, &out, &out_len, err, sizeof err),
		     ZIP_OK, "%s", err);
	cr_expect_str_eq(out, "<x>сжато сжато сжато сжато</x>");
	cr_expect_eq(out_len, strlen(out));
	free(out);
	cr_expect_eq(zip_extract(&z, "empty", 0, &out, &out_len, err, sizeof err), ZIP_OK);
	cr_expect_eq(out_len, 0);
	free(out);
	cr_expect_eq(zip_extract(&z, "none", 10, &out, &out_len, err, sizeof err),
		     ZIP_NOT_FOUND);
	cr_expect_null(out);
	/* The caller's limit is enforced before anything is inflated. */
	cr_expect_eq(zip_extract(&z, "dir/b.xml", 10, &out, &out_len, err, sizeof err),
		     ZIP_TOO_LARGE);
	cr_expect(strstr(err, "too large"), "%s", err);
	zip_close(&z);
	zip_close(&z);
	strbuf_release(&zip);
	strbuf_release(&pool);
}

Test(readers, zip_with_comment_holding_a_signature)
{
	strbuf_t zip;
	member_t m = member_of("a", "abc", 0, NULL);
	zip_t z;
	char err[256];
	build_zip(&m, 1, &zip);
	/* A comment that itself contains an end-record signature. */
	zip.buf[zip.len - 2] = 40;
	strbuf_add(&zip, "PK\x05\x06", 4);
	for (int i = 0; i < 36; i++)
		strbuf_addch(&zip, 'x');
	cr_expect_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK, "%s", err);
	cr_expect_eq(z.n_entries, 1);
	zip_close(&z);
	strbuf_release(&zip);
}

Test(readers, zip_damage_detected)
{
	strbuf_t pool, zip;
	member_t m;
	zip_t z;
	char err[256], *out;
	size_t out_len;
	const char *text = "Протокол совещания, Протокол совещания, Протокол совещания";

	/* CRC mismatch. */
	m = member_of("a.txt", text, 1, &pool);
	m.crc ^= 1;
	build_zip(&m, 1, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_MALFORMED);
	cr_expect(strstr(err, "CRC mismatch in 'a.txt'"), "%s", err);
	cr_expect_null(out);
	zip_close(&z);
	strbuf_release(&zip);

	/* Declared size smaller than the real one. */
	strbuf_release(&pool);
	m = member_of("a.txt", text, 1, &pool);
	m.usize -= 5;
	build_zip(&m, 1, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_MALFORMED);
	cr_expect(strstr(err, "past its declared size"), "%s", err);
	zip_close(&z);
	strbuf_release(&zip);

	/* Compressed data cut short (the sizes say more than there is). */
	strbuf_release(&pool);
	m = member_of("a.txt", text, 1, &pool);
	m.data_len -= 4;
	build_zip(&m, 1, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_MALFORMED);
	zip_close(&z);
	strbuf_release(&zip);

	/* Encrypted, and an unknown method. */
	strbuf_release(&pool);
	m = member_of("a.txt", text, 1, &pool);
	m.flags = 1;
	build_zip(&m, 1, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_UNSUPPORTED);
	cr_expect(strstr(err, "encrypted"), "%s", err);
	zip_close(&z);
	strbuf_release(&zip);
	m.flags = 0;
	m.method = 12;
	build_zip(&m, 1, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "a.txt", 1000, &out, &out_len, err, sizeof err),
		     ZIP_UNSUPPORTED);
	cr_expect(strstr(err, "method 12"), "%s", err);
	zip_close(&z);
	strbuf_release(&zip);
	strbuf_release(&pool);

	/* ZIP64 markers. */
	m = member_of("a.txt", text, 0, NULL);
	build_zip(&m, 1, &zip);
	memcpy(zip.buf + zip.len - 10, "\xff\xff\xff\xff", 4); /* cd size */
	cr_expect_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_UNSUPPORTED);
	cr_expect_str_eq(err, "ZIP64 archive: not supported");
	strbuf_release(&zip);

	/* Central directory pointing past the end. */
	build_zip(&m, 1, &zip);
	zip.buf[zip.len - 4] = 0x7f;
	cr_expect_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_MALFORMED);
	strbuf_release(&zip);

	/* Local header offset pointing into the central directory. */
	build_zip(&m, 1, &zip);
	{
		size_t cd = zip.len - 22 - 46 - strlen("a.txt");
		zip.buf[cd + 43] = 0x40;
	}
	cr_expect_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_MALFORMED);
	strbuf_release(&zip);

	/* Not a zip at all, and too short to be one. */
	cr_expect_eq(zip_open(&z, "PK\x03\x04", 4, err, sizeof err), ZIP_MALFORMED);
	cr_expect_eq(zip_open(&z, text, strlen(text), err, sizeof err), ZIP_MALFORMED);
	cr_expect(strstr(err, "no end of central directory"), "%s", err);
}

/*
 * Deflate `mib` MiB of zeros without holding or compressing them all: one
 * MiB is deflated with a full flush (which makes the block independent
 * of what came before), repeated, and closed by an empty final block.
 */
static void
deflate_zeros(size_t mib, strbuf_t *out, uint32_t *crc)
{
	const size_t unit = (size_t)1 << 20;
	unsigned char *zeros = xcalloc(unit, 1);
	strbuf_t chunk = STRBUF_INIT, tail = STRBUF_INIT;
	unsigned char buf[1 << 16];
	uint32_t unit_crc = (uint32_t)crc32(0, zeros, (uInt)unit);
	z_stream s;
	int ret;

	memset(&s, 0, sizeof s);
	cr_assert_eq(deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	s.next_in = zeros;
	s.avail_in = (uInt)unit;
	do {
		s.next_out = buf;
		s.avail_out = sizeof buf;
		ret = deflate(&s, Z_FULL_FLUSH);
		strbuf_add(&chunk, buf, sizeof buf - s.avail_out);
	} while (s.avail_out == 0);
	cr_assert_eq(ret, Z_OK);
	s.next_out = buf;
	s.avail_out = sizeof buf;
	cr_assert_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
	strbuf_add(&tail, buf, sizeof buf - s.avail_out);
	deflateEnd(&s);

	strbuf_init(out, chunk.len * mib + tail.len);
	*crc = (uint32_t)crc32(0, NULL, 0);
	for (size_t i = 0; i < mib; i++) {
		strbuf_add(out, chunk.buf, chunk.len);
		*crc = (uint32_t)crc32_combine(*crc, unit_crc, (z_off_t)unit);
	}
	strbuf_add(out, tail.buf, tail.len);
	strbuf_release(&chunk);
	strbuf_release(&tail);
	free(zeros);
}

Test(readers, zip_bomb_refused_quickly, .timeout = 30)
{
	const size_t real = (size_t)200 << 20;
	strbuf_t payload, zip;
	member_t m[2];
	uint32_t crc;
	reader_doc_t doc;
	zip_t z;
	char err[256], *out;
	size_t out_len;
	clock_t t0;

	deflate_zeros(real >> 20, &payload, &crc);
	cr_assert_lt(payload.len, real / 500);
	m[0] = member_of("[Content_Types].xml", CONTENT_TYPES_XML, 0, NULL);
	m[1] = (member_t){ "word/document.xml", payload.buf, payload.len, 8, 0, crc,
			   (uint32_t)real };

	/* Honest about its size: over the limit, refused before inflating. */
	build_zip(m, 2, &zip);
	reader_doc_init(&doc);
	t0 = clock();
	cr_expect_eq(reader_read_buffer("bomb.docx", zip.buf, zip.len, &doc),
		     READER_TOO_LARGE);
	cr_expect(strstr(doc.error, "too large"), "%s", doc.error);
	cr_expect_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
	strbuf_release(&zip);

	/* Lying about its size: inflation stops one byte past the claim. */
	m[1].usize = 4096;
	build_zip(m, 2, &zip);
	t0 = clock();
	cr_expect_eq(reader_read_buffer("bomb.docx", zip.buf, zip.len, &doc),
		     READER_MALFORMED);
	cr_expect(strstr(doc.error, "past its declared size"), "%s", doc.error);
	cr_expect_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
	strbuf_release(&zip);

	/* Within the caller's limit but lying: still stops at the claim. */
	m[1].usize = 10u << 20;
	build_zip(m, 2, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "word/document.xml", 64u << 20, &out, &out_len,
				 err, sizeof err), ZIP_MALFORMED);
	cr_expect_null(out);
	zip_close(&z);
	strbuf_release(&zip);

	/* A claim deflate cannot reach from so few bytes. */
	m[1].data_len = 100;
	m[1].usize = 60u << 20;
	build_zip(m, 2, &zip);
	cr_assert_eq(zip_open(&z, zip.buf, zip.len, err, sizeof err), ZIP_OK);
	cr_expect_eq(zip_extract(&z, "word/document.xml", 64u << 20, &out, &out_len,
				 err, sizeof err), ZIP_MALFORMED);
	cr_expect(strstr(err, "impossible compression ratio"), "%s", err);
	zip_close(&z);
	strbuf_release(&zip);

	reader_doc_release(&doc);
	strbuf_release(&payload);
}

/* ---- DOCX ---------------------------------------------------------------- */

Test(readers, docx_runs_split_mid_word_are_joined)
{
	reader_doc_t doc;
	read_body("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
		  "<w:r><w:t>Обеспечение объек</w:t></w:r>"
		  "<w:proofErr w:type=\"spellStart\"/>"
		  "<w:r><w:rPr><w:b/><w:lang w:val=\"ru-RU\"/></w:rPr>"
		  "<w:t>тивность</w:t></w:r><w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/>"
		  "<w:r><w:t xml:space=\"preserve\"> процедур</w:t></w:r></w:p>",
		  &doc);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "Обеспечение объективность процедур");
	cr_expect_eq(doc.paras[0].kind, READER_PARA);
	cr_expect_str_eq(doc.encoding, "UTF-8");
	reader_doc_release(&doc);
}

Test(readers, docx_inline_markup)
{
	reader_doc_t doc;
	read_body("<w:p><w:r><w:t>1.</w:t><w:tab/><w:t>Срок</w:t><w:br/>"
		  "<w:t>до</w:t><w:cr/><w:t>мая</w:t></w:r></w:p>"
		  "<w:p><w:r><w:t>из</w:t><w:softHyphen/><w:t>вестно,</w:t>"
		  "<w:t xml:space=\"preserve\"> северо</w:t><w:noBreakHyphen/>"
		  "<w:t>запад</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/></w:r></w:p>"
		  "<w:p><w:r><w:t xml:space=\"preserve\">Было </w:t></w:r>"
		  "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>удалено </w:delText></w:r></w:del>"
		  "<w:ins w:id=\"2\" w:author=\"x\"><w:r><w:t>вставлено</w:t></w:r></w:ins></w:p>"
		  "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		  "<w:r><w:instrText> PAGE </w:instrText></w:r>"
		  "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		  "<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
		  "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
		  "<w:r><w:t>без табуляции в свойствах</w:t></w:r></w:p>"
		  "<w:p/><w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r></w:p>"
		  "<w:sdt><w:sdtPr><w:alias w:val=\"не текст\"/></w:sdtPr><w:sdtContent>"
		  "<w:p><w:r><w:t>элемент управления</w:t></w:r></w:p></w:sdtContent></w:sdt>"
		  "<w:p><w:r><w:t>строка\nс переводом</w:t></w:r></w:p>"
		  "<w:p><w:hyperlink r:id=\"rId1\" xmlns:r=\"urn:r\"><w:r><w:t>ссылка</w:t>"
		  "</w:r></w:hyperlink><w:fldSimple w:instr=\"DATE\"><w:r><w:t>, дата</w:t>"
		  "</w:r></w:fldSimple></w:p>",
		  &doc);
	cr_assert_eq(doc.n_paras, 8);
	cr_expect_str_eq(doc.paras[0].text, "1.\tСрок до мая");
	cr_expect_str_eq(doc.paras[1].text, "известно, северо-запад");
	cr_expect_str_eq(doc.paras[2].text, "Было вставлено");
	cr_expect_str_eq(doc.paras[3].text, "7");
	cr_expect_str_eq(doc.paras[4].text, "без табуляции в свойствах");
	cr_expect_str_eq(doc.paras[5].text, "элемент управления");
	cr_expect_str_eq(doc.paras[6].text, "строка с переводом");
	cr_expect_str_eq(doc.paras[7].text, "ссылка, дата");
	reader_doc_release(&doc);
}

#define TC(text) "<w:tc><w:tcPr><w:tcW w:w=\"1000\"/></w:tcPr><w:p><w:r><w:t>" text \
	"</w:t></w:r></w:p></w:tc>"

Test(readers, docx_table_cells_with_row_and_column)
{
	reader_doc_t doc;
	read_body("<w:p><w:r><w:t>До таблицы</w:t></w:r></w:p>"
		  "<w:tbl><w:tblPr><w:tblW w:w=\"0\"/></w:tblPr><w:tblGrid><w:gridCol/>"
		  "</w:tblGrid>"
		  "<w:tr>" TC("№") TC("Мероприятие") TC("Срок") "</w:tr>"
		  "<w:tr>" TC("1") TC("Совещание") "<w:tc><w:p><w:r><w:t>май</w:t></w:r>"
		  "</w:p><w:p><w:r><w:t>июнь</w:t></w:r></w:p></w:tc></w:tr>"
		  "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r>"
		  "<w:t>объединено</w:t></w:r></w:p></w:tc>" TC("") "</w:tr>"
		  "</w:tbl>"
		  "<w:p><w:r><w:t>После таблицы</w:t></w:r></w:p>",
		  &doc);
	cr_assert_eq(doc.n_paras, 10);
	cr_expect_eq(doc.paras[0].kind, READER_PARA);
	struct {
		const char *text;
		unsigned row, col;
	} want[] = {
		{ "№", 0, 0 }, { "Мероприятие", 0, 1 }, { "Срок", 0, 2 },
		{ "1", 1, 0 }, { "Совещание", 1, 1 }, { "май", 1, 2 }, { "июнь", 1, 2 },
		{ "объединено", 2, 0 },
	};
	for (size_t i = 0; i < 8; i++) {
		reader_para_t *p = &doc.paras[i + 1];
		cr_expect_str_eq(p->text, want[i].text);
		cr_expect_eq(p->kind, READER_CELL, "%s", p->text);
		cr_expect_eq(p->row, want[i].row, "%s: row %u", p->text, p->row);
		cr_expect_eq(p->col, want[i].col, "%s: col %u", p->text, p->col);
	}
	/* The empty cell after the merged one gave nothing; this is paras[9]. */
	cr_expect_str_eq(doc.paras[9].text, "После таблицы");
	cr_expect_eq(doc.paras[9].kind, READER_PARA);
	reader_doc_release(&doc);
}

Test(readers, docx_nested_tables_and_text_boxes)
{
	reader_doc_t doc;
	read_body("<w:tbl><w:tr>" TC("внешняя")
		  "<w:tc><w:tbl><w:tr>" TC("a") TC("b") "</w:tr><w:tr>" TC("c") "</w:tr>"
		  "</w:tbl><w:p><w:r><w:t>после вложенной</w:t></w:r></w:p></w:tc>"
		  "</w:tr></w:tbl>"
		  "<w:p><w:r><w:t xml:space=\"preserve\">Текст </w:t></w:r><w:r>"
		  "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
		  "<w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent>"
		  "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
		  "<w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent>"
		  "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
		  "<w:r><w:t>абзаца</w:t></w:r></w:p>",
		  &doc);
	cr_assert_eq(doc.n_paras, 7);
	cr_expect_str_eq(doc.paras[0].text, "внешняя");
	cr_expect_str_eq(doc.paras[1].text, "a");
	cr_expect_eq(doc.paras[1].row, 0);
	cr_expect_eq(doc.paras[1].col, 0);
	cr_expect_str_eq(doc.paras[2].text, "b");
	cr_expect_eq(doc.paras[2].col, 1);
	cr_expect_str_eq(doc.paras[3].text, "c");
	cr_expect_eq(doc.paras[3].row, 1);
	cr_expect_eq(doc.paras[3].kind, READER_CELL);
	/* Back in the outer cell. */
	cr_expect_str_eq(doc.paras[4].text, "после вложенной");
	cr_expect_eq(doc.paras[4].row, 0);
	cr_expect_eq(doc.paras[4].col, 1);
	/* The text box once (not also its fallback), before its paragraph. */
	cr_expect_str_eq(doc.paras[5].text, "в рамке");
	cr_expect_eq(doc.paras[5].kind, READER_PARA);
	cr_expect_str_eq(doc.paras[6].text, "Текст абзаца");
	reader_doc_release(&doc);
}

Test(readers, docx_deep_nesting_does_not_recurse)
{
	strbuf_t body = STRBUF_INIT;
	reader_doc_t doc;
	/* libxml2 refuses documents deeper than 256 levels without HUGE. */
	for (int i = 0; i < 80; i++)
		strbuf_adds(&body, "<w:tbl><w:tr><w:tc>");
	strbuf_adds(&body, "<w:p><w:r><w:t>дно</w:t></w:r></w:p>");
	for (int i = 0; i < 80; i++)
		strbuf_adds(&body, "</w:tc></w:tr></w:tbl>");
	read_body(body.buf, &doc);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "дно");
	cr_expect_eq(doc.paras[0].kind, READER_CELL);
	reader_doc_release(&doc);
	strbuf_release(&body);
}

Test(readers, docx_entities_not_expanded)
{
	const char *xml =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!DOCTYPE w:document [\n"
		"  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
		"  <!ENTITY inner \"ВНУТРЕННЯЯ\">\n"
		"]>\n"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:body><w:p><w:r><w:t>до&xxe;после</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>а&inner;б &amp; &#1046;</w:t></w:r></w:p></w:body></w:document>";
	strbuf_t zip;
	reader_doc_t doc;
	make_docx(xml, 1, &zip);
	reader_doc_init(&doc);
	read_ok("xxe.docx", zip.buf, zip.len, &doc);
	cr_assert_eq(doc.n_paras, 2);
	cr_expect_str_eq(doc.paras[0].text, "допосле");
	cr_expect_str_eq(doc.paras[1].text, "аб & Ж");
	for (size_t i = 0; i < doc.n_paras; i++)
		cr_expect_null(strstr(doc.paras[i].text, "root:"));
	reader_doc_release(&doc);
	strbuf_release(&zip);

	/* An external DTD is not fetched either (and its absence is no error). */
	make_docx("<?xml version=\"1.0\"?><!DOCTYPE w:document SYSTEM \"file:///etc/passwd\">"
		  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		  "<w:body><w:p><w:r><w:t>текст</w:t></w:r></w:p></w:body></w:document>",
		  1, &zip);
	read_ok("dtd.docx", zip.buf, zip.len, &doc);
	cr_expect_eq(doc.n_paras, 1);
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, docx_malformed_xml)
{
	strbuf_t zip;
	reader_doc_t doc;
	make_docx(DOC_HEAD "<w:p><w:r><w:t>незакрытый</w:r></w:p>" DOC_TAIL, 1, &zip);
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("bad.docx", zip.buf, zip.len, &doc),
		     READER_MALFORMED);
	cr_expect(strncmp(doc.error, "malformed XML in word/document.xml: line 2: ", 44) == 0,
		  "%s", doc.error);
	cr_expect_eq(doc.error[strlen(doc.error) - 1] != '\n', 1);
	cr_expect_eq(doc.n_paras, 0);
	cr_expect_eq(doc.format, READER_FORMAT_DOCX);
	strbuf_release(&zip);

	/* A billion laughs stays within libxml2's limits, or is refused. */
	make_docx("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">"
		  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		  "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		  "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		  "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		  "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
		  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		  "<w:body><w:p><w:r><w:t>&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;x</w:t></w:r></w:p>"
		  "</w:body></w:document>", 1, &zip);
	reader_status_t st = reader_read_buffer("lol.docx", zip.buf, zip.len, &doc);
	cr_expect(st == READER_OK || st == READER_MALFORMED, "%d", st);
	if (st == READER_OK)
		cr_expect_str_eq(doc.paras[0].text, "x");
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, docx_truncated_and_damaged)
{
	strbuf_t zip;
	reader_doc_t doc;
	make_docx(DOC_HEAD "<w:p><w:r><w:t>текст документа</w:t></w:r></w:p>" DOC_TAIL, 1,
		  &zip);
	reader_doc_init(&doc);
	/* Every cut loses the end record or a member: damaged, never a crash. */
	for (size_t cut = 4; cut < zip.len; cut += 7) {
		reader_status_t st = reader_read_buffer("cut.docx", zip.buf, cut, &doc);
		cr_expect_eq(st, READER_MALFORMED, "cut at %zu: %s", cut, doc.error);
		cr_expect_eq(doc.n_paras, 0);
	}
	cr_expect_eq(reader_read_buffer("cut.docx", zip.buf, zip.len / 2, &doc),
		     READER_MALFORMED);
	cr_expect(strstr(doc.error, "truncated zip archive"), "%s", doc.error);
	cr_expect_eq(reader_detect_format("cut.docx", zip.buf, zip.len / 2),
		     READER_FORMAT_DOCX);
	cr_expect_eq(reader_detect_format("cut.zip", zip.buf, zip.len / 2),
		     READER_FORMAT_UNKNOWN);

	/* One flipped byte in the compressed document: CRC or inflate error. */
	{
		char *p = memmem(zip.buf, zip.len, "word/document.xml", 17);
		cr_assert(p);
		p[17 + 10] ^= 0x55;
	}
	cr_expect_eq(reader_read_buffer("flip.docx", zip.buf, zip.len, &doc),
		     READER_MALFORMED);
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, docx_stored_members)
{
	strbuf_t zip;
	reader_doc_t doc;
	make_docx(DOC_HEAD "<w:p><w:r><w:t>без сжатия</w:t></w:r></w:p>" DOC_TAIL, 0, &zip);
	reader_doc_init(&doc);
	read_ok("stored.docx", zip.buf, zip.len, &doc);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "без сжатия");
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, docx_main_part_from_content_types)
{
	strbuf_t zip;
	member_t m[2];
	reader_doc_t doc;
	const char *types =
		"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Override PartName=\"/word/document2.xml\" ContentType=\""
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
		"</Types>";
	m[0] = member_of("[Content_Types].xml", types, 0, NULL);
	m[1] = member_of("word/document2.xml",
			 DOC_HEAD "<w:p><w:r><w:t>другое имя</w:t></w:r></w:p>" DOC_TAIL, 0,
			 NULL);
	build_zip(m, 2, &zip);
	reader_doc_init(&doc);
	read_ok("renamed.docx", zip.buf, zip.len, &doc);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "другое имя");
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, zip_without_document_is_unsupported)
{
	strbuf_t zip;
	member_t m[2];
	reader_doc_t doc;
	m[0] = member_of("photo.jpg", "\xff\xd8\xff", 0, NULL);
	m[1] = member_of("notes.txt", "Протокол", 0, NULL);
	build_zip(m, 2, &zip);
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("a.zip", zip.buf, zip.len, &doc),
		     READER_UNSUPPORTED);
	cr_expect_str_eq(doc.error, "zip archive without word/document.xml "
				    "(archives are not read yet)");
	cr_expect_eq(reader_detect_format("a.docx", zip.buf, zip.len),
		     READER_FORMAT_UNKNOWN);
	strbuf_release(&zip);

	m[0] = member_of("mimetype", "application/vnd.oasis.opendocument.text", 0, NULL);
	build_zip(m, 2, &zip);
	cr_expect_eq(reader_read_buffer("a.odt", zip.buf, zip.len, &doc),
		     READER_MALFORMED);
	cr_expect_str_eq(doc.error, "OpenDocument file without content.xml");
	cr_expect_eq(doc.format, READER_FORMAT_ODT);
	strbuf_release(&zip);

	m[0] = member_of("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
			 0, NULL);
	build_zip(m, 2, &zip);
	cr_expect_eq(reader_read_buffer("a.ods", zip.buf, zip.len, &doc),
		     READER_UNSUPPORTED);
	cr_expect_str_eq(doc.error, "OpenDocument file other than text "
				    "(spreadsheet, presentation?): not read");
	strbuf_release(&zip);
	reader_doc_release(&doc);
}

Test(readers, format_detected_by_content_not_name)
{
	strbuf_t zip;
	reader_doc_t doc;
	const char *text = "Протокол\nРешили: принять к сведению\n";
	make_docx(DOC_HEAD "<w:p><w:r><w:t>Протокол</w:t></w:r></w:p>" DOC_TAIL, 1, &zip);

	cr_expect_eq(reader_detect_format("protocol.txt", zip.buf, zip.len),
		     READER_FORMAT_DOCX);
	reader_doc_init(&doc);
	read_ok("protocol.txt", zip.buf, zip.len, &doc);
	cr_expect_eq(doc.format, READER_FORMAT_DOCX);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "Протокол");

	cr_expect_eq(reader_detect_format("protocol.docx", text, strlen(text)),
		     READER_FORMAT_TXT);
	read_ok("protocol.docx", text, strlen(text), &doc);
	cr_expect_eq(doc.format, READER_FORMAT_TXT);
	cr_expect_eq(doc.n_paras, 2);
	cr_expect_str_eq(doc.encoding, "UTF-8");
	reader_doc_release(&doc);
	strbuf_release(&zip);
}

Test(readers, docx_from_project_writer_round_trips)
{
	static const char *const paras[] = {
		"ПРОТОКОЛ № 3",
		"совещания руководителей общеобразовательных организаций",
		"1.\tО результатах мониторинга объективности оценивания",
		"Решили: информацию принять к сведению.",
	};
	static const char *const cells[] = {
		"№", "Мероприятие", "Ответственный",
		"1", "Провести анализ результатов", "Руководители ОО",
	};
	docx_writer_t *w = docx_writer_new();
	char *buf;
	size_t len;
	reader_doc_t doc;

	docx_writer_set_split_runs(w, 1);
	docx_writer_set_seed(w, 7);
	for (size_t i = 0; i < 4; i++)
		docx_writer_add_paragraph(w, paras[i]);
	docx_writer_add_table(w, 2, 3, cells);
	docx_writer_add_paragraph(w, "Председатель\tИванова И.И.");
	cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
	docx_writer_free(w);

	reader_doc_init(&doc);
	read_ok("writer.docx", buf, len, &doc);
	cr_assert_eq(doc.n_paras, 11);
	for (size_t i = 0; i < 4; i++) {
		cr_expect_str_eq(doc.paras[i].text, paras[i]);
		cr_expect_eq(doc.paras[i].kind, READER_PARA);
	}
	for (size_t i = 0; i < 6; i++) {
		cr_expect_str_eq(doc.paras[4 + i].text, cells[i]);
		cr_expect_eq(doc.paras[4 + i].kind, READER_CELL);
		cr_expect_eq(doc.paras[4 + i].row, i / 3);
		cr_expect_eq(doc.paras[4 + i].col, i % 3);
	}
	cr_expect_str_eq(doc.paras[10].text, "Председатель\tИванова И.И.");
	reader_doc_release(&doc);
	free(buf);
}

Test(readers, input_size_limit)
{
	reader_doc_t doc;
	reader_doc_init(&doc);
	/* The length alone decides; the bytes are not looked at. */
	cr_expect_eq(reader_read_buffer("big.txt", "x", (size_t)READER_MAX_INPUT + 1,
					&doc), READER_TOO_LARGE);
	cr_expect(strncmp(doc.error, "file too large (", 16) == 0, "%s", doc.error);
	reader_doc_release(&doc);
}

/* ---- DOCX: Word's list numbering --------------------------------------- */

#define W_NS_ATTR "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define NUMBERING(body) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<w:numbering " W_NS_ATTR ">" body "</w:numbering>"
#define STYLES(body) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<w:styles " W_NS_ATTR ">" body "</w:styles>"
/* A level: ilvl, start, format, text. */
#define LVL(ilvl, start, fmt, text) \
	"<w:lvl w:ilvl=\"" ilvl "\"><w:start w:val=\"" start "\"/><w:numFmt w:val=\"" fmt "\"/>" \
	"<w:lvlText w:val=\"" text "\"/><w:lvlJc w:val=\"left\"/></w:lvl>"
#define NUM(id, abs) "<w:num w:numId=\"" id "\"><w:abstractNumId w:val=\"" abs "\"/></w:num>"
/* A paragraph in list `num` at level `ilvl`. */
#define LP(num, ilvl, text) \
	"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" ilvl "\"/><w:numId w:val=\"" num "\"/>" \
	"</w:numPr></w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"
#define P(text) "<w:p><w:r><w:t>" text "</w:t></w:r></w:p>"
/* Word's usual decimal list, three levels. */
#define DECIMAL_ABS(id) \
	"<w:abstractNum w:abstractNumId=\"" id "\">" LVL("0", "1", "decimal", "%1.") \
	LVL("1", "1", "decimal", "%1.%2.") LVL("2", "1", "decimal", "%1.%2.%3.") "</w:abstractNum>"

/*
 * A DOCX of DOC_HEAD body DOC_TAIL with word/numbering.xml and
 * word/styles.xml as given (NULL: no such part), read; expects READER_OK.
 */
static void
read_with_numbering(const char *body, const char *numbering, const char *styles,
		    reader_doc_t *doc)
{
	strbuf_t xml = STRBUF_INIT, zip, pool[4];
	member_t m[4];
	size_t n = 0;
	strbuf_addf(&xml, "%s%s%s", DOC_HEAD, body, DOC_TAIL);
	m[n] = member_of("[Content_Types].xml", CONTENT_TYPES_XML, 1, &pool[n]);
	n++;
	m[n] = member_of("word/document.xml", xml.buf, 1, &pool[n]);
	n++;
	if (numbering) {
		m[n] = member_of("word/numbering.xml", numbering, 1, &pool[n]);
		n++;
	}
	if (styles) {
		m[n] = member_of("word/styles.xml", styles, 1, &pool[n]);
		n++;
	}
	build_zip(m, n, &zip);
	reader_doc_init(doc);
	read_ok("lists.docx", zip.buf, zip.len, doc);
	for (size_t i = 0; i < n; i++)
		strbuf_release(&pool[i]);
	strbuf_release(&xml);
	strbuf_release(&zip);
}

/* On failure, what was read. */
static void
dump_paras(const reader_doc_t *doc)
{
	for (size_t i = 0; i < doc->n_paras; i++)
		cr_log_error("%zu: %s %u,%u «%s»", i,
			     doc->paras[i].kind == READER_CELL ? "cell" : "para",
			     doc->paras[i].row, doc->paras[i].col, doc->paras[i].text);
}

static void
expect_paras(const reader_doc_t *doc, const char *const *want, size_t n, const char *what)
{
	cr_expect_eq(doc->n_paras, n, "%s: %zu paragraphs, want %zu", what, doc->n_paras, n);
	if (doc->n_paras != n)
		dump_paras(doc);
	for (size_t i = 0; i < n && i < doc->n_paras; i++)
		cr_expect_str_eq(doc->paras[i].text, want[i], "%s: paragraph %zu", what, i);
}
#define EXPECT_PARAS(doc, want) \
	expect_paras((doc), (want), sizeof(want) / sizeof((want)[0]), __func__)

Test(readers, docx_list_multilevel_decimal_with_restart)
{
	static const char *const want[] = {
		"РЕШИЛИ:",
		"1. Руководителям ОУ:",
		"1.1. Обеспечить объективность.",
		"Срок: постоянно",
		"1.2. Провести анализ.",
		"1.2.1. подпункт",
		"1.2.2. ещё подпункт",
		"1.3. Третий пункт.",
		"2. Методистам:",
		"2.1. Подготовить рекомендации.",
		"2.1.1. с начала на третьем уровне",
		"a) никогда не сбрасывается",
		"b) после первого уровня",
		"c) и после второго",
	};
	reader_doc_t doc;
	read_with_numbering(
		P("РЕШИЛИ:") LP("1", "0", "Руководителям ОУ:")
		LP("1", "1", "Обеспечить объективность.") P("Срок: постоянно")
		LP("1", "1", "Провести анализ.") LP("1", "2", "подпункт")
		LP("1", "2", "ещё подпункт") LP("1", "1", "Третий пункт.")
		LP("1", "0", "Методистам:") LP("1", "1", "Подготовить рекомендации.")
		LP("1", "2", "с начала на третьем уровне")
		/* w:lvlRestart 0: level 1 never restarts; 1: only after level 0. */
		LP("2", "1", "никогда не сбрасывается") LP("2", "0", "x0")
		LP("2", "1", "после первого уровня") LP("2", "2", "x1")
		LP("2", "1", "и после второго"),
		NUMBERING(DECIMAL_ABS("0")
			  "<w:abstractNum w:abstractNumId=\"7\">" LVL("0", "1", "none", "")
			  "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/>"
			  "<w:lvlRestart w:val=\"0\"/><w:lvlText w:val=\"%2)\"/></w:lvl>"
			  "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"none\"/>"
			  "<w:lvlRestart w:val=\"1\"/><w:lvlText w:val=\"%3\"/></w:lvl>"
			  "</w:abstractNum>" NUM("1", "0") NUM("2", "7")),
		NULL, &doc);
	/* x0 and x1 are in levels whose format is none: no label. */
	cr_assert_eq(doc.n_paras, 16);
	cr_expect_str_eq(doc.paras[12].text, "x0");
	cr_expect_str_eq(doc.paras[14].text, "x1");
	{
		const char *got[14];
		size_t k = 0;
		for (size_t i = 0; i < doc.n_paras; i++)
			if (i != 12 && i != 14)
				got[k++] = doc.paras[i].text;
		for (size_t i = 0; i < 14; i++)
			cr_expect_str_eq(got[i], want[i], "paragraph %zu", i);
	}
	reader_doc_release(&doc);
}

Test(readers, docx_list_instances_share_or_override_counters)
{
	static const char *const want[] = {
		"1. первый", "2. второй",
		"3. другой numId, тот же abstractNum: продолжает",
		"5. startOverride начинает заново с 5",
		"6. и продолжает свой счёт",
		"4. а общий список идёт дальше",
		"3.1. уровень 1 без уровня 0 показывает его начало",
		"3.2. второй",
		"4. уровень 0 после этого",
		"IV. свой формат уровня из w:lvlOverride",
		"V. дальше",
	};
	reader_doc_t doc;
	read_with_numbering(
		LP("1", "0", "первый") LP("1", "0", "второй")
		LP("2", "0", "другой numId, тот же abstractNum: продолжает")
		LP("3", "0", "startOverride начинает заново с 5")
		LP("3", "0", "и продолжает свой счёт")
		LP("1", "0", "а общий список идёт дальше")
		LP("4", "1", "уровень 1 без уровня 0 показывает его начало")
		LP("4", "1", "второй") LP("4", "0", "уровень 0 после этого")
		LP("5", "0", "свой формат уровня из w:lvlOverride") LP("5", "0", "дальше"),
		NUMBERING(DECIMAL_ABS("3") NUM("1", "3") NUM("2", "3")
			  "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"3\"/>"
			  "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num>"
			  "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"3\"/>"
			  "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/></w:lvlOverride>"
			  "<w:lvlOverride w:ilvl=\"1\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>"
			  "<w:num w:numId=\"5\"><w:abstractNumId w:val=\"3\"/>"
			  "<w:lvlOverride w:ilvl=\"0\">" LVL("0", "4", "upperRoman", "%1.")
			  "</w:lvlOverride></w:num>"),
		NULL, &doc);
	EXPECT_PARAS(&doc, want);
	reader_doc_release(&doc);
}

Test(readers, docx_list_bullets_and_formats)
{
	static const char *const want[] = {
		"• символ шрифта Symbol",
		"- тире",
		"- минус из шрифта Symbol",
		"• кружок Courier New",
		"без номера: формат none",
		"без номера: пустой lvlText",
		"01. decimalZero",
		"iv) lowerRoman",
		"MCMXCIX upperRoman",
		"AA. upperLetter после Z",
		"а) russianLower",
		"к) десятая буква без й",
		"Я. russianUpper",
		"ЫЫ. второй круг",
		"Глава 3, пункт 3.2: обрамление",
		"2.1 isLgl: римский уровень 0 десятичными",
		"2.2 и дальше",
		"12 ordinal и прочие: десятичные",
	};
	reader_doc_t doc;
	read_with_numbering(
		LP("1", "0", "символ шрифта Symbol") LP("2", "0", "тире")
		LP("3", "0", "минус из шрифта Symbol") LP("4", "0", "кружок Courier New")
		LP("5", "0", "без номера: формат none") LP("6", "0", "без номера: пустой lvlText")
		LP("7", "0", "decimalZero") LP("7", "1", "lowerRoman") LP("7", "2", "upperRoman")
		LP("7", "3", "upperLetter после Z") LP("7", "4", "russianLower")
		LP("8", "4", "десятая буква без й") LP("7", "5", "russianUpper")
		LP("9", "5", "второй круг") LP("7", "6", "обрамление")
		LP("10", "0", "x") LP("10", "1", "isLgl: римский уровень 0 десятичными")
		LP("10", "1", "и дальше")
		LP("7", "7", "ordinal и прочие: десятичные"),
		NUMBERING("<w:abstractNum w:abstractNumId=\"1\">"
			  LVL("0", "1", "bullet", "\xef\x82\xb7") "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"2\">" LVL("0", "1", "bullet", "–")
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"3\">" LVL("0", "1", "bullet", "\xef\x80\xad")
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"4\">" LVL("0", "1", "bullet", "o")
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"5\">" LVL("0", "1", "none", "%1.")
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"6\">" LVL("0", "1", "decimal", "")
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"7\">"
			  LVL("0", "1", "decimalZero", "%1.") LVL("1", "4", "lowerRoman", "%2)")
			  LVL("2", "1999", "upperRoman", "%3") LVL("3", "27", "upperLetter", "%4.")
			  LVL("4", "1", "russianLower", "%5)") LVL("5", "29", "russianUpper", "%6.")
			  LVL("6", "2", "decimal", "Глава 3, пункт 3.%7:")
			  "<w:lvl w:ilvl=\"7\"><w:start w:val=\"12\"/><mc:AlternateContent "
			  "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
			  "<mc:Choice Requires=\"w14\"><w:numFmt w:val=\"custom\" w:format=\"001, 002\"/>"
			  "</mc:Choice><mc:Fallback><w:numFmt w:val=\"ordinal\"/></mc:Fallback>"
			  "</mc:AlternateContent><w:lvlText w:val=\"%8\"/></w:lvl>"
			  "</w:abstractNum>"
			  "<w:abstractNum w:abstractNumId=\"10\">" LVL("0", "2", "upperRoman", "%1.")
			  "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
			  "<w:isLgl/><w:lvlText w:val=\"%1.%2\"/></w:lvl></w:abstractNum>"
			  NUM("1", "1") NUM("2", "2") NUM("3", "3") NUM("4", "4") NUM("5", "5")
			  NUM("6", "6") NUM("7", "7")
			  "<w:num w:numId=\"8\"><w:abstractNumId w:val=\"7\"/><w:lvlOverride w:ilvl=\"4\">"
			  "<w:startOverride w:val=\"10\"/></w:lvlOverride></w:num>"
			  "<w:num w:numId=\"9\"><w:abstractNumId w:val=\"7\"/><w:lvlOverride w:ilvl=\"5\">"
			  "<w:startOverride w:val=\"55\"/></w:lvlOverride></w:num>"
			  NUM("10", "10")),
		NULL, &doc);
	/* "x" at level 0 of list 10 is "II.", then isLgl shows "2.1", "2.2". */
	cr_assert_eq(doc.n_paras, sizeof want / sizeof want[0] + 1);
	cr_expect_str_eq(doc.paras[15].text, "II. x");
	for (size_t i = 0, k = 0; i < doc.n_paras; i++) {
		if (i == 15)
			continue;
		cr_expect_str_eq(doc.paras[i].text, want[k], "paragraph %zu", i);
		k++;
	}
	reader_doc_release(&doc);
}

Test(readers, docx_list_numbering_from_paragraph_styles)
{
	static const char *const want[] = {
		"1. стиль с numPr",
		"1.1. стиль с numPr и ilvl 1",
		"1.2. наследник через basedOn",
		"без номера: прямой numId 0 отменяет стиль",
		"2. прямой ilvl 0 при numId из стиля",
		"2.1. уровень по w:pStyle уровня",
		"без номера: стиль без списка",
		"без номера: цикл basedOn",
		"3. стиль по умолчанию",
	};
	reader_doc_t doc;
	read_with_numbering(
		"<w:p><w:pPr><w:pStyle w:val=\"ListNum\"/></w:pPr><w:r><w:t>стиль с numPr</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"ListNum2\"/></w:pPr><w:r><w:t>стиль с numPr и ilvl 1"
		"</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"Child\"/></w:pPr><w:r><w:t>наследник через basedOn"
		"</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"ListNum\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr>"
		"</w:pPr><w:r><w:t>без номера: прямой numId 0 отменяет стиль</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"ListNum2\"/><w:numPr><w:ilvl w:val=\"0\"/></w:numPr>"
		"</w:pPr><w:r><w:t>прямой ilvl 0 при numId из стиля</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>уровень по w:pStyle уровня"
		"</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"Plain\"/></w:pPr><w:r><w:t>без номера: стиль без списка"
		"</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:pStyle w:val=\"LoopA\"/></w:pPr><w:r><w:t>без номера: цикл basedOn"
		"</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>стиль по умолчанию</w:t></w:r></w:p>",
		NUMBERING("<w:abstractNum w:abstractNumId=\"0\">" LVL("0", "1", "decimal", "%1.")
			  "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
			  "<w:pStyle w:val=\"Heading2\"/><w:lvlText w:val=\"%1.%2.\"/></w:lvl>"
			  "</w:abstractNum>" NUM("1", "0")),
		STYLES("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
		       "<w:name w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr>"
		       "</w:pPr></w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"ListNum\"><w:basedOn w:val=\"Plain\"/>"
		       "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
		       "</w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"ListNum2\"><w:pPr><w:numPr>"
		       "<w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"Child\"><w:basedOn w:val=\"ListNum2\"/>"
		       "</w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:pPr><w:numPr>"
		       "<w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>"
		       /* Not the default paragraph style: a character style. */
		       "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"Plain\"/>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"Plain\"><w:pPr><w:numPr>"
		       "<w:numId w:val=\"0\"/></w:numPr></w:pPr></w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"LoopA\"><w:basedOn w:val=\"LoopB\"/></w:style>"
		       "<w:style w:type=\"paragraph\" w:styleId=\"LoopB\"><w:basedOn w:val=\"LoopA\"/></w:style>"),
		&doc);
	EXPECT_PARAS(&doc, want);
	reader_doc_release(&doc);
}

#define LIST_BODY LP("1", "0", "первый") LP("1", "1", "второй")

Test(readers, docx_list_without_usable_numbering_part_reads_plain)
{
	static const char *const plain[] = { "первый", "второй" };
	static const char *const numbered[] = { "1. первый", "1.1. второй" };
	static const char *const bad[] = {
		NULL,                                              /* missing */
		"<w:numbering " W_NS_ATTR "><w:abstractNum>",      /* not well-formed */
		"",                                                /* empty */
		"<?xml version=\"1.0\"?><numbering>" DECIMAL_ABS("0") NUM("1", "0") "</numbering>",
		NUMBERING(DECIMAL_ABS("0")),                       /* no w:num */
		NUMBERING(NUM("1", "0")),                          /* no w:abstractNum */
		NUMBERING(DECIMAL_ABS("0") NUM("1", "9")),         /* wrong abstractNumId */
		NUMBERING(DECIMAL_ABS("0") NUM("2", "0")),         /* wrong numId */
		"<?xml version=\"1.0\"?><!DOCTYPE w:numbering SYSTEM \"file:///etc/passwd\">"
		"<w:numbering " W_NS_ATTR "><w:num w:numId=\"1\">&ext;</w:num></w:numbering>",
	};
	reader_doc_t doc;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		read_with_numbering(LIST_BODY, bad[i], NULL, &doc);
		expect_paras(&doc, plain, 2, bad[i] ? bad[i] : "missing");
		reader_doc_release(&doc);
	}
	/* A damaged styles part costs the style numbering only. */
	read_with_numbering(LIST_BODY, NUMBERING(DECIMAL_ABS("0") NUM("1", "0")),
			    "<w:styles><w:style", &doc);
	EXPECT_PARAS(&doc, numbered);
	reader_doc_release(&doc);
}

Test(readers, docx_list_absurd_values_are_bounded)
{
	strbuf_t long_text = STRBUF_INIT, numbering = STRBUF_INIT;
	reader_doc_t doc;
	/* 100 levels' worth of "%1." in one w:lvlText: cut to 64 bytes. */
	for (int i = 0; i < 100; i++)
		strbuf_adds(&long_text, "%1.");
	strbuf_addf(&numbering, NUMBERING("%s%s%s%s%s"),
		    "<w:abstractNum w:abstractNumId=\"0\">"
		    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"99999999999999999999\"/>"
		    "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"-7\"/><w:numFmt w:val=\"lowerLetter\"/>"
		    /* %9: a level never defined (start 0); no escapes. */
		    "<w:lvlRestart w:val=\"99\"/><w:lvlText w:val=\"%2%9%%x%\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"2\"><w:start w:val=\"100000\"/><w:numFmt w:val=\"upperLetter\"/>"
		    "<w:lvlText w:val=\"%3.\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"3\"><w:start w:val=\"5000\"/><w:numFmt w:val=\"upperRoman\"/>"
		    "<w:lvlText w:val=\"Пункт&#10;%4&#13;\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"4\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
		    "<w:lvlText w:val=\"", long_text.buf, "\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"99\"><w:start w:val=\"1\"/><w:lvlText w:val=\"%1!\"/></w:lvl>"
		    "<w:lvl w:ilvl=\"-1\"><w:start w:val=\"1\"/><w:lvlText w:val=\"%1?\"/></w:lvl>"
		    "</w:abstractNum>"
		    /* Duplicate ids: the first definition wins. */
		    "<w:abstractNum w:abstractNumId=\"0\">" LVL("0", "1", "bullet", "-") "</w:abstractNum>",
		    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
		    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"5\"/></w:num>"
		    "<w:num w:numId=\"0\"><w:abstractNumId w:val=\"0\"/></w:num>"
		    "<w:num w:numId=\"-4\"><w:abstractNumId w:val=\"0\"/></w:num>"
		    "<w:num w:numId=\"abc\"><w:abstractNumId w:val=\"0\"/></w:num>",
		    "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/>"
		    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"7\"/></w:lvlOverride>"
		    "<w:lvlOverride w:ilvl=\"42\"><w:startOverride w:val=\"7\"/></w:lvlOverride>"
		    "</w:num>");
	read_with_numbering(
		LP("1", "0", "огромное начало") LP("1", "0", "не переполняется")
		LP("1", "1", "отрицательное начало: 0, буквы не для нуля")
		LP("1", "2", "буквы за пределом: десятичные")
		LP("1", "3", "римские за пределом, переводы строк в пробелы")
		LP("1", "4", "длинный lvlText обрезан")
		LP("1", "99", "ilvl 99: без номера") LP("1", "-1", "ilvl -1: без номера")
		LP("1", "zz", "ilvl не число: уровень 0")
		LP("0", "0", "numId 0: без номера") LP("77", "0", "numId неизвестен: без номера")
		LP("abc", "0", "numId не число: без номера")
		LP("2", "0", "свой список с 7")
		"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr></w:p>"
		"<w:p><w:pPr><w:numPr><w:numId w:val=\"2\"/></w:numPr><w:numPr><w:numId w:val=\"1\"/>"
		"</w:numPr></w:pPr><w:r><w:t>два numPr: последний numId</w:t></w:r></w:p>",
		numbering.buf, NULL, &doc);
	cr_assert_eq(doc.n_paras, 15);
	cr_expect_str_eq(doc.paras[0].text, "999999999. огромное начало");
	cr_expect_str_eq(doc.paras[1].text, "999999999. не переполняется");
	cr_expect_str_eq(doc.paras[2].text, "00%%x% отрицательное начало: 0, буквы не для нуля");
	cr_expect_str_eq(doc.paras[3].text, "100000. буквы за пределом: десятичные");
	cr_expect_str_eq(doc.paras[4].text,
			 "Пункт 5000 римские за пределом, переводы строк в пробелы");
	{
		/* 64 bytes of "%1.%1...." -> 21 whole "%1." and a "%". */
		strbuf_t want = STRBUF_INIT;
		for (int i = 0; i < 21; i++)
			strbuf_adds(&want, "999999999.");
		strbuf_adds(&want, "% длинный lvlText обрезан");
		cr_expect_str_eq(doc.paras[5].text, want.buf);
		strbuf_release(&want);
	}
	cr_expect_str_eq(doc.paras[6].text, "ilvl 99: без номера");
	cr_expect_str_eq(doc.paras[7].text, "ilvl -1: без номера");
	cr_expect_str_eq(doc.paras[8].text, "999999999. ilvl не число: уровень 0");
	cr_expect_str_eq(doc.paras[9].text, "numId 0: без номера");
	cr_expect_str_eq(doc.paras[10].text, "numId неизвестен: без номера");
	cr_expect_str_eq(doc.paras[11].text, "numId не число: без номера");
	cr_expect_str_eq(doc.paras[12].text, "7. свой список с 7");
	/* An empty list paragraph shows its label, as Word does. */
	cr_expect_str_eq(doc.paras[13].text, "8.");
	cr_expect_str_eq(doc.paras[14].text, "999999999. два numPr: последний numId");
	for (size_t i = 0; i < doc.n_paras; i++) {
		cr_expect_null(strchr(doc.paras[i].text, '\n'));
		cr_expect_null(strchr(doc.paras[i].text, '\r'));
	}
	reader_doc_release(&doc);
	strbuf_release(&long_text);
	strbuf_release(&numbering);
}

Test(readers, docx_list_part_found_through_relationships)
{
	static const char *const want[] = {
		"1. пункт в ячейке", "2. второй в той же ячейке", "3. после таблицы",
		"• в рамке", "4. абзац с рамкой",
	};
	strbuf_t pool[4], zip;
	member_t m[4];
	reader_doc_t doc;
	const char *rels =
		"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\""
		" Target=\"http://example.invalid/numbering.xml\" TargetMode=\"External\"/>"
		"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\""
		" Target=\"../lists/./nums.xml\"/></Relationships>";
	const char *body =
		DOC_HEAD
		"<w:tbl><w:tr><w:tc>" LP("5", "0", "пункт в ячейке") LP("5", "0", "второй в той же ячейке")
		"</w:tc></w:tr></w:tbl>" LP("5", "0", "после таблицы")
		"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"5\"/></w:numPr></w:pPr>"
		"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
		"<w:txbxContent>" LP("6", "0", "в рамке") "</w:txbxContent></wps:txbx></w:drawing>"
		"</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>" LP("6", "0", "в рамке")
		"</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
		"<w:r><w:t>абзац с рамкой</w:t></w:r></w:p>"
		DOC_TAIL;
	m[0] = member_of("[Content_Types].xml", CONTENT_TYPES_XML, 1, &pool[0]);
	m[1] = member_of("word/document.xml", body, 1, &pool[1]);
	m[2] = member_of("word/_rels/document.xml.rels", rels, 1, &pool[2]);
	m[3] = member_of("lists/nums.xml",
			 NUMBERING(DECIMAL_ABS("0") "<w:abstractNum w:abstractNumId=\"1\">"
				   LVL("0", "1", "bullet", "\xef\x82\xa7") "</w:abstractNum>"
				   NUM("5", "0") NUM("6", "1")),
			 1, &pool[3]);
	build_zip(m, 4, &zip);
	reader_doc_init(&doc);
	read_ok("rels.docx", zip.buf, zip.len, &doc);
	EXPECT_PARAS(&doc, want);
	cr_expect_eq(doc.paras[0].kind, READER_CELL);
	cr_expect_eq(doc.paras[1].kind, READER_CELL);
	cr_expect_eq(doc.paras[2].kind, READER_PARA);
	reader_doc_release(&doc);
	strbuf_release(&zip);
	/* The same relationship to a part that is not there: no labels. */
	m[3].name = "lists/other.xml";
	build_zip(m, 4, &zip);
	reader_doc_init(&doc);
	read_ok("rels.docx", zip.buf, zip.len, &doc);
	cr_expect_str_eq(doc.paras[0].text, "пункт в ячейке");
	reader_doc_release(&doc);
	strbuf_release(&zip);
	for (size_t i = 0; i < 4; i++)
		strbuf_release(&pool[i]);
}

Test(readers, docx_lists_from_project_writer_round_trip)
{
	docx_writer_t *w = docx_writer_new();
	char *buf;
	size_t len;
	reader_doc_t doc;

	docx_writer_set_split_runs(w, 1);
	docx_writer_set_seed(w, 3);
	docx_writer_add_paragraph(w, "РЕШИЛИ:");
	docx_writer_start_list(w, 2);
	docx_writer_add_numbered(w, 1, "Информацию принять к сведению.", 0);
	docx_writer_add_numbered(w, 1, "Руководителям ОО обеспечить участие.", DOCX_PARA_GOBACK);
	docx_writer_add_bulleted(w, "в срок до 01.12.2021;", 0);
	docx_writer_add_numbered(w, 0, "Методистам:", DOCX_PARA_BOLD);
	docx_writer_add_numbered(w, 1, "Провести семинар.", 0);
	cr_assert_eq(docx_writer_write_buffer(w, &buf, &len), DOCX_OK);
	docx_writer_free(w);
	reader_doc_init(&doc);
	read_ok("writer-lists.docx", buf, len, &doc);
	cr_assert_eq(doc.n_paras, 6);
	cr_expect_str_eq(doc.paras[0].text, "РЕШИЛИ:");
	cr_expect_str_eq(doc.paras[1].text, "2.1. Информацию принять к сведению.");
	cr_expect_str_eq(doc.paras[2].text, "2.2. Руководителям ОО обеспечить участие.");
	cr_expect_str_eq(doc.paras[3].text, "• в срок до 01.12.2021;");
	cr_expect_str_eq(doc.paras[4].text, "3. Методистам:");
	cr_expect_str_eq(doc.paras[5].text, "3.1. Провести семинар.");
	reader_doc_release(&doc);
	free(buf);
}

/* ---- ODT --------------------------------------------------------------------- */

#define ODT_HEAD                                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                           \
	"<office:document-content"                                               \
	" xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""     \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""         \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""       \
	" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""      \
	" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"" \
	" office:version=\"1.3\"><office:automatic-styles/><office:body><office:text>" \
	"<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls>"
#define ODT_TAIL "</office:text></office:body></office:document-content>"

/* An ODT package whose content.xml is ODT_HEAD body ODT_TAIL. */
static void
make_odt(const char *body, strbuf_t *out)
{
	strbuf_t xml = STRBUF_INIT, pool[2];
	member_t m[3];
	strbuf_addf(&xml, "%s%s%s", ODT_HEAD, body, ODT_TAIL);
	m[0] = member_of("mimetype", "application/vnd.oasis.opendocument.text", 0, NULL);
	m[1] = member_of("content.xml", xml.buf, 1, &pool[0]);
	m[2] = member_of("styles.xml", "<office:document-styles "
			 "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>",
			 1, &pool[1]);
	build_zip(m, 3, out);
	strbuf_release(&pool[0]);
	strbuf_release(&pool[1]);
	strbuf_release(&xml);
}

static void
read_odt(const char *body, reader_doc_t *doc)
{
	strbuf_t zip;
	make_odt(body, &zip);
	reader_doc_init(doc);
	cr_expect_eq(reader_detect_format("t.bin", zip.buf, zip.len), READER_FORMAT_ODT);
	read_ok("t.bin", zip.buf, zip.len, doc);
	cr_expect_eq(doc->format, READER_FORMAT_ODT);
	cr_expect_str_eq(doc->encoding, "UTF-8");
	strbuf_release(&zip);
}

static void
expect_cell(const reader_doc_t *doc, size_t i, const char *text, unsigned row,
	    unsigned col)
{
	cr_assert_lt(i, doc->n_paras, "paragraph %zu of %zu", i, doc->n_paras);
	cr_expect_str_eq(doc->paras[i].text, text, "paragraph %zu", i);
	cr_expect_eq(doc->paras[i].kind, READER_CELL, "paragraph %zu: kind", i);
	cr_expect_eq(doc->paras[i].row, row, "paragraph %zu «%s»: row", i, text);
	cr_expect_eq(doc->paras[i].col, col, "paragraph %zu «%s»: col", i, text);
}

static void
expect_para(const reader_doc_t *doc, size_t i, const char *text)
{
	cr_assert_lt(i, doc->n_paras, "paragraph %zu of %zu", i, doc->n_paras);
	cr_expect_str_eq(doc->paras[i].text, text, "paragraph %zu", i);
	cr_expect_eq(doc->paras[i].kind, READER_PARA, "paragraph %zu: kind", i);
}

Test(readers, odt_paragraphs_spaces_tabs_lists_headings)
{
	static const char *const want[] = {
		"1. ПРОТОКОЛ заседания методического совета",
		"Дата:\t12 октября 2022 г.",
		"Отметили    рост показателей в школах района",
		"Присутствовали: 14 человек",
		"2. Обеспечить контроль за проведением ВПР.",
		"3. Срок: до 01.11.2022",
		"Без номера",
		"Первая строка вторая строка",
	};
	reader_doc_t doc;
	read_odt("<text:h text:outline-level=\"1\"><text:number>1.</text:number>"
		 "ПРОТОКОЛ <text:span text:style-name=\"T1\">заседания</text:span>"
		 " методического совета</text:h>"
		 "<text:p>Дата:<text:tab/>12 октября\n   2022 г.</text:p>"
		 "<text:p>  Отметили <text:s text:c=\"3\"/>рост показателей"
		 " <text:a xlink:href=\"x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
		 "в школах</text:a> района<text:soft-page-break/></text:p>"
		 "<text:p/><text:p><text:s/></text:p>"
		 "<text:p>Присутствовали: <text:bookmark text:name=\"b\"/>14 человек"
		 "<office:annotation><text:p>комментарий</text:p></office:annotation></text:p>"
		 "<text:list><text:list-item><text:number>2.</text:number>"
		 "<text:p>Обеспечить контроль за проведением ВПР.</text:p></text:list-item>"
		 "<text:list-item><text:number>3.</text:number><text:p>Срок: до 01.11.2022</text:p>"
		 "</text:list-item><text:list-item><text:p>Без номера</text:p></text:list-item>"
		 "</text:list>"
		 "<text:tracked-changes><text:changed-region><text:deletion>"
		 "<text:p>удалённый текст</text:p></text:deletion></text:changed-region>"
		 "</text:tracked-changes>"
		 "<text:p>Первая строка<text:line-break/>вторая строка</text:p>",
		 &doc);
	EXPECT_PARAS(&doc, want);
	for (size_t i = 0; i < doc.n_paras; i++)
		cr_expect_eq(doc.paras[i].kind, READER_PARA);
	reader_doc_release(&doc);
}

Test(readers, odt_table_cells_with_row_and_column)
{
	reader_doc_t doc;
	read_odt("<text:p>До таблицы</text:p>"
		 "<table:table table:name=\"T\"><table:table-column table:number-columns-repeated=\"3\"/>"
		 "<table:table-header-rows><table:table-row>"
		 "<table:table-cell><text:p>№</text:p></table:table-cell>"
		 "<table:table-cell><text:p>Мероприятие</text:p></table:table-cell>"
		 "<table:table-cell><text:p>Срок</text:p></table:table-cell>"
		 "</table:table-row></table:table-header-rows>"
		 "<table:table-row>"
		 "<table:table-cell><text:p>1</text:p></table:table-cell>"
		 "<table:table-cell table:number-columns-spanned=\"2\"><text:p>Анализ"
		 " результатов</text:p><text:p>второй абзац</text:p></table:table-cell>"
		 "<table:covered-table-cell/>"
		 "</table:table-row>"
		 "<table:table-row table:number-rows-repeated=\"2\">"
		 "<table:table-cell table:number-columns-repeated=\"2\"/>"
		 "<table:table-cell><text:p>до 15.12.2022</text:p></table:table-cell>"
		 "</table:table-row>"
		 "<table:table-row><table:table-cell><text:p>4</text:p>"
		 "<table:table><table:table-row><table:table-cell/><table:table-cell>"
		 "<text:p>вложенная</text:p></table:table-cell></table:table-row></table:table>"
		 "<text:p>после вложенной</text:p></table:table-cell></table:table-row>"
		 "</table:table><text:p>После таблицы</text:p>",
		 &doc);
	if (doc.n_paras != 12)
		dump_paras(&doc);
	cr_assert_eq(doc.n_paras, 12);
	expect_para(&doc, 0, "До таблицы");
	expect_cell(&doc, 1, "№", 0, 0);
	expect_cell(&doc, 2, "Мероприятие", 0, 1);
	expect_cell(&doc, 3, "Срок", 0, 2);
	expect_cell(&doc, 4, "1", 1, 0);
	expect_cell(&doc, 5, "Анализ результатов", 1, 1);
	expect_cell(&doc, 6, "второй абзац", 1, 1);
	expect_cell(&doc, 7, "до 15.12.2022", 2, 2);
	expect_cell(&doc, 8, "4", 4, 0);
	expect_cell(&doc, 9, "вложенная", 0, 1);
	expect_cell(&doc, 10, "после вложенной", 4, 0);
	expect_para(&doc, 11, "После таблицы");
	reader_doc_release(&doc);
}

Test(readers, odt_footnotes_and_text_boxes)
{
	static const char *const want[] = {
		"Сноска о методике.",
		"Надпись в рамке",
		"Решение принято единогласно.",
		"Конец",
	};
	reader_doc_t doc;
	read_odt("<text:p>Решение принято<text:note text:id=\"ftn1\" text:note-class=\"footnote\">"
		 "<text:note-citation>1</text:note-citation><text:note-body>"
		 "<text:p>Сноска о методике.</text:p></text:note-body></text:note>"
		 " единогласно.<draw:frame draw:name=\"Рамка\"><svg:title>заголовок</svg:title>"
		 "<draw:text-box><text:p>Надпись в рамке</text:p></draw:text-box>"
		 "</draw:frame></text:p><text:p>Конец</text:p>",
		 &doc);
	EXPECT_PARAS(&doc, want);
	reader_doc_release(&doc);
}

Test(readers, odt_damaged)
{
	strbuf_t zip;
	reader_doc_t doc;
	reader_doc_init(&doc);

	make_odt("<text:p>Незакрытый абзац</text:h>", &zip);
	cr_expect_eq(reader_read_buffer("a.odt", zip.buf, zip.len, &doc), READER_MALFORMED);
	cr_expect(strncmp(doc.error, "malformed XML in content.xml: line ", 35) == 0,
		  "%s", doc.error);
	cr_expect_eq(doc.format, READER_FORMAT_ODT);
	cr_expect_eq(doc.n_paras, 0);
	strbuf_release(&zip);

	/* Truncated: the central directory is gone. */
	make_odt("<text:p>Текст</text:p>", &zip);
	cr_expect_eq(reader_detect_format("a.odt", zip.buf, zip.len / 2), READER_FORMAT_ODT);
	cr_expect_eq(reader_read_buffer("a.odt", zip.buf, zip.len / 2, &doc),
		     READER_MALFORMED);
	cr_expect_eq(doc.format, READER_FORMAT_ODT);
	cr_expect_neq(doc.error[0], '\0');
	strbuf_release(&zip);

	/* No text at all. */
	make_odt("<text:p/><text:p> <text:tab/> </text:p>", &zip);
	cr_expect_eq(reader_read_buffer("a.odt", zip.buf, zip.len, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text");
	strbuf_release(&zip);

	/* Entities stay unexpanded; no file is read. */
	{
		static const char xxe[] =
			"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM "
			"\"file:///etc/passwd\"><!ENTITY y \"Раз\">]>"
			"<office:document-content xmlns:office=\"urn:oasis:names:tc:"
			"opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:"
			"opendocument:xmlns:text:1.0\"><office:body><office:text>"
			"<text:p>А&x;Б&y;В</text:p></office:text></office:body>"
			"</office:document-content>";
		strbuf_t pool;
		member_t m[2];
		m[0] = member_of("mimetype", "application/vnd.oasis.opendocument.text", 0, NULL);
		m[1] = member_of("content.xml", xxe, 1, &pool);
		build_zip(m, 2, &zip);
		read_ok("x.odt", zip.buf, zip.len, &doc);
		cr_assert_eq(doc.n_paras, 1);
		cr_expect_str_eq(doc.paras[0].text, "АБВ");
		strbuf_release(&pool);
		strbuf_release(&zip);
	}
	reader_doc_release(&doc);
}

/* ---- RTF ----------------------------------------------------------------------- */

static void
read_rtf(const char *rtf, reader_doc_t *doc)
{
	reader_doc_init(doc);
	cr_expect_eq(reader_detect_format("t.txt", rtf, strlen(rtf)), READER_FORMAT_RTF);
	read_ok("t.txt", rtf, strlen(rtf), doc);
	cr_expect_eq(doc->format, READER_FORMAT_RTF);
}

Test(readers, rtf_windows_1251_hex_escapes)
{
	static const char *const want[] = {
		"Протокол совещания",
		"Слушали:\tдоклад «О подготовке» — 5 мин",
		"Решили: принять к сведению { } \\",
	};
	reader_doc_t doc;
	/* "Протокол совещания" etc. in windows-1251, as Word writes them. */
	read_rtf("{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0\\froman\\fcharset204 "
		 "Times New Roman;}}{\\colortbl;\\red0\\green0\\blue0;}"
		 "{\\stylesheet{\\s0 Normal;}}{\\info{\\title \\'cd\\'e5\\'f2}{\\author X}}"
		 "\\pard\\plain\\f0\\fs24 \\'cf\\'f0\\'ee\\'f2\\'ee\\'ea\\'ee\\'eb "
		 "\\'f1\\'ee\\'e2\\'e5\\'f9\\'e0\\'ed\\'e8\\'ff\\par\n"
		 "\\'d1\\'eb\\'f3\\'f8\\'e0\\'eb\\'e8:\\tab \\'e4\\'ee\\'ea\\'eb\\'e0\\'e4 "
		 "\\'ab\\'ce \\'EF\\'EE\\'E4\\'E3\\'EE\\'F2\\'EE\\'E2\\'EA\\'E5\\'bb "
		 "\\emdash  5 \\'ec\\'e8\\'ed\\par\r\n"
		 "{\\b \\'d0\\'e5\\'f8\\'e8\\'eb\\'e8:} \\'ef\\'f0\\'e8\\'ed\\'ff\\'f2\\'fc "
		 "\\'ea \\'f1\\'e2\\'e5\\'e4\\'e5\\'ed\\'e8\\'fe \\{ \\} \\\\\\par}",
		 &doc);
	EXPECT_PARAS(&doc, want);
	cr_expect_str_eq(doc.encoding, "windows-1251");
	reader_doc_release(&doc);
}

Test(readers, rtf_unicode_escapes_and_skip_counts)
{
	static const char *const want[] = {
		"Повестка дня",
		"Ёлкина Е.Е., учитель",
		"Знак 😀 и ещё",
		"Без запасного",
	};
	reader_doc_t doc;
	read_rtf("{\\rtf1\\ansi\\ansicpg1252\\uc1 "
		 /* one "?" fallback each */
		 "\\u1055?\\u1086?\\u1074?\\u1077?\\u1089?\\u1090?\\u1082?\\u1072? "
		 "\\u1076?\\u1085?\\u1103?\\par "
		 /* two fallback bytes each, as \'xx */
		 "{\\uc2\\u1025\\'a8\\'a8\\u1083\\'eb\\'eb\\u1082\\'ea\\'ea\\u1080\\'e8\\'e8"
		 "\\u1085\\'ed\\'ed\\u1072\\'e0\\'e0} \\u1045?.\\u1045?., "
		 "\\u1091?\\u1095?\\u1080?\\u1090?\\u1077?\\u1083?\\u1100?\\par "
		 /* a surrogate pair with negative halves */
		 "\\u1047?\\u1085?\\u1072?\\u1082? \\u-10179?\\u-8704? \\u1080? "
		 "\\u1077?\\u1097?\\u1105?\\par "
		 "{\\uc0 \\u1041\\u1077\\u1079} \\u1079?\\u1072?\\u1087?\\u1072?\\u1089?"
		 "\\u1085?\\u1086?\\u1075?\\u1086?\\par}",
		 &doc);
	EXPECT_PARAS(&doc, want);
	cr_expect_str_eq(doc.encoding, "windows-1252");
	reader_doc_release(&doc);
}

Test(readers, rtf_font_charset_and_default_code_page)
{
	static const char *const want[] = { "Latin é and Русский", "Ещё" };
	reader_doc_t doc;
	/* No \ansicpg: windows-1252, but font 1 is Cyrillic (charset 204). */
	read_rtf("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 Arial;}"
		 "{\\f1\\fnil\\fcharset204{\\*\\panose 0}Arial Cyr;}}"
		 "\\f0 Latin \\'e9 and {\\f1 \\'d0\\'f3\\'f1\\'f1\\'ea\\'e8\\'e9}\\par"
		 "\\plain\\f1 \\'c5\\'f9\\'b8}",
		 &doc);
	EXPECT_PARAS(&doc, want);
	cr_expect_str_eq(doc.encoding, "windows-1252");
	reader_doc_release(&doc);
}

Test(readers, rtf_tables)
{
	reader_doc_t doc;
	read_rtf("{\\rtf1\\ansi\\ansicpg1251 \\pard \\'c4\\'ee\\par"
		 "\\trowd\\cellx1000\\cellx2000\\cellx3000"
		 "\\pard\\intbl \\'b9\\cell \\pard\\intbl \\'d7\\'f2\\'ee\\cell"
		 "\\pard\\intbl \\'ca\\'ee\\'e3\\'e4\\'e0\\cell\\row"
		 "\\trowd\\cellx1000\\cellx2000\\cellx3000"
		 "\\pard\\intbl 1\\cell \\pard\\intbl \\'c0\\'ed\\'e0\\'eb\\'e8\\'e7\\par"
		 "\\'e8\\'f2\\'ee\\'e3\\'ee\\'e2\\cell \\pard\\intbl\\cell"
		 "{\\trowd\\cellx1000\\row}"
		 "\\trowd\\pard\\intbl 2\\cell\\pard\\intbl\\itap2 \\'c2\\'ed\\nestcell"
		 "{\\*\\nesttableprops\\trowd\\nestrow}\\pard\\intbl \\'ca\\cell\\row"
		 "\\pard \\'cf\\'ee\\'f1\\'eb\\'e5\\par}",
		 &doc);
	cr_assert_eq(doc.n_paras, 11, "%zu", doc.n_paras);
	expect_para(&doc, 0, "До");
	expect_cell(&doc, 1, "№", 0, 0);
	expect_cell(&doc, 2, "Что", 0, 1);
	expect_cell(&doc, 3, "Когда", 0, 2);
	expect_cell(&doc, 4, "1", 1, 0);
	expect_cell(&doc, 5, "Анализ", 1, 1);
	expect_cell(&doc, 6, "итогов", 1, 1);
	expect_cell(&doc, 7, "2", 2, 0);
	expect_cell(&doc, 8, "Вн", 0, 0);
	expect_cell(&doc, 9, "К", 2, 1);
	expect_para(&doc, 10, "После");
	reader_doc_release(&doc);
}

Test(readers, rtf_destinations_skipped_fields_footnotes_kept)
{
	static const char *const want[] = {
		"Сноска.",
		"1.\tПункт со ссылкой и сноской.",
		"В рамке",
		"Конец",
	};
	reader_doc_t doc;
	read_rtf("{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Times;}}"
		 "{\\*\\generator Writer}{\\header \\pard \\'c2\\'e5\\'f0\\'f5\\par}"
		 "{\\footer \\pard \\'cd\\'e8\\'e7\\par}"
		 "{\\*\\listtable{\\list{\\listlevel{\\leveltext \\'02\\'00.;}}}}"
		 "{\\listtext 1.\\tab}\\'cf\\'f3\\'ed\\'ea\\'f2 "
		 "{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt \\'f1\\'ee "
		 "\\'f1\\'f1\\'fb\\'eb\\'ea\\'ee\\'e9}} \\'e8"
		 "{\\pict\\pngblip\\bin4 }}}}} \\'f1\\'ed\\'ee\\'f1\\'ea\\'ee\\'e9"
		 "{\\super\\chftn{\\footnote\\pard\\plain{\\chftn}\\'d1\\'ed\\'ee\\'f1\\'ea"
		 "\\'e0.}}.\\par"
		 "{\\shp{\\*\\shpinst{\\sp{\\sn fillColor}{\\sv 255}}{\\shptxt \\'c2 "
		 "\\'f0\\'e0\\'ec\\'ea\\'e5\\par}}{\\shprslt \\'c2 \\'f0\\'e0\\'ec\\'ea\\'e5}}"
		 "{\\object{\\*\\objdata 0102}{\\result \\'ca\\'ee\\'ed\\'e5\\'f6}}\\par}",
		 &doc);
	EXPECT_PARAS(&doc, want);
	reader_doc_release(&doc);
}

Test(readers, rtf_damaged)
{
	reader_doc_t doc;
	strbuf_t bomb = STRBUF_INIT;
	static const char truncated[] = "{\\rtf1\\ansi {\\b \\'cf\\'f0\\'ee";
	static const char empty[] = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\par\\par}";
	static const char cut_escape[] = "{\\rtf1 \\'c";
	reader_doc_init(&doc);

	cr_expect_eq(reader_read_buffer("a.rtf", truncated, strlen(truncated), &doc),
		     READER_MALFORMED);
	cr_expect_str_eq(doc.error, "truncated RTF (2 groups not closed)");
	cr_expect_eq(doc.format, READER_FORMAT_RTF);
	cr_expect_eq(reader_read_buffer("a.rtf", cut_escape, strlen(cut_escape), &doc),
		     READER_MALFORMED);
	cr_expect_str_eq(doc.error, "truncated RTF (1 group not closed)");
	cr_expect_eq(reader_read_buffer("a.rtf", "{\\rtf", 5, &doc), READER_MALFORMED);

	cr_expect_eq(reader_read_buffer("a.rtf", empty, strlen(empty), &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text");

	strbuf_adds(&bomb, "{\\rtf1 ");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&bomb, '{');
	cr_expect_eq(reader_read_buffer("a.rtf", bomb.buf, bomb.len, &doc), READER_MALFORMED);
	cr_expect_str_eq(doc.error, "RTF nested too deeply (over 1024 groups)");
	cr_expect_eq(doc.n_paras, 0);

	/* Binary data that claims more bytes than there are. */
	strbuf_reset(&bomb);
	strbuf_adds(&bomb, "{\\rtf1 {\\pict\\bin99999999 ");
	strbuf_add(&bomb, "\0\1\2}", 4);
	cr_expect_eq(reader_read_buffer("a.rtf", bomb.buf, bomb.len, &doc), READER_MALFORMED);
	strbuf_release(&bomb);
	reader_doc_release(&doc);
}

/* ---- HTML ---------------------------------------------------------------------- */

/* UTF-8 `utf8` re-encoded with iconv. */
static strbuf_t
encode(const char *utf8, const char *to)
{
	strbuf_t out = STRBUF_INIT;
	iconv_t cd = iconv_open(to, "UTF-8");
	char *in = (char *)utf8, *o;
	size_t in_left = strlen(utf8), out_left;
	cr_assert_neq(cd, (iconv_t)-1);
	strbuf_grow(&out, in_left * 2 + 1);
	o = out.buf;
	out_left = in_left * 2;
	cr_assert_neq(iconv(cd, &in, &in_left, &o, &out_left), (size_t)-1);
	out.len = (size_t)(o - out.buf);
	out.buf[out.len] = '\0';
	iconv_close(cd);
	return out;
}

static void
read_html(const char *name, const char *html, size_t len, reader_doc_t *doc)
{
	reader_doc_init(doc);
	cr_expect_eq(reader_detect_format(name, html, len), READER_FORMAT_HTML);
	read_ok(name, html, len, doc);
	cr_expect_eq(doc->format, READER_FORMAT_HTML);
}

#define HTML_BODY                                                                \
	"<h1>Протокол   &#8470;\n 3</h1><p>Место проведения: <b>актовый</b>"            \
	" зал<br>Время: 14:00</p><script>document.write('нет')</script>"         \
	"<style>p { color: red }</style><div>Повестка&nbsp;дня &laquo;ВПР&raquo;"  \
	" &#1025;&#x451; &amp; &lt;тег&gt;</div><ul><li>Первый</li><li>Второй"     \
	"<li>Третий</ul><!-- комментарий --><pre>строка один\n  строка два\n</pre>" \
	"<p>Конец<noscript>без скриптов</noscript></p>"

static const char *const html_want[] = {
	"Протокол № 3", "Место проведения: актовый зал", "Время: 14:00",
	"Повестка\xc2\xa0дня «ВПР» Ёё & <тег>", "Первый", "Второй", "Третий",
	"строка один", "  строка два", "Конец",
};

Test(readers, html_utf8_structure_and_entities)
{
	reader_doc_t doc;
	const char *html = "\xef\xbb\xbf<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			   "<title>Заголовок окна</title></head><body>" HTML_BODY
			   "</body></html>";
	read_html("a.bin", html, strlen(html), &doc);
	EXPECT_PARAS(&doc, html_want);
	cr_expect_str_eq(doc.encoding, "UTF-8 (BOM)");
	reader_doc_release(&doc);
}

Test(readers, html_windows_1251_with_and_without_meta)
{
	reader_doc_t doc;
	strbuf_t b;

	b = encode("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
		   "charset=windows-1251\"></head><body>" HTML_BODY "</body></html>",
		   "CP1251");
	read_html("a.htm", b.buf, b.len, &doc);
	EXPECT_PARAS(&doc, html_want);
	cr_expect_str_eq(doc.encoding, "windows-1251");
	strbuf_release(&b);

	/* No meta at all: the detector decides. */
	b = encode("<html><body>" HTML_BODY "</body></html>", "CP1251");
	reader_doc_release(&doc);
	read_html("a.htm", b.buf, b.len, &doc);
	EXPECT_PARAS(&doc, html_want);
	cr_expect_str_eq(doc.encoding, "windows-1251");
	strbuf_release(&b);

	b = encode("<HTML><BODY>" HTML_BODY "</BODY></HTML>", "KOI8-R");
	reader_doc_release(&doc);
	read_html("a.htm", b.buf, b.len, &doc);
	EXPECT_PARAS(&doc, html_want);
	cr_expect_str_eq(doc.encoding, "KOI8-R");
	strbuf_release(&b);

	/* A wrong Latin label is not believed ... */
	b = encode("<html><head><meta charset=iso-8859-1></head><body>" HTML_BODY
		   "</body></html>", "CP1251");
	reader_doc_release(&doc);
	read_html("a.htm", b.buf, b.len, &doc);
	EXPECT_PARAS(&doc, html_want);
	cr_expect_str_eq(doc.encoding, "windows-1251");
	strbuf_release(&b);

	/* ... nor a Cyrillic one on text that is UTF-8. */
	{
		const char *html = "<html><head><meta charset='koi8-r'></head><body>"
				   HTML_BODY "</body></html>";
		reader_doc_release(&doc);
		read_html("a.html", html, strlen(html), &doc);
		EXPECT_PARAS(&doc, html_want);
		cr_expect_str_eq(doc.encoding, "UTF-8");
	}
	reader_doc_release(&doc);
}

Test(readers, html_tables)
{
	reader_doc_t doc;
	const char *html = "<html><body><p>До</p><table border=1>"
			   "<tr><th>№</th><th colspan=\"2\">Решение</th><th>Срок</th></tr>"
			   "<tr><td>1</td><td><p>Провести</p><p>анализ</p></td><td></td>"
			   "<td>до&nbsp;01.12.2022</td></tr>"
			   "<tr><td>2<table><tr><td>вн</td></tr></table>после</td></tr>"
			   "</table>После</body></html>";
	read_html("a.html", html, strlen(html), &doc);
	cr_assert_eq(doc.n_paras, 12, "%zu", doc.n_paras);
	expect_para(&doc, 0, "До");
	expect_cell(&doc, 1, "№", 0, 0);
	expect_cell(&doc, 2, "Решение", 0, 1);
	expect_cell(&doc, 3, "Срок", 0, 3);
	expect_cell(&doc, 4, "1", 1, 0);
	expect_cell(&doc, 5, "Провести", 1, 1);
	expect_cell(&doc, 6, "анализ", 1, 1);
	expect_cell(&doc, 7, "до\xc2\xa0" "01.12.2022", 1, 3);
	expect_cell(&doc, 8, "2", 2, 0);
	expect_cell(&doc, 9, "вн", 0, 0);
	expect_cell(&doc, 10, "после", 2, 0);
	expect_para(&doc, 11, "После");
	reader_doc_release(&doc);
}

Test(readers, html_detection)
{
	static const char *const yes[] = {
		"<!doctype HTML><p>Текст", "  \r\n<HTML lang=ru><p>Текст",
		"<!-- сохранено из Word --><html><p>Текст", "<head><title>x</title>",
		"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
		"<body><p>Текст</p></body></html>", "<body>Текст</body>",
	};
	static const char *const no[] = {
		"Протокол <html> в тексте", "<header>Протокол</header>",
		"<headline>", "Решили: 1 < 2",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		cr_expect_eq(reader_detect_format("a.txt", yes[i], strlen(yes[i])),
			     READER_FORMAT_HTML, "%s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		cr_expect_eq(reader_detect_format("a.txt", no[i], strlen(no[i])),
			     READER_FORMAT_TXT, "%s", no[i]);
	/* A tag is enough in a file named .htm(l). */
	cr_expect_eq(reader_detect_format("a.htm", no[1], strlen(no[1])), READER_FORMAT_HTML);
	cr_expect_eq(reader_detect_format("a.HTML", "<p>Текст", 13), READER_FORMAT_HTML);
	cr_expect_eq(reader_detect_format("a.html", no[3], strlen(no[3])), READER_FORMAT_TXT);
}

Test(readers, html_without_text_or_damaged)
{
	reader_doc_t doc;
	static const char empty[] = "<html><head><title>Только заголовок</title>"
				    "<script>var x = 'текст';</script></head><body>"
				    "<p>&nbsp;</p><br><table><tr><td> </td></tr></table>";
	static const char cut[] = "<html><body><p>Оборванный <b>абз";
	static const char junk[] = "<html><body>\x01\x02<<<>>><p \"='<td><td>Слово</";
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("a.html", empty, strlen(empty), &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text");
	cr_expect_eq(doc.format, READER_FORMAT_HTML);
	/* Browsers show what there is; so does the reader. */
	read_ok("a.html", cut, strlen(cut), &doc);
	cr_assert_eq(doc.n_paras, 1);
	cr_expect_str_eq(doc.paras[0].text, "Оборванный абз");
	cr_expect_eq(reader_read_buffer("a.html", junk, strlen(junk), &doc), READER_OK);
	{
		char bin[300] = "<html><body>";
		memset(bin + 12, 0, sizeof bin - 12);
		cr_expect_eq(reader_read_buffer("a.html", bin, sizeof bin, &doc),
			     READER_UNSUPPORTED);
		cr_expect_str_eq(doc.error, "binary data, not text");
	}
	reader_doc_release(&doc);
}

/* ---- PDF and .doc, through external programs ------------------------------- */

/* A one-page PDF showing `lines` in Helvetica, with a correct xref table. */
static void
make_pdf(const char *const *lines, size_t n, strbuf_t *out)
{
	strbuf_t content = STRBUF_INIT;
	size_t offs[6], xref;
	strbuf_init(out, 0);
	strbuf_adds(&content, "BT /F1 12 Tf 72 720 Td 14 TL");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&content, " (%s) '", lines[i]);
	strbuf_adds(&content, " ET\n");
	strbuf_adds(out, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	offs[1] = out->len;
	strbuf_adds(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offs[2] = out->len;
	strbuf_adds(out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	offs[3] = out->len;
	strbuf_adds(out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
		    " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n");
	offs[4] = out->len;
	strbuf_adds(out, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
		    " /Encoding /WinAnsiEncoding >>\nendobj\n");
	offs[5] = out->len;
	strbuf_addf(out, "5 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
		    content.len, content.buf);
	xref = out->len;
	strbuf_adds(out, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		strbuf_addf(out, "%010zu 00000 n \n", offs[i]);
	strbuf_addf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
		    xref);
	strbuf_release(&content);
}

static int
have_tool(const char *name)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

Test(readers, pdf_text_layer_read_by_pdftotext)
{
	static const char *const lines[] = {
		"Protocol No 5 of the meeting", "Decided: approve the plan",
		"Deadline: 01.12.2022",
	};
	strbuf_t pdf;
	reader_doc_t doc;
	if (!have_tool("pdftotext"))
		cr_skip_test("pdftotext is not installed");
	make_pdf(lines, 3, &pdf);
	reader_doc_init(&doc);
	cr_expect_eq(reader_detect_format("a.txt", pdf.buf, pdf.len), READER_FORMAT_PDF);
	read_ok("a.txt", pdf.buf, pdf.len, &doc);
	cr_expect_eq(doc.format, READER_FORMAT_PDF);
	cr_expect_str_eq(doc.encoding, "UTF-8");
	EXPECT_PARAS(&doc, lines);
	strbuf_release(&pdf);

	/* A page with no text: a scan. */
	make_pdf(NULL, 0, &pdf);
	cr_expect_eq(reader_read_buffer("a.pdf", pdf.buf, pdf.len, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text (a scanned PDF without a text layer?)");
	cr_expect_eq(doc.format, READER_FORMAT_PDF);
	strbuf_release(&pdf);

	/* Garbage after the header. */
	cr_expect_eq(reader_read_buffer("a.pdf", "%PDF-1.7\n\x01\x02garbage", 19, &doc),
		     READER_MALFORMED);
	cr_expect(strncmp(doc.error, "pdftotext failed: ", 18) == 0, "%s", doc.error);
	cr_expect_eq(doc.n_paras, 0);
	reader_doc_release(&doc);
}

Test(readers, doc_and_pdf_without_their_programs)
{
	reader_doc_t doc;
	static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
				  "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
	reader_doc_init(&doc);
	reader_set_tool_path("");
	cr_expect_eq(reader_detect_format("a.bin", ole, sizeof ole - 1), READER_FORMAT_DOC);
	cr_expect_eq(reader_read_buffer("a.bin", ole, sizeof ole - 1, &doc),
		     READER_UNSUPPORTED);
	cr_expect_str_eq(doc.error, "install antiword or catdoc to read .doc files "
				    "(apt-get install antiword)");
	cr_expect_eq(doc.format, READER_FORMAT_DOC);
	cr_expect_eq(reader_read_buffer("a.bin", "%PDF-1.4\n", 9, &doc), READER_UNSUPPORTED);
	cr_expect_str_eq(doc.error, "install poppler-utils to read .pdf files "
				    "(apt-get install poppler-utils)");
	cr_expect_eq(doc.format, READER_FORMAT_PDF);
	reader_set_tool_path("/nonexistent:/also-not-there");
	cr_expect_eq(reader_read_buffer("a.bin", "%PDF-1.4\n", 9, &doc), READER_UNSUPPORTED);
	reader_set_tool_path(NULL);
	reader_doc_release(&doc);
}

Test(readers, doc_garbage_ole_is_damaged)
{
	reader_doc_t doc;
	char ole[2048];
	if (!have_tool("antiword") && !have_tool("catdoc"))
		cr_skip_test("neither antiword nor catdoc is installed");
	memset(ole, 0x5a, sizeof ole);
	memcpy(ole, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	memcpy(ole + 600, "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
	reader_doc_init(&doc);
	cr_expect_eq(reader_read_buffer("a.doc", ole, sizeof ole, &doc), READER_MALFORMED);
	cr_expect(strstr(doc.error, " failed: ") != NULL, "%s", doc.error);
	cr_expect_eq(doc.format, READER_FORMAT_DOC);
	/* An OLE file without a Word stream, not named .doc: Excel, say. */
	memset(ole + 600, 0x5a, 24);
	cr_expect_eq(reader_read_buffer("a.xls", ole, sizeof ole, &doc), READER_UNSUPPORTED);
	cr_expect_eq(doc.format, READER_FORMAT_UNKNOWN);
	reader_doc_release(&doc);
}

/* Fake programs in a private directory, to test the pipeline exactly. */
static char *
fake_tools(const char *antiword_script, const char *pdftotext_script)
{
	char *dir = xstrdup("/tmp/test_readers_tools_XXXXXX");
	const char *names[] = { "antiword", "pdftotext" };
	const char *scripts[] = { antiword_script, pdftotext_script };
	cr_assert_not_null(mkdtemp(dir));
	for (int i = 0; i < 2; i++) {
		char path[256];
		FILE *f;
		if (!scripts[i])
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, "#!/bin/sh\n%s\n", scripts[i]);
		fclose(f);
		chmod(path, 0755);
	}
	reader_set_tool_path(dir);
	return dir;
}

static void
remove_tools(char *dir)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
	free(dir);
	reader_set_tool_path(NULL);
}

Test(readers, external_output_split_into_paragraphs)
{
	reader_doc_t doc;
	char *dir = fake_tools(
		/* antiword: paragraphs, a table, the file it was given */
		"test -r \"$5\" && test \"$1$2$3$4\" = '-mUTF-8.txt-w0' || exit 3\n"
		"printf 'ПРОТОКОЛ № 2\\n\\nСлушали: Иванову И.И.\\n\\n'\n"
		"printf '|№  |Решение         |Срок      |\\n'\n"
		"printf '|1  |Провести анализ |до 1 мая  |\\n\\n\\n'\n"
		"printf '|2  |               |          |\\n\\n'\n"
		"printf 'Председатель\\tА.А. Петров\\n'",
		/* pdftotext -layout: positions, pages */
		"test \"$1$2$3\" = '-encUTF-8-layout' && test \"$5\" = - || exit 3\n"
		"printf '               ПРОТОКОЛ\\n\\n1. Провести    анализ      до 01.12.2022\\n'\n"
		"printf '\\fСтраница 2\\r\\n  \\n\\f'");
	static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
				  "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
	reader_doc_init(&doc);
	read_ok("a.doc", ole, sizeof ole - 1, &doc);
	cr_expect_eq(doc.format, READER_FORMAT_DOC);
	cr_assert_eq(doc.n_paras, 10, "%zu", doc.n_paras);
	expect_para(&doc, 0, "ПРОТОКОЛ № 2");
	expect_para(&doc, 1, "Слушали: Иванову И.И.");
	expect_cell(&doc, 2, "№", 0, 0);
	expect_cell(&doc, 3, "Решение", 0, 1);
	expect_cell(&doc, 4, "Срок", 0, 2);
	expect_cell(&doc, 5, "1", 1, 0);
	expect_cell(&doc, 6, "Провести анализ", 1, 1);
	expect_cell(&doc, 7, "до 1 мая", 1, 2);
	expect_cell(&doc, 8, "2", 2, 0);
	expect_para(&doc, 9, "Председатель\tА.А. Петров");

	read_ok("a.pdf", "%PDF-1.4\n", 9, &doc);
	cr_assert_eq(doc.n_paras, 3, "%zu", doc.n_paras);
	expect_para(&doc, 0, "ПРОТОКОЛ");
	expect_para(&doc, 1, "1. Провести\tанализ\tдо 01.12.2022");
	expect_para(&doc, 2, "Страница 2");
	remove_tools(dir);

	/* A failing program: its last complaint is the message. */
	dir = fake_tools("echo 'I/O error' >&2; echo 'is not a Word Document.' >&2; exit 1",
			 "echo 'Syntax Error: broken xref' >&2; exit 1");
	cr_expect_eq(reader_read_buffer("a.doc", ole, sizeof ole - 1, &doc),
		     READER_MALFORMED);
	cr_expect_str_eq(doc.error, "antiword failed: is not a Word Document.");
	cr_expect_eq(reader_read_buffer("a.pdf", "%PDF-1.4\n", 9, &doc), READER_MALFORMED);
	cr_expect_str_eq(doc.error, "pdftotext failed: Syntax Error: broken xref");
	remove_tools(dir);

	/* Killed by a signal; no text. */
	dir = fake_tools("kill -9 $$", "printf '\\f\\f  \\n\\f'");
	cr_expect_eq(reader_read_buffer("a.doc", ole, sizeof ole - 1, &doc),
		     READER_MALFORMED);
	cr_expect_str_eq(doc.error, "antiword failed: killed by a signal");
	cr_expect_eq(reader_read_buffer("a.pdf", "%PDF-1.4\n", 9, &doc), READER_EMPTY);
	cr_expect_str_eq(doc.error, "no text (a scanned PDF without a text layer?)");
	remove_tools(dir);
	reader_doc_release(&doc);
}

/* Real files made by LibreOffice, kept with the fuzz inputs. */
Test(readers, real_doc_odt_rtf_from_libreoffice)
{
	static const char *const files[] = { "writer.doc", "writer.odt", "writer.rtf",
					     "writer.html" };
	const char *src = getenv("TESTS_SRCDIR");
	reader_doc_t doc;
	if (!src)
		cr_skip_test("TESTS_SRCDIR not set");
	reader_doc_init(&doc);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1024];
		if (i == 0 && !have_tool("antiword") && !have_tool("catdoc"))
			continue;
		snprintf(path, sizeof path, "%s/fuzz/regress/fuzz_reader/%s", src, files[i]);
		cr_assert_eq(reader_read_file(path, &doc), READER_OK, "%s: %s", path, doc.error);
		cr_assert_eq(doc.n_paras, 7, "%s: %zu", files[i], doc.n_paras);
		expect_para(&doc, 0, "ПРОТОКОЛ № 7 совещания заведующих");
		expect_para(&doc, 1, "Председатель: Смирнова Анна Петровна");
		expect_cell(&doc, 2, "Вопрос", 0, 0);
		expect_cell(&doc, 3, "Срок", 0, 1);
		expect_cell(&doc, 4, "Подготовка к ВПР", 1, 0);
		expect_cell(&doc, 5, "до 15.03.2023", 1, 1);
		expect_para(&doc, 6, "РЕШИЛИ: провести мониторинг объективности.");
	}
	reader_doc_release(&doc);
}
