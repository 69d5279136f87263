#include "searcher/searcher-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>

#include "common/docdata.h"
#include "common/schema.h"
#include "common/strbuf.h"
#include "common/util.h"

/* Tries of a search whose database changed under it (a writer committed). */
#define MODIFIED_RETRIES 3

static int
stem_callback(void *ctx, const char *word, size_t len, const char **out, size_t *out_len)
{
	return stemmer_key(ctx, word, len, out, out_len);
}

static void
set_error(searcher_t *s, const char *fmt, const char *detail)
{
	strbuf_reset(&s->error);
	strbuf_addf(&s->error, fmt, s->dbpath, detail);
}

/* The analyzer asks for a word's keys as indexing stored them. */
static int
known_word(void *ctx, const char *word, size_t len, strbuf_t *keys)
{
	searcher_t *s = ctx;
	strbuf_t key = STRBUF_INIT;
	char *v = NULL;
	size_t vl = 0;
	int found;
	if (len > META_WORD_MAX)
		return 0;
	strbuf_adds(&key, META_WORD);
	strbuf_add(&key, word, len);
	found = xapian_c_rdb_get_metadata_bytes(s->rdb, key.buf, key.len, &v, &vl) == XAPIAN_C_OK &&
		vl > 0;
	if (found) {
		strbuf_add(keys, v, vl);
		s->words_known++;
	} else {
		s->words_missing++;
	}
	free(v);
	strbuf_release(&key);
	return found;
}

/*
 * Errors a search meets when the database changes under it: a writer's
 * commit (DatabaseModifiedError), or `protodex compact` and a first load,
 * which swap the whole directory, so that a table opened after the swap
 * belongs to another revision than the tables opened before it (read as
 * corrupt or unreadable blocks).  Opening again, or reopening, reads a
 * consistent revision; a real fault persists through the retries.
 */
static int
transient(xapian_c_status_t st)
{
	return st == XAPIAN_C_MODIFIED || st == XAPIAN_C_CORRUPT || st == XAPIAN_C_XAPIAN_ERROR;
}

/* Metadata `key` is "1": the database has what the key marks. */
static int
marked(xapian_c_rdb_t *rdb, const char *key)
{
	char *v = NULL;
	int yes = xapian_c_rdb_get_metadata(rdb, key, &v) == XAPIAN_C_OK && !strcmp(v, "1");
	free(v);
	return yes;
}

/*
 * Open one shard and check the versions it records against this build's.
 * On failure s->error names the shard.
 */
static searcher_status_t
open_shard(searcher_t *s, const char *path, unsigned timeout_ms, xapian_c_rdb_t **out)
{
	char *xmsg = NULL, *schema = NULL, *analyzer = NULL;
	xapian_c_status_t st;
	searcher_status_t ret = SEARCHER_OK;
	int opened = 0; /* and then its versions could not be read */

	for (int attempt = 0;; attempt++) {
		*out = NULL;
		st = xapian_c_rdb_open_timeout(path, timeout_ms, out, &xmsg);
		opened = st == XAPIAN_C_OK;
		if (st == XAPIAN_C_OK &&
		    ((st = xapian_c_rdb_get_metadata(*out, META_SCHEMA, &schema)) != XAPIAN_C_OK ||
		     (st = xapian_c_rdb_get_metadata(*out, META_ANALYZER, &analyzer)) !=
			     XAPIAN_C_OK)) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot read database '%s': %s", path,
				    xapian_c_rdb_error(*out));
			xapian_c_rdb_close(*out);
			*out = NULL;
		}
		if (!transient(st) || attempt + 1 >= MODIFIED_RETRIES)
			break;
		/* compact or a first load swapped the directory while it was
		 * being opened (old version file, new tables): open it again */
		free(xmsg);
		free(schema);
		free(analyzer);
		xmsg = schema = analyzer = NULL;
		usleep(20000);
	}
	if (st == XAPIAN_C_NOT_FOUND) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "no database at '%s': run 'protodex index --db DIR PATH...' first",
			    path);
		ret = SEARCHER_NO_DATABASE;
	} else if (st != XAPIAN_C_OK && opened) {
		ret = SEARCHER_DB_ERROR; /* s->error says what could not be read */
	} else if (st != XAPIAN_C_OK) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "cannot open database '%s': %s", path,
			    xmsg ? xmsg : xapian_c_status_to_string(st));
		ret = SEARCHER_DB_ERROR;
	} else {
		unsigned docs = 0;
		strbuf_reset(&s->error);
		/* No versions and no documents: a first index run stopped before
		 * its first commit.  Empty is empty, whoever builds it. */
		if (!*schema && xapian_c_rdb_doccount(*out, &docs) == XAPIAN_C_OK && docs == 0)
			;
		else {
			/* The dictionary's identity and hash as the indexer
			 * saw it: no need to read it when it is unchanged. */
			char *hint = NULL;
			if (xapian_c_rdb_get_metadata(*out, META_DICTIONARY, &hint) == XAPIAN_C_OK)
				stemmer_use_dictionary_hint(hint);
			free(hint);
			if (!marked(*out, META_NAME_WORDS))
				s->name_words = 0;
			if (!marked(*out, META_DATE_TERMS))
				s->date_terms = 0;
			if (marked(*out, META_WDF_NORMALISED))
				s->n_normalised++;
			else
				s->wdf_normalised = 0;
			if (!schema_compatible(path, schema, analyzer, stemmer_version(), &s->error))
				ret = SEARCHER_INCOMPATIBLE;
		}
	}
	if (ret != SEARCHER_OK) {
		xapian_c_rdb_close(*out);
		*out = NULL;
	}
	free(xmsg);
	free(schema);
	free(analyzer);
	return ret;
}

