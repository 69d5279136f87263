/*
 * indexer/archive: walking zip, tar.gz and 7z uploads in memory, nested
 * archives, member names in CP866, windows-1251 and UTF-8, and the limits.
 *
 * Zips are built byte by byte below, so names can be raw bytes with or
 * without the UTF-8 flag and sizes can lie; tar.gz and 7z come from
 * libarchive's writer.  The walks themselves run in the "C" locale, as a
 * program that never calls setlocale does.
 */
#include <criterion/criterion.h>
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/archive.h"

TestSuite(archive);

/* ---- building zips ------------------------------------------------------- */

typedef struct zmember {
	const char *name;      /* raw bytes */
	int utf8_flag;
	const void *data;      /* NULL with zeros > 0: that many zero bytes */
	size_t len;
	size_t zeros;
	int deflate;
	long declared;         /* > 0: claim this uncompressed size */
} zmember_t;

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

/* Raw deflate of the member's bytes (or zeros); its CRC and size. */
static void
member_bytes(const zmember_t *m, strbuf_t *out, uint32_t *crc, size_t *usize)
{
	static unsigned char zero[1 << 16];
	size_t left = m->data ? m->len : m->zeros;
	*usize = left;
	*crc = (uint32_t)crc32(0, NULL, 0);
	if (!m->deflate) {
		cr_assert(m->data);
		strbuf_add(out, m->data, m->len);
		*crc = (uint32_t)crc32(*crc, m->data, (uInt)m->len);
		return;
	}
	z_stream zs;
	unsigned char buf[1 << 16];
	const unsigned char *src = m->data ? m->data : zero;
	memset(&zs, 0, sizeof zs);
	cr_assert_eq(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	do {
		size_t n = m->data ? left : (left < sizeof zero ? left : sizeof zero);
		int flush = n == left ? Z_FINISH : Z_NO_FLUSH;
		*crc = (uint32_t)crc32(*crc, src, (uInt)n);
		zs.next_in = (unsigned char *)src;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = buf;
			zs.avail_out = sizeof buf;
			deflate(&zs, flush);
			strbuf_add(out, buf, sizeof buf - zs.avail_out);
		} while (zs.avail_out == 0);
		left -= n;
		if (m->data)
			src += n;
	} while (left > 0);
	deflateEnd(&zs);
}

static void
build_zip(const zmember_t *ms, size_t n, strbuf_t *zip)
{
	uint32_t *crc = calloc(n, sizeof *crc), *off = calloc(n, sizeof *off);
	size_t *csize = calloc(n, sizeof *csize), *usize = calloc(n, sizeof *usize), cd, cd_size;
	for (size_t i = 0; i < n; i++) {
		strbuf_t data = STRBUF_INIT;
		const zmember_t *m = &ms[i];
		member_bytes(m, &data, &crc[i], &usize[i]);
		if (m->declared > 0)
			usize[i] = (size_t)m->declared;
		csize[i] = data.len;
		off[i] = (uint32_t)zip->len;
		put32(zip, 0x04034b50);
		put16(zip, 20);
		put16(zip, m->utf8_flag ? 0x800 : 0);
		put16(zip, m->deflate ? 8 : 0);
		put32(zip, 0);
		put32(zip, crc[i]);
		put32(zip, (uint32_t)csize[i]);
		put32(zip, (uint32_t)usize[i]);
		put16(zip, (unsigned)strlen(m->name));
		put16(zip, 0);
		strbuf_adds(zip, m->name);
		strbuf_add(zip, data.buf, data.len);
		strbuf_release(&data);
	}
	cd = zip->len;
	for (size_t i = 0; i < n; i++) {
		const zmember_t *m = &ms[i];
		put32(zip, 0x02014b50);
		put16(zip, 20);
		put16(zip, 20);
		put16(zip, m->utf8_flag ? 0x800 : 0);
		put16(zip, m->deflate ? 8 : 0);
		put32(zip, 0);
		put32(zip, crc[i]);
		put32(zip, (uint32_t)csize[i]);
		put32(zip, (uint32_t)usize[i]);
		put16(zip, (unsigned)strlen(m->name));
		for (int k = 0; k < 4; k++)
			put16(zip, 0);
		put32(zip, 0);
		put32(zip, off[i]);
		strbuf_adds(zip, m->name);
	}
	cd_size = zip->len - cd;
	put32(zip, 0x06054b50);
	put32(zip, 0);
	put16(zip, (unsigned)n);
	put16(zip, (unsigned)n);
	put32(zip, (uint32_t)cd_size);
	put32(zip, (uint32_t)cd);
	put16(zip, 0);
	free(crc);
	free(off);
	free(csize);
	free(usize);
}

/* One stored member holding `s`. */
#define TEXT(name, s) { name, 0, s, sizeof(s) - 1, 0, 0, 0 }

