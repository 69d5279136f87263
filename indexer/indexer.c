#include "indexer/indexer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/archive.h"
#include "indexer/gazetteer.h"
#include "indexer/indexer-int.h"
#include "indexer/reader.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* A title longer than this is cut (at a character boundary). */
#define TITLE_MAX 240
/* Deepest directory nesting walked; deeper is reported, not followed. */
#define WALK_MAX_DEPTH 64

/*
 * A database whose creation was cut short (the run killed between Xapian
 * writing its tables and its version file) holds nothing, but Xapian will
 * neither open nor create it.  Such a directory, with Xapian's files only,
 * none of them the version file, and no writer holding its lock, is
 * emptied so that it is created again.  Anything else is left alone.
 */
static void
clear_unfinished(const char *dbpath)
{
	static const char *const known[] = { "flintlock", "postlist.glass", "termlist.glass",
					      "position.glass", "docdata.glass",
					      "spelling.glass", "synonym.glass",
					      "protodex-writer" };
	DIR *d = opendir(dbpath);
	struct dirent *e;
	strbuf_t path = STRBUF_INIT;
	int tables = 0, foreign = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t k;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (!strcmp(e->d_name, known[k]))
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			foreign = 1; /* iamglass among them: a database */
		else if (strstr(e->d_name, ".glass"))
			tables = 1;
	}
	closedir(d);
	if (foreign || !tables)
		return;
	/* a creator still at work holds the lock file */
	strbuf_addf(&path, "%s/flintlock", dbpath);
	{
		int fd = open(path.buf, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
			int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
			close(fd);
			if (held) {
				strbuf_release(&path);
				return;
			}
		}
	}
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dbpath, known[k]);
		unlink(path.buf);
	}
	strbuf_release(&path);
}

static indexer_status_t
map_db_status(xapian_c_status_t st)
{
	switch (st) {
	case XAPIAN_C_OK: return INDEXER_OK;
	case XAPIAN_C_LOCKED: return INDEXER_LOCKED;
	default: return INDEXER_DB_ERROR;
	}
}

static char *
msgdup(const strbuf_t *sb)
{
	return xstrdup(sb->buf);
}

