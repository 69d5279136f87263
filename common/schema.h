/*
 * The index format: every term prefix, value slot and metadata key that the
 * indexer writes and the searcher reads is named here and nowhere else.
 *
 * Each source file gives one protocol document and one document per
 * decision found in it (see indexer/protocol.h for what a decision is).
 *
 * Both kinds carry:
 *   - "Z" + key     positional terms of their text, keys from stemmer/ (the
 *                   same chain the QueryParser applies to queries, through
 *                   Xapian's STEM_ALL_Z strategy).  A decision's own text
 *                   has weight DECISION_TEXT_WDF per occurrence; its
 *                   responsible heading, deadline and agenda item text
 *                   weight 1, each after a position gap;
 *   - "Q" + id      the unique id term: a protocol's id is 16 hex digits of
 *                   a hash of the source's canonical path; a decision's is
 *                   "<protocol id>-<ordinal>";
 *   - "XP" + protocol id: every document of one source, so re-indexing a
 *                   file deletes them all before adding the new ones;
 *   - "XU" + archive id (16 hex digits of a hash of the archive's
 *                   canonical path, as for a protocol id): every document
 *                   of every member of one top-level archive (nested ones
 *                   included), so re-indexing a changed archive deletes
 *                   its old members, even those gone from it, at once.
 *                   A member is a source of its own: its canonical path is
 *                   "<archive path>!/<member path>" ("a.zip!/b.zip!/c.docx",
 *                   member paths in UTF-8), its protocol id a hash of that;
 *   - "XG" + the canonical path of the file on disk a protocol came from
 *                   (the archive's, for a member): protocols only, so that
 *                   a run can find the files that are gone and remove
 *                   their documents (by XP, or XU for an archive);
 *   - "XC" + 16 hex digits of a hash of that file's bytes (protocols),
 *                   with SLOT_FILE its path: a file uploaded again under
 *                   another name is known by it;
 *   - "XH" + each part of the source path, split at '/' and at "!/"
 *                   ("uploads", "kashin.zip", "Протокол №8.docx"), for
 *                   path: queries;
 *   - boolean terms: "XT" type (protocol, decision), "XK" kind, "XM"
 *                   municipality and "XR" region (canonical names), "XY"
 *                   meeting year, "XO" meeting month and day ("YYYYMM",
 *                   "YYYYMMDD"), "XE" deadline end's year, month and day
 *                   (dated deadlines), "XN" protocol number, "XF" format
 *                   (protocols), "XA" responsible party and "XD" deadline
 *                   kind: none, date, range, permanent, event (decisions),
 *                   "XS" speaker;
 *   - values: SLOT_DATE meeting date, SLOT_DUE_FROM / SLOT_DUE_TO deadline
 *             bounds (all "YYYYMMDD", so they sort and range as strings),
 *             SLOT_ORDINAL ("%06u"), and the facet slots below;
 *   - data: "key\tvalue\n" header lines (DATA_*), an empty line, then the
 *           text: the extracted text of a protocol (snippets, `show`), the
 *           decision's text for a decision.  A decision's header holds
 *           only its own fields and DATA_PROTOCOL: the protocol's fields
 *           (DATA_PATH, DATA_TITLE, DATA_KIND, DATA_NUMBER, DATA_DATE,
 *           DATA_MUNICIPALITY, DATA_REGION) are read from the protocol's
 *           record when it is shown (searcher_get, search hits), so they
 *           are stored once per protocol.  A protocol's paragraphs are
 *           its body lines, so its structure is parsed again from them when
 *           shown or exported (the same parser, the same result).
 * Protocols also carry SLOT_STAMP, "size:mtime" of the source, to skip
 * unchanged files; the protocol of an archive member carries the
 * archive's (the first document found by its "XU" term, always a
 * protocol as each member's protocol is written before its decisions,
 * tells whether the archive changed).
 *
 * META_ERRORS holds what the last `protodex index` run skipped, for
 * `protodex stats --errors`: "path\treason\n" lines (tabs and line breaks
 * inside either are replaced by spaces), at most ERRORS_MAX_LINES of them,
 * then, if more were skipped, a line "...\t<N> more".
 *
 * SCHEMA_VERSION changes whenever a change here makes old databases give
 * wrong answers; the analyzer version (stemmer_version()) is recorded
 * beside it, and either mismatch asks the user to re-index.
 */
