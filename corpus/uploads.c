/*
 * uploads: packs generated protocols into the archives municipalities
 * upload (corpus_generate --uploads).
 *
 * Where protocol i goes is a function of (seed, i, its municipality and
 * the protocols before it): some stay plain files; the others go, per
 * municipality and period of UPLOAD_PERIOD protocol numbers, into one of
 * one or two uploads, each a .zip with CP866 member names and no UTF-8
 * flag (old Windows archivers), a .zip with UTF-8 names and the flag, a
 * .tar.gz, a .7z (through libarchive), or a .zip holding another .zip.
 * Member names are what people call the files ("Протокол №8 от
 * 10.07.2022.docx"), sometimes inside a folder.  The truth line's "file"
 * becomes "<upload>!/<member>" ("a.zip!/inner.zip!/b.docx" when nested)
 * and an "upload" object says how it was packed.
 *
 * An upload is written when its period is over (or at the end), with
 * the members generated so far: a smaller corpus has the same truth lines
 * and the same uploads minus the members it did not generate.  Time
 * stamps are the meeting dates, so the bytes are stable.
 */
#include "corpus/corpus-int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "corpus/zipw.h"

/* Protocol numbers per upload period. */
#define UPLOAD_PERIOD 40

typedef enum up_kind {
	UP_ZIP_CP866,
	UP_ZIP_UTF8,
	UP_TARGZ,
	UP_7Z,
	UP_NESTED
} up_kind_t;

typedef struct member {
	char *stored;        /* the name's bytes in the archive */
	char *display;       /* UTF-8, as a reader decodes it */
	char *data;
	size_t len;
	int64_t mtime;       /* seconds since 1970, UTC */
	int inner;           /* nested upload: in the inner zip */
} member_t;

typedef struct upload {
	char *muni;
	size_t period;
	unsigned sub;
	up_kind_t kind;
	int inner_cp866;     /* nested: the inner zip's names are CP866 */
	char *path;          /* relative to DIR, UTF-8 */
	char *folder;        /* "" or "Протоколы/" (UTF-8) */
	char *inner_name;    /* nested: the inner zip's name */
	member_t *m;
	size_t n, alloc;
	int written;
} upload_t;

struct corpus_uploads {
	uint64_t seed;
	char *outdir;
	upload_t *u;
	size_t n, alloc;
	codec_t cp866;
};

static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return mix64(h);
}

corpus_uploads_t *
corpus_uploads_new(uint64_t seed, const char *outdir)
{
	corpus_uploads_t *u = xcalloc(1, sizeof(*u));
	u->seed = seed;
	u->outdir = xstrdup(outdir);
	if (codec_open(&u->cp866, "ibm866") < 0) {
		free(u->outdir);
		free(u);
		return NULL;
	}
	return u;
}

static void
upload_release_members(upload_t *up)
{
	size_t i;
	for (i = 0; i < up->n; i++) {
		free(up->m[i].stored);
		free(up->m[i].display);
		free(up->m[i].data);
	}
	free(up->m);
	up->m = NULL;
	up->n = up->alloc = 0;
}

void
corpus_uploads_free(corpus_uploads_t *u)
{
	size_t i;
	if (!u)
		return;
	for (i = 0; i < u->n; i++) {
		upload_release_members(&u->u[i]);
		free(u->u[i].muni);
		free(u->u[i].path);
		free(u->u[i].folder);
		free(u->u[i].inner_name);
	}
	free(u->u);
	codec_close(&u->cp866);
	free(u->outdir);
	free(u);
}

/* ---- Time. ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The meeting date at 10:00 UTC (2020-01-01 without a date). */
static int64_t
member_time(const char *iso)
{
	int y = 2020;
	unsigned m = 1, d = 1;
	if (!iso || strlen(iso) != 10 || sscanf(iso, "%4d-%2u-%2u", &y, &m, &d) != 3 ||
	    y < 1980 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) {
		y = 2020;
		m = d = 1;
	}
	return days_from_civil(y, m, d) * 86400 + 10 * 3600;
}

/* ---- Names. ---- */

static const char *const upload_names[] = {
	"Протоколы совещаний %u",
	"протоколы_%u",
	"Протоколы (выгрузка %u)",
	"upload_%u",
	"Выгрузка протоколов %u",
	"Протоколы %u",
};