/* Appends a copy of s[0..len) to the list. */
static void
list_add(char ***list, size_t *n, const char *s, size_t len)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrndup(s, len);
}

int
searcher_parse_stub(const char *text, size_t len, const char *stub, char ***list, size_t *n,
		    strbuf_t *err)
{
	const char *p = text, *end = text + len;
	const char *slash = strrchr(stub, '/');
	size_t n0 = *n;
	strbuf_t shard = STRBUF_INIT;

	if (len && memchr(text, '\0', len)) {
		strbuf_addf(err, "stub database '%s': not a text file (it holds NUL bytes)", stub);
		return -1;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *le = eol ? eol : end, *kind_end, *arg;
		size_t kind_len, arg_len;
		p = eol ? eol + 1 : end;
		while (le > line && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t'))
			le--;
		while (line < le && (*line == ' ' || *line == '\t'))
			line++;
		if (line == le || *line == '#')
			continue;
		/* As Xapian reads it: the kind, a space, the rest of the line (a
		 * path may hold spaces). */
		for (kind_end = line; kind_end < le && *kind_end != ' ' && *kind_end != '\t';
		     kind_end++)
			;
		kind_len = (size_t)(kind_end - line);
		for (arg = kind_end; arg < le && (*arg == ' ' || *arg == '\t'); arg++)
			;
		arg_len = (size_t)(le - arg);
		strbuf_reset(&shard);
		if (arg_len == 0) {
			strbuf_addf(err, "stub database '%s': the line '%.*s' names no database",
				    stub, (int)(le - line), line);
			goto fail;
		}
		if (kind_len == 6 && !memcmp(line, "remote", 6)) {
			/* "remote HOST:PORT"; "remote :PROGRAM" is not supported */
			if (*arg == ':') {
				strbuf_addf(err, "stub database '%s': only TCP remotes are "
						 "supported, not '%.*s'",
					    stub, (int)(le - line), line);
				goto fail;
			}
			strbuf_adds(&shard, "tcp://");
		} else if ((kind_len == 4 && !memcmp(line, "auto", 4)) ||
			   (kind_len == 5 && !memcmp(line, "glass", 5))) {
			if (*arg != '/' && slash)
				strbuf_add(&shard, stub, (size_t)(slash - stub + 1));
		} else {
			strbuf_addf(err, "stub database '%s': unknown kind '%.*s' (auto, glass or "
					 "remote)",
				    stub, (int)kind_len, line);
			goto fail;
		}
		strbuf_add(&shard, arg, arg_len);
		list_add(list, n, shard.buf, shard.len);
	}
	strbuf_release(&shard);
	return 0;
fail:
	strbuf_release(&shard);
	while (*n > n0)
		free((*list)[--*n]);
	return -1;
}

/*
 * The shards a --db names: a directory is a database; a regular file is a
 * stub database (searcher_parse_stub); anything else is a path or a
 * tcp:// address.
 */
static int
expand_stub(const char *path, char ***list, size_t *n, strbuf_t *err)
{
	struct stat st;
	char *text = NULL;
	size_t len;
	int r;

	if (strncmp(path, "tcp://", 6) == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		list_add(list, n, path, strlen(path));
		return 0;
	}
	if (util_read_file(path, 1 << 20, &text, &len) != 0) {
		strbuf_addf(err, "cannot read the stub database '%s'", path);
		return -1;
	}
	r = searcher_parse_stub(text, len, path, list, n, err);
	free(text);
	return r;
}

searcher_status_t
searcher_open_shards(const char *const *paths, size_t n_paths, const searcher_options_t *opt,
		     searcher_t **out, char **errmsg)
{
	searcher_t *s = xcalloc(1, sizeof(*s));
	char *xmsg = NULL, **shards = NULL;
	size_t n_shards = 0, i, opened = 0;
	searcher_status_t ret = SEARCHER_OK;
	searcher_options_t defaults = { 0, 0 };

	if (!opt)
		opt = &defaults;
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	strbuf_init(&s->error, 0);
	strbuf_init(&s->explain, 0);
	strbuf_init(&s->warnings, 0);
	strbuf_init(&s->protocol_id, 0);
	strbuf_init(&s->protocol_data, 0);
	strbuf_init(&s->field_error, 0);
	strbuf_init(&s->missing, 0);
	s->dbpath = xstrdup(n_paths ? paths[0] : "");
	for (i = 0; i < n_paths; i++)
		if (expand_stub(paths[i], &shards, &n_shards, &s->error) < 0) {
			ret = SEARCHER_DB_ERROR;
			goto fail;
		}
	if (n_shards == 0) {
		set_error(s, "no database given%s%s", "");
		ret = SEARCHER_NO_DATABASE;
		goto fail;
	}
	s->name_words = s->date_terms = s->wdf_normalised = 1; /* unless a shard lacks them */
	for (i = 0; i < n_shards; i++) {
		xapian_c_rdb_t *shard;
		searcher_status_t st = open_shard(s, shards[i], opt->timeout_ms, &shard);
		if (st != SEARCHER_OK) {
			/* A shard built by another version is never skipped: its
			 * answers would be wrong, not missing. */
			if (opt->allow_partial && st != SEARCHER_INCOMPATIBLE) {
				strbuf_addf(&s->missing, "%s\n", s->error.buf);
				continue;
			}
			ret = st;
			goto fail;
		}
		if (n_shards == 1) {
			s->rdb = shard;
		} else {
			if (!s->rdb && !(s->rdb = xapian_c_rdb_new_combined())) {
				xapian_c_rdb_close(shard);
				set_error(s, "cannot combine the shards of '%s': %s", "out of memory");
				ret = SEARCHER_ERROR;
				goto fail;
			}
			if (xapian_c_rdb_add(s->rdb, shard) != XAPIAN_C_OK) {
				strbuf_reset(&s->error);
				strbuf_addf(&s->error, "cannot add the shard '%s': %s", shards[i],
					    xapian_c_rdb_error(s->rdb));
				xapian_c_rdb_close(shard);
				ret = SEARCHER_DB_ERROR;
				goto fail;
			}
			/* The combined database holds its own reference. */
			xapian_c_rdb_close(shard);
		}
		opened++;
	}
	if (!opened) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "no shard could be opened:\n%s", s->missing.buf);
		ret = SEARCHER_DB_ERROR;
		goto fail;
	}
	/* The analyzer, with the words the database knows (no dictionary). */
	{
		stemmer_options_t so = STEMMER_OPTIONS_INIT;
		char *words = NULL;
		size_t words_len = 0;
		if (xapian_c_rdb_get_metadata_bytes(s->rdb, META_WORDS, strlen(META_WORDS), &words,
						    &words_len) == XAPIAN_C_OK) {
			so.preload = words;
			so.preload_len = words_len;
		}
		so.lazy_phrases = 1; /* a search of one word goes without */
		s->stemmer = stemmer_new_with(&so, &xmsg);
		free(words);
		if (!s->stemmer) {
			set_error(s, "cannot start the analyzer for '%s': %s", xmsg ? xmsg : "");
			ret = SEARCHER_ERROR;
			goto fail;
		}
		stemmer_set_word_source(s->stemmer, known_word, s);
	}
	s->qp = xapian_c_qp_new(s->rdb, stem_callback, s->stemmer);
	if (!s->qp) {
		set_error(s, "cannot create a query parser for '%s'%s", "");
		ret = SEARCHER_ERROR;
		goto fail;
	}
	if (fields_install(s) < 0) {
		ret = SEARCHER_ERROR;
		goto fail;
	}
	for (i = 0; i < n_shards; i++)
		free(shards[i]);
	free(shards);
	free(xmsg);
	*out = s;
	return SEARCHER_OK;

