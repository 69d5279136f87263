/*
 * xapian-c: the plain C face of Xapian (see xapian-c.h for the contract).
 *
 * This is the project's only C++ file.  Two rules shape all of it:
 *
 *   - No exception may leave it: unwinding through C frames is undefined
 *     behaviour.  Every exported function's body is a single try whose
 *     catch (...) hands the exception to fail(), which rethrows it inside
 *     its own try and turns it into a status and a message.  The mapping
 *     from Xapian's error classes to our codes therefore lives in one
 *     place (the "Lippincott function" idiom), and each function adds only
 *     its own context ("cannot open database '/x'").  The few functions
 *     without a try (_free, _close of a reader, _error, status names) do
 *     nothing that can throw: deleting a handle runs noexcept destructors.
 *
 *   - The C structs hold Xapian objects by pointer and own them; their
 *     destructors free them, so a half-built handle can be deleted safely.
 *
 * Messages follow STYLE.md: problem first, the file or query quoted, no
 * full stop, no program-name prefix (the CLI adds that), then Xapian's own
 * description ("DatabaseLockError: Unable to get write lock ...").
 */
#include "xapian-c/xapian-c.h"

#include <xapian.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <string>

/* ---- Handles ----------------------------------------------------------- */

struct xapian_c_wdb {
	Xapian::WritableDatabase *db = nullptr;
	std::string error;
	bool in_txn = false; /* Xapian 1.4 cannot be asked, so we track it. */
	~xapian_c_wdb() { delete db; }
};

struct xapian_c_rdb {
	Xapian::Database *db = nullptr;
	std::string error;
	~xapian_c_rdb() { delete db; }
};

struct xapian_c_doc {
	Xapian::Document *doc = nullptr;
	~xapian_c_doc() { delete doc; }
};

struct xapian_c_qp {
	Xapian::QueryParser *qp = nullptr;
	/* Kept so that msets can snippet with the same analysis chain. */
	Xapian::Stem *stem = nullptr;
	std::string error;
	~xapian_c_qp()
	{
		delete qp;
		delete stem;
	}
};

struct xapian_c_query {
	Xapian::Query *query = nullptr;
	~xapian_c_query() { delete query; }
};

struct xapian_c_mset {
	/* The MSet holds the Enquire (and through it the database). */
	Xapian::MSet *mset = nullptr;
	/* Facets: per requested slot, (value, count) in value order. */
	std::vector<std::vector<std::pair<std::string, unsigned>>> facets;
	/* A copy of the parser's stemmer (Stem is refcounted); NULL: none. */
	Xapian::Stem *stem = nullptr;
	std::string error;
	~xapian_c_mset()
	{
		delete mset;
		delete stem;
	}
};

/* ---- Errors ------------------------------------------------------------ */

static const char no_handle[] = "invalid argument: NULL handle";

/*
 * Store "<what> '<arg>': <detail>" in *msg (if msg is not NULL).  Building
 * the string may itself run out of memory; then a short fixed text is kept.
 */
static void set_message(std::string *msg, const char *what, const char *arg,
			const char *detail) noexcept
{
	if (!msg)
		return;
	try {
		msg->assign(what);
		if (arg) {
			msg->append(" '");
			msg->append(arg);
			msg->append("'");
		}
		if (detail && *detail) {
			msg->append(": ");
			msg->append(detail);
		}
	} catch (...) {
		try {
			msg->assign("out of memory");
		} catch (...) {
			msg->clear();
		}
	}
}

/* set_message() with Xapian's description, which itself allocates. */
static void describe(std::string *msg, const char *what, const char *arg,
		     const Xapian::Error &e) noexcept
{
	if (!msg)
		return;
	try {
		set_message(msg, what, arg, e.get_description().c_str());
	} catch (...) {
		set_message(msg, what, arg, "out of memory");
	}
}

/*
 * Call only from inside a catch (...) block.  Rethrows the exception in
 * flight, maps it to a status and describes it in *msg (if not NULL).
 * Derived classes come before their bases: DatabaseNotFoundError and
 * DatabaseVersionError are both DatabaseOpeningErrors.  Nothing in a
 * handler may throw (a throw there would escape this noexcept function
 * and terminate), hence the noexcept helpers.
 */
static xapian_c_status_t fail(std::string *msg, const char *what,
			      const char *arg = nullptr) noexcept
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_LOCKED;
	} catch (const Xapian::DatabaseModifiedError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_MODIFIED;
	} catch (const Xapian::DatabaseNotFoundError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_NOT_FOUND;
	} catch (const Xapian::DatabaseCorruptError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_CORRUPT;
	} catch (const Xapian::DatabaseVersionError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_VERSION;
	} catch (const Xapian::DatabaseOpeningError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_OPENING;
	} catch (const Xapian::QueryParserError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_QUERY_SYNTAX;
	} catch (const Xapian::DocNotFoundError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_NOT_FOUND;
	} catch (const Xapian::InvalidArgumentError &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_INVALID_ARGUMENT;
	} catch (const Xapian::Error &e) {
		describe(msg, what, arg, e);
		return XAPIAN_C_XAPIAN_ERROR;
	} catch (const std::bad_alloc &) {
		set_message(msg, what, arg, "out of memory");
		return XAPIAN_C_NO_MEMORY;
	} catch (const std::exception &e) {
		set_message(msg, what, arg, e.what());
		return XAPIAN_C_ERROR;
	} catch (...) {
		set_message(msg, what, arg, "unknown C++ exception");
		return XAPIAN_C_ERROR;
	}
}

/* A failure detected by us rather than thrown by Xapian. */
static xapian_c_status_t refuse(std::string *msg, xapian_c_status_t status,
				const char *what, const char *arg = nullptr) noexcept
{
	set_message(msg, what, arg, nullptr);
	return status;
}

/* The open functions hand their message to the caller as malloc'd text. */
static void hand_over(char **errmsg, const std::string &msg) noexcept
{
	if (!errmsg)
		return;
	*errmsg = static_cast<char *>(std::malloc(msg.size() + 1));
	if (*errmsg)
		std::memcpy(*errmsg, msg.c_str(), msg.size() + 1);
}

