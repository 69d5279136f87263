/*
 * archive: see archive.h for the design.
 *
 * libarchive converts member names to the current locale's multibyte
 * encoding, and fails on every non-ASCII name in the "C" locale.  The
 * walker therefore switches its own thread to a UTF-8 locale (uselocale,
 * which leaves the rest of the process alone) while libarchive runs, and
 * back around the callbacks.  Names the archive declares as UTF-8 or
 * UTF-16 then come out as UTF-8; names without a declared encoding come
 * out as their raw bytes, which arc_decode_name decodes.
 */
#include "indexer/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <unicode/ucnv.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/reader.h"
#include "indexer/zip.h"

#define READ_BLOCK (64 * 1024)
/*
 * archive_errno() for "unrecognized or invalid file format": libarchive
 * documents LA_ERRNO_FILE_FORMAT but defines it only privately, as
 * EFTYPE where that exists and EILSEQ elsewhere.
 */
#ifdef EFTYPE
#define LA_ERRNO_FILE_FORMAT EFTYPE
#else
#define LA_ERRNO_FILE_FORMAT EILSEQ
#endif
/* ... and ARCHIVE_ERRNO_MISC, "unclassified": -1 */
#define LA_ERRNO_MISC (-1)
/* Raw member names longer than this are cut before decoding. */
#define NAME_MAX_BYTES 4096

void
arc_limits_default(arc_limits_t *lim)
{
	lim->max_depth = ARC_DEFAULT_MAX_DEPTH;
	lim->max_member_bytes = ARC_DEFAULT_MAX_MEMBER_BYTES;
	lim->max_total_bytes = ARC_DEFAULT_MAX_TOTAL_BYTES;
	lim->max_members = ARC_DEFAULT_MAX_MEMBERS;
	lim->max_seconds = ARC_DEFAULT_MAX_SECONDS;
}

const char *
arc_status_to_string(arc_status_t st)
{
	switch (st) {
	case ARC_OK: return "ok";
	case ARC_NOT_ARCHIVE: return "not an archive";
	case ARC_DAMAGED: return "damaged archive";
	case ARC_LIMIT: return "archive over a limit";
	case ARC_STOPPED: return "stopped";
	case ARC_IO: return "read error";
	}
	return "unknown status";
}

/* ---- Is it an archive? --------------------------------------------------- */