fail:
	if (errmsg)
		*errmsg = xstrdup(s->error.buf);
	for (i = 0; i < n_shards; i++)
		free(shards[i]);
	free(shards);
	free(xmsg);
	searcher_close(s);
	return ret;
}

searcher_status_t
searcher_open(const char *dbpath, searcher_t **out, char **errmsg)
{
	return searcher_open_shards(&dbpath, 1, NULL, out, errmsg);
}

const char *
searcher_missing(const searcher_t *s)
{
	return s ? s->missing.buf : "";
}

void
searcher_close(searcher_t *s)
{
	if (!s)
		return;
	xapian_c_qp_free(s->qp);
	fields_forget(s);
	xapian_c_rdb_close(s->rdb);
	stemmer_free(s->stemmer);
	strbuf_release(&s->error);
	strbuf_release(&s->explain);
	strbuf_release(&s->warnings);
	strbuf_release(&s->protocol_id);
	strbuf_release(&s->protocol_data);
	strbuf_release(&s->field_error);
	strbuf_release(&s->missing);
	free(s->dbpath);
	free(s);
}

const char *
searcher_notice(const searcher_t *s)
{
	return s ? stemmer_notice(s->stemmer) : "";
}

const char *
searcher_error(const searcher_t *s)
{
	return s ? s->error.buf : "no searcher";
}

const char *
searcher_hit_field(const searcher_hit_t *h, const char *key, size_t *len)
{
	return docdata_get(h->data, h->data_len, key, len);
}

char *
searcher_hit_dup(const searcher_hit_t *h, const char *key)
{
	size_t len;
	const char *v = searcher_hit_field(h, key, &len);
	return v ? xstrndup(v, len) : xstrdup("");
}