static const char *const folders[] = {
	"Протоколы/",
	"Протоколы совещаний/",
	"Документы/Протоколы/",
};

static const char *const inner_names[] = {
	"Протоколы ОО.zip",
	"Архив протоколов.zip",
	"старые.zip",
};

static const char *
kind_ext(up_kind_t k)
{
	switch (k) {
	case UP_TARGZ: return "tar.gz";
	case UP_7Z: return "7z";
	default: return "zip";
	}
}

static upload_t *
find_upload(corpus_uploads_t *u, const char *muni, size_t period, unsigned sub)
{
	size_t i;
	upload_t *up;
	uint64_t h;
	unsigned x;
	strbuf_t path = STRBUF_INIT;

	for (i = 0; i < u->n; i++)
		if (u->u[i].period == period && u->u[i].sub == sub && strcmp(u->u[i].muni, muni) == 0)
			return &u->u[i];
	if (u->n == u->alloc) {
		u->alloc = u->alloc ? 2 * u->alloc : 16;
		u->u = xrealloc(u->u, u->alloc * sizeof(*u->u));
	}
	up = &u->u[u->n++];
	memset(up, 0, sizeof(*up));
	up->muni = xstrdup(muni);
	up->period = period;
	up->sub = sub;
	h = mix64(hash_str(u->seed ^ 0x75706c6f6164ULL, muni) ^ (period * 2 + sub + 1) * 0xd1b54a32d192ed03ULL);
	x = (unsigned)(h % 100);
	up->kind = x < 28 ? UP_ZIP_CP866 : x < 52 ? UP_ZIP_UTF8 : x < 70 ? UP_TARGZ : x < 86 ? UP_7Z : UP_NESTED;
	h = mix64(h);
	strbuf_addf(&path, "%s/", muni);
	strbuf_addf(&path, upload_names[h % (sizeof(upload_names) / sizeof(upload_names[0]))],
		    (unsigned)(period * 2 + sub + 1));
	strbuf_addf(&path, ".%s", kind_ext(up->kind));
	up->path = strbuf_detach(&path, NULL);
	h = mix64(h);
	up->folder = xstrdup(h % 100 < 25 ? folders[(h >> 8) % (sizeof(folders) / sizeof(folders[0]))] : "");
	h = mix64(h);
	if (up->kind == UP_NESTED) {
		up->inner_name = xstrdup(inner_names[h % (sizeof(inner_names) / sizeof(inner_names[0]))]);
		up->inner_cp866 = (h >> 8) % 2;
	}
	return up;
}

/* The member's name in UTF-8 (without folder or collision suffix). */
static char *
member_base(const corpus_protocol_t *p, uint64_t h)
{
	strbuf_t sb = STRBUF_INIT;
	char num[64] = "", date[16] = "";
	const char *s;
	size_t k = 0;
	if (p->number)
		for (s = p->number; *s && k + 1 < sizeof(num); s++)
			num[k++] = *s == '/' ? '-' : *s;
	num[k] = '\0';
	if (strlen(p->date) == 10)
		snprintf(date, sizeof(date), "%.2s.%.2s.%.4s", p->date + 8, p->date + 5, p->date);
	if (p->extract) {
		strbuf_adds(&sb, "Выписка из протокола");
		if (*num)
			strbuf_addf(&sb, " №%s", num);
		if (*date)
			strbuf_addf(&sb, " от %s", date);
	} else if (!*num) {
		strbuf_addf(&sb, "Протокол совещания%s%s", *date ? " " : "", date);
	} else {
		switch (h % 4) {
		case 0: strbuf_addf(&sb, "Протокол №%s%s%s", num, *date ? " от " : "", date); break;
		case 1: strbuf_addf(&sb, "Протокол № %s%s%s%s", num, *date ? " от " : "", date, *date ? "г" : ""); break;
		case 2: strbuf_addf(&sb, "протокол %s%s%s%s", num, *date ? " (" : "", date, *date ? ")" : ""); break;
		default:
			if (*date)
				strbuf_addf(&sb, "%.4s-%.2s-%.2s ", p->date, p->date + 5, p->date + 8);
			strbuf_addf(&sb, "Протокол №%s", num);
			break;
		}
	}
	strbuf_addf(&sb, ".%s", p->format);
	return strbuf_detach(&sb, NULL);
}