indexer_status_t
indexer_open(const char *dbpath, indexer_t **out, char **errmsg)
{
	indexer_t *ix;
	xapian_c_status_t st;
	char *xmsg = NULL, *schema = NULL, *analyzer = NULL;
	unsigned count = 0;
	strbuf_t why = STRBUF_INIT;
	indexer_status_t ret = INDEXER_OK;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	ix = xcalloc(1, sizeof(*ix));
	ix->dbpath = xstrdup(dbpath);
	arc_limits_default(&ix->arc_limits);
	ix->commit_every = COMMIT_EVERY;
	strbuf_init(&ix->errors, 0);
	ix->gazetteer = gazetteer_new_default();
	ix->stemmer = indexer_new_stemmer(&xmsg);
	if (!ix->stemmer) {
		strbuf_addf(&why, "cannot start the analyzer: %s", xmsg ? xmsg : "unknown error");
		ret = INDEXER_ERROR;
		goto fail;
	}
	if (util_mkdir_parents(dbpath) < 0) {
		strbuf_addf(&why, "cannot create the directories for database '%s': %s", dbpath,
			    strerror(errno));
		ret = INDEXER_DB_ERROR;
		goto fail;
	}
	clear_unfinished(dbpath);
	st = xapian_c_wdb_open(dbpath, &ix->wdb, &xmsg);
	if (st != XAPIAN_C_OK) {
		if (st == XAPIAN_C_LOCKED)
			strbuf_addf(&why, "database '%s' is locked: another 'protodex index' "
				    "is writing to it", dbpath);
		else
			strbuf_addf(&why, "cannot open database '%s' for writing: %s", dbpath,
				    xmsg ? xmsg : xapian_c_status_to_string(st));
		ret = map_db_status(st);
		goto fail;
	}
	if (xapian_c_wdb_get_metadata(ix->wdb, META_SCHEMA, &schema) ||
	    xapian_c_wdb_get_metadata(ix->wdb, META_ANALYZER, &analyzer) ||
	    xapian_c_wdb_doccount(ix->wdb, &count)) {
		strbuf_addf(&why, "cannot read database '%s': %s", dbpath,
			    xapian_c_wdb_error(ix->wdb));
		ret = INDEXER_DB_ERROR;
		goto fail;
	}
	if (!*schema && count == 0) {
		/* A new database: record what builds it, that its names
		 * have word terms and its dates month terms, and the
		 * expansions' words (all the analyzer knows yet) for
		 * searches. */
		strbuf_t words = STRBUF_INIT;
		stemmer_export_words(ix->stemmer, &words);
		if (xapian_c_wdb_set_metadata(ix->wdb, META_SCHEMA, SCHEMA_VERSION) ||
		    xapian_c_wdb_set_metadata(ix->wdb, META_ANALYZER, stemmer_version()) ||
		    xapian_c_wdb_set_metadata(ix->wdb, META_NAME_WORDS, "1") ||
		    xapian_c_wdb_set_metadata(ix->wdb, META_DATE_TERMS, "1") ||
		    xapian_c_wdb_set_metadata(ix->wdb, META_WDF_NORMALISED, "1") ||
		    xapian_c_wdb_set_metadata_bytes(ix->wdb, META_WORDS, strlen(META_WORDS),
						    words.buf, words.len) ||
		    xapian_c_wdb_commit(ix->wdb)) {
			strbuf_addf(&why, "cannot write database '%s': %s", dbpath,
				    xapian_c_wdb_error(ix->wdb));
			strbuf_release(&words);
			ret = INDEXER_DB_ERROR;
			goto fail;
		}
		strbuf_release(&words);
		ix->wdf_normalised = 1;
	} else if (!schema_compatible(dbpath, schema, analyzer, stemmer_version(), &why)) {
		ret = INDEXER_INCOMPATIBLE;
		goto fail;
	} else {
		/* An older database keeps its raw wdf: its searches read the
		 * document lengths. */
		char *norm = NULL;
		if (xapian_c_wdb_get_metadata(ix->wdb, META_WDF_NORMALISED, &norm)) {
			strbuf_addf(&why, "cannot read database '%s': %s", dbpath,
				    xapian_c_wdb_error(ix->wdb));
			ret = INDEXER_DB_ERROR;
			goto fail;
		}
		ix->wdf_normalised = !strcmp(norm, "1");
		free(norm);
	}
	if (xapian_c_wdb_get_metadata(ix->wdb, META_ERRORS, &ix->old_errors)) {
		strbuf_addf(&why, "cannot read database '%s': %s", dbpath,
			    xapian_c_wdb_error(ix->wdb));
		ret = INDEXER_DB_ERROR;
		goto fail;
	}
	free(schema);
	free(analyzer);
	free(xmsg);
	strbuf_release(&why);
	*out = ix;
	return INDEXER_OK;

fail:
	free(ix->old_errors);
	ix->old_errors = NULL; /* nothing to record on close */
	if (errmsg)
		*errmsg = msgdup(&why);
	strbuf_release(&why);
	free(schema);
	free(analyzer);
	free(xmsg);
	indexer_close(ix, NULL);
	return ret;
}

indexer_status_t
indexer_close(indexer_t *ix, char **errmsg)
{
	indexer_status_t ret = INDEXER_OK;
	if (errmsg)
		*errmsg = NULL;
	if (!ix)
		return INDEXER_OK;
	if (ix->wdb) {
		/* Only a database that opened well gets this run's list. */
		if (ix->old_errors && ix->n_errors > ERRORS_MAX_LINES)
			strbuf_addf(&ix->errors, "...\t%zu more\n", ix->n_errors - ERRORS_MAX_LINES);
		/* A run that changed nothing writes nothing: the revision
		 * stays, and so does the mark of a compaction. */
		if ((ix->old_errors && strcmp(ix->old_errors, ix->errors.buf) &&
		     xapian_c_wdb_set_metadata(ix->wdb, META_ERRORS, ix->errors.buf) != XAPIAN_C_OK) ||
		    indexer_write_words(ix) != XAPIAN_C_OK ||
		    xapian_c_wdb_commit(ix->wdb) != XAPIAN_C_OK) {
			ret = INDEXER_DB_ERROR;
			if (errmsg) {
				strbuf_t sb = STRBUF_INIT;
				strbuf_addf(&sb, "cannot commit to database '%s': %s", ix->dbpath,
					    xapian_c_wdb_error(ix->wdb));
				*errmsg = strbuf_detach(&sb, NULL);
			}
		}
	}
	/* A first load's parts: merged when all went well, removed anyway. */
	if (ix->load_dir) {
		if (ret == INDEXER_OK)
			ret = indexer_finish_load(ix, errmsg);
		util_remove_tree(ix->load_dir);
		for (size_t i = 0; i < ix->n_parts; i++)
			free(ix->parts[i]);
		free(ix->parts);
		free(ix->load_dir);
	}
	xapian_c_wdb_close(ix->wdb);
	stemmer_free(ix->stemmer);
	gazetteer_free(ix->gazetteer);
	free(ix->dbpath);
	free(ix->old_errors);
	strbuf_release(&ix->errors);
	free(ix);
	return ret;
}