/* Snippets are shown on one line: line breaks become spaces. */
static void
flatten(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

/* The fields a decision's record takes from its protocol's (schema.h). */
static const char *const protocol_fields[] = {
	DATA_PATH, DATA_TITLE, DATA_KIND, DATA_NUMBER, DATA_DATE, DATA_MUNICIPALITY, DATA_REGION
};

/*
 * A decision's record as stored holds its own fields only: add its
 * protocol's, read from the protocol's SLOT_HEADER (the last one read is
 * kept: decisions come with their protocol's neighbours).  A record that has them
 * already, or whose protocol cannot be read, is left as it is.
 */
static xapian_c_status_t
complete_record(searcher_t *s, char **data, size_t *len)
{
	size_t tl, pl, blen, i;
	const char *type = docdata_get(*data, *len, DATA_TYPE, &tl);
	const char *pid = docdata_get(*data, *len, DATA_PROTOCOL, &pl);
	const char *body;
	strbuf_t out = STRBUF_INIT;

	if (!type || tl != strlen(TYPE_DECISION) || memcmp(type, TYPE_DECISION, tl) || !pid ||
	    docdata_get(*data, *len, DATA_PATH, &blen))
		return XAPIAN_C_OK;
	if (s->protocol_id.len != pl || memcmp(s->protocol_id.buf, pid, pl)) {
		strbuf_t term = STRBUF_INIT;
		char *pdata = NULL;
		size_t plen = 0;
		xapian_c_status_t st;
		strbuf_addf(&term, "%s%.*s", PREFIX_ID, (int)pl, pid);
		/* the header value, else (older databases) the whole record */
		st = xapian_c_rdb_get_value_by_term(s->rdb, term.buf, SLOT_HEADER, &pdata, &plen);
		if (st == XAPIAN_C_OK && !plen) {
			free(pdata);
			pdata = NULL;
			st = xapian_c_rdb_get_data_by_term(s->rdb, term.buf, &pdata, &plen);
		}
		strbuf_release(&term);
		if (st == XAPIAN_C_NOT_FOUND)
			return XAPIAN_C_OK;
		if (st != XAPIAN_C_OK)
			return st;
		strbuf_reset(&s->protocol_id);
		strbuf_add(&s->protocol_id, pid, pl);
		strbuf_reset(&s->protocol_data);
		strbuf_add(&s->protocol_data, pdata, plen);
		free(pdata);
	}
	/* its own header lines, the protocol's fields, then its body */
	body = docdata_body(*data, *len, &blen);
	strbuf_add(&out, *data, body ? (size_t)(body - 1 - *data) : *len);
	for (i = 0; i < sizeof(protocol_fields) / sizeof(protocol_fields[0]); i++) {
		size_t vl;
		const char *v = docdata_get(s->protocol_data.buf, s->protocol_data.len,
					    protocol_fields[i], &vl);
		if (v)
			strbuf_addf(&out, "%s\t%.*s\n", protocol_fields[i], (int)vl, v);
	}
	docdata_begin_body(&out);
	if (body)
		strbuf_add(&out, body, blen);
	free(*data);
	*data = strbuf_detach(&out, len);
	return XAPIAN_C_OK;
}

/* `text` with each run of white space as one space, at most `max` bytes
 * (which may end inside a character). */
static void
squeezed(strbuf_t *out, const char *text, size_t len, size_t max)
{
	for (size_t i = 0; i < len && out->len < max; i++) {
		char c = text[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
			if (out->len && out->buf[out->len - 1] != ' ')
				strbuf_addch(out, ' ');
		} else {
			strbuf_addch(out, c);
		}
	}
}

/*
 * What a query without words (fields only) shows of a record: the start
 * of its text after the title, white space squeezed, at most `bytes`
 * bytes cut after a whole word.  Xapian's snippet would pick a passage by
 * the rarity of its words, analysing the whole text for it.
 */
static char *
lead(const char *text, size_t len, const char *title, size_t tlen, size_t bytes)
{
	strbuf_t t = STRBUF_INIT, b = STRBUF_INIT, out = STRBUF_INIT;
	size_t from = 0, cut;
	squeezed(&t, title, tlen, (size_t)-1);
	/* the title, a space and more than `bytes` of what follows: when
	 * reading stops there, the text is cut below */
	squeezed(&b, text, len, t.len + bytes + 8);
	while (from < b.len && b.buf[from] == ' ')
		from++;
	if (t.len && b.len - from >= t.len && !memcmp(b.buf + from, t.buf, t.len))
		from += t.len;
	while (from < b.len && b.buf[from] == ' ')
		from++;
	cut = b.len - from;
	if (cut > bytes) {
		cut = bytes;
		while (cut && ((unsigned char)b.buf[from + cut] & 0xc0) == 0x80)
			cut--;
		for (size_t sp = cut; sp > bytes / 2; sp--)
			if (b.buf[from + sp] == ' ') {
				cut = sp;
				break;
			}
		strbuf_add(&out, b.buf + from, cut);
		strbuf_adds(&out, "\xe2\x80\xa6"); /* … */
	} else {
		strbuf_add(&out, b.buf + from, cut);
	}
	strbuf_release(&t);
	strbuf_release(&b);
	return strbuf_detach(&out, NULL);
}

static xapian_c_status_t
fill_hits(searcher_t *s, const searcher_request_t *rq, xapian_c_mset_t *mset, int words,
	  searcher_results_t *out)
{
	xapian_c_status_t st;
	unsigned i, n = xapian_c_mset_size(mset);
	size_t k;
	out->hits = xcalloc(n ? n : 1, sizeof(*out->hits));
	strbuf_reset(&s->protocol_id); /* the database may have changed since */
	for (i = 0; i < n; i++) {
		searcher_hit_t *h = &out->hits[i];
		char *snippet = NULL;
		size_t blen = 0;
		const char *body;
		st = xapian_c_mset_data(mset, i, &h->data, &h->data_len);
		if (st == XAPIAN_C_OK)
			st = complete_record(s, &h->data, &h->data_len);
		if (st != XAPIAN_C_OK) {
			set_error(s, "cannot read a document of '%s': %s", xapian_c_mset_error(mset));
			return st;
		}
		out->n = i + 1;
		h->rank = rq->offset + i + 1;
		h->score = xapian_c_mset_score(mset, i);
		h->percent = xapian_c_mset_percent(mset, i);
		body = docdata_body(h->data, h->data_len, &blen);
		if (body && rq->snippet_bytes && !words) {
			size_t tlen = 0;
			const char *title = docdata_get(h->data, h->data_len, DATA_TITLE, &tlen);
			h->snippet = lead(body, blen, title ? title : "", tlen, rq->snippet_bytes);
		} else if (body && rq->snippet_bytes &&
			   xapian_c_mset_snippet(mset, body, blen, rq->snippet_bytes, rq->hl_start,
						 rq->hl_end, &snippet) == XAPIAN_C_OK) {
			flatten(snippet);
			h->snippet = snippet;
		} else {
			free(snippet);
			h->snippet = xstrdup("");
		}
	}
	out->facets = xcalloc(rq->n_facets ? rq->n_facets : 1, sizeof(*out->facets));
	out->n_facets = rq->n_facets;
	for (k = 0; k < rq->n_facets; k++) {
		searcher_facet_t *f = &out->facets[k];
		size_t j, nv = xapian_c_mset_facet_size(mset, k);
		f->slot = rq->facet_slots[k];
		f->values = xcalloc(nv ? nv : 1, sizeof(*f->values));
		for (j = 0; j < nv; j++) {
			const char *v;
			size_t len;
			xapian_c_mset_facet(mset, k, j, &v, &len, &f->values[j].count);
			f->values[j].value = xstrndup(v, len);
		}
		f->n = nv;
	}
	return XAPIAN_C_OK;
}

const query_error_t *
searcher_query_error(const searcher_t *s)
{
	return s && s->has_query_error ? &s->query_error : NULL;
}

/* "YYYY-MM-DD" (or NULL: the local date) -> s->today "YYYYMMDD". */
static int
set_today(searcher_t *s, const char *as_of)
{
	char from[9], to[9], why[128];
	if (!as_of || !*as_of) {
		time_t now = time(NULL);
		struct tm tm;
		if (!localtime_r(&now, &tm) || !strftime(s->today, sizeof(s->today), "%Y%m%d", &tm))
			memcpy(s->today, "20000101", 9);
		return 0;
	}
	if (query_period(as_of, strlen(as_of), NULL, from, to, why, sizeof(why)) < 0 ||
	    strcmp(from, to)) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "bad date for today '%s': give a day as YYYY-MM-DD", as_of);
		return -1;
	}
	memcpy(s->today, from, 9);
	return 0;
}