/* UTF-8 name -> stored bytes and what a reader decodes them as. */
static int
encode_name(corpus_uploads_t *u, int cp866, const char *utf8, char **stored, char **display)
{
	strbuf_t enc = STRBUF_INIT, dec = STRBUF_INIT;
	char err[8];
	if (!cp866) {
		*stored = xstrdup(utf8);
		*display = xstrdup(utf8);
		return 0;
	}
	if (codec_encode(&u->cp866, utf8, strlen(utf8), &enc, err, 0) != CORPUS_OK ||
	    codec_decode(&u->cp866, enc.buf, enc.len, &dec) != CORPUS_OK) {
		strbuf_release(&enc);
		strbuf_release(&dec);
		return -1;
	}
	*stored = strbuf_detach(&enc, NULL);
	*display = strbuf_detach(&dec, NULL);
	return 0;
}

/* Replace "file":"<old>" at the start of the truth with the new fields. */
static void
rewrite_truth(corpus_protocol_t *p, const char *file, const char *upload_json)
{
	strbuf_t old = STRBUF_INIT, sb = STRBUF_INIT;
	const char *at;
	strbuf_adds(&old, "\"file\":");
	strbuf_add_json_string(&old, p->path, strlen(p->path));
	at = strstr(p->truth, old.buf);
	if (!at) {
		strbuf_release(&old);
		return;
	}
	strbuf_add(&sb, p->truth, (size_t)(at - p->truth));
	strbuf_adds(&sb, "\"file\":");
	strbuf_add_json_string(&sb, file, strlen(file));
	strbuf_adds(&sb, ",\"upload\":");
	strbuf_adds(&sb, upload_json);
	strbuf_adds(&sb, at + old.len);
	free(p->truth);
	p->truth = strbuf_detach(&sb, NULL);
	strbuf_release(&old);
}

static void
json_field(strbuf_t *sb, const char *key, const char *val, int first)
{
	if (!first)
		strbuf_addch(sb, ',');
	strbuf_add_json_string(sb, key, strlen(key));
	strbuf_addch(sb, ':');
	if (val)
		strbuf_add_json_string(sb, val, strlen(val));
	else
		strbuf_adds(sb, "null");
}

corpus_status_t
corpus_uploads_place(corpus_uploads_t *u, size_t index, corpus_protocol_t *p, int *plain,
		     char *err, size_t errsz)
{
	const char *slash = strchr(p->path, '/');
	char *muni, *base, *stored = NULL, *display = NULL;
	uint64_t x = mix64(u->seed ^ 0x706c6163654dULL ^ (uint64_t)(index + 1) * 0x9e3779b97f4a7c15ULL);
	uint64_t ph;
	size_t period = index / UPLOAD_PERIOD, i;
	unsigned nup, sub, copy;
	upload_t *up;
	member_t *mb;
	int inner = 0, cp866;
	strbuf_t name = STRBUF_INIT, file = STRBUF_INIT, js = STRBUF_INIT;

	*plain = 0;
	if (!slash)
		return CORPUS_ERR_ARG;
	if (x % 100 < 12) {
		*plain = 1;
		rewrite_truth(p, p->path, "null");
		return CORPUS_OK;
	}
	muni = xstrndup(p->path, (size_t)(slash - p->path));
	ph = hash_str(u->seed ^ 0x706572696f64ULL ^ period, muni);
	nup = 1 + (unsigned)(ph % 2);
	sub = (unsigned)((x >> 8) % nup);
	up = find_upload(u, muni, period, sub);
	free(muni);
	if (up->kind == UP_NESTED)
		inner = (x >> 16) % 100 < 60;
	cp866 = up->kind == UP_ZIP_CP866 || (inner && up->inner_cp866);

	/* The name, unique within its archive. */
	base = member_base(p, x >> 24);
	for (copy = 1;; copy++) {
		int taken = 0;
		strbuf_reset(&name);
		strbuf_adds(&name, up->folder);
		if (copy == 1) {
			strbuf_adds(&name, base);
		} else {
			const char *dot = strrchr(base, '.');
			strbuf_add(&name, base, (size_t)(dot - base));
			strbuf_addf(&name, " (%u)%s", copy, dot);
		}
		free(stored);
		free(display);
		if (encode_name(u, cp866, name.buf, &stored, &display) < 0) {
			if (errsz)
				snprintf(err, errsz, "cannot write the member name in CP866 '%s'", name.buf);
			free(base);
			strbuf_release(&name);
			return CORPUS_ERR_ENCODING;
		}
		for (i = 0; i < up->n; i++)
			taken |= up->m[i].inner == inner && strcmp(up->m[i].display, display) == 0;
		if (!taken)
			break;
	}
	free(base);
	strbuf_release(&name);

	if (up->n == up->alloc) {
		up->alloc = up->alloc ? 2 * up->alloc : 16;
		up->m = xrealloc(up->m, up->alloc * sizeof(*up->m));
	}
	mb = &up->m[up->n++];
	memset(mb, 0, sizeof(*mb));
	mb->stored = stored;
	mb->display = display;
	mb->inner = inner;
	mb->len = p->len;
	mb->data = xmalloc(p->len ? p->len : 1);
	memcpy(mb->data, p->data, p->len);
	mb->mtime = member_time(p->date);

	strbuf_addf(&file, "%s!/", up->path);
	if (inner)
		strbuf_addf(&file, "%s!/", up->inner_name);
	strbuf_adds(&file, display);
	strbuf_addch(&js, '{');
	json_field(&js, "path", up->path, 1);
	json_field(&js, "type", kind_ext(up->kind), 0);
	json_field(&js, "names", up->kind == UP_TARGZ || up->kind == UP_7Z ? "utf-8"
				 : cp866 ? "cp866" : "utf-8", 0);
	json_field(&js, "nested", inner ? up->inner_name : NULL, 0);
	json_field(&js, "member", display, 0);
	strbuf_addch(&js, '}');
	rewrite_truth(p, file.buf, js.buf);
	strbuf_release(&file);
	strbuf_release(&js);
	return CORPUS_OK;
}

