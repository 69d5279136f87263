/*
 * Printing records: one place for the fields and their order, so search,
 * show and export agree (README.md, "Output formats", schema version
 * OUTPUT_SCHEMA_VERSION).
 */
#ifndef PROTODEX_OUTPUT_H
#define PROTODEX_OUTPUT_H

#include <stdio.h>

#include "common/strbuf.h"
#include "searcher/searcher.h"

#define OUTPUT_SCHEMA_VERSION 1

/* The record fields of a hit, in output order (DATA_* names). */
extern const char *const output_record_fields[];

/* One JSON object (no newline): rank, the record fields, score, snippet. */
void output_hit_json(const searcher_hit_t *h, strbuf_t *out);
/* A few lines for people; colour on a terminal. */
void output_hit_text(const searcher_hit_t *h, int colour, FILE *f);

/* CSV (RFC 4180): the header row, and one record per row. */
void output_csv_header(strbuf_t *out);
void output_hit_csv(const searcher_hit_t *h, strbuf_t *out);
void output_csv_field(strbuf_t *out, const char *s, size_t len);

#include "indexer/gazetteer.h"
#include "indexer/protocol.h"

/*
 * Parse a protocol record's body (its paragraphs, one per line) again:
 * the same parser gives the structure it was indexed with.
 */
void output_reparse(const char *data, size_t len, const gazetteer_t *gaz, protocol_t *p);

/* The protocol's structure for people (protodex parse, protodex show). */
void output_protocol_text(const char *source, const protocol_t *p, FILE *f);

/* A protocol record as one JSON object: source fields, then the structure. */
void output_protocol_json(const char *data, size_t len, const protocol_t *p, strbuf_t *out);

#endif