const char *
indexer_notice(const indexer_t *ix)
{
	return stemmer_notice(ix->stemmer);
}

void
indexer_set_force(indexer_t *ix, int force)
{
	ix->force = force;
}

void
indexer_set_skip_report(indexer_t *ix, indexer_skip_fn fn, void *ctx)
{
	ix->on_skip = fn;
	ix->skip_ctx = ctx;
}

void
indexer_set_archive_limits(indexer_t *ix, const struct arc_limits *lim)
{
	ix->arc_limits = *lim;
}

const indexer_tally_t *
indexer_tally(const indexer_t *ix)
{
	return &ix->tally;
}

/* Append `s` with tabs and line breaks as spaces. */
static void
add_error_field(strbuf_t *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addch(sb, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void
indexer_note_skip(indexer_t *ix, const char *path, const char *why)
{
	if (++ix->n_errors > ERRORS_MAX_LINES)
		return;
	add_error_field(&ix->errors, path);
	strbuf_addch(&ix->errors, '\t');
	add_error_field(&ix->errors, why);
	strbuf_addch(&ix->errors, '\n');
}

/*
 * An archive left alone: keep what the last run said about its members
 * (the lines of the old list whose path is the archive's or inside it).
 */
static void
keep_old_errors(indexer_t *ix, const char *canon)
{
	size_t n = strlen(canon);
	const char *line = ix->old_errors;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && !strncmp(line, canon, n) &&
		    (line[n] == '\t' || !strncmp(line + n, "!/", 2))) {
			if (++ix->n_errors <= ERRORS_MAX_LINES) {
				strbuf_add(&ix->errors, line, len);
				strbuf_addch(&ix->errors, '\n');
			}
		}
		line = end ? end + 1 : NULL;
	}
}

void
indexer_source_id(const char *canonical_path, char id[17])
{
	snprintf(id, 17, "%016llx",
		 (unsigned long long)util_hash64(canonical_path, strlen(canonical_path)));
}

/* ---- One source ------------------------------------------------------------ */

/* Cut `s` to at most `max` bytes without splitting a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/*
 * The title: the first paragraph, joined with the next ones while it is
 * only a heading word ("ПРОТОКОЛ", "Выписка из протокола") — protocols
 * name their subject on the following line.
 */
static void
make_title(const reader_doc_t *doc, strbuf_t *title)
{
	size_t i;
	for (i = 0; i < doc->n_paras && title->len < 40; i++) {
		if (title->len)
			strbuf_addch(title, ' ');
		strbuf_add(title, doc->paras[i].text, doc->paras[i].len);
		strbuf_trim(title);
	}
	strbuf_setlen(title, utf8_cut(title->buf, title->len, TITLE_MAX));
}

static indexer_status_t
db_failure(indexer_t *ix, const char *what, char *err, size_t err_size)
{
	snprintf(err, err_size, "cannot %s database '%s': %s", what, ix->dbpath,
		 xapian_c_wdb_error(ix->wdb));
	return INDEXER_DB_ERROR;
}

/* What one source (a file, or an archive member) is. */
typedef struct source {
	const char *path;    /* canonical: "/up/a.zip!/b.docx" */
	const char *name;    /* for the reader's ties: the file or member name */
	const void *data;
	size_t len;
	const char *stamp;   /* of the file, or of the top-level archive */
	const char *archive; /* the top-level archive's id, or NULL */
	const char *file;    /* the file on disk (the top-level archive) */
	const char *content; /* hash of the file's bytes, or NULL */
} source_t;

/*
 * Read, parse and write one source.  INDEXER_OK with *indexed set (0:
 * skipped, the reason in err), or a database failure.
 */