/* ---- libarchive's writer (tar.gz, 7z) ------------------------------------- */

static void
write_with_libarchive(int format, int gzip, const char *const *names,
		      const char *const *texts, size_t n, strbuf_t *out)
{
	struct archive *a = archive_write_new();
	size_t used = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	/* The writer needs a UTF-8 locale for the names; the walks do not. */
	cr_assert(setlocale(LC_CTYPE, "C.UTF-8"));
	cr_assert_eq(archive_write_set_format(a, format), ARCHIVE_OK);
	if (gzip)
		cr_assert_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	cr_assert_eq(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname_utf8(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(texts[i]));
		cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK, "%s", archive_error_string(a));
		cr_assert_eq(archive_write_data(a, texts[i], strlen(texts[i])),
			     (la_ssize_t)strlen(texts[i]));
		archive_entry_free(e);
	}
	cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	setlocale(LC_CTYPE, "C");
	strbuf_add(out, buf, used);
	free(buf);
}

/* ---- walking --------------------------------------------------------------- */

typedef struct got {
	strbuf_t paths;     /* "path=data\n" for each member */
	strbuf_t problems;  /* "path: why\n" */
	size_t n;
	size_t max_size;
	unsigned max_depth;
} got_t;

static int
on_member(void *ctx, const arc_member_t *m)
{
	got_t *g = ctx;
	g->n++;
	if (m->size > g->max_size)
		g->max_size = m->size;
	if (m->depth > g->max_depth)
		g->max_depth = m->depth;
	strbuf_addf(&g->paths, "%s=", m->path);
	strbuf_add(&g->paths, m->data, m->size < 40 ? m->size : 40);
	strbuf_addch(&g->paths, '\n');
	return 0;
}

static void
on_problem(void *ctx, const char *path, const char *why)
{
	got_t *g = ctx;
	strbuf_addf(&g->problems, "%s: %s\n", path, why);
}

static arc_status_t
walk(const strbuf_t *sb, const arc_limits_t *lim, got_t *g, char *err, size_t err_size)
{
	arc_limits_t def;
	memset(g, 0, sizeof *g);
	strbuf_init(&g->paths, 0);
	strbuf_init(&g->problems, 0);
	if (!lim) {
		arc_limits_default(&def);
		lim = &def;
	}
	return arc_walk_buffer(sb->buf, sb->len, lim, on_member, on_problem, g, err, err_size);
}

static void
got_release(got_t *g)
{
	strbuf_release(&g->paths);
	strbuf_release(&g->problems);
}

#define CP866_PROTOCOL "\x8f\xe0\xae\xe2\xae\xaa\xae\xab \xfc" "8.txt" /* Протокол №8.txt */
#define CP1251_ORDER "\xcf\xf0\xe8\xea\xe0\xe7 \xb9" "5.txt"             /* Приказ №5.txt */