/* A malloc'd, NUL-terminated copy of s for the caller to free(). */
static char *c_copy(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* Copy s out through (*out, *len); len may be NULL. */
static void give(const std::string &s, char **out, size_t *len)
{
	*out = c_copy(s);
	if (len)
		*len = s.size();
}

/* The terms with `prefix` of a database, writable or not, to a callback. */
static xapian_c_status_t list_terms(const Xapian::Database &db, const char *prefix,
				    xapian_c_term_fn fn, void *ctx, std::string *error) noexcept
{
	if (!prefix || !fn)
		return refuse(error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot list terms: no prefix or callback");
	try {
		for (Xapian::TermIterator t = db.allterms_begin(prefix);
		     t != db.allterms_end(prefix); ++t) {
			std::string term = *t;
			if (fn(ctx, term.data(), term.size(), t.get_termfreq()))
				break;
		}
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(error, "cannot list terms with prefix", prefix);
	}
}

/*
 * A new query handle holding `make()`'s query; NULL when out of memory or
 * when building the query throws.
 */
template <typename F> static xapian_c_query_t *new_query(F make) noexcept
{
	try {
		xapian_c_query_t *q = new xapian_c_query_t;
		try {
			q->query = new Xapian::Query(make());
		} catch (...) {
			delete q;
			throw;
		}
		return q;
	} catch (...) {
		return nullptr;
	}
}

extern "C" const char *xapian_c_status_to_string(xapian_c_status_t status)
{
	switch (status) {
	case XAPIAN_C_OK: return "ok";
	case XAPIAN_C_NOT_FOUND: return "not found";
	case XAPIAN_C_LOCKED: return "locked";
	case XAPIAN_C_MODIFIED: return "modified";
	case XAPIAN_C_CORRUPT: return "corrupt";
	case XAPIAN_C_OPENING: return "cannot open";
	case XAPIAN_C_VERSION: return "version mismatch";
	case XAPIAN_C_QUERY_SYNTAX: return "query syntax";
	case XAPIAN_C_INVALID_ARGUMENT: return "invalid argument";
	case XAPIAN_C_NO_MEMORY: return "out of memory";
	case XAPIAN_C_XAPIAN_ERROR: return "xapian error";
	case XAPIAN_C_ERROR: return "error";
	}
	return "unknown status";
}

/* ---- The stemmer adapter ---------------------------------------------- */

namespace {

/* Plugs the C analysis chain into Xapian (cyrus CyrusSearchStemmer). */
class CStem : public Xapian::StemImplementation {
	xapian_c_stem_fn fn;
	void *ctx;

    public:
	CStem(xapian_c_stem_fn fn_, void *ctx_) : fn(fn_), ctx(ctx_) {}

	std::string operator()(const std::string &word) override
	{
		const char *out = nullptr;
		size_t out_len = 0;
		if (!fn || fn(ctx, word.c_str(), word.size(), &out, &out_len) != 0 ||
		    !out)
			return word;
		return std::string(out, out_len);
	}

	std::string get_description() const override { return "protodex"; }
};

/* The application's query for a value; QueryParserError when it has none. */
static Xapian::Query c_query(xapian_c_query_t *q, const char *err)
{
	if (!q)
		throw Xapian::QueryParserError(err && *err ? err : "bad field value");
	Xapian::Query out(*q->query);
	delete q;
	return out;
}

/* `field:value` resolved by a C callback. */
class CField : public Xapian::FieldProcessor {
	xapian_c_field_fn fn;
	void *ctx;
	std::string field;

    public:
	CField(xapian_c_field_fn fn_, void *ctx_, const char *field_)
		: fn(fn_), ctx(ctx_), field(field_) {}

	Xapian::Query operator()(const std::string &value) override
	{
		const char *err = nullptr;
		xapian_c_query_t *q = fn(ctx, field.c_str(), value.c_str(), value.size(), &err);
		return c_query(q, err);
	}
};

/* `field:begin..end` resolved by a C callback. */
class CRange : public Xapian::RangeProcessor {
	xapian_c_range_fn fn;
	void *ctx;
	std::string field;

    public:
	CRange(xapian_c_range_fn fn_, void *ctx_, const char *field_)
		: Xapian::RangeProcessor(Xapian::BAD_VALUENO, std::string(field_) + ":"),
		  fn(fn_), ctx(ctx_), field(field_) {}

	Xapian::Query operator()(const std::string &begin, const std::string &end) override
	{
		const char *err = nullptr;
		xapian_c_query_t *q = fn(ctx, field.c_str(), begin.c_str(), begin.size(),
					 end.c_str(), end.size(), &err);
		return c_query(q, err);
	}
};

} // namespace

/* ---- Documents --------------------------------------------------------- */

extern "C" xapian_c_doc_t *xapian_c_doc_new(void)
{
	try {
		xapian_c_doc_t *doc = new xapian_c_doc_t;
		try {
			doc->doc = new Xapian::Document;
		} catch (...) {
			delete doc;
			throw;
		}
		return doc;
	} catch (...) {
		(void)fail(nullptr, "cannot create document");
		return nullptr;
	}
}

extern "C" void xapian_c_doc_free(xapian_c_doc_t *doc)
{
	delete doc;
}

extern "C" xapian_c_status_t xapian_c_doc_add_posting(xapian_c_doc_t *doc,
						      const char *term, unsigned pos,
						      unsigned wdf_inc)
{
	if (!doc || !term)
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		doc->doc->add_posting(term, pos, wdf_inc);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot add posting");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_add_term(xapian_c_doc_t *doc, const char *term,
						   unsigned wdf_inc)
{
	if (!doc || !term)
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		doc->doc->add_term(term, wdf_inc);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot add term");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_length(const xapian_c_doc_t *doc,
						 unsigned long *length)
{
	if (!doc || !length)
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		unsigned long sum = 0;
		for (Xapian::TermIterator t = doc->doc->termlist_begin();
		     t != doc->doc->termlist_end(); ++t)
			sum += t.get_wdf();
		*length = sum;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot read the document's length");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_scale_wdf(xapian_c_doc_t *doc, double factor)
{
	if (!doc || !(factor > 0))
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		struct change {
			std::string term;
			Xapian::termcount wdf, to;
		};
		std::vector<change> changes;
		for (Xapian::TermIterator t = doc->doc->termlist_begin();
		     t != doc->doc->termlist_end(); ++t) {
			Xapian::termcount wdf = t.get_wdf();
			if (wdf == 0)
				continue;
			double to = std::floor(wdf * factor + 0.5);
			Xapian::termcount n = to < 1 ? 1
				: to > 0xffffffffu ? 0xffffffffu : (Xapian::termcount)to;
			if (n != wdf)
				changes.push_back({ *t, wdf, n });
		}
		for (const change &c : changes) {
			if (c.to > c.wdf) {
				doc->doc->add_term(c.term, c.to - c.wdf);
				continue;
			}
			/* Xapian lowers a wdf only with a posting it removes:
			 * remove the first one and put it back. */
			Xapian::TermIterator t = doc->doc->termlist_begin();
			t.skip_to(c.term);
			Xapian::PositionIterator pos = t.positionlist_begin();
			if (pos != t.positionlist_end()) {
				Xapian::termpos first = *pos;
				doc->doc->remove_posting(c.term, first, c.wdf - c.to);
				doc->doc->add_posting(c.term, first, 0);
			} else {
				doc->doc->remove_term(c.term);
				doc->doc->add_term(c.term, c.to);
			}
		}
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot scale the document's wdf");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_add_boolean_term(xapian_c_doc_t *doc,
							   const char *term)
{
	if (!doc || !term)
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		doc->doc->add_boolean_term(term);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot add boolean term");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_set_value(xapian_c_doc_t *doc, unsigned slot,
						    const char *value, size_t len)
{
	if (!doc || (!value && len))
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		doc->doc->add_value(slot, value ? std::string(value, len) : std::string());
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot set value");
	}
}

extern "C" xapian_c_status_t xapian_c_doc_set_data(xapian_c_doc_t *doc, const char *data,
						   size_t len)
{
	if (!doc || (!data && len))
		return XAPIAN_C_INVALID_ARGUMENT;
	try {
		doc->doc->set_data(data ? std::string(data, len) : std::string());
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(nullptr, "cannot set document data");
	}
}

/* ---- Writing ----------------------------------------------------------- */

extern "C" xapian_c_status_t xapian_c_wdb_open(const char *path, xapian_c_wdb_t **out,
					       char **errmsg)
{
	if (errmsg)
		*errmsg = nullptr;
	if (!out)
		return XAPIAN_C_INVALID_ARGUMENT;
	*out = nullptr;
	std::string msg;
	if (!path) {
		set_message(&msg, "cannot open database: no path given", nullptr, nullptr);
		hand_over(errmsg, msg);
		return XAPIAN_C_INVALID_ARGUMENT;
	}
	try {
		xapian_c_wdb_t *wdb = new xapian_c_wdb_t;
		try {
			wdb->db = new Xapian::WritableDatabase(
				path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
		} catch (...) {
			delete wdb;
			throw;
		}
		*out = wdb;
		return XAPIAN_C_OK;
	} catch (...) {
		xapian_c_status_t status =
			fail(&msg, "cannot open database for writing", path);
		hand_over(errmsg, msg);
		return status;
	}
}

extern "C" void xapian_c_wdb_close(xapian_c_wdb_t *wdb)
{
	if (!wdb)
		return;
	try {
		/* An unfinished transaction is abandoned, not half-applied. */
		if (wdb->in_txn) {
			wdb->in_txn = false;
			wdb->db->cancel_transaction();
		}
		wdb->db->commit();
		wdb->db->close();
	} catch (...) {
		/* Nobody is left to tell; the next writer sees the last commit. */
		(void)fail(nullptr, "cannot close database");
	}
	delete wdb;
}

extern "C" const char *xapian_c_wdb_error(const xapian_c_wdb_t *wdb)
{
	return wdb ? wdb->error.c_str() : no_handle;
}

extern "C" xapian_c_status_t xapian_c_wdb_begin_transaction(xapian_c_wdb_t *wdb)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	try {
		wdb->db->begin_transaction();
		wdb->in_txn = true;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot begin transaction");
	}
}

/*
 * Xapian ends the transaction before it commits or cancels, so even a
 * failed commit_transaction() leaves none open: clear in_txn first.
 */
extern "C" xapian_c_status_t xapian_c_wdb_commit_transaction(xapian_c_wdb_t *wdb)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	try {
		wdb->in_txn = false;
		wdb->db->commit_transaction();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot commit transaction");
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_cancel_transaction(xapian_c_wdb_t *wdb)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	try {
		wdb->in_txn = false;
		wdb->db->cancel_transaction();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot cancel transaction");
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_commit(xapian_c_wdb_t *wdb)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	try {
		wdb->db->commit();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot commit");
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_replace_document(xapian_c_wdb_t *wdb,
							   const char *unique_term,
							   const xapian_c_doc_t *doc,
							   xapian_c_docid_t *docid)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!unique_term || !*unique_term || !doc)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot replace document: no unique term or document");
	try {
		Xapian::docid id = wdb->db->replace_document(unique_term, *doc->doc);
		if (docid)
			*docid = id;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot replace document", unique_term);
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_delete_by_term(xapian_c_wdb_t *wdb,
							 const char *term)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!term || !*term)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot delete documents: no term");
	try {
		wdb->db->delete_document(term);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot delete documents by term", term);
	}
}

/* Value `slot` of the first document with `term`, for both handles. */
static xapian_c_status_t value_by_term(const Xapian::Database &db, std::string *error,
				       const char *term, unsigned slot, char **value,
				       size_t *len)
{
	error->clear();
	if (!term || !value)
		return refuse(error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get a value: no term or output");
	*value = nullptr;
	try {
		Xapian::PostingIterator it = db.postlist_begin(term);
		if (it == db.postlist_end(term))
			return refuse(error, XAPIAN_C_NOT_FOUND, "no document indexed by", term);
		give(db.get_document(*it).get_value(slot), value, len);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(error, "cannot get a value of document", term);
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_get_value_by_term(xapian_c_wdb_t *wdb,
							    const char *term,
							    unsigned slot, char **value,
							    size_t *len)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	return value_by_term(*wdb->db, &wdb->error, term, slot, value, len);
}

extern "C" xapian_c_status_t xapian_c_wdb_set_metadata_bytes(xapian_c_wdb_t *wdb,
							     const char *key, size_t key_len,
							     const char *value, size_t value_len)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!key || !key_len || (!value && value_len))
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot set metadata: no key or value");
	try {
		wdb->db->set_metadata(std::string(key, key_len),
				      std::string(value ? value : "", value_len));
		return XAPIAN_C_OK;
	} catch (...) {
		/* the key up to a NUL it may hold */
		return fail(&wdb->error, "cannot set metadata",
			    std::string(key, strnlen(key, key_len)).c_str());
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_set_metadata(xapian_c_wdb_t *wdb,
						       const char *key, const char *value)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!key || !value)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot set metadata: no key or value");
	try {
		wdb->db->set_metadata(key, value);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot set metadata", key);
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_get_metadata(xapian_c_wdb_t *wdb,
						       const char *key, char **value)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!key || !value)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get metadata: no key or output");
	*value = nullptr;
	try {
		*value = c_copy(wdb->db->get_metadata(key));
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot get metadata", key);
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_terms(xapian_c_wdb_t *wdb, const char *prefix,
					       xapian_c_term_fn fn, void *ctx)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	return list_terms(*wdb->db, prefix, fn, ctx, &wdb->error);
}

extern "C" xapian_c_status_t xapian_c_wdb_revision(xapian_c_wdb_t *wdb, unsigned long long *rev)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!rev)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot read the revision: no output");
	try {
		*rev = wdb->db->get_revision();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot read the revision");
	}
}

extern "C" xapian_c_status_t xapian_c_wdb_doccount(xapian_c_wdb_t *wdb, unsigned *count)
{
	if (!wdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	wdb->error.clear();
	if (!count)
		return refuse(&wdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot count documents: no output");
	try {
		*count = wdb->db->get_doccount();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&wdb->error, "cannot count documents");
	}
}

/* ---- Reading ----------------------------------------------------------- */

extern "C" xapian_c_status_t xapian_c_rdb_open(const char *path, xapian_c_rdb_t **out,
					       char **errmsg)
{
	if (errmsg)
		*errmsg = nullptr;
	if (!out)
		return XAPIAN_C_INVALID_ARGUMENT;
	*out = nullptr;
	std::string msg;
	if (!path) {
		set_message(&msg, "cannot open database: no path given", nullptr, nullptr);
		hand_over(errmsg, msg);
		return XAPIAN_C_INVALID_ARGUMENT;
	}
	try {
		xapian_c_rdb_t *rdb = new xapian_c_rdb_t;
		try {
			rdb->db = new Xapian::Database(path);
		} catch (...) {
			delete rdb;
			throw;
		}
		*out = rdb;
		return XAPIAN_C_OK;
	} catch (...) {
		xapian_c_status_t status = fail(&msg, "cannot open database", path);
		hand_over(errmsg, msg);
		return status;
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_open_timeout(const char *path, unsigned timeout_ms,
						       xapian_c_rdb_t **out, char **errmsg)
{
	if (!path || strncmp(path, "tcp://", 6) != 0)
		return xapian_c_rdb_open(path, out, errmsg);
	if (errmsg)
		*errmsg = nullptr;
	if (!out)
		return XAPIAN_C_INVALID_ARGUMENT;
	*out = nullptr;
	std::string msg;
	try {
		std::string hostport(path + 6);
		size_t colon = hostport.rfind(':');
		char *end = nullptr;
		unsigned long port = colon == std::string::npos
					     ? 0
					     : std::strtoul(hostport.c_str() + colon + 1, &end, 10);
		if (colon == std::string::npos || colon == 0 || !end || *end || port == 0 ||
		    port > 65535) {
			xapian_c_status_t st = refuse(&msg, XAPIAN_C_INVALID_ARGUMENT,
						      "not a remote database address (tcp://HOST:PORT)",
						      path);
			hand_over(errmsg, msg);
			return st;
		}
		xapian_c_rdb_t *rdb = new xapian_c_rdb_t;
		try {
			unsigned t = timeout_ms ? timeout_ms : 10000;
			rdb->db = new Xapian::Database(Xapian::Remote::open(
				hostport.substr(0, colon), (unsigned)port, t, t));
		} catch (...) {
			delete rdb;
			throw;
		}
		*out = rdb;
		return XAPIAN_C_OK;
	} catch (...) {
		xapian_c_status_t status = fail(&msg, "cannot open remote database", path);
		hand_over(errmsg, msg);
		return status;
	}
}

extern "C" xapian_c_rdb_t *xapian_c_rdb_new_combined(void)
{
	try {
		xapian_c_rdb_t *rdb = new xapian_c_rdb_t;
		try {
			rdb->db = new Xapian::Database();
		} catch (...) {
			delete rdb;
			throw;
		}
		return rdb;
	} catch (...) {
		return nullptr;
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_add(xapian_c_rdb_t *combined,
					      const xapian_c_rdb_t *shard)
{
	if (!combined)
		return XAPIAN_C_INVALID_ARGUMENT;
	combined->error.clear();
	if (!shard)
		return refuse(&combined->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot add a shard: none given");
	try {
		combined->db->add_database(*shard->db);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&combined->error, "cannot add a shard");
	}
}

extern "C" void xapian_c_rdb_close(xapian_c_rdb_t *rdb)
{
	/*
	 * No Database::close(): msets made from this handle share its
	 * internals and stay usable until they are freed.
	 */
	delete rdb;
}

extern "C" const char *xapian_c_rdb_error(const xapian_c_rdb_t *rdb)
{
	return rdb ? rdb->error.c_str() : no_handle;
}

extern "C" xapian_c_status_t xapian_c_rdb_reopen(xapian_c_rdb_t *rdb)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	try {
		rdb->db->reopen();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot reopen database");
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_get_metadata(xapian_c_rdb_t *rdb,
						       const char *key, char **value)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!key || !value)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get metadata: no key or output");
	*value = nullptr;
	try {
		*value = c_copy(rdb->db->get_metadata(key));
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot get metadata", key);
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_get_metadata_bytes(xapian_c_rdb_t *rdb,
							     const char *key, size_t key_len,
							     char **value, size_t *len)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!key || !key_len || !value || !len)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get metadata: no key or output");
	*value = nullptr;
	*len = 0;
	try {
		give(rdb->db->get_metadata(std::string(key, key_len)), value, len);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot get metadata",
			    std::string(key, strnlen(key, key_len)).c_str());
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_value_bounds(xapian_c_rdb_t *rdb, unsigned slot,
						       char **lo, char **hi)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!lo || !hi)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get value bounds: no output");
	*lo = *hi = nullptr;
	try {
		std::string l = rdb->db->get_value_lower_bound(slot);
		std::string h = rdb->db->get_value_upper_bound(slot);
		*lo = c_copy(l);
		try {
			*hi = c_copy(h);
		} catch (...) {
			free(*lo);
			*lo = nullptr;
			throw;
		}
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot get value bounds", nullptr);
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_value_total(xapian_c_rdb_t *rdb, unsigned slot,
						      unsigned long long *total)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!total)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT, "cannot sum values: no output");
	*total = 0;
	try {
		for (Xapian::ValueIterator it = rdb->db->valuestream_begin(slot);
		     it != rdb->db->valuestream_end(slot); ++it)
			*total += std::strtoull((*it).c_str(), nullptr, 10);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot read values", nullptr);
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_doccount(xapian_c_rdb_t *rdb, unsigned *count)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!count)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot count documents: no output");
	try {
		*count = rdb->db->get_doccount();
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot count documents");
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_termfreq(xapian_c_rdb_t *rdb, const char *term,
						   unsigned *freq)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!term || !freq)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get term frequency: no term or output");
	try {
		*freq = rdb->db->get_termfreq(term);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot get term frequency", term);
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_terms(xapian_c_rdb_t *rdb, const char *prefix,
					       xapian_c_term_fn fn, void *ctx)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	return list_terms(*rdb->db, prefix, fn, ctx, &rdb->error);
}

extern "C" xapian_c_status_t xapian_c_rdb_get_data_by_term(xapian_c_rdb_t *rdb,
							   const char *term, char **data,
							   size_t *len)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!term || !data)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get document data: no term or output");
	*data = nullptr;
	try {
		Xapian::PostingIterator it = rdb->db->postlist_begin(term);
		if (it == rdb->db->postlist_end(term))
			return refuse(&rdb->error, XAPIAN_C_NOT_FOUND,
				      "no document indexed by", term);
		give(rdb->db->get_document(*it).get_data(), data, len);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot get data of document", term);
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_get_value_by_term(xapian_c_rdb_t *rdb,
							    const char *term, unsigned slot,
							    char **value, size_t *len)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	return value_by_term(*rdb->db, &rdb->error, term, slot, value, len);
}

/* ---- Maintenance ------------------------------------------------------- */

extern "C" xapian_c_status_t xapian_c_compact_many(const char *const *srcs, size_t n,
						  const char *dst, char **errmsg)
{
	std::string msg;
	if (errmsg)
		*errmsg = nullptr;
	if (!srcs || !n || !dst) {
		xapian_c_status_t st = refuse(&msg, XAPIAN_C_INVALID_ARGUMENT,
					      "cannot merge: no sources or destination");
		hand_over(errmsg, msg);
		return st;
	}
	const char *at = dst; /* what a failure names */
	try {
		Xapian::Database db;
		for (size_t i = 0; i < n; i++) {
			at = srcs[i];
			db.add_database(Xapian::Database(srcs[i]));
		}
		at = dst;
		db.compact(dst, Xapian::DBCOMPACT_MULTIPASS);
		return XAPIAN_C_OK;
	} catch (...) {
		xapian_c_status_t st = fail(&msg, at == dst ? "cannot merge databases into"
							    : "cannot open database", at);
		hand_over(errmsg, msg);
		return st;
	}
}

extern "C" xapian_c_status_t xapian_c_check(const char *path, unsigned long *errors,
					    char **report, char **errmsg)
{
	std::string msg;
	if (errmsg)
		*errmsg = nullptr;
	if (report)
		*report = nullptr;
	if (!path || !errors) {
		xapian_c_status_t st = refuse(&msg, XAPIAN_C_INVALID_ARGUMENT,
					      "cannot check: no path or output");
		hand_over(errmsg, msg);
		return st;
	}
	*errors = 0;
	try {
		std::ostringstream out;
		*errors = (unsigned long)Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE,
								 &out);
		if (report)
			*report = c_copy(out.str());
		return XAPIAN_C_OK;
	} catch (...) {
		xapian_c_status_t st = fail(&msg, "cannot check database", path);
		hand_over(errmsg, msg);
		return st;
	}
}

/* ---- Query parser ------------------------------------------------------ */

extern "C" xapian_c_qp_t *xapian_c_qp_new(xapian_c_rdb_t *rdb, xapian_c_stem_fn stem,
					  void *stem_ctx)
{
	if (!rdb)
		return nullptr;
	rdb->error.clear();
	try {
		xapian_c_qp_t *qp = new xapian_c_qp_t;
		try {
			/* Stem takes ownership of the implementation. */
			qp->stem = new Xapian::Stem(new CStem(stem, stem_ctx));
			qp->qp = new Xapian::QueryParser;
			qp->qp->set_database(*rdb->db);
			qp->qp->set_stemmer(*qp->stem);
			qp->qp->set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
			qp->qp->set_default_op(Xapian::Query::OP_AND);
		} catch (...) {
			delete qp;
			throw;
		}
		return qp;
	} catch (...) {
		(void)fail(&rdb->error, "cannot create query parser");
		return nullptr;
	}
}

extern "C" void xapian_c_qp_free(xapian_c_qp_t *qp)
{
	delete qp;
}

extern "C" const char *xapian_c_qp_error(const xapian_c_qp_t *qp)
{
	return qp ? qp->error.c_str() : no_handle;
}

extern "C" xapian_c_status_t xapian_c_qp_add_prefix(xapian_c_qp_t *qp, const char *field,
						    const char *prefix, int boolean)
{
	if (!qp)
		return XAPIAN_C_INVALID_ARGUMENT;
	qp->error.clear();
	if (!field || !prefix)
		return refuse(&qp->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot add prefix: no field or prefix");
	try {
		if (boolean)
			qp->qp->add_boolean_prefix(field, prefix);
		else
			qp->qp->add_prefix(field, prefix);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&qp->error, "cannot add prefix for field", field);
	}
}

extern "C" xapian_c_status_t xapian_c_qp_add_field(xapian_c_qp_t *qp, const char *field,
						   xapian_c_field_fn fn, void *ctx)
{
	if (!qp)
		return XAPIAN_C_INVALID_ARGUMENT;
	qp->error.clear();
	if (!field || !*field || !fn)
		return refuse(&qp->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot add field: no name or callback");
	try {
		/* release(): the parser owns and frees the processor. */
		qp->qp->add_boolean_prefix(field, (new CField(fn, ctx, field))->release());
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&qp->error, "cannot add field", field);
	}
}

extern "C" xapian_c_status_t xapian_c_qp_add_range(xapian_c_qp_t *qp, const char *field,
						   xapian_c_range_fn fn, void *ctx)
{
	if (!qp)
		return XAPIAN_C_INVALID_ARGUMENT;
	qp->error.clear();
	if (!field || !*field || !fn)
		return refuse(&qp->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot add range: no field or callback");
	try {
		qp->qp->add_rangeprocessor((new CRange(fn, ctx, field))->release());
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&qp->error, "cannot add range for field", field);
	}
}

static unsigned qp_flags(unsigned flags)
{
	static const struct {
		unsigned ours;
		unsigned theirs;
	} map[] = {
		{XAPIAN_C_QP_BOOLEAN, Xapian::QueryParser::FLAG_BOOLEAN},
		{XAPIAN_C_QP_PHRASE, Xapian::QueryParser::FLAG_PHRASE},
		{XAPIAN_C_QP_LOVEHATE, Xapian::QueryParser::FLAG_LOVEHATE},
		{XAPIAN_C_QP_BOOLEAN_ANY_CASE, Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE},
		{XAPIAN_C_QP_PURE_NOT, Xapian::QueryParser::FLAG_PURE_NOT},
		{XAPIAN_C_QP_WILDCARD, Xapian::QueryParser::FLAG_WILDCARD},
	};
	unsigned out = 0;
	for (const auto &m : map)
		if (flags & m.ours)
			out |= m.theirs;
	return out;
}

extern "C" xapian_c_status_t xapian_c_qp_parse(xapian_c_qp_t *qp, const char *query,
					       unsigned flags, xapian_c_query_t **out)
{
	if (!qp)
		return XAPIAN_C_INVALID_ARGUMENT;
	qp->error.clear();
	if (!query || !out)
		return refuse(&qp->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot parse query: no query or output");
	*out = nullptr;
	try {
		xapian_c_query_t *q = new xapian_c_query_t;
		try {
			q->query = new Xapian::Query(
				qp->qp->parse_query(query, qp_flags(flags)));
		} catch (...) {
			delete q;
			throw;
		}
		*out = q;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&qp->error, "cannot parse query", query);
	}
}

extern "C" void xapian_c_query_free(xapian_c_query_t *query)
{
	delete query;
}

extern "C" char *xapian_c_query_describe(const xapian_c_query_t *query)
{
	if (!query)
		return nullptr;
	try {
		return c_copy(query->query->get_description());
	} catch (...) {
		(void)fail(nullptr, "cannot describe query");
		return nullptr;
	}
}

extern "C" int xapian_c_query_empty(const xapian_c_query_t *query)
{
	if (!query)
		return 1;
	try {
		return query->query->empty() ? 1 : 0;
	} catch (...) {
		(void)fail(nullptr, "cannot inspect query");
		return 1;
	}
}

extern "C" int xapian_c_query_has_term_prefix(const xapian_c_query_t *query, const char *prefix)
{
	if (!query || !prefix)
		return 0;
	try {
		size_t n = std::strlen(prefix);
		for (auto t = query->query->get_unique_terms_begin();
		     t != query->query->get_unique_terms_end(); ++t)
			if ((*t).compare(0, n, prefix) == 0)
				return 1;
		return 0;
	} catch (...) {
		(void)fail(nullptr, "cannot inspect query");
		return 0;
	}
}

/* ---- Searching --------------------------------------------------------- */

extern "C" xapian_c_query_t *xapian_c_query_term(const char *term)
{
	return new_query([&] { return Xapian::Query(term ? term : ""); });
}

extern "C" xapian_c_query_t *xapian_c_query_any_term(const char *const *terms, size_t n)
{
	if (!terms && n)
		return nullptr;
	return new_query([&] {
		std::vector<std::string> v(terms, terms + n);
		return Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end());
	});
}

extern "C" xapian_c_query_t *xapian_c_query_match_all(void)
{
	return new_query([&] { return Xapian::Query(Xapian::Query::MatchAll); });
}

extern "C" xapian_c_query_t *xapian_c_query_match_none(void)
{
	return new_query([&] { return Xapian::Query(Xapian::Query::MatchNothing); });
}

extern "C" xapian_c_query_t *xapian_c_query_value_range(unsigned slot, const char *lo,
							 const char *hi)
{
	return new_query([&] {
		if (lo && hi)
			return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
		if (lo)
			return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
		if (hi)
			return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
		return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, std::string());
	});
}

extern "C" xapian_c_query_t *xapian_c_query_combine(int op, const xapian_c_query_t *a,
						     const xapian_c_query_t *b)
{
	if (!a || !b || !a->query || !b->query)
		return nullptr;
	try {
		Xapian::Query::op xop;
		switch (op) {
		case XAPIAN_C_OP_AND: xop = Xapian::Query::OP_AND; break;
		case XAPIAN_C_OP_OR: xop = Xapian::Query::OP_OR; break;
		case XAPIAN_C_OP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
		case XAPIAN_C_OP_FILTER: xop = Xapian::Query::OP_FILTER; break;
		default: return nullptr;
		}
		return new_query([&] { return Xapian::Query(xop, *a->query, *b->query); });
	} catch (...) {
		return nullptr;
	}
}

/*
 * A facet's counts as ValueCountMatchSpy keeps them, in a hash table with
 * the last value's count at hand: the records of one protocol come
 * together and mostly share their values, and a sorted map compared long
 * names (responsible parties) at every match.
 *
 * On a database of one shard the values are read from the slot's value
 * stream, moved forward to each match: the matcher's own per-document
 * lookup searches the B-tree for every document that has no value in a
 * sparse slot (a decision's second to fourth parties), which cost as much
 * as reading a full slot.  Several shards hand the spy each shard's own
 * document ids, so there it asks the document.  A remote shard runs only
 * the spies it knows by name: xapian_c_rdb_run falls back to
 * ValueCountMatchSpy then.
 */
class FacetSpy : public Xapian::MatchSpy {
      public:
	FacetSpy(Xapian::valueno slot, const Xapian::Database &db)
	    : slot_(slot), db_(db), stream_(db.size() == 1)
	{
	}
	void operator()(const Xapian::Document &doc, double) override
	{
		std::string v;
		if (stream_) {
			Xapian::docid did = doc.get_docid();
			if (!started_ || did < last_) {
				it_ = db_.valuestream_begin(slot_);
				started_ = true;
			}
			last_ = did;
			if (it_ == db_.valuestream_end(slot_))
				return;
			if (it_.get_docid() < did)
				it_.skip_to(did);
			if (it_ == db_.valuestream_end(slot_) || it_.get_docid() != did)
				return;
			v = *it_;
		} else {
			v = doc.get_value(slot_);
		}
		if (v.empty())
			return;
		if (last_value_ && v == last_value_->first) {
			++last_value_->second;
			return;
		}
		auto it = counts_.emplace(std::move(v), 0).first;
		++it->second;
		last_value_ = &*it;
	}
	/* (value, count) in value order. */
	std::vector<std::pair<std::string, unsigned>> values() const
	{
		std::vector<std::pair<std::string, unsigned>> v(counts_.begin(), counts_.end());
		std::sort(v.begin(), v.end());
		return v;
	}

      private:
	Xapian::valueno slot_;
	Xapian::Database db_;
	bool stream_;
	bool started_ = false;
	Xapian::docid last_ = 0;
	Xapian::ValueIterator it_;
	std::unordered_map<std::string, Xapian::doccount> counts_;
	std::pair<const std::string, Xapian::doccount> *last_value_ = nullptr;
};

/* The page `opt` asks for, with `spies` watching this run only. */
static Xapian::MSet *run_with_spies(Xapian::Enquire &enquire,
				    const std::vector<Xapian::MatchSpy *> &spies,
				    const xapian_c_run_options_t *opt, Xapian::doccount check)
{
	for (auto *sp : spies)
		enquire.add_matchspy(sp);
	try {
		Xapian::MSet *mset =
			new Xapian::MSet(enquire.get_mset(opt->offset, opt->limit, check));
		enquire.clear_matchspies();
		return mset;
	} catch (...) {
		enquire.clear_matchspies();
		throw;
	}
}

extern "C" xapian_c_status_t xapian_c_rdb_run(xapian_c_rdb_t *rdb,
					      const xapian_c_query_t *query,
					      const xapian_c_qp_t *qp,
					      const xapian_c_run_options_t *opt,
					      xapian_c_mset_t **out)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!query || !out || !opt)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot search: no query, options or output");
	*out = nullptr;
	try {
		xapian_c_mset_t *m = new xapian_c_mset_t;
		try {
			Xapian::Enquire enquire(*rdb->db);
			/* No page asked for: nothing to rank, so no weights
			 * (BM25 reads every match's document length). */
			if (opt->limit == 0) {
				enquire.set_query(*query->query);
				enquire.set_weighting_scheme(Xapian::BoolWeight());
			} else if (opt->wdf_scale) {
				/* Lengths already in the wdf: Xapian's default
				 * BM25 (k1 1, k3 1, min_normlen 0.5) with b 0
				 * and k1 on the wdf's scale; its factor k1 + 1
				 * scaled back, so scores read as before. */
				double k1 = opt->wdf_scale;
				enquire.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
								*query->query, 2 / (k1 + 1)));
				enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, 0, 0.5));
			} else {
				enquire.set_query(*query->query);
			}
			Xapian::MultiValueKeyMaker keys;
			if (opt->sort_slot >= 0 && !opt->sort_empty_last && opt->sort_slot2 < 0) {
				/* A plain value sort: the one the remote backend has. */
				enquire.set_sort_by_value_then_relevance(
					(Xapian::valueno)opt->sort_slot, opt->sort_descending != 0);
			} else if (opt->sort_slot >= 0) {
				/* An empty value sorts first; past every real value
				 * (bytes < 0xff in UTF-8 and dates) in the direction
				 * asked, it sorts last. */
				std::string missing;
				if (opt->sort_empty_last)
					missing = opt->sort_descending ? std::string()
								       : std::string("\xff");
				keys.add_value((Xapian::valueno)opt->sort_slot,
					       opt->sort_descending != 0, missing);
				if (opt->sort_slot2 >= 0)
					keys.add_value((Xapian::valueno)opt->sort_slot2);
				enquire.set_sort_by_key_then_relevance(&keys, false);
			}
			Xapian::doccount check = opt->exact ? rdb->db->get_doccount() : 0;
			if (opt->n_facets) {
				std::vector<std::unique_ptr<FacetSpy>> fast;
				std::vector<Xapian::MatchSpy *> spies;
				for (size_t k = 0; k < opt->n_facets; k++) {
					fast.emplace_back(new FacetSpy(opt->facet_slots[k], *rdb->db));
					spies.push_back(fast.back().get());
				}
				try {
					m->mset = run_with_spies(enquire, spies, opt, check);
					for (const auto &sp : fast)
						m->facets.push_back(sp->values());
				} catch (const Xapian::UnimplementedError &) {
					/* a remote shard: Xapian's own spy */
					m->facets.clear();
				}
			}
			if (!m->mset) {
				std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> counts;
				std::vector<Xapian::MatchSpy *> spies;
				for (size_t k = 0; k < opt->n_facets; k++) {
					counts.emplace_back(
						new Xapian::ValueCountMatchSpy(opt->facet_slots[k]));
					spies.push_back(counts.back().get());
				}
				m->mset = run_with_spies(enquire, spies, opt, check);
				for (const auto &sp : counts) {
					m->facets.emplace_back();
					for (Xapian::TermIterator t = sp->values_begin();
					     t != sp->values_end(); ++t)
						m->facets.back().emplace_back(*t, t.get_termfreq());
				}
			}
			if (qp)
				m->stem = new Xapian::Stem(*qp->stem);
		} catch (...) {
			delete m;
			throw;
		}
		*out = m;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot search");
	}
}