static indexer_status_t
index_source(indexer_t *ix, const source_t *s, int *indexed, char *err, size_t err_size)
{
	char id[17], size[32];
	strbuf_t title = STRBUF_INIT;
	reader_doc_t rd;
	reader_status_t rs;
	protocol_t proto;
	records_ctx_t rc;
	records_source_t src;
	indexer_status_t ret = INDEXER_OK;

	*indexed = 0;
	err[0] = '\0';
	reader_doc_init(&rd);
	protocol_init(&proto);
	rs = reader_read_buffer(s->name, s->data, s->len, &rd);
	if (rs != READER_OK) {
		snprintf(err, err_size, "%s", rd.error[0] ? rd.error : reader_status_to_string(rs));
		goto out;
	}
	if (rd.n_paras == 0) {
		snprintf(err, err_size, "no text found");
		goto out;
	}
	protocol_parse(&proto, rd.paras, rd.n_paras, ix->gazetteer);
	make_title(&rd, &title);

	indexer_source_id(s->path, id);
	snprintf(size, sizeof(size), "%zu", s->len);
	rc.wdb = ix->wdb;
	rc.stemmer = ix->stemmer;
	rc.err = err;
	rc.err_size = err_size;
	rc.db_failed = 0;
	rc.wdf_normalised = ix->wdf_normalised;
	src.id = id;
	src.path = s->path;
	src.title = title.buf;
	src.size = size;
	src.stamp = s->stamp;
	src.format = reader_format_name(rd.format);
	src.encoding = rd.encoding ? rd.encoding : "";
	src.archive = s->archive;
	src.file = s->file;
	src.content = s->content;
	if (records_write_source(&rc, &src, &rd, &proto) < 0) {
		ret = rc.db_failed ? INDEXER_DB_ERROR : INDEXER_ERROR;
		goto out;
	}
	*indexed = 1;
	if (ix->commit_every && ++ix->pending >= ix->commit_every)
		ret = indexer_commit(ix, err, err_size);
out:
	protocol_release(&proto);
	strbuf_release(&title);
	reader_doc_release(&rd);
	return ret;
}

/* Delete every document with `prefix` + `id`. */
static indexer_status_t
delete_by(indexer_t *ix, const char *prefix, const char *id, char *err, size_t err_size)
{
	strbuf_t term = STRBUF_INIT;
	xapian_c_status_t xs;
	strbuf_addf(&term, "%s%s", prefix, id);
	xs = xapian_c_wdb_delete_by_term(ix->wdb, term.buf);
	strbuf_release(&term);
	return xs == XAPIAN_C_OK ? INDEXER_OK : db_failure(ix, "write to", err, err_size);
}

/* 1 when the document found by prefix+id has `stamp`; -1 on a database failure. */
static int
stamp_matches(indexer_t *ix, const char *prefix, const char *id, const char *stamp)
{
	strbuf_t term = STRBUF_INIT;
	char *old = NULL;
	size_t old_len = 0;
	int ret;
	xapian_c_status_t xs;
	strbuf_addf(&term, "%s%s", prefix, id);
	xs = xapian_c_wdb_get_value_by_term(ix->wdb, term.buf, SLOT_STAMP, &old, &old_len);
	/* 1 same, 2 indexed with another stamp, 0 never indexed, -1 error */
	ret = xs == XAPIAN_C_OK ? (strcmp(old, stamp) ? 2 : 1) : xs == XAPIAN_C_NOT_FOUND ? 0 : -1;
	free(old);
	strbuf_release(&term);
	return ret;
}

/* Walking one archive. */
struct walk_ctx {
	indexer_t *ix;
	const char *given;   /* the path as given, for messages */
	const char *canon;
	const char *stamp;
	const char *archive; /* its id */
	const char *content; /* hash of the archive file's bytes, or NULL */
	indexer_status_t failed;
	char *err;
	size_t err_size;
	size_t n_members;    /* indexed or skipped */
};

static void
skip_member(struct walk_ctx *w, const char *member, const char *why)
{
	strbuf_t path = STRBUF_INIT;
	w->ix->tally.skipped++;
	w->n_members++;
	if (member) {
		strbuf_addf(&path, "%s!/%s", w->canon, member);
		indexer_note_skip(w->ix, path.buf, why);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s!/%s", w->given, member);
	} else {
		indexer_note_skip(w->ix, w->canon, why);
		strbuf_adds(&path, w->given);
	}
	if (w->ix->on_skip)
		w->ix->on_skip(w->ix->skip_ctx, path.buf, why);
	strbuf_release(&path);
}