static int
has_extension(const char *name, const char *ext)
{
	size_t n, e;
	if (!name)
		return 0;
	n = strlen(name);
	e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int
starts(const unsigned char *b, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(b, magic, n) == 0;
}

/* Document formats built on zip, by name, for damaged ones. */
static int
document_zip_name(const char *name)
{
	static const char *const exts[] = { ".docx", ".docm", ".dotx", ".xlsx", ".xlsm",
					    ".pptx", ".odt", ".ods", ".odp", ".ott", NULL };
	for (size_t i = 0; exts[i]; i++)
		if (has_extension(name, exts[i]))
			return 1;
	return 0;
}

static int
zip_is_archive(const char *name, const void *buf, size_t len)
{
	zip_t z;
	int archive = 1;
	/* Whatever the readers know (DOCX now, more later) is a document. */
	if (reader_detect_format(name, buf, len) != READER_FORMAT_UNKNOWN)
		return 0;
	if (zip_open(&z, buf, len, NULL, 0) == ZIP_OK) {
		/* OOXML (xlsx, pptx) and OpenDocument: documents, even unread. */
		if (zip_find(&z, "[Content_Types].xml") >= 0 || zip_find(&z, "mimetype") >= 0 ||
		    zip_find(&z, "META-INF/manifest.xml") >= 0)
			archive = 0;
	} else if (document_zip_name(name)) {
		archive = 0; /* a damaged document: the reader says what is wrong */
	}
	zip_close(&z);
	return archive;
}

int
arc_is_archive(const char *name, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	if (!buf || len < 4)
		return 0;
	if (starts(b, len, "PK\3\4", 4) || starts(b, len, "PK\5\6", 4) ||
	    starts(b, len, "PK\7\10", 4))
		return zip_is_archive(name, buf, len);
	if (starts(b, len, "\x1f\x8b\x08", 3) ||           /* gzip */
	    starts(b, len, "\x1f\x9d", 2) ||               /* compress (.Z) */
	    starts(b, len, "\xfd" "7zXZ\0", 6) ||           /* xz */
	    starts(b, len, "\x28\xb5\x2f\xfd", 4) ||       /* zstd */
	    starts(b, len, "LZIP", 4) ||                   /* lzip */
	    starts(b, len, "7z\xbc\xaf\x27\x1c", 6) ||     /* 7-Zip */
	    starts(b, len, "Rar!\x1a\x07", 6) ||           /* RAR 4 and 5 */
	    starts(b, len, "MSCF\0\0\0\0", 8))             /* cab */
		return 1;
	/* bzip2: "BZh", block size, then a block or end-of-stream magic. */
	if (len >= 10 && starts(b, len, "BZh", 3) && b[3] >= '1' && b[3] <= '9' &&
	    (memcmp(b + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ||
	     memcmp(b + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0))
		return 1;
	/* POSIX and GNU tar. */
	if (len >= 512 && memcmp(b + 257, "ustar", 5) == 0)
		return 1;
	return 0;
}

/* ---- Member names ------------------------------------------------------ */

/*
 * CP866 against windows-1251: count the bytes that are Cyrillic letters
 * (or "№") in each.  CP866 puts box-drawing characters where windows-1251
 * has most lower-case letters, so a windows-1251 name scores low as
 * CP866.  Ties go to CP866, what the zip specification and DOS/Windows
 * archivers use.
 */
static const char *
guess_name_charset(const unsigned char *s, size_t len)
{
	size_t cp866 = 0, cp1251 = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = s[i];
		if (c < 0x80)
			continue;
		if (c <= 0xaf || (c >= 0xe0 && c <= 0xf1) || c == 0xfc)
			cp866++;
		if (c >= 0xc0 || c == 0xa8 || c == 0xb8 || c == 0xb9)
			cp1251++;
	}
	return cp1251 > cp866 ? "windows-1251" : "ibm-866";
}

/* Append UTF-8 `s`, control characters (C0, DEL, C1) as U+FFFD. */
static void
add_sanitized(strbuf_t *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			strbuf_adds(out, "\xef\xbf\xbd");
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			strbuf_adds(out, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_addch(out, c);
		}
	}
}

void
arc_decode_name(const char *raw, size_t len, strbuf_t *out)
{
	size_t start = out->len;
	if (len > NAME_MAX_BYTES)
		len = NAME_MAX_BYTES;
	if (util_utf8_valid(raw, len)) {
		add_sanitized(out, raw, len);
	} else {
		UErrorCode uerr = U_ZERO_ERROR;
		/* Each byte of these single-byte charsets is at most 3 bytes of UTF-8. */
		size_t cap = len * 3 + 1;
		char *tmp = xmalloc(cap);
		int32_t n = ucnv_convert("UTF-8", guess_name_charset((const unsigned char *)raw, len),
					 tmp, (int32_t)cap, raw, (int32_t)len, &uerr);
		if (U_SUCCESS(uerr) && n >= 0 && (size_t)n < cap) {
			add_sanitized(out, tmp, (size_t)n);
		} else {
			/* Cannot happen with these charsets; keep ASCII, mark the rest. */
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)raw[i];
				if (c >= 0x20 && c < 0x7f)
					strbuf_addch(out, c);
				else
					strbuf_adds(out, "\xef\xbf\xbd");
			}
		}
		free(tmp);
	}
	if (out->len == start)
		strbuf_adds(out, "(unnamed)");
}

/* ---- Walking ------------------------------------------------------------- */