extern "C" size_t xapian_c_mset_facet_size(const xapian_c_mset_t *mset, size_t k)
{
	if (!mset || k >= mset->facets.size())
		return 0;
	return mset->facets[k].size();
}

extern "C" int xapian_c_mset_facet(const xapian_c_mset_t *mset, size_t k, size_t i,
				   const char **value, size_t *len, unsigned *count)
{
	if (!mset || k >= mset->facets.size() || i >= mset->facets[k].size())
		return -1;
	const auto &f = mset->facets[k][i];
	if (value)
		*value = f.first.data();
	if (len)
		*len = f.first.size();
	if (count)
		*count = f.second;
	return 0;
}

extern "C" xapian_c_status_t xapian_c_rdb_search(xapian_c_rdb_t *rdb,
						 const xapian_c_query_t *query,
						 const xapian_c_qp_t *qp, unsigned offset,
						 unsigned limit, xapian_c_mset_t **out)
{
	if (!rdb)
		return XAPIAN_C_INVALID_ARGUMENT;
	rdb->error.clear();
	if (!query || !out)
		return refuse(&rdb->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot search: no query or output");
	*out = nullptr;
	try {
		xapian_c_mset_t *m = new xapian_c_mset_t;
		try {
			Xapian::Enquire enquire(*rdb->db);
			enquire.set_query(*query->query);
			m->mset = new Xapian::MSet(enquire.get_mset(offset, limit));
			if (qp)
				m->stem = new Xapian::Stem(*qp->stem);
		} catch (...) {
			delete m;
			throw;
		}
		*out = m;
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&rdb->error, "cannot search");
	}
}