/* ---- Writing. ---- */

/* Every folder on the way to `name` ("a/", "a/b/") not yet in `seen`. */
static void
folders_of(const char *name, char ***seen, size_t *n_seen, strbuf_t *out_list)
{
	const char *s;
	for (s = name; (s = strchr(s, '/')); s++) {
		size_t len = (size_t)(s - name) + 1, i;
		int have = 0;
		for (i = 0; i < *n_seen; i++)
			have |= strlen((*seen)[i]) == len && memcmp((*seen)[i], name, len) == 0;
		if (have)
			continue;
		*seen = xrealloc(*seen, (*n_seen + 1) * sizeof(char *));
		(*seen)[(*n_seen)++] = xstrndup(name, len);
		strbuf_add(out_list, name, len);
		strbuf_addch(out_list, '\0');
	}
}

static void
free_list(char **l, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* DOS date and time (10:00) of a member's Unix time. */
static void
dos_of(int64_t t, unsigned *dos_time, unsigned *dos_date)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t days = t / 86400;
	int y = 1970;
	unsigned mo = 1;
	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (days < 365 + leap)
			break;
		days -= 365 + leap;
		y++;
	}
	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		unsigned md = mdays[mo - 1] + (mo == 2 && leap);
		if (days < (int64_t)md)
			break;
		days -= md;
		mo++;
	}
	*dos_time = (unsigned)((t % 86400) / 3600) << 11;
	*dos_date = ((unsigned)(y - 1980) << 9) | (mo << 5) | (unsigned)(days + 1);
}

/*
 * A zip of the members with inner == which (all if which < 0), with
 * folder entries; `first` (named first_name, stored, UTF-8 flagged) goes
 * in before them if given.
 */
static int
build_zip(const upload_t *up, int which, int utf8, strbuf_t *out, const char *first_name,
	  const strbuf_t *first)
{
	zipw_t z;
	size_t i;
	char **seen = NULL;
	size_t n_seen = 0;
	int rc = 0;
	unsigned flags = utf8 ? ZIPW_FLAG_UTF8 : 0, t, d;

	zipw_init(&z, out);
	if (first && first_name) {
		/* The inner archive is as old as its first member. */
		for (i = 0; i < up->n && !up->m[i].inner; i++)
			;
		dos_of(i < up->n ? up->m[i].mtime : 0, &t, &d);
		rc |= zipw_add_ex(&z, first_name, first->buf, first->len, 0, ZIPW_FLAG_UTF8, t, d, 0x20);
	}
	for (i = 0; i < up->n && rc == 0; i++) {
		const member_t *m = &up->m[i];
		strbuf_t dirs = STRBUF_INIT;
		const char *dname;
		if (which >= 0 && m->inner != which)
			continue;
		dos_of(m->mtime, &t, &d);
		folders_of(m->stored, &seen, &n_seen, &dirs);
		for (dname = dirs.buf; dname && dname < dirs.buf + dirs.len; dname += strlen(dname) + 1)
			rc |= zipw_add_ex(&z, dname, "", 0, 0, flags, t, d, 0x10);
		strbuf_release(&dirs);
		rc |= zipw_add_ex(&z, m->stored, m->data, m->len, 1, flags, t, d, 0x20);
	}
	free_list(seen, n_seen);
	if (rc == 0)
		rc = zipw_finish(&z);
	zipw_release(&z);
	return rc;
}