static void
on_archive_problem(void *ctx, const char *member, const char *why)
{
	skip_member(ctx, member, why);
}

static int
on_archive_member(void *ctx, const arc_member_t *m)
{
	struct walk_ctx *w = ctx;
	strbuf_t path = STRBUF_INIT;
	source_t s;
	char why[600];
	int indexed;
	strbuf_addf(&path, "%s!/%s", w->canon, m->path);
	s.path = path.buf;
	s.name = m->name;
	s.data = m->data;
	s.len = m->size;
	s.stamp = w->stamp;
	s.archive = w->archive;
	s.file = w->canon;
	s.content = w->content;
	w->failed = index_source(w->ix, &s, &indexed, why, sizeof(why));
	strbuf_release(&path);
	if (w->failed != INDEXER_OK) {
		snprintf(w->err, w->err_size, "%s", why);
		return 1;
	}
	if (indexed) {
		w->ix->tally.indexed++;
		if (w->ix->existed)
			w->ix->tally.updated++;
		w->n_members++;
	} else {
		skip_member(w, m->path, why);
	}
	return 0;
}

/*
 * The members of the archive `canon`, from `data` (the whole file) or,
 * when NULL, streamed from the file.
 */
static indexer_status_t
add_archive(indexer_t *ix, const char *given, const char *canon, const char *id,
	    const char *stamp, const char *content, const void *data, size_t len,
	    indexer_outcome_t *outcome, char *err, size_t err_size)
{
	struct walk_ctx w;
	char why[600];
	arc_status_t as;
	indexer_status_t ret;

	/* Its old members, and what this path was if it was not an archive. */
	if ((ret = delete_by(ix, PREFIX_ARCHIVE, id, err, err_size)) != INDEXER_OK ||
	    (ret = delete_by(ix, PREFIX_PROTOCOL, id, err, err_size)) != INDEXER_OK)
		return ret;
	w.ix = ix;
	w.given = given;
	w.canon = canon;
	w.stamp = stamp;
	w.archive = id;
	w.content = content;
	w.failed = INDEXER_OK;
	w.err = err;
	w.err_size = err_size;
	w.n_members = 0;
	if (data)
		as = arc_walk_buffer(data, len, &ix->arc_limits, on_archive_member,
				     on_archive_problem, &w, why, sizeof(why));
	else
		as = arc_walk_file(canon, &ix->arc_limits, on_archive_member, on_archive_problem,
				   &w, why, sizeof(why));
	if (as == ARC_STOPPED)
		return w.failed != INDEXER_OK ? w.failed : INDEXER_ERROR;
	if (as != ARC_OK && w.n_members == 0) {
		snprintf(err, err_size, "%s", why);
		return INDEXER_OK; /* SKIPPED */
	}
	if (as == ARC_OK && w.n_members == 0) {
		snprintf(err, err_size, "archive without any file");
		return INDEXER_OK; /* SKIPPED */
	}
	if (as != ARC_OK)
		skip_member(&w, NULL, why);
	*outcome = INDEXER_INDEXED;
	return INDEXER_OK;
}