extern "C" void xapian_c_mset_free(xapian_c_mset_t *mset)
{
	delete mset;
}

extern "C" unsigned xapian_c_mset_size(const xapian_c_mset_t *mset)
{
	if (!mset)
		return 0;
	try {
		return mset->mset->size();
	} catch (...) {
		(void)fail(nullptr, "cannot get result count");
		return 0;
	}
}

extern "C" void xapian_c_mset_matches(const xapian_c_mset_t *mset, unsigned *lower,
				      unsigned *estimated, unsigned *upper)
{
	unsigned lo = 0, est = 0, up = 0;
	if (mset) {
		try {
			lo = mset->mset->get_matches_lower_bound();
			est = mset->mset->get_matches_estimated();
			up = mset->mset->get_matches_upper_bound();
		} catch (...) {
			(void)fail(nullptr, "cannot get match counts");
			lo = est = up = 0;
		}
	}
	if (lower)
		*lower = lo;
	if (estimated)
		*estimated = est;
	if (upper)
		*upper = up;
}

/* Whether i names a result of this page (MSet::operator[] does not check). */
static bool in_range(const xapian_c_mset_t *mset, unsigned i)
{
	return mset && i < mset->mset->size();
}

extern "C" xapian_c_docid_t xapian_c_mset_docid(const xapian_c_mset_t *mset, unsigned i)
{
	if (!in_range(mset, i))
		return 0;
	try {
		return *(*mset->mset)[i];
	} catch (...) {
		(void)fail(nullptr, "cannot get document id");
		return 0;
	}
}

