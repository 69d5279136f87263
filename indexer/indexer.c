#include "indexer/indexer.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "indexer/gazetteer.h"
#include "indexer/indexer-int.h"
#include "indexer/reader.h"
#include "stemmer/stemmer.h"
#include "xapian-c/xapian-c.h"

/* Commit after this many documents so a long run's work is durable. */
#define COMMIT_EVERY 1000
/* A title longer than this is cut (at a character boundary). */
#define TITLE_MAX 240
/* Deepest directory nesting walked; deeper is reported, not followed. */
#define WALK_MAX_DEPTH 64

struct indexer {
	xapian_c_wdb_t *wdb;
	stemmer_t *stemmer;
	gazetteer_t *gazetteer;
	char *dbpath;
	int force;
	unsigned pending;
};

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
	ix->gazetteer = gazetteer_new_default();
	ix->stemmer = stemmer_new(&xmsg);
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
		/* A new database: record what builds it. */
		if (xapian_c_wdb_set_metadata(ix->wdb, META_SCHEMA, SCHEMA_VERSION) ||
		    xapian_c_wdb_set_metadata(ix->wdb, META_ANALYZER, stemmer_version()) ||
		    xapian_c_wdb_commit(ix->wdb)) {
			strbuf_addf(&why, "cannot write database '%s': %s", dbpath,
				    xapian_c_wdb_error(ix->wdb));
			ret = INDEXER_DB_ERROR;
			goto fail;
		}
	} else if (!schema_compatible(dbpath, schema, analyzer, stemmer_version(), &why)) {
		ret = INDEXER_INCOMPATIBLE;
		goto fail;
	}
	free(schema);
	free(analyzer);
	free(xmsg);
	strbuf_release(&why);
	*out = ix;
	return INDEXER_OK;

fail:
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
		if (xapian_c_wdb_commit(ix->wdb) != XAPIAN_C_OK) {
			ret = INDEXER_DB_ERROR;
			if (errmsg) {
				strbuf_t sb = STRBUF_INIT;
				strbuf_addf(&sb, "cannot commit to database '%s': %s", ix->dbpath,
					    xapian_c_wdb_error(ix->wdb));
				*errmsg = strbuf_detach(&sb, NULL);
			}
		}
		xapian_c_wdb_close(ix->wdb);
	}
	stemmer_free(ix->stemmer);
	gazetteer_free(ix->gazetteer);
	free(ix->dbpath);
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

indexer_status_t
indexer_add_file(indexer_t *ix, const char *path, indexer_outcome_t *outcome, char *err,
		 size_t err_size)
{
	char canon[PATH_MAX], id[17], stamp[64], size[32];
	struct stat st;
	strbuf_t idterm = STRBUF_INIT, title = STRBUF_INIT;
	reader_doc_t rd;
	reader_status_t rs;
	protocol_t proto;
	records_ctx_t rc;
	records_source_t src;
	indexer_status_t ret = INDEXER_OK;

	err[0] = '\0';
	*outcome = INDEXER_SKIPPED;
	reader_doc_init(&rd);
	protocol_init(&proto);

	if (!realpath(path, canon) || stat(canon, &st) < 0) {
		snprintf(err, err_size, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "not a regular file");
		goto out;
	}
	indexer_source_id(canon, id);
	strbuf_addf(&idterm, "%s%s", PREFIX_ID, id);
	snprintf(stamp, sizeof(stamp), "%lld:%lld.%09ld", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	snprintf(size, sizeof(size), "%lld", (long long)st.st_size);

	if (!ix->force) {
		char *old = NULL;
		size_t old_len = 0;
		xapian_c_status_t xs = xapian_c_wdb_get_value_by_term(ix->wdb, idterm.buf,
								      SLOT_STAMP, &old, &old_len);
		if (xs == XAPIAN_C_OK && !strcmp(old, stamp)) {
			free(old);
			*outcome = INDEXER_UNCHANGED;
			goto out;
		}
		free(old);
		if (xs != XAPIAN_C_OK && xs != XAPIAN_C_NOT_FOUND) {
			ret = db_failure(ix, "read", err, err_size);
			goto out;
		}
	}

	rs = reader_read_file(canon, &rd);
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

	rc.wdb = ix->wdb;
	rc.stemmer = ix->stemmer;
	rc.err = err;
	rc.err_size = err_size;
	rc.db_failed = 0;
	src.id = id;
	src.path = canon;
	src.title = title.buf;
	src.size = size;
	src.stamp = stamp;
	src.format = reader_format_name(rd.format);
	src.encoding = rd.encoding ? rd.encoding : "";
	if (records_write_source(&rc, &src, &rd, &proto) < 0) {
		ret = rc.db_failed ? INDEXER_DB_ERROR : INDEXER_ERROR;
		goto out;
	}
	*outcome = INDEXER_INDEXED;
	if (++ix->pending >= COMMIT_EVERY)
		ret = indexer_commit(ix, err, err_size);

out:
	protocol_release(&proto);
	strbuf_release(&idterm);
	strbuf_release(&title);
	reader_doc_release(&rd);
	return ret;
}

indexer_status_t
indexer_commit(indexer_t *ix, char *err, size_t err_size)
{
	ix->pending = 0;
	if (xapian_c_wdb_commit(ix->wdb) != XAPIAN_C_OK)
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