Test(archive, zip_names_cp866_utf8_windows1251)
{
	zmember_t ms[] = {
		TEXT(CP866_PROTOCOL, "протокол"),
		{ "Решение.txt", 1, "решение", 14, 0, 0, 0 },
		TEXT(CP1251_ORDER, "приказ"),
		TEXT("plain.txt", "ascii"),
	};
	strbuf_t zip = STRBUF_INIT;
	got_t g;
	char err[512];
	build_zip(ms, 4, &zip);
	cr_assert(arc_is_archive("u.zip", zip.buf, zip.len));
	cr_assert_eq(walk(&zip, NULL, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_str_eq(g.paths.buf, "Протокол №8.txt=протокол\n"
				      "Решение.txt=решение\n"
				      "Приказ №5.txt=приказ\n"
				      "plain.txt=ascii\n");
	cr_assert_str_eq(g.problems.buf, "");
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, decode_name)
{
	strbuf_t sb = STRBUF_INIT;
	arc_decode_name(CP866_PROTOCOL, strlen(CP866_PROTOCOL), &sb);
	cr_assert_str_eq(sb.buf, "Протокол №8.txt");
	strbuf_reset(&sb);
	arc_decode_name("a\x01\x1b[31m\x7f.txt", sizeof("a\x01\x1b[31m\x7f.txt") - 1, &sb);
	cr_assert_str_eq(sb.buf, "a\xef\xbf\xbd\xef\xbf\xbd[31m\xef\xbf\xbd.txt");
	strbuf_reset(&sb);
	arc_decode_name("", 0, &sb);
	cr_assert_str_eq(sb.buf, "(unnamed)");
	strbuf_release(&sb);
}

Test(archive, tar_gz)
{
	const char *names[] = { "папка/протокол.txt", "b.txt" };
	const char *texts[] = { "первый", "второй" };
	strbuf_t tgz = STRBUF_INIT;
	got_t g;
	char err[512];
	write_with_libarchive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, 1, names, texts, 2, &tgz);
	cr_assert(arc_is_archive("u.tar.gz", tgz.buf, tgz.len));
	cr_assert_eq(walk(&tgz, NULL, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_str_eq(g.paths.buf, "папка/протокол.txt=первый\nb.txt=второй\n");
	got_release(&g);
	strbuf_release(&tgz);
}

Test(archive, seven_zip)
{
	const char *names[] = { "Протокол №1.txt", "dir/Решение.txt" };
	const char *texts[] = { "один", "два" };
	strbuf_t sz = STRBUF_INIT;
	got_t g;
	char err[512];
	write_with_libarchive(ARCHIVE_FORMAT_7ZIP, 0, names, texts, 2, &sz);
	cr_assert(arc_is_archive("u.7z", sz.buf, sz.len));
	cr_assert_eq(walk(&sz, NULL, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_str_eq(g.paths.buf, "Протокол №1.txt=один\ndir/Решение.txt=два\n");
	got_release(&g);
	strbuf_release(&sz);
}

/* zip(level n) holding zip(level n+1) ... holding x.txt */
static void
nested(unsigned levels, strbuf_t *out)
{
	strbuf_t cur = STRBUF_INIT;
	zmember_t leaf = TEXT("x.txt", "leaf");
	build_zip(&leaf, 1, &cur);
	for (unsigned i = 0; i < levels; i++) {
		strbuf_t next = STRBUF_INIT;
		char name[32];
		snprintf(name, sizeof name, "l%u.zip", levels - i);
		zmember_t m = { name, 0, cur.buf, cur.len, 0, 1, 0 };
		build_zip(&m, 1, &next);
		strbuf_release(&cur);
		cur = next;
	}
	*out = cur;
}

Test(archive, nested_zip_in_zip)
{
	strbuf_t inner = STRBUF_INIT, outer = STRBUF_INIT;
	got_t g;
	char err[512];
	zmember_t in[] = { TEXT(CP866_PROTOCOL, "глубоко") };
	build_zip(in, 1, &inner);
	zmember_t out[] = { { "b.zip", 0, inner.buf, inner.len, 0, 1, 0 }, TEXT("d.txt", "рядом") };
	build_zip(out, 2, &outer);
	cr_assert_eq(walk(&outer, NULL, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_str_eq(g.paths.buf, "b.zip!/Протокол №8.txt=глубоко\nd.txt=рядом\n");
	cr_assert_eq(g.max_depth, 1);
	got_release(&g);
	strbuf_release(&inner);
	strbuf_release(&outer);
}

Test(archive, depth_limit)
{
	strbuf_t zip;
	arc_limits_t lim;
	got_t g;
	char err[512];
	nested(3, &zip); /* top!/l1.zip!/l2.zip!/l3.zip!/x.txt */
	arc_limits_default(&lim);
	cr_assert_eq(walk(&zip, &lim, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_str_eq(g.paths.buf, "l1.zip!/l2.zip!/l3.zip!/x.txt=leaf\n");
	got_release(&g);
	lim.max_depth = 1;
	cr_assert_eq(walk(&zip, &lim, &g, err, sizeof err), ARC_OK, "%s", err);
	cr_assert_eq(g.n, 0);
	cr_assert_str_eq(g.problems.buf,
			 "l1.zip!/l2.zip: archive nested too deep (limit 1 levels)\n");
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, member_size_limit_zip_bomb, .timeout = 30)
{
	/* 100 MB of zeros, deflated to ~100 KB; one header says 1000 bytes. */
	zmember_t ms[] = {
		{ "bomb.txt", 0, NULL, 0, 100u << 20, 1, 0 },
		{ "liar.txt", 0, NULL, 0, 100u << 20, 1, 1000 },
		TEXT("ok.txt", "fine"),
	};
	strbuf_t zip = STRBUF_INIT;
	arc_limits_t lim;
	got_t g;
	char err[512];
	struct timespec t0, t1;
	build_zip(ms, 3, &zip);
	cr_assert_lt(zip.len, 400u * 1024);
	arc_limits_default(&lim);
	lim.max_member_bytes = 1u << 20;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(walk(&zip, &lim, &g, err, sizeof err), ARC_OK, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_str_eq(g.paths.buf, "ok.txt=fine\n");
	cr_assert(strstr(g.problems.buf, "bomb.txt: member too large (104857600 bytes, limit 1048576)"),
		  "%s", g.problems.buf);
	cr_assert(strstr(g.problems.buf, "liar.txt: member too large (over 1048576 bytes"),
		  "%s", g.problems.buf);
	cr_assert_leq(g.max_size, lim.max_member_bytes);
	/* Neither was inflated to the end (that alone takes longer). */
	cr_assert_lt((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, 2.0);
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, member_count_limit)
{
	zmember_t ms[20];
	char names[20][16];
	strbuf_t zip = STRBUF_INIT;
	arc_limits_t lim;
	got_t g;
	char err[512];
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof names[i], "m%02d.txt", i);
		ms[i] = (zmember_t){ names[i], 0, "x", 1, 0, 0, 0 };
	}
	build_zip(ms, 20, &zip);
	arc_limits_default(&lim);
	lim.max_members = 5;
	cr_assert_eq(walk(&zip, &lim, &g, err, sizeof err), ARC_LIMIT);
	cr_assert_eq(g.n, 5);
	cr_assert(strstr(err, "more than 5 members at 'm05.txt'"), "%s", err);
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, total_size_limit)
{
	zmember_t ms[5];
	char names[5][16];
	strbuf_t zip = STRBUF_INIT;
	arc_limits_t lim;
	got_t g;
	char err[512];
	for (int i = 0; i < 5; i++) {
		snprintf(names[i], sizeof names[i], "z%d.txt", i);
		ms[i] = (zmember_t){ names[i], 0, NULL, 0, 300 * 1024, 1, 0 };
	}
	build_zip(ms, 5, &zip);
	arc_limits_default(&lim);
	lim.max_total_bytes = 1u << 20;
	cr_assert_eq(walk(&zip, &lim, &g, err, sizeof err), ARC_LIMIT);
	cr_assert_eq(g.n, 3);
	cr_assert(strstr(err, "archive too large"), "%s", err);
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, truncated_zip_keeps_members_read)
{
	zmember_t ms[] = { TEXT("one.txt", "первый"), TEXT("two.txt", "второй"),
			   TEXT("three.txt", "третий член архива, длинный текст") };
	strbuf_t zip = STRBUF_INIT, cut = STRBUF_INIT;
	got_t g;
	char err[512];
	build_zip(ms, 3, &zip);
	/* In the middle of the third member's data: no central directory. */
	{
		const char *third = memmem(zip.buf, zip.len, "третий", strlen("третий"));
		cr_assert(third);
		strbuf_add(&cut, zip.buf, (size_t)(third - zip.buf) + 10);
	}
	cr_assert(arc_is_archive("cut.zip", cut.buf, cut.len));
	cr_assert_eq(walk(&cut, NULL, &g, err, sizeof err), ARC_DAMAGED);
	cr_assert_str_eq(g.paths.buf, "one.txt=первый\ntwo.txt=второй\n");
	cr_assert(strstr(err, "damaged archive"), "%s", err);
	got_release(&g);
	strbuf_release(&zip);
	strbuf_release(&cut);
}

Test(archive, path_traversal_names_are_labels)
{
	zmember_t ms[] = {
		TEXT("../../etc/passwd", "a"),
		TEXT("/abs/x.txt", "b"),
		TEXT("dir\\win.txt", "c"),
		TEXT("ctl\x01\x1b.txt", "d"),
	};
	strbuf_t zip = STRBUF_INIT;
	got_t g;
	char err[512];
	build_zip(ms, 4, &zip);
	cr_assert_eq(walk(&zip, NULL, &g, err, sizeof err), ARC_OK, "%s", err);
	/* libarchive turns a zip's backslashes into slashes (Windows archivers). */
	cr_assert_str_eq(g.paths.buf, "../../etc/passwd=a\n/abs/x.txt=b\ndir/win.txt=c\n"
				      "ctl\xef\xbf\xbd\xef\xbf\xbd.txt=d\n");
	got_release(&g);
	strbuf_release(&zip);
}

Test(archive, what_is_an_archive)
{
	zmember_t docx[] = { TEXT("word/document.xml", "<w:document/>"),
			     TEXT("[Content_Types].xml", "<Types/>") };
	zmember_t xlsx[] = { TEXT("xl/workbook.xml", "<workbook/>"),
			     TEXT("[Content_Types].xml", "<Types/>") };
	strbuf_t a = STRBUF_INIT, b = STRBUF_INIT;
	got_t g;
	char err[512];
	build_zip(docx, 2, &a);
	build_zip(xlsx, 2, &b);
	cr_assert_not(arc_is_archive("x.docx", a.buf, a.len));
	cr_assert_not(arc_is_archive("x.zip", b.buf, b.len));
	cr_assert_not(arc_is_archive("p.txt", "ПРОТОКОЛ совещания", 33));
	cr_assert(arc_is_archive("x", "\x1f\x8b\x08\0\0\0\0\0", 8));
	strbuf_release(&a);
	a.buf = "ПРОТОКОЛ совещания";
	a.len = strlen(a.buf);
	cr_assert_eq(walk(&a, NULL, &g, err, sizeof err), ARC_NOT_ARCHIVE);
	cr_assert_str_eq(err, "unrecognized archive format");
	got_release(&g);
	strbuf_release(&b);
}