#ifndef PROTODEX_SCHEMA_H
#define PROTODEX_SCHEMA_H

#define SCHEMA_VERSION "8"

#define PREFIX_STEM "Z"
#define PREFIX_ID "Q"
#define PREFIX_FORMAT "XF"
#define PREFIX_PROTOCOL "XP"
#define PREFIX_ARCHIVE "XU"
#define PREFIX_PATH "XH"
#define PREFIX_SOURCE "XG"
#define PREFIX_CONTENT "XC"
#define PREFIX_TYPE "XT"
#define PREFIX_KIND "XK"
#define PREFIX_MUNICIPALITY "XM"
#define PREFIX_REGION "XR"
#define PREFIX_YEAR "XY"
#define PREFIX_MONTH "XO"
#define PREFIX_DUE_PERIOD "XE"
#define PREFIX_NUMBER "XN"
#define PREFIX_RESPONSIBLE "XA"
#define PREFIX_DEADLINE_KIND "XD"
#define PREFIX_SPEAKER "XS"
/*
 * The words of those four kinds of names: "XW" + the kind's letter (M, R,
 * A, S) + a key of one of the name's words + " " + the name as its term
 * has it, on the protocol of each source that has the name (its
 * decisions' parties included).  A name too long for that is written
 * "#" + 16 hex digits of a hash of it, in all its word terms, which are
 * then on every document that has the name.  A field query finds the
 * names with its words by these terms' prefix, then the documents by the
 * names' terms (a hashed name's by its word term), instead of analysing
 * every name; a database marked META_NAME_WORDS has them.
 */
#define PREFIX_NAME_WORD "XW"

#define TYPE_PROTOCOL "protocol"
#define TYPE_DECISION "decision"

/* A decision's own words count this much more than its agenda item's. */
#define DECISION_TEXT_WDF 3
/* Positions left between a decision's text and its agenda item's, so a
 * phrase cannot span them. */
#define SECTION_POSITION_GAP 100

/*
 * Documents are normalised for their length when written (in databases
 * marked META_WDF_NORMALISED): BM25's length factor
 *   K = (1 - b) + b * max(L / WDF_NORM_LENGTH, 1/2),  b = 1/2,
 * for a document of length L (the sum of its wdf), is applied to each
 * wdf, and the result multiplied by WDF_SCALE and rounded (at least 1):
 *   wdf' = round(wdf * WDF_SCALE / K).
 * A search ranks by BM25 with b = 0 and k1 times WDF_SCALE: the same
 * order as Xapian's default BM25 with an average length of
 * WDF_NORM_LENGTH, without reading every match's document length (which
 * grows with the database, not with the matches).
 */
#define WDF_SCALE 32
#define WDF_NORM_LENGTH 100.0

/* What a document of `length` multiplies its wdf by: WDF_SCALE / K. */
static inline double
wdf_norm_factor(unsigned long length)
{
	double ratio = length / WDF_NORM_LENGTH;
	return WDF_SCALE / (0.5 + 0.5 * (ratio < 0.5 ? 0.5 : ratio));
}

#define SLOT_STAMP 0
#define SLOT_DATE 1
#define SLOT_DUE_FROM 2
#define SLOT_DUE_TO 3
#define SLOT_ORDINAL 4
/* Facets: one value per document (responsible parties: see below). */
#define SLOT_MUNICIPALITY 5
#define SLOT_REGION 6
#define SLOT_YEAR 7
#define SLOT_RESPONSIBLE 8
#define SLOT_TYPE 9
#define SLOT_KIND 10
/* Protocols whose municipality is not in the gazetteer: the name as written. */
#define SLOT_UNKNOWN_MUNICIPALITY 11
/* A decision's second to fourth responsible parties (the facet counts a
 * decision once for each of its parties). */
#define SLOT_RESPONSIBLE_2 12
#define SLOT_RESPONSIBLE_3 13
#define SLOT_RESPONSIBLE_4 14
/*
 * Sort keys, whole in one value so that a plain value sort gives the
 * order (the remote backend sorts by one value, with no KeyMaker):
 * SLOT_SORT_DUE is the deadline end then the meeting date, "99999999" for
 * no dated deadline, so those come last; SLOT_SORT_MUNICIPALITY the
 * municipality, a tab, then the meeting date, "\xff" for no municipality.
 */
