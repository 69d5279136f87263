/*
 * Document data records: "key\tvalue\n" lines, an empty line, then a body.
 * Values are single lines: tabs and newlines in them are replaced by spaces
 * when written.  Keys are the DATA_* names of schema.h.
 */
#ifndef PROTODEX_DOCDATA_H
#define PROTODEX_DOCDATA_H

#include <stddef.h>

#include "common/strbuf.h"

void docdata_add_field(strbuf_t *sb, const char *key, const char *value);
/* Ends the header; everything after this call is the body. */
void docdata_begin_body(strbuf_t *sb);

/*
 * Find `key` in a record; returns a pointer into `data` (not terminated)
 * and its length, or NULL when absent.
 */
const char *docdata_get(const char *data, size_t len, const char *key, size_t *vlen);
/* The body; NULL (and 0) when the record has none. */
const char *docdata_body(const char *data, size_t len, size_t *blen);

#endif