struct walk {
	const arc_limits_t *lim;
	arc_member_fn on_member;
	arc_problem_fn on_problem;
	void *ctx;
	uint64_t total;       /* decompressed bytes so far */
	size_t members;       /* regular members so far */
	double t0;
	int stop;             /* ARC_LIMIT or ARC_STOPPED: unwind every level */
	locale_t utf8;        /* (locale_t)0 when no UTF-8 locale exists */
	locale_t saved;
};

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
enter_utf8(struct walk *w)
{
	if (w->utf8)
		w->saved = uselocale(w->utf8);
}

static void
leave_utf8(struct walk *w)
{
	if (w->utf8 && w->saved)
		uselocale(w->saved);
}

static void
problem(struct walk *w, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct walk *w, const char *path, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	if (!w->on_problem)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	leave_utf8(w);
	w->on_problem(w->ctx, path, why);
	enter_utf8(w);
}

static int
out_of_time(struct walk *w)
{
	return w->lim->max_seconds > 0 && now_seconds() - w->t0 > w->lim->max_seconds;
}

/*
 * A reader for every archive format and filter libarchive handles by
 * itself, except: raw and empty (anything would "open"), mtree (it reads
 * the files an mtree spec names, on this machine) and the filters that
 * run an external program (lrzip, lzop, grzip).
 */