static searcher_status_t
query_error(searcher_t *s, const char *query)
{
	s->has_query_error = 1;
	strbuf_reset(&s->error);
	strbuf_addf(&s->error, "%s at column %u of the query", s->query_error.message,
		    s->query_error.column);
	(void)query;
	return SEARCHER_QUERY_ERROR;
}

/*
 * The words of the free text as the analysis chain keys them, for
 * --explain: "word -> key".
 */
static void
explain_words(searcher_t *s, const char *rewritten)
{
	const char *p = rewritten;
	while (*p) {
		size_t n = 0;
		const char *key;
		size_t klen;
		while (*p && !(((unsigned char)*p >= 0x80) || (*p >= '0' && *p <= '9') ||
			       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p == '_'))
			p++;
		while (p[n] && (((unsigned char)p[n] >= 0x80) || (p[n] >= '0' && p[n] <= '9') ||
				((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z') || p[n] == '_' ||
				p[n] == '-'))
			n++;
		if (!n)
			break;
		if (!((n == 3 && (!strncmp(p, "AND", 3) || !strncmp(p, "NOT", 3) ||
				  !strncmp(p, "XOR", 3))) ||
		      (n == 2 && !strncmp(p, "OR", 2)) || (n == 4 && !strncmp(p, "NEAR", 4)))) {
			if (stemmer_key(s->stemmer, p, n, &key, &klen) == 0 && *p == '_')
				strbuf_addf(&s->explain,
					    "word %.*s (abbreviation or long form)\tconcept %.*s\n",
					    (int)n - 1, p + 1, (int)klen, key);
			else if (stemmer_key(s->stemmer, p, n, &key, &klen) == 0)
				strbuf_addf(&s->explain, "word %.*s\tkey %.*s\n", (int)n, p,
					    (int)klen, key);
		}
		p += n;
	}
}

/*
 * The query to run: the query language (query.h) resolved through the
 * QueryParser and fields.c, restricted to a record type when asked.
 */
static searcher_status_t
build_query(searcher_t *s, const searcher_request_t *rq, xapian_c_query_t **out)
{
	xapian_c_query_t *query = NULL;
	xapian_c_status_t st;
	query_t q;
	strbuf_t text = STRBUF_INIT;
	size_t i;

	*out = NULL;
	s->has_query_error = 0;
	s->words_known = s->words_missing = 0;
	strbuf_reset(&s->explain);
	strbuf_reset(&s->warnings);
	strbuf_reset(&s->field_error);
	if (set_today(s, rq->today) < 0)
		return SEARCHER_QUERY_ERROR;
	if (rq->query && *rq->query) {
		if (query_prepare(rq->query, strlen(rq->query), &q, &s->query_error) < 0)
			return query_error(s, rq->query);
		for (i = 0; i < q.n; i++) {
			char *rewritten = NULL;
			if (text.len)
				strbuf_addch(&text, ' ');
			if (q.segments[i].field >= 0) {
				strbuf_adds(&text, q.segments[i].text);
				continue;
			}
			/* Abbreviations and their expansions become marker words
			 * the stem callback maps to concept keys (stemmer.h). */
			if (stemmer_rewrite_query(s->stemmer, q.segments[i].text,
						  strlen(q.segments[i].text), &rewritten) < 0) {
				strbuf_reset(&s->error);
				strbuf_addf(&s->error, "cannot analyze the query '%s': %s",
					    rq->query, stemmer_error(s->stemmer));
				query_release(&q);
				strbuf_release(&text);
				return SEARCHER_ERROR;
			}
			if (rq->explain)
				explain_words(s, rewritten);
			strbuf_adds(&text, rewritten);
			free(rewritten);
		}
		query_release(&q);
		st = xapian_c_qp_parse(s->qp, text.buf,
				       XAPIAN_C_QP_DEFAULT | XAPIAN_C_QP_BOOLEAN_ANY_CASE |
					       XAPIAN_C_QP_PURE_NOT,
				       &query);
		if (st != XAPIAN_C_OK) {
			const char *msg = xapian_c_qp_error(s->qp);
			/* "cannot parse query '...': QueryParserError: <ours>" */
			const char *colon = strstr(msg, "QueryParserError: ");
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot understand the query '%s': %s", rq->query,
				    colon ? colon + strlen("QueryParserError: ") : msg);
			strbuf_release(&text);
			return st == XAPIAN_C_QUERY_SYNTAX ? SEARCHER_QUERY_ERROR : SEARCHER_ERROR;
		}
		strbuf_release(&text);
		if (s->field_error.len) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "cannot understand the query '%s': %s", rq->query,
				    s->field_error.buf);
			xapian_c_query_free(query);
			return SEARCHER_QUERY_ERROR;
		}
		if (xapian_c_query_empty(query) && !s->warnings.len) {
			strbuf_reset(&s->error);
			strbuf_addf(&s->error, "the query '%s' has no words to search for",
				    rq->query);
			xapian_c_query_free(query);
			return SEARCHER_QUERY_ERROR;
		}
	} else {
		query = xapian_c_query_match_all();
	}
	if (query && rq->type && *rq->type) {
		xapian_c_query_t *t, *f;
		strbuf_addf(&text, "%s%s", PREFIX_TYPE, rq->type);
		t = xapian_c_query_term(text.buf);
		strbuf_release(&text);
		f = t ? xapian_c_query_combine(XAPIAN_C_OP_FILTER, query, t) : NULL;
		xapian_c_query_free(t);
		xapian_c_query_free(query);
		query = f;
	}
	if (!query) {
		set_error(s, "cannot build a query for '%s': %s", "out of memory");
		return SEARCHER_ERROR;
	}
	*out = query;
	return SEARCHER_OK;
}