indexer_status_t
indexer_add_file(indexer_t *ix, const char *path, indexer_outcome_t *outcome, char *err,
		 size_t err_size)
{
	char canon[PATH_MAX], id[17], stamp[64], content[17] = "";
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int is_archive = 0, r;
	indexer_status_t ret = INDEXER_OK;

	err[0] = '\0';
	canon[0] = '\0';
	*outcome = INDEXER_SKIPPED;

	if (!realpath(path, canon) || stat(canon, &st) < 0) {
		snprintf(err, err_size, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "not a regular file");
		goto out;
	}
	indexer_source_id(canon, id);
	snprintf(stamp, sizeof(stamp), "%lld:%lld.%09ld", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);

	{
		int sp = stamp_matches(ix, PREFIX_ID, id, stamp), sa = 0;
		if (sp == 0)
			sa = stamp_matches(ix, PREFIX_ARCHIVE, id, stamp);
		if (sp < 0 || sa < 0) {
			ret = db_failure(ix, "read", err, err_size);
			goto out;
		}
		ix->existed = sp > 0 || sa > 0;
		if (!ix->force && (sp == 1 || sa == 1)) {
			if (sa == 1)
				keep_old_errors(ix, canon);
			*outcome = INDEXER_UNCHANGED;
			goto out;
		}
	}

	/*
	 * Read the whole file when the readers could take it; a larger one
	 * can only be an archive, streamed from disk.
	 */
	if ((uint64_t)st.st_size > READER_MAX_INPUT) {
		char head[512];
		FILE *f = fopen(canon, "rb");
		size_t n = f ? fread(head, 1, sizeof(head), f) : 0;
		if (f)
			fclose(f);
		if (!arc_is_archive(canon, head, n)) {
			snprintf(err, err_size, "file too large (%lld bytes, limit %u)",
				 (long long)st.st_size, READER_MAX_INPUT);
			goto out;
		}
		is_archive = 1;
	} else {
		r = util_read_file(canon, READER_MAX_INPUT, &buf, &len);
		if (r == -2) {
			snprintf(err, err_size, "file too large (limit %u bytes)", READER_MAX_INPUT);
			goto out;
		}
		if (r < 0) {
			snprintf(err, err_size, "cannot read: %s", strerror(errno));
			goto out;
		}
		is_archive = arc_is_archive(canon, buf, len);
	}

	/* The same bytes indexed before under a path that is gone: a file
	 * uploaded again under another name.  Its old documents go now. */
	if (buf) {
		char *old = NULL;
		size_t old_len = 0;
		strbuf_t term = STRBUF_INIT;
		xapian_c_status_t xs;
		struct stat ost;
		snprintf(content, sizeof(content), "%016llx",
			 (unsigned long long)util_hash64(buf, len));
		strbuf_addf(&term, "%s%s", PREFIX_CONTENT, content);
		xs = xapian_c_wdb_get_value_by_term(ix->wdb, term.buf, SLOT_FILE, &old, &old_len);
		strbuf_release(&term);
		if (xs == XAPIAN_C_OK && !ix->force && !strcmp(old, canon)) {
			/* Touched, not changed (a copy kept its bytes): not parsed
			 * again; the next run hashes it again. */
			free(old);
			if (is_archive)
				keep_old_errors(ix, canon);
			*outcome = INDEXER_UNCHANGED;
			goto out;
		}
		if (xs == XAPIAN_C_OK && old_len && strcmp(old, canon) &&
		    lstat(old, &ost) != 0 && errno == ENOENT) {
			char old_id[17];
			indexer_source_id(old, old_id);
			ret = delete_by(ix, PREFIX_PROTOCOL, old_id, err, err_size);
			if (ret == INDEXER_OK)
				ret = delete_by(ix, PREFIX_ARCHIVE, old_id, err, err_size);
			if (ret == INDEXER_OK)
				ix->tally.renamed++;
		} else if (xs != XAPIAN_C_OK && xs != XAPIAN_C_NOT_FOUND) {
			ret = db_failure(ix, "read", err, err_size);
		}
		free(old);
		if (ret != INDEXER_OK)
			goto out;
	}

	if (is_archive) {
		ret = add_archive(ix, path, canon, id, stamp, buf ? content : NULL, buf, len,
				  outcome, err, err_size);
	} else {
		source_t s = { canon, canon, buf, len, stamp, NULL, canon, *content ? content : NULL };
		int indexed;
		/* What this path held when it was an archive. */
		ret = delete_by(ix, PREFIX_ARCHIVE, id, err, err_size);
		if (ret == INDEXER_OK)
			ret = index_source(ix, &s, &indexed, err, err_size);
		if (ret == INDEXER_OK && indexed)
			*outcome = INDEXER_INDEXED;
	}

out:
	free(buf);
	if (ret == INDEXER_OK) {
		if (*outcome == INDEXER_SKIPPED) {
			ix->tally.skipped++;
			indexer_note_skip(ix, canon[0] ? canon : path, err);
		} else if (*outcome == INDEXER_UNCHANGED) {
			ix->tally.unchanged++;
		} else if (!is_archive) {
			ix->tally.indexed++;
			if (ix->existed)
				ix->tally.updated++;
		}
	}
	return ret;
}

stemmer_t *
indexer_new_stemmer(char **errmsg)
{
	stemmer_options_t so = STEMMER_OPTIONS_INIT;
	stemmer_t *s;
	so.log_words = 1;
	s = stemmer_new_with(&so, errmsg);
	if (s) {
		/* The abbreviations' expansions, worked out at start: the
		 * database has them as META_WORDS since its creation, and
		 * writing them again would make every run a change. */
		strbuf_t start = STRBUF_INIT;
		stemmer_take_words(s, &start);
		strbuf_release(&start);
	}
	return s;
}