static void
tar_octal(char *field, size_t size, uint64_t v)
{
	snprintf(field, size, "%0*llo", (int)(size - 1), (unsigned long long)v);
}

static int
tar_header(strbuf_t *tar, const char *name, size_t len, int64_t mtime, int dir)
{
	char h[512];
	size_t nlen = strlen(name), i;
	unsigned sum = 0;
	memset(h, 0, sizeof(h));
	if (nlen <= 100) {
		memcpy(h, name, nlen);
	} else {
		/* prefix (155) "/" name (100): split at a slash. */
		const char *cut = NULL, *s;
		for (s = name; *s; s++)
			if (*s == '/' && (size_t)(s - name) <= 155 && nlen - (size_t)(s - name) - 1 <= 100)
				cut = s;
		if (!cut)
			return -1;
		memcpy(h + 345, name, (size_t)(cut - name));
		memcpy(h, cut + 1, nlen - (size_t)(cut - name) - 1);
	}
	tar_octal(h + 100, 8, dir ? 0755 : 0644);
	tar_octal(h + 108, 8, 0);
	tar_octal(h + 116, 8, 0);
	tar_octal(h + 124, 12, dir ? 0 : len);
	tar_octal(h + 136, 12, (uint64_t)mtime);
	memset(h + 148, ' ', 8);
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (i = 0; i < sizeof(h); i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	h[155] = ' ';
	strbuf_add(tar, h, sizeof(h));
	return 0;
}

static int
build_targz(const upload_t *up, strbuf_t *out)
{
	strbuf_t tar = STRBUF_INIT;
	char **seen = NULL;
	size_t n_seen = 0, i;
	int rc = 0;
	static const char zeros[512];
	z_stream zs;
	unsigned char buf[16384];
	int zr;

	for (i = 0; i < up->n && rc == 0; i++) {
		const member_t *m = &up->m[i];
		strbuf_t dirs = STRBUF_INIT;
		const char *dname;
		folders_of(m->stored, &seen, &n_seen, &dirs);
		for (dname = dirs.buf; dname && dname < dirs.buf + dirs.len; dname += strlen(dname) + 1)
			rc |= tar_header(&tar, dname, 0, m->mtime, 1);
		strbuf_release(&dirs);
		rc |= tar_header(&tar, m->stored, m->len, m->mtime, 0);
		strbuf_add(&tar, m->data, m->len);
		if (m->len % 512)
			strbuf_add(&tar, zeros, 512 - m->len % 512);
	}
	free_list(seen, n_seen);
	strbuf_add(&tar, zeros, 512);
	strbuf_add(&tar, zeros, 512);
	while (tar.len % 10240)
		strbuf_add(&tar, zeros, 512);
	if (rc != 0) {
		strbuf_release(&tar);
		return -1;
	}
	/* gzip: zlib's header has no name and time 0. */
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		strbuf_release(&tar);
		return -1;
	}
	zs.next_in = (Bytef *)tar.buf;
	zs.avail_in = (uInt)tar.len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof(buf);
		zr = deflate(&zs, Z_FINISH);
		strbuf_add(out, buf, sizeof(buf) - zs.avail_out);
	} while (zr == Z_OK);
	deflateEnd(&zs);
	strbuf_release(&tar);
	return zr == Z_STREAM_END ? 0 : -1;
}

static la_ssize_t
sb_write(struct archive *a, void *data, const void *buf, size_t n)
{
	(void)a;
	strbuf_add(data, buf, n);
	return (la_ssize_t)n;
}