static struct archive *
new_reader(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_compress(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_lzip(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_zip(a);
	return a;
}

static const char *
errstr(struct archive *a)
{
	const char *s = archive_error_string(a);
	return s && *s ? s : "unknown error";
}

static arc_status_t walk_archive(struct walk *w, struct archive *a, const char *prefix,
				 unsigned depth, char *err, size_t err_size);

/*
 * Read the current member's data into *data, at most the member limit.
 * Returns 0; 1 when over the limit (data cut); -1 on a damaged member
 * (message in err), -2 when the archive cannot go on (ARCHIVE_FATAL).
 */
static int
read_member(struct walk *w, struct archive *a, strbuf_t *data, char *err, size_t err_size)
{
	char block[READ_BLOCK];
	unsigned retries = 0;
	for (;;) {
		la_ssize_t n = archive_read_data(a, block, sizeof block);
		if (n == 0)
			return 0;
		if (n < 0) {
			if ((n == ARCHIVE_WARN || n == ARCHIVE_RETRY) && ++retries < 100)
				continue;
			snprintf(err, err_size, "%s", errstr(a));
			return n == ARCHIVE_FATAL ? -2 : -1;
		}
		if ((uint64_t)data->len + (uint64_t)n > w->lim->max_member_bytes) {
			/* Keep what fits; the rest is never read. */
			return 1;
		}
		strbuf_add(data, block, (size_t)n);
		if (out_of_time(w))
			return 0; /* the caller checks the time */
	}
}

static arc_status_t
limit_stop(struct walk *w, char *err, size_t err_size, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static arc_status_t
limit_stop(struct walk *w, char *err, size_t err_size, const char *path, const char *fmt, ...)
{
	va_list ap;
	char why[400];
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, err_size, "%s at '%s': the rest of the archive is not read", why, path);
	w->stop = ARC_LIMIT;
	return ARC_LIMIT;
}

/* One regular member: read it, then walk it or hand it over. */
static arc_status_t
one_member(struct walk *w, struct archive *a, struct archive_entry *e, const char *path,
	   const char *name, unsigned depth, char *err, size_t err_size)
{
	const arc_limits_t *lim = w->lim;
	strbuf_t data = STRBUF_INIT;
	char why[512];
	int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	arc_status_t ret = ARC_OK;
	int r;

	if (++w->members > lim->max_members)
		return limit_stop(w, err, err_size, path, "more than %zu members", lim->max_members);
	if (archive_entry_is_encrypted(e)) {
		problem(w, path, "encrypted member: cannot be read without the password");
		return ARC_OK;
	}
	if (declared > 0 && (uint64_t)declared > lim->max_member_bytes) {
		problem(w, path, "member too large (%lld bytes, limit %llu)", (long long)declared,
			(unsigned long long)lim->max_member_bytes);
		w->total += (uint64_t)declared;
		if (w->total > lim->max_total_bytes)
			return limit_stop(w, err, err_size, path,
					  "archive too large (over %llu bytes decompressed)",
					  (unsigned long long)lim->max_total_bytes);
		return ARC_OK;
	}
	r = read_member(w, a, &data, why, sizeof why);
	w->total += data.len;
	if (r == 1) {
		problem(w, path, "member too large (over %llu bytes decompressed)",
			(unsigned long long)lim->max_member_bytes);
		/* What skipping the rest costs, as far as the header tells. */
		w->total += declared > 0 && (uint64_t)declared > data.len
				    ? (uint64_t)declared - data.len : 1;
	}
	if (w->total > lim->max_total_bytes) {
		ret = limit_stop(w, err, err_size, path,
				 "archive too large (over %llu bytes decompressed)",
				 (unsigned long long)lim->max_total_bytes);
		goto out;
	}
	if (out_of_time(w)) {
		ret = limit_stop(w, err, err_size, path, "archive took too long (over %.0f s)",
				 lim->max_seconds);
		goto out;
	}
	if (r == 1)
		goto out;
	if (r == -1) {
		problem(w, path, "damaged member: %s", why);
		goto out;
	}
	if (r == -2) {
		snprintf(err, err_size, "damaged archive at '%s': %s", path, why);
		ret = ARC_DAMAGED;
		goto out;
	}
	if (arc_is_archive(name, data.buf, data.len)) {
		struct archive *b;
		char nerr[512];
		arc_status_t st;
		if (depth >= lim->max_depth) {
			problem(w, path, "archive nested too deep (limit %u levels)", lim->max_depth);
			goto out;
		}
		b = new_reader();
		if (!b || archive_read_open_memory(b, data.buf, data.len) != ARCHIVE_OK) {
			if (b && archive_errno(b) == LA_ERRNO_FILE_FORMAT)
				problem(w, path, "unrecognized archive format");
			else
				problem(w, path, "damaged archive: %s", b ? errstr(b) : "out of memory");
			if (b)
				archive_read_free(b);
			goto out;
		}
		nerr[0] = '\0';
		st = walk_archive(w, b, path, depth + 1, nerr, sizeof nerr);
		archive_read_free(b);
		if (w->stop) {
			snprintf(err, err_size, "%s", nerr);
			ret = (arc_status_t)w->stop;
		} else if (st != ARC_OK) {
			problem(w, path, "%s", nerr);
		}
		goto out;
	}
	{
		arc_member_t m;
		int stop;
		m.path = path;
		m.name = name;
		m.data = data.buf;
		m.size = data.len;
		m.depth = depth;
		m.mtime = archive_entry_mtime_is_set(e) ? (int64_t)archive_entry_mtime(e) : 0;
		leave_utf8(w);
		stop = w->on_member(w->ctx, &m);
		enter_utf8(w);
		if (stop) {
			snprintf(err, err_size, "stopped at '%s'", path);
			w->stop = ARC_STOPPED;
			ret = ARC_STOPPED;
		}
	}
out:
	strbuf_release(&data);
	return ret;
}

/*
 * The members of the open archive `a`, whose own path is `prefix` (NULL
 * at the top).  Stops at the first fatal error; member problems are
 * reported and passed over.
 */
static arc_status_t
walk_archive(struct walk *w, struct archive *a, const char *prefix, unsigned depth, char *err,
	     size_t err_size)
{
	struct archive_entry *e;
	strbuf_t name = STRBUF_INIT, path = STRBUF_INIT;
	size_t n_read = 0, retries = 0;
	arc_status_t ret = ARC_OK;

	for (;;) {
		int r = archive_read_next_header(a, &e);
		const char *raw;
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY && ++retries < 100)
			continue;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			if (n_read == 0 && archive_format(a) == 0)
				snprintf(err, err_size, "unrecognized archive format");
			else
				snprintf(err, err_size,
					 "damaged archive after %zu member%s: %s", n_read,
					 n_read == 1 ? "" : "s", errstr(a));
			ret = ARC_DAMAGED;
			break;
		}
		n_read++;
		strbuf_reset(&name);
		raw = archive_entry_pathname(e);
		if (raw)
			arc_decode_name(raw, strlen(raw), &name);
		else
			strbuf_addf(&name, "(member %zu: name not readable)", n_read);
		strbuf_reset(&path);
		if (prefix)
			strbuf_addf(&path, "%s!/", prefix);
		strbuf_add(&path, name.buf, name.len);
		if (out_of_time(w)) {
			ret = limit_stop(w, err, err_size, path.buf,
					 "archive took too long (over %.0f s)", w->lim->max_seconds);
			break;
		}
		/* Directories, links, devices: nothing to read. */
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
			continue;
		ret = one_member(w, a, e, path.buf, name.buf, depth, err, err_size);
		if (ret != ARC_OK)
			break;
	}
	strbuf_release(&name);
	strbuf_release(&path);
	return ret;
}