/* Slots a --by facet reads: a decision's parties fill up to four. */
static const unsigned responsible_slots[] = { SLOT_RESPONSIBLE, SLOT_RESPONSIBLE_2,
					      SLOT_RESPONSIBLE_3, SLOT_RESPONSIBLE_4 };
#define N_RESPONSIBLE_SLOTS (sizeof(responsible_slots) / sizeof(responsible_slots[0]))

static int
cmp_facet_value(const void *a, const void *b)
{
	return strcmp(((const searcher_facet_value_t *)a)->value,
		      ((const searcher_facet_value_t *)b)->value);
}

/* Fold the extra responsible slots' counts into the first one's facet. */
static void
merge_responsible(searcher_results_t *out, size_t k, size_t extra_from)
{
	searcher_facet_t *f = &out->facets[k];
	for (size_t e = extra_from; e < out->n_facets; e++) {
		searcher_facet_t *x = &out->facets[e];
		for (size_t j = 0; j < x->n; j++) {
			size_t m;
			for (m = 0; m < f->n; m++)
				if (!strcmp(f->values[m].value, x->values[j].value))
					break;
			if (m < f->n) {
				f->values[m].count += x->values[j].count;
				free(x->values[j].value);
			} else {
				f->values = xrealloc(f->values, (f->n + 1) * sizeof(*f->values));
				f->values[f->n++] = x->values[j];
			}
		}
		x->n = 0;
	}
	if (f->n > 1)
		qsort(f->values, f->n, sizeof(*f->values), cmp_facet_value);
}

