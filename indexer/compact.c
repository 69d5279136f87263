/*
 * Compacting a database in place, for `protodex compact` and for the
 * merge that ends a first load (indexer/load.c).
 *
 * The compacted copy is written beside the database (DB.compact-PID)
 * while the caller's writer handle holds the lock, so nothing is written
 * meanwhile; then the two directories are swapped in one step
 * (renameat2 RENAME_EXCHANGE): a search opens either the old database or
 * the new one (searcher.c opens again when it met the swap half-way), and
 * one already open keeps reading the old files until it closes.
 *
 * A compacted copy records the revision it is at (META_COMPACTED), so
 * that compacting it again before anything is written is skipped.
 */
#include "indexer/indexer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "xapian-c/xapian-c.h"

static char *
message(const char *fmt, const char *a, const char *b)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_addf(&sb, fmt, a, b);
	return strbuf_detach(&sb, NULL);
}

indexer_status_t
indexer_compact_swap(const char *dbpath, const char *const *srcs, size_t n,
		     xapian_c_wdb_t **lock, char **errmsg)
{
	strbuf_t tmp = STRBUF_INIT;
	char *msg = NULL;
	indexer_status_t ret = INDEXER_OK;

	*errmsg = NULL;
	strbuf_addf(&tmp, "%s.compact-%ld", dbpath, (long)getpid());
	util_remove_tree(tmp.buf);
	if (xapian_c_compact_many(srcs, n, tmp.buf, &msg) != XAPIAN_C_OK) {
		*errmsg = xstrdup(msg ? msg : "cannot compact the database");
		ret = INDEXER_DB_ERROR;
	} else if (indexer_mark_compacted(tmp.buf, errmsg) != INDEXER_OK) {
		ret = INDEXER_DB_ERROR;
	} else if (renameat2(AT_FDCWD, tmp.buf, AT_FDCWD, dbpath, RENAME_EXCHANGE) != 0) {
		*errmsg = message("cannot swap the compacted database '%s' into place: %s; the "
				  "database is unchanged",
				  tmp.buf, strerror(errno));
		ret = INDEXER_DB_ERROR;
	}
	if (ret != INDEXER_OK) {
		util_remove_tree(tmp.buf);
		goto out;
	}
	/* tmp names the old copy now, which the lock is on: searches still
	 * holding it keep its files until they close. */
	xapian_c_wdb_close(*lock);
	*lock = NULL;
	if (util_remove_tree(tmp.buf) != 0)
		*errmsg = message("compacted, but cannot remove the old copy '%s': %s", tmp.buf,
				  strerror(errno));
out:
	free(msg);
	strbuf_release(&tmp);
	return ret;
}

indexer_status_t
indexer_mark_compacted(const char *dbpath, char **errmsg)
{
	xapian_c_wdb_t *wdb = NULL;
	unsigned long long rev = 0;
	char mark[32], *msg = NULL;
	indexer_status_t ret = INDEXER_OK;

	if (errmsg)
		*errmsg = NULL;
	if (xapian_c_wdb_open(dbpath, &wdb, &msg) != XAPIAN_C_OK ||
	    xapian_c_wdb_revision(wdb, &rev) != XAPIAN_C_OK) {
		ret = INDEXER_DB_ERROR;
		goto out;
	}
	/* the mark's own commit is the revision it names */
	snprintf(mark, sizeof(mark), "%llu", rev + 1);
	if (xapian_c_wdb_set_metadata(wdb, META_COMPACTED, mark) != XAPIAN_C_OK ||
	    xapian_c_wdb_commit(wdb) != XAPIAN_C_OK)
		ret = INDEXER_DB_ERROR;
out:
	if (ret != INDEXER_OK && errmsg)
		*errmsg = message("cannot write database '%s': %s", dbpath,
				  msg ? msg : wdb ? xapian_c_wdb_error(wdb) : "unknown error");
	free(msg);
	xapian_c_wdb_close(wdb);
	return ret;
}

int
indexer_is_compacted(xapian_c_wdb_t *wdb)
{
	unsigned long long rev = 0;
	char *mark = NULL, now[32];
	int same;
	if (xapian_c_wdb_revision(wdb, &rev) != XAPIAN_C_OK ||
	    xapian_c_wdb_get_metadata(wdb, META_COMPACTED, &mark) != XAPIAN_C_OK) {
		free(mark);
		return 0;
	}
	snprintf(now, sizeof(now), "%llu", rev);
	same = !strcmp(mark, now);
	free(mark);
	return same;
}
