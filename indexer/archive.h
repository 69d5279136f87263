/*
 * archive: the members of an uploaded archive, streamed with libarchive.
 *
 * Municipal uploads arrive as .zip (member names in CP866 from old Windows
 * archivers, or UTF-8), .tar.gz/.bz2/.xz, .7z, .rar, often an archive
 * inside an archive.  The walker hands each regular member, decompressed
 * in memory, to a callback; a member that is itself an archive (judged by
 * its content, see arc_is_archive) is walked in turn.  Nothing is ever
 * written to disk and member names are never used as file-system paths:
 * they are only labels, shown to the user and stored in the index.
 *
 *   arc_limits_t lim;
 *   char err[512];
 *   arc_limits_default(&lim);
 *   st = arc_walk_file("upload.zip", &lim, on_member, on_problem, ctx,
 *                      err, sizeof err);
 *
 * Member paths are UTF-8, relative to the top-level archive, with "!/"
 * between the levels of nesting: "b.zip!/Протокол №8.docx".  A name is
 * UTF-8 when the archive says so (zip's UTF-8 flag, pax headers, 7z and
 * RAR 5 names); otherwise its raw bytes are kept when they are valid
 * UTF-8, and decoded as CP866 — what DOS and Windows archivers wrote —
 * or, when the bytes only make sense that way, windows-1251.  Control
 * characters are replaced by U+FFFD; "../" and absolute paths are kept as
 * written (they are only displayed); libarchive turns a zip's backslashes
 * into slashes, since Windows archivers wrote them as separators.
 *
 * Untrusted input has limits (arc_limits_t).  A member over the size
 * limit is read only up to the limit and reported; an archive nested too
 * deep is reported and not opened; a member that cannot be read
 * (encrypted, damaged data) is reported; all those are skipped and the
 * walk goes on.  The member count, total size and time limits stop the
 * whole upload (reported for the member where they were hit).  A damaged
 * or truncated archive keeps the members read before the damage: the
 * walk reports the error and returns ARC_DAMAGED (or, for a nested
 * archive, reports it as a problem of that member).
 *
 * Nothing here prints.  The "archive_" prefix belongs to libarchive, so
 * this module's names start with "arc_".
 */
#ifndef PROTODEX_ARCHIVE_H
#define PROTODEX_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

/* Defaults of arc_limits_t (arc_limits_default). */
#define ARC_DEFAULT_MAX_DEPTH 3
#define ARC_DEFAULT_MAX_MEMBER_BYTES (64u * 1024 * 1024) /* = READER_MAX_INPUT */
#define ARC_DEFAULT_MAX_TOTAL_BYTES ((uint64_t)1 << 30)  /* 1 GiB */
#define ARC_DEFAULT_MAX_MEMBERS 10000
#define ARC_DEFAULT_MAX_SECONDS 300.0

typedef struct arc_limits {
	/*
	 * Archives nested inside the top-level one that are still opened:
	 * with 3, a.zip!/b.zip!/c.zip!/d.zip!/x.txt is read, and an archive
	 * inside d.zip is reported instead.  0 opens no nested archive.
	 */
	unsigned max_depth;
	/* Decompressed size of one member; reading stops past it. */
	uint64_t max_member_bytes;
	/*
	 * Decompressed bytes of the whole upload, nested archives included
	 * (a member skipped for its size counts with its declared size).
	 */
	uint64_t max_total_bytes;
	/* Regular members, at every level of nesting. */
	size_t max_members;
	/* Wall time for the whole upload, checked between reads. */
	double max_seconds;
} arc_limits_t;

void arc_limits_default(arc_limits_t *lim);

typedef enum arc_status {
	ARC_OK = 0,
	ARC_NOT_ARCHIVE, /* not a format libarchive reads (nothing read) */
	ARC_DAMAGED,     /* damaged or truncated: members before it were given */
	ARC_LIMIT,       /* stopped by the member count, total size or time limit */
	ARC_STOPPED,     /* the member callback asked to stop */
	ARC_IO           /* cannot open or read the file */
} arc_status_t;

typedef struct arc_member {
	const char *path;   /* UTF-8, from the top-level archive: "b.zip!/c.txt" */
	const char *name;   /* the last component of path: "c.txt" (its
			       full name inside its own archive) */
	const void *data;   /* the decompressed bytes (NUL-terminated) */
	size_t size;
	unsigned depth;     /* 0 for members of the top-level archive */
	int64_t mtime;      /* seconds since the epoch; 0 when unknown */
} arc_member_t;

/*
 * A regular member that is not itself an archive (archives are walked, or
 * reported when nested past max_depth).  Return 0 to go on, non-zero to
 * stop the walk (ARC_STOPPED).  The member is only valid during the call.
 */
typedef int (*arc_member_fn)(void *ctx, const arc_member_t *m);
/*
 * A member skipped, or a nested archive damaged: its path (as above, or
 * the nested archive's path) and why, problem first, no full stop.
 */
typedef void (*arc_problem_fn)(void *ctx, const char *path, const char *why);

/*
 * Walk the archive at `path` (streamed from disk) or in buf[0..len).
 * Returns ARC_OK, or another status with a message in err.  `on_problem`
 * may be NULL.  `name` (for the buffer) only labels messages.
 */
arc_status_t arc_walk_file(const char *path, const arc_limits_t *lim, arc_member_fn on_member,
			   arc_problem_fn on_problem, void *ctx, char *err, size_t err_size);
arc_status_t arc_walk_buffer(const void *buf, size_t len, const arc_limits_t *lim,
			     arc_member_fn on_member, arc_problem_fn on_problem, void *ctx,
			     char *err, size_t err_size);

/*
 * 1 when buf[0..len) is an archive to walk, by content: gzip, bzip2, xz,
 * zstd, lzip, 7z, RAR, tar ("ustar" at 257), cab, and zip that is not a
 * document container (DOCX and whatever else reader_detect_format knows;
 * OOXML with [Content_Types].xml; OpenDocument with "mimetype").  `name`
 * only breaks ties for damaged document zips (".docx", ".odt", ...).
 * Only the first 512 bytes are needed, except for zip.
 */
int arc_is_archive(const char *name, const void *buf, size_t len);

/*
 * A member name as stored (raw bytes) into UTF-8 for display, as the
 * header says (CP866 or windows-1251 unless valid UTF-8, control
 * characters replaced).  Appends to *out.
 */
struct strbuf;
void arc_decode_name(const char *raw, size_t len, struct strbuf *out);

const char *arc_status_to_string(arc_status_t st);

#endif