/*
 * Run the query.  An exact count with no hits and no facets asks Xapian's
 * bounds first: for a single term or a filter it knows the count without
 * visiting every match (175,000 decisions: ~20 ms), and only when the
 * bounds differ are the matches counted.
 */
static xapian_c_status_t
run_counted(searcher_t *s, const xapian_c_query_t *query, const xapian_c_run_options_t *opt,
	    xapian_c_mset_t **mset)
{
	if (opt->exact && opt->limit == 0 && opt->n_facets == 0) {
		xapian_c_run_options_t quick = *opt;
		unsigned lo = 0, est = 0, hi = 1;
		xapian_c_status_t st;
		quick.exact = 0;
		st = xapian_c_rdb_run(s->rdb, query, s->qp, &quick, mset);
		if (st != XAPIAN_C_OK)
			return st;
		xapian_c_mset_matches(*mset, &lo, &est, &hi);
		if (lo == hi)
			return XAPIAN_C_OK;
		xapian_c_mset_free(*mset);
		*mset = NULL;
	}
	return xapian_c_rdb_run(s->rdb, query, s->qp, opt, mset);
}

searcher_status_t
searcher_run_query(searcher_t *s, const searcher_request_t *rq, searcher_results_t *out)
{
	xapian_c_query_t *query = NULL;
	xapian_c_mset_t *mset = NULL;
	xapian_c_run_options_t opt = XAPIAN_C_RUN_OPTIONS_INIT;
	xapian_c_status_t st;
	searcher_status_t ret;
	unsigned *slots;
	size_t n_slots = rq->n_facets, responsible = (size_t)-1, k;
	searcher_request_t run = *rq;
	int attempt, words;

	memset(out, 0, sizeof(*out));
	ret = build_query(s, rq, &query);
	if (ret != SEARCHER_OK)
		return ret;
	out->query_description = xapian_c_query_describe(query);
	words = xapian_c_query_has_term_prefix(query, PREFIX_STEM);

	/* A responsible facet reads the extra party slots too, after the rest. */
	slots = xcalloc(rq->n_facets + N_RESPONSIBLE_SLOTS, sizeof(*slots));
	for (k = 0; k < rq->n_facets; k++) {
		slots[k] = rq->facet_slots[k];
		if (slots[k] == SLOT_RESPONSIBLE && responsible == (size_t)-1) {
			responsible = k;
			for (size_t e = 1; e < N_RESPONSIBLE_SLOTS; e++)
				slots[n_slots++] = responsible_slots[e];
		}
	}
	run.facet_slots = slots;
	run.n_facets = n_slots;

	opt.offset = rq->offset;
	opt.limit = rq->limit;
	opt.exact = rq->exact || rq->n_facets;
	opt.facet_slots = slots;
	opt.n_facets = n_slots;
	/* Ranked without document lengths when every shard has them in its
	 * wdf; else as they were written. */
	opt.wdf_scale = s->wdf_normalised ? WDF_SCALE : 0;
	/* One value per order (schema.h), which remote shards can sort by. */
	switch (rq->sort) {
	case SEARCHER_SORT_DATE:
		opt.sort_slot = SLOT_DATE; /* descending: no date comes last */
		opt.sort_descending = 1;
		break;
	case SEARCHER_SORT_DUE:
		opt.sort_slot = SLOT_SORT_DUE;
		break;
	case SEARCHER_SORT_MUNICIPALITY:
		opt.sort_slot = SLOT_SORT_MUNICIPALITY;
		break;
	case SEARCHER_SORT_RELEVANCE:
		break;
	}

	for (attempt = 0;; attempt++) {
		st = run_counted(s, query, &opt, &mset);
		if (st == XAPIAN_C_OK)
			st = fill_hits(s, &run, mset, words, out);
		else
			set_error(s, "cannot search '%s': %s", xapian_c_rdb_error(s->rdb));
		if (!transient(st) || attempt + 1 >= MODIFIED_RETRIES)
			break;
		/* A writer committed meanwhile, or the directory was swapped:
		 * look at the newest revision. */
		xapian_c_mset_free(mset);
		mset = NULL;
		searcher_results_release(out);
		out->query_description = xapian_c_query_describe(query);
		if (xapian_c_rdb_reopen(s->rdb) != XAPIAN_C_OK)
			break;
		fields_forget(s);
	}
	if (st == XAPIAN_C_OK) {
		xapian_c_mset_matches(mset, &out->matches_lower, &out->matches_estimated,
				      &out->matches_upper);
		if (responsible != (size_t)-1)
			merge_responsible(out, responsible, rq->n_facets);
		/* The caller sees the facets it asked for. */
		for (k = rq->n_facets; k < out->n_facets; k++)
			free(out->facets[k].values);
		out->n_facets = rq->n_facets;
		out->explain = xstrdup(s->explain.buf);
		out->words_known = s->words_known;
		out->words_worked_out = s->words_missing;
		if (s->n_normalised && !s->wdf_normalised)
			strbuf_adds(&s->warnings,
				    "some shards were indexed by an older protodex: the others' "
				    "records rank out of turn until those are re-indexed\n");
		out->warnings = xstrdup(s->warnings.buf);
		snprintf(out->today, sizeof(out->today), "%.4s-%.2s-%.2s", s->today, s->today + 4,
			 s->today + 6);
	}
	xapian_c_mset_free(mset);
	xapian_c_query_free(query);
	free(slots);
	return st == XAPIAN_C_OK ? SEARCHER_OK : SEARCHER_DB_ERROR;
}

