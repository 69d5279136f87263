/*
 * The query language, before Xapian's QueryParser sees it.
 *
 *   query_t q;
 *   query_error_t err;
 *   if (query_prepare(text, strlen(text), &q, &err) < 0)
 *       report err.message, err.hint at err.column;
 *   for each q.segments[i]: free text (to the abbreviation rewrite) or a
 *       field clause "field:value" with the English field name;
 *   hand the joined segments to the QueryParser, whose field and range
 *   callbacks resolve values with query_period() and friends;
 *   query_release(&q);
 *
 * What query_prepare does, and QueryParser would not:
 *   - field names in English or Russian, any case (мо:, Municipality:), are
 *     checked and rewritten to the English name the parser knows;
 *   - an unknown field, a bad date, a bad type or deadline keyword, an
 *     unmatched bracket or quote, or an operator with nothing on one side
 *     is an error naming its column, with a suggested fix (QueryParser
 *     silently reads most of them some other way);
 *   - Russian operators И, ИЛИ, НЕ, РЯДОМ (in capitals) become AND, OR,
 *     NOT, NEAR; «guillemets» become phrase quotes;
 *   - a query with nothing but exclusions ("-word", "-мо:X") gets an
 *     every-record clause in front, since QueryParser would otherwise turn
 *     "-word" into "word".
 *
 * Nothing here touches a database: it is the part of the query path that
 * reads outside input byte by byte, and tests/fuzz/fuzz_query.c runs it
 * (with the rest of the search path) on arbitrary bytes.
 */
#ifndef PROTODEX_QUERY_H
#define PROTODEX_QUERY_H

#include <stddef.h>

typedef enum query_field {
	QUERY_FIELD_MUNICIPALITY,
	QUERY_FIELD_REGION,
	QUERY_FIELD_TYPE,
	QUERY_FIELD_RESPONSIBLE,
	QUERY_FIELD_SPEAKER,
	QUERY_FIELD_NUMBER,
	QUERY_FIELD_DATE,
	QUERY_FIELD_DUE,
	QUERY_FIELD_PATH,
	QUERY_FIELD_COUNT,
	/* Internal: every record (the front of an exclusion-only query). */
	QUERY_FIELD_ALL = QUERY_FIELD_COUNT
} query_field_t;

/* English name ("municipality"), as QueryParser knows it. */
const char *query_field_name(query_field_t f);
/* The Russian name ("мо"). */
const char *query_field_name_ru(query_field_t f);
/* A field by any of its names, any case; -1 when there is none. */
int query_field_lookup(const char *name, size_t len);

typedef struct query_error {
	size_t offset;      /* byte offset in the query */
	unsigned column;    /* 1-based, in characters */
	char message[256];  /* "unknown field 'дата_заседания'" */
	char hint[256];     /* "fields are ...", or "" */
} query_error_t;

typedef struct query_segment {
	int field;          /* -1: free text; else a query_field_t */
	char *text;         /* the text to hand to QueryParser */
	size_t offset;      /* where it starts in the user's query */
} query_segment_t;

typedef struct query {
	query_segment_t *segments;
	size_t n;
	int has_text;       /* some free-text word or phrase */
} query_t;

/* 0, or -1 with *err filled (and *q empty). */
int query_prepare(const char *text, size_t len, query_t *q, query_error_t *err);
void query_release(query_t *q);

/* ---- Dates ------------------------------------------------------------ */

/*
 * A date or period as written in a query: "2021-12-01", "01.12.2021",
 * "2021-12", "12.2021", "2021", "today" / "сегодня".  `today` is
 * "YYYYMMDD".  Fills its first and last day as "YYYYMMDD" and returns 0;
 * -1 with a reason in why[why_size] when it is not a date.
 */
int query_period(const char *s, size_t len, const char *today, char from[9], char to[9],
		 char *why, size_t why_size);

/*
 * A range "A..B", "..B", "A.." or a single period "A" (its first to its
 * last day): *from / *to "" for an open end.  0, or -1 with a reason.
 */
int query_range(const char *s, size_t len, const char *today, char from[9], char to[9],
		char *why, size_t why_size);

/*
 * [from, to] ("YYYYMMDD", valid dates, from <= to) cut into whole years,
 * whole months and, in the months its ends cut, days: `piece` gets each,
 * in date order, as "YYYY", "YYYYMM" or "YYYYMMDD" (date queries take them
 * by year, month and day terms).  Returns how many pieces it gave, or
 * stops at the first nonzero return of `piece` and returns -1.
 */
typedef int (*query_date_piece_fn)(void *ctx, const char *period);
int query_date_pieces(const char *from, const char *to, query_date_piece_fn piece, void *ctx);

/* ---- Deadline keywords -------------------------------------------------- */

typedef enum query_due_keyword {
	QUERY_DUE_NONE_KEYWORD = -1,
	QUERY_DUE_PERMANENT,   /* permanent, постоянно */
	QUERY_DUE_EVENT,       /* event, событие */
	QUERY_DUE_NO_DEADLINE, /* none, нет */
	QUERY_DUE_OVERDUE      /* overdue, просрочено */
} query_due_keyword_t;

/* The keyword a due: value is, any case; -1 when it is none. */
int query_due_keyword(const char *s, size_t len);

/* "protocol" / "decision" for a type: value in either language; NULL. */
const char *query_type_value(const char *s, size_t len);

#endif