extern "C" double xapian_c_mset_score(const xapian_c_mset_t *mset, unsigned i)
{
	if (!in_range(mset, i))
		return 0.0;
	try {
		return (*mset->mset)[i].get_weight();
	} catch (...) {
		(void)fail(nullptr, "cannot get score");
		return 0.0;
	}
}

extern "C" int xapian_c_mset_percent(const xapian_c_mset_t *mset, unsigned i)
{
	if (!in_range(mset, i))
		return 0;
	try {
		return (*mset->mset)[i].get_percent();
	} catch (...) {
		(void)fail(nullptr, "cannot get percentage");
		return 0;
	}
}

extern "C" xapian_c_status_t xapian_c_mset_data(xapian_c_mset_t *mset, unsigned i,
						char **data, size_t *len)
{
	if (!mset)
		return XAPIAN_C_INVALID_ARGUMENT;
	mset->error.clear();
	if (!data || !in_range(mset, i))
		return refuse(&mset->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get document data: no output or index out of range");
	*data = nullptr;
	try {
		give((*mset->mset)[i].get_document().get_data(), data, len);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&mset->error, "cannot get document data");
	}
}

extern "C" xapian_c_status_t xapian_c_mset_value(xapian_c_mset_t *mset, unsigned i,
						 unsigned slot, char **value, size_t *len)
{
	if (!mset)
		return XAPIAN_C_INVALID_ARGUMENT;
	mset->error.clear();
	if (!value || !in_range(mset, i))
		return refuse(&mset->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot get value: no output or index out of range");
	*value = nullptr;
	try {
		give((*mset->mset)[i].get_document().get_value(slot), value, len);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&mset->error, "cannot get value");
	}
}

extern "C" xapian_c_status_t xapian_c_mset_snippet(xapian_c_mset_t *mset, const char *text,
						   size_t text_len, size_t length,
						   const char *hl_start, const char *hl_end,
						   char **out)
{
	if (!mset)
		return XAPIAN_C_INVALID_ARGUMENT;
	mset->error.clear();
	if ((!text && text_len) || !hl_start || !hl_end || !out)
		return refuse(&mset->error, XAPIAN_C_INVALID_ARGUMENT,
			      "cannot make snippet: missing text, markers or output");
	*out = nullptr;
	try {
		std::string s = mset->mset->snippet(
			text ? std::string(text, text_len) : std::string(), length,
			mset->stem ? *mset->stem : Xapian::Stem(),
			Xapian::MSet::SNIPPET_EXHAUSTIVE,
			hl_start, hl_end, "…");
		*out = c_copy(s);
		return XAPIAN_C_OK;
	} catch (...) {
		return fail(&mset->error, "cannot make snippet");
	}
}

extern "C" const char *xapian_c_mset_error(const xapian_c_mset_t *mset)
{
	return mset ? mset->error.c_str() : no_handle;
}