static void
walk_init(struct walk *w, const arc_limits_t *lim, arc_member_fn on_member,
	  arc_problem_fn on_problem, void *ctx)
{
	memset(w, 0, sizeof *w);
	w->lim = lim;
	w->on_member = on_member;
	w->on_problem = on_problem;
	w->ctx = ctx;
	w->t0 = now_seconds();
	w->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!w->utf8)
		w->utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	enter_utf8(w);
}

static void
walk_done(struct walk *w)
{
	leave_utf8(w);
	if (w->utf8)
		freelocale(w->utf8);
}

/* Open `a` (already set up with its source) and walk it. */
static arc_status_t
walk_top(struct walk *w, struct archive *a, int opened, char *err, size_t err_size)
{
	arc_status_t st;
	if (opened != ARCHIVE_OK) {
		int e = archive_errno(a);
		if (e == LA_ERRNO_FILE_FORMAT) {
			snprintf(err, err_size, "unrecognized archive format");
			return ARC_NOT_ARCHIVE;
		}
		if (e > 0 && e != LA_ERRNO_MISC) {
			snprintf(err, err_size, "cannot read: %s", errstr(a));
			return ARC_IO;
		}
		snprintf(err, err_size, "damaged archive: %s", errstr(a));
		return ARC_DAMAGED;
	}
	st = walk_archive(w, a, NULL, 0, err, err_size);
	if (st == ARC_DAMAGED && !strcmp(err, "unrecognized archive format"))
		st = ARC_NOT_ARCHIVE;
	return st;
}

arc_status_t
arc_walk_file(const char *path, const arc_limits_t *lim, arc_member_fn on_member,
	      arc_problem_fn on_problem, void *ctx, char *err, size_t err_size)
{
	struct walk w;
	struct archive *a;
	arc_status_t st;

	err[0] = '\0';
	walk_init(&w, lim, on_member, on_problem, ctx);
	a = new_reader();
	if (!a) {
		snprintf(err, err_size, "cannot start libarchive: out of memory");
		walk_done(&w);
		return ARC_IO;
	}
	st = walk_top(&w, a, archive_read_open_filename(a, path, READ_BLOCK), err, err_size);
	archive_read_free(a);
	walk_done(&w);
	return st;
}

arc_status_t
arc_walk_buffer(const void *buf, size_t len, const arc_limits_t *lim, arc_member_fn on_member,
		arc_problem_fn on_problem, void *ctx, char *err, size_t err_size)
{
	struct walk w;
	struct archive *a;
	arc_status_t st;

	err[0] = '\0';
	walk_init(&w, lim, on_member, on_problem, ctx);
	a = new_reader();
	if (!a) {
		snprintf(err, err_size, "cannot start libarchive: out of memory");
		walk_done(&w);
		return ARC_IO;
	}
	/* libarchive wants a non-NULL buffer even for 0 bytes. */
	st = walk_top(&w, a, archive_read_open_memory(a, len ? buf : "", len), err, err_size);
	archive_read_free(a);
	walk_done(&w);
	return st;
}