xapian_c_status_t
indexer_write_words(indexer_t *ix)
{
	strbuf_t list = STRBUF_INIT, key = STRBUF_INIT;
	const char *p, *word, *keys;
	size_t len, wl, kl;
	xapian_c_status_t st = XAPIAN_C_OK;
	if (!ix->hint_written) {
		char *old = NULL;
		stemmer_dictionary_hint(&list);
		st = xapian_c_wdb_get_metadata(ix->wdb, META_DICTIONARY, &old);
		if (st == XAPIAN_C_OK && strcmp(old, list.buf))
			st = xapian_c_wdb_set_metadata(ix->wdb, META_DICTIONARY, list.buf);
		free(old);
		ix->hint_written = st == XAPIAN_C_OK;
	}
	stemmer_take_words(ix->stemmer, &list);
	p = list.buf;
	len = list.len;
	while (st == XAPIAN_C_OK && stemmer_word_list_next(&p, &len, &word, &wl, &keys, &kl) == 1) {
		if (wl > META_WORD_MAX)
			continue;
		strbuf_reset(&key);
		strbuf_adds(&key, META_WORD);
		strbuf_add(&key, word, wl);
		st = xapian_c_wdb_set_metadata_bytes(ix->wdb, key.buf, key.len, keys, kl);
	}
	strbuf_release(&list);
	strbuf_release(&key);
	return st;
}

indexer_status_t
indexer_commit(indexer_t *ix, char *err, size_t err_size)
{
	ix->pending = 0;
	if (indexer_write_words(ix) != XAPIAN_C_OK || xapian_c_wdb_commit(ix->wdb) != XAPIAN_C_OK)
		return db_failure(ix, "commit to", err, err_size);
	return INDEXER_OK;
}

/* ---- Walking ------------------------------------------------------------ */

static void
files_add(indexer_files_t *files, const char *path)
{
	if (files->n == files->alloc) {
		files->alloc = files->alloc ? files->alloc * 2 : 64;
		files->paths = xrealloc(files->paths, files->alloc * sizeof(*files->paths));
	}
	files->paths[files->n++] = xstrdup(path);
}

static int
cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Walk with an explicit stack of directory paths rather than recursion, so
 * a deep tree cannot exhaust the C stack.
 */
static int
walk_root(const char *root, indexer_files_t *files, indexer_walk_error_fn on_error, void *ctx)
{
	indexer_files_t stack = { NULL, 0, 0 };
	size_t first = files->n;
	struct stat st;
	int failed = 0;

	if (stat(root, &st) < 0) {
		on_error(ctx, root, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode))
			files_add(files, root);
		else
			on_error(ctx, root, "not a regular file or directory");
		return !S_ISREG(st.st_mode);
	}
	files_add(&stack, root);
	while (stack.n) {
		char *dir = stack.paths[--stack.n];
		DIR *d = opendir(dir);
		struct dirent *de;
		size_t depth = 0;
		const char *p;
		for (p = dir + strlen(root); *p; p++)
			depth += *p == '/';
		if (!d) {
			on_error(ctx, dir, strerror(errno));
			failed = 1;
			free(dir);
			continue;
		}
		while ((de = readdir(d))) {
			strbuf_t child = STRBUF_INIT;
			struct stat cst;
			if (de->d_name[0] == '.')
				continue;
			strbuf_addf(&child, "%s%s%s", dir,
				    dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
			if (lstat(child.buf, &cst) < 0) {
				on_error(ctx, child.buf, strerror(errno));
			} else if (S_ISLNK(cst.st_mode)) {
				/* Follow links to files only: a link to a directory may loop. */
				if (stat(child.buf, &cst) == 0 && S_ISREG(cst.st_mode))
					files_add(files, child.buf);
			} else if (S_ISDIR(cst.st_mode)) {
				if (depth >= WALK_MAX_DEPTH)
					on_error(ctx, child.buf, "directory nested too deep, not walked");
				else
					files_add(&stack, child.buf);
			} else if (S_ISREG(cst.st_mode)) {
				files_add(files, child.buf);
			}
			strbuf_release(&child);
		}
		closedir(d);
		free(dir);
	}
	indexer_files_release(&stack);
	qsort(files->paths + first, files->n - first, sizeof(*files->paths), cmp_paths);
	return failed;
}