static int
build_7z_locked(const upload_t *up, strbuf_t *out, char *err, size_t errsz)
{
	struct archive *a = archive_write_new();
	size_t i;
	int rc = 0;


	if (archive_write_set_format_7zip(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open(a, out, NULL, sb_write, NULL) != ARCHIVE_OK) {
		if (errsz)
			snprintf(err, errsz, "libarchive: %s", archive_error_string(a));
		archive_write_free(a);
		return -1;
	}
	for (i = 0; i < up->n && rc == 0; i++) {
		const member_t *m = &up->m[i];
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname_utf8(e, m->stored);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)m->len);
		archive_entry_set_mtime(e, (time_t)m->mtime, 0);
		if (archive_write_header(a, e) < ARCHIVE_WARN ||
		    archive_write_data(a, m->data, m->len) != (la_ssize_t)m->len) {
			if (errsz)
				snprintf(err, errsz, "libarchive: %s", archive_error_string(a));
			rc = -1;
		}
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK && rc == 0) {
		if (errsz)
			snprintf(err, errsz, "libarchive: %s", archive_error_string(a));
		rc = -1;
	}
	archive_write_free(a);
	return rc;
}

/*
 * libarchive's 7-Zip writer converts names from the locale's charset to
 * UTF-16: the names are UTF-8, so the thread runs in a UTF-8 locale while
 * it writes.
 */
static int
build_7z(const upload_t *up, strbuf_t *out, char *err, size_t errsz)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old = (locale_t)0;
	int rc;
	if (utf8 == (locale_t)0)
		utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	if (utf8 == (locale_t)0) {
		if (errsz)
			snprintf(err, errsz, "no UTF-8 locale for 7-Zip names");
		return -1;
	}
	old = uselocale(utf8);
	rc = build_7z_locked(up, out, err, errsz);
	uselocale(old);
	freelocale(utf8);
	return rc;
}

static corpus_status_t
write_upload(corpus_uploads_t *u, upload_t *up, char *err, size_t errsz)
{
	strbuf_t data = STRBUF_INIT, path = STRBUF_INIT;
	char msg[256] = "";
	int rc;
	FILE *f;

	switch (up->kind) {
	case UP_ZIP_CP866:
		rc = build_zip(up, -1, 0, &data, NULL, NULL);
		break;
	case UP_ZIP_UTF8:
		rc = build_zip(up, -1, 1, &data, NULL, NULL);
		break;
	case UP_TARGZ:
		rc = build_targz(up, &data);
		break;
	case UP_7Z:
		rc = build_7z(up, &data, msg, sizeof(msg));
		break;
	default: {
		strbuf_t inner = STRBUF_INIT;
		size_t i;
		int any = 0;
		for (i = 0; i < up->n; i++)
			any |= up->m[i].inner;
		rc = any ? build_zip(up, 1, !up->inner_cp866, &inner, NULL, NULL) : 0;
		if (rc == 0)
			rc = build_zip(up, 0, 1, &data, any ? up->inner_name : NULL, any ? &inner : NULL);
		strbuf_release(&inner);
		break;
	}
	}
	strbuf_addf(&path, "%s/%s", u->outdir, up->path);
	if (rc != 0) {
		if (errsz)
			snprintf(err, errsz, "cannot build the upload%s%s '%s'", *msg ? ": " : "", msg,
				 path.buf);
		strbuf_release(&data);
		strbuf_release(&path);
		return CORPUS_ERR_ZIP;
	}
	f = fopen(path.buf, "wb");
	if (!f || fwrite(data.buf, 1, data.len, f) != data.len || fclose(f) != 0) {
		if (errsz)
			snprintf(err, errsz, "cannot write file (%s) '%s'", strerror(errno), path.buf);
		if (f)
			fclose(f);
		strbuf_release(&data);
		strbuf_release(&path);
		return CORPUS_ERR_IO;
	}
	strbuf_release(&data);
	strbuf_release(&path);
	up->written = 1;
	upload_release_members(up);
	return CORPUS_OK;
}

corpus_status_t
corpus_uploads_flush(corpus_uploads_t *u, size_t next_index, char *err, size_t errsz)
{
	size_t i, period = next_index / UPLOAD_PERIOD;
	for (i = 0; i < u->n; i++) {
		upload_t *up = &u->u[i];
		corpus_status_t rc;
		if (up->written || (next_index != (size_t)-1 && up->period >= period))
			continue;
		rc = write_upload(u, up, err, errsz);
		if (rc != CORPUS_OK)
			return rc;
	}
	return CORPUS_OK;
}