void
searcher_results_release(searcher_results_t *res)
{
	size_t i, j;
	for (i = 0; i < res->n; i++) {
		free(res->hits[i].snippet);
		free(res->hits[i].data);
	}
	free(res->hits);
	for (i = 0; i < res->n_facets; i++) {
		for (j = 0; j < res->facets[i].n; j++)
			free(res->facets[i].values[j].value);
		free(res->facets[i].values);
	}
	free(res->facets);
	free(res->query_description);
	free(res->explain);
	free(res->warnings);
	memset(res, 0, sizeof(*res));
}

searcher_status_t
searcher_get(searcher_t *s, const char *id, char **data, size_t *len)
{
	strbuf_t term = STRBUF_INIT;
	xapian_c_status_t st;
	*data = NULL;
	*len = 0;
	strbuf_addf(&term, "%s%s", PREFIX_ID, id);
	st = xapian_c_rdb_get_data_by_term(s->rdb, term.buf, data, len);
	strbuf_release(&term);
	if (st == XAPIAN_C_OK && (st = complete_record(s, data, len)) != XAPIAN_C_OK) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	if (st == XAPIAN_C_NOT_FOUND) {
		strbuf_reset(&s->error);
		strbuf_addf(&s->error, "no protocol or decision with id '%s' in '%s'", id,
			    s->dbpath);
		return SEARCHER_NOT_FOUND;
	}
	if (st != XAPIAN_C_OK) {
		set_error(s, "cannot read database '%s': %s", xapian_c_rdb_error(s->rdb));
		return SEARCHER_DB_ERROR;
	}
	return SEARCHER_OK;
}

struct census_ctx {
	searcher_t *s;
	searcher_census_t *c;
	strbuf_t term;
	int failed;
};

static int
census_id(void *vctx, const char *term, size_t len, unsigned freq)
{
	struct census_ctx *ctx = vctx;
	(void)term;
	(void)len;
	if (freq > 1)
		ctx->c->duplicate_ids++;
	return 0;
}

/* Each source's documents share XP<id>; its protocol record is Q<id>. */
static int
census_source(void *vctx, const char *term, size_t len, unsigned freq)
{
	struct census_ctx *ctx = vctx;
	size_t plen = strlen(PREFIX_PROTOCOL);
	unsigned n = 0;
	(void)freq;
	strbuf_reset(&ctx->term);
	strbuf_adds(&ctx->term, PREFIX_ID);
	strbuf_add(&ctx->term, term + plen, len - plen);
	if (xapian_c_rdb_termfreq(ctx->s->rdb, ctx->term.buf, &n) != XAPIAN_C_OK) {
		ctx->failed = 1;
		return 1;
	}
	if (n == 0)
		ctx->c->orphan_sources++;
	return 0;
}

searcher_status_t
searcher_text_bytes(searcher_t *s, unsigned long long *bytes)
{
	if (xapian_c_rdb_value_total(s->rdb, SLOT_TEXT_BYTES, bytes) != XAPIAN_C_OK) {
		set_error(s, "cannot read database '%s': %s", xapian_c_rdb_error(s->rdb));
		return SEARCHER_DB_ERROR;
	}
	return SEARCHER_OK;
}

searcher_status_t
searcher_census(searcher_t *s, searcher_census_t *out)
{
	struct census_ctx ctx = { s, out, STRBUF_INIT, 0 };
	memset(out, 0, sizeof(*out));
	if (xapian_c_rdb_doccount(s->rdb, &out->documents) != XAPIAN_C_OK ||
	    xapian_c_rdb_termfreq(s->rdb, PREFIX_TYPE TYPE_PROTOCOL, &out->protocols) !=
		    XAPIAN_C_OK ||
	    xapian_c_rdb_termfreq(s->rdb, PREFIX_TYPE TYPE_DECISION, &out->decisions) !=
		    XAPIAN_C_OK ||
	    xapian_c_rdb_terms(s->rdb, PREFIX_ID, census_id, &ctx) != XAPIAN_C_OK ||
	    xapian_c_rdb_terms(s->rdb, PREFIX_PROTOCOL, census_source, &ctx) != XAPIAN_C_OK ||
	    ctx.failed) {
		strbuf_release(&ctx.term);
		set_error(s, "cannot read database '%s': %s", xapian_c_rdb_error(s->rdb));
		return SEARCHER_DB_ERROR;
	}
	strbuf_release(&ctx.term);
	return SEARCHER_OK;
}