size_t
indexer_collect(const char *const *roots, size_t n_roots, indexer_files_t *files,
		indexer_walk_error_fn on_error, void *ctx)
{
	size_t i, bad = 0;
	for (i = 0; i < n_roots; i++)
		bad += (size_t)walk_root(roots[i], files, on_error, ctx);
	return bad;
}

void
indexer_files_release(indexer_files_t *files)
{
	size_t i;
	for (i = 0; i < files->n; i++)
		free(files->paths[i]);
	free(files->paths);
	files->paths = NULL;
	files->n = files->alloc = 0;
}

/* ---- Files gone, roots remembered --------------------------------------- */

/* Longer terms were cut when written (records.c): their path is unknown. */
#define SOURCE_TERM_MAX 240

struct gone_ctx {
	strbuf_t prefix;    /* "XG" + root */
	char **paths;
	size_t n, cap;
};

static int
collect_gone(void *vctx, const char *term, size_t len, unsigned freq)
{
	struct gone_ctx *g = vctx;
	const char *path = term + strlen(PREFIX_SOURCE);
	struct stat st;
	(void)freq;
	if (len >= SOURCE_TERM_MAX)
		return 0;
	/* under the root: the root itself, or root + "/" ... */
	if (len > g->prefix.len && term[g->prefix.len] != '/' &&
	    !(g->prefix.len > 0 && g->prefix.buf[g->prefix.len - 1] == '/'))
		return 0;
	if (lstat(path, &st) == 0 || errno != ENOENT)
		return 0;
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->paths = xrealloc(g->paths, g->cap * sizeof(*g->paths));
	}
	g->paths[g->n++] = xstrndup(path, len - strlen(PREFIX_SOURCE));
	return 0;
}

indexer_status_t
indexer_remove_missing(indexer_t *ix, const char *root, size_t *removed, char *err,
		       size_t err_size)
{
	struct gone_ctx g = { STRBUF_INIT, NULL, 0, 0 };
	struct stat st;
	indexer_status_t ret = INDEXER_OK;
	size_t i;

	*removed = 0;
	err[0] = '\0';
	if (stat(root, &st) != 0)
		return INDEXER_OK;
	strbuf_addf(&g.prefix, "%s%s", PREFIX_SOURCE, root);
	if (xapian_c_wdb_terms(ix->wdb, g.prefix.buf, collect_gone, &g) != XAPIAN_C_OK)
		ret = db_failure(ix, "read", err, err_size);
	for (i = 0; i < g.n && ret == INDEXER_OK; i++) {
		char id[17];
		indexer_source_id(g.paths[i], id);
		ret = delete_by(ix, PREFIX_PROTOCOL, id, err, err_size);
		if (ret == INDEXER_OK)
			ret = delete_by(ix, PREFIX_ARCHIVE, id, err, err_size);
		if (ret == INDEXER_OK)
			(*removed)++;
	}
	for (i = 0; i < g.n; i++)
		free(g.paths[i]);
	free(g.paths);
	strbuf_release(&g.prefix);
	return ret;
}

indexer_status_t
indexer_roots(indexer_t *ix, char ***roots, size_t *n)
{
	char *text = NULL, *line, *save = NULL;
	*roots = NULL;
	*n = 0;
	if (xapian_c_wdb_get_metadata(ix->wdb, META_ROOTS, &text) != XAPIAN_C_OK)
		return INDEXER_DB_ERROR;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		*roots = xrealloc(*roots, (*n + 1) * sizeof(**roots));
		(*roots)[(*n)++] = xstrdup(line);
	}
	free(text);
	return INDEXER_OK;
}

indexer_status_t
indexer_remember_root(indexer_t *ix, const char *root)
{
	char *text = NULL;
	strbuf_t all = STRBUF_INIT;
	const char *p;
	size_t len = strlen(root);
	indexer_status_t ret = INDEXER_OK;

	if (xapian_c_wdb_get_metadata(ix->wdb, META_ROOTS, &text) != XAPIAN_C_OK)
		return INDEXER_DB_ERROR;
	for (p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (n == len && !memcmp(p, root, len))
			goto out; /* known */
		p += n + (p[n] == '\n');
	}
	strbuf_addf(&all, "%s%s\n", text, root);
	if (xapian_c_wdb_set_metadata(ix->wdb, META_ROOTS, all.buf) != XAPIAN_C_OK)
		ret = INDEXER_DB_ERROR;
out:
	free(text);
	strbuf_release(&all);
	return ret;
}