#define SLOT_SORT_DUE 15
#define SLOT_SORT_MUNICIPALITY 16
#define SORT_DUE_NONE "99999999"
/* Protocols: the path of the file on disk (as the XG term). */
#define SLOT_FILE 17
/* Protocols: the bytes of text extracted from the source (decimal). */
#define SLOT_TEXT_BYTES 18
/* Protocols: the header lines their decisions' records take from them
 * (DATA_PATH ... DATA_REGION, as in the data), read without the text the
 * data holds.  A database written before it has none: the data is read. */
#define SLOT_HEADER 19

#define META_SCHEMA "protodex:schema"
#define META_ANALYZER "protodex:analyzer"
#define META_ERRORS "protodex:errors"
/* The directories and files `protodex index` was given, a line each. */
#define META_ROOTS "protodex:roots"
/* The revision a compaction left (decimal): compacting again while the
 * database is still at it changes nothing, and is skipped. */
#define META_COMPACTED "protodex:compacted"
#define ERRORS_MAX_LINES 5000
/*
 * The analysis chain's keys for words met while indexing, so that a
 * search process finds them without loading the dictionary (~150 ms):
 * META_WORD + a word as written -> its keys (stemmer_word_list_next);
 * META_WORDS -> the words the abbreviations' expansions are made of, as
 * one list (stemmer_export_words), read when a search starts.
 */
#define META_WORD "protodex:w:"
#define META_WORDS "protodex:expansion-words"
/* Longer words are not kept (Xapian's key limit is 245 bytes). */
#define META_WORD_MAX 200
/* The dictionary the words were worked out with, as its files' identity
 * and hash (stemmer_dictionary_hint): a search on the same machine checks
 * the analyzer version without reading the dictionary. */
#define META_DICTIONARY "protodex:dictionary"
/* "1": every source's protocol has its PREFIX_NAME_WORD terms (set when the
 * database is created; older ones are searched by analysing their names). */
#define META_NAME_WORDS "protodex:name-words"
/* "1": every document has its date terms ("XY", "XO", "XE"; set when the
 * database is created), and a date query is an OR of the whole years,
 * months and days in its range; older databases are searched by the
 * value slots. */
#define META_DATE_TERMS "protodex:date-terms"
/* "1": every document's wdf is normalised for its length (WDF_SCALE; set
 * when the database is created); older databases are ranked by BM25 with
 * their documents' lengths. */
#define META_WDF_NORMALISED "protodex:wdf-normalised"

#define DATA_TYPE "type"
#define DATA_ID "id"
#define DATA_PROTOCOL "protocol"
#define DATA_PATH "path"
#define DATA_TITLE "title"
#define DATA_SIZE "size"
#define DATA_FORMAT "format"
#define DATA_ENCODING "encoding"
#define DATA_KIND "kind"
#define DATA_NUMBER "number"
#define DATA_DATE "date"
#define DATA_MUNICIPALITY "municipality"
#define DATA_REGION "region"
#define DATA_DECISIONS "decisions"
/* Protocols: which body lines were table cells, as "line:row:col"
 * separated by spaces (lines from 0), so that parsing the body again
 * reads their tables as indexing did; absent when there were none. */
#define DATA_CELLS "cells"
/* decisions */
#define DATA_DECISION_NUMBER "decision_number"
#define DATA_ORDINAL "ordinal"
#define DATA_RESPONSIBLE "responsible"
#define DATA_RESPONSIBLE_TEXT "responsible_text"
#define DATA_DEADLINE_TEXT "deadline_text"
#define DATA_DEADLINE_KIND "deadline_kind"
#define DATA_DEADLINE_FROM "deadline_from"
#define DATA_DEADLINE_TO "deadline_to"
#define DATA_AGENDA "agenda"

#include "common/strbuf.h"

/*
 * Check the versions a database records against this build's.  Returns 1
 * when compatible; otherwise 0 with a message in `why` that names the
 * database and says to re-index.  An empty db_schema means a new database.
 */
int schema_compatible(const char *dbpath, const char *db_schema, const char *db_analyzer,
		      const char *analyzer, strbuf_t *why);

#endif
