/*
 * stemmer: the analysis chain.  One code path turns text into index keys for
 * documents (stemmer_analyze) and for query words (stemmer_key, which the
 * Xapian QueryParser and snippet generator call through the shim), so a word
 * in a query and the same word in a protocol always meet.
 *
 * The chain, per token:
 *   1. ICU word breaking (UBreakIterator, root locale) over NFC text;
 *      a few joins that protocols need are made on top of it: "№ 6" / "№6"
 *      -> "№6", "2022-2023" and "ПЭТ-2" (letters/digits joined by a hyphen,
 *      no spaces) -> one compound token, whose parts are also emitted;
 *      ICU already keeps "1.4" and "01.12.2021" together.
 *   2. normalisation: NFKC case folding (u_strFoldCase), then ё -> е
 *      (й is kept: it is a different letter, not a diacritic variant);
 *   3. Russian stemming (Snowball "russian" through libstemmer) for words
 *      made of letters; numbers and compounds are kept as folded.
 *
 * Call order:
 *   stemmer_t *s = stemmer_new(&err);
 *   stemmer_analyze(s, text, len, 0, callback, ctx);   // document text
 *   stemmer_key(s, "Школам", 12, &key, &keylen);       // one query word
 *   stemmer_free(s);
 *
 * A stemmer_t is not thread-safe; make one per thread.
 */
#ifndef PROTODEX_STEMMER_H
#define PROTODEX_STEMMER_H

#include <stddef.h>

typedef struct stemmer stemmer_t;

/*
 * Version of the analysis chain, recorded in every database; change it
 * whenever any step above changes the keys it produces.
 */
const char *stemmer_version(void);

/* NULL on failure, with a malloc'd message in *errmsg (if not NULL). */
stemmer_t *stemmer_new(char **errmsg);
void stemmer_free(stemmer_t *s);

typedef enum stemmer_token_kind {
	STEMMER_WORD,     /* letters: stemmed */
	STEMMER_NUMBER,   /* digits, possibly with . , : inside ("1.4") */
	STEMMER_COMPOUND, /* "№6", "2022-2023", "ПЭТ-2": the whole form */
	STEMMER_PART      /* a part of the preceding compound */
} stemmer_token_kind_t;

typedef struct stemmer_token {
	const char *surface;    /* the token as written (points into the input) */
	size_t surface_len;
	const char *key;        /* the index key (folded, stemmed), NUL-terminated */
	size_t key_len;
	size_t offset;          /* byte offset of surface in the input */
	unsigned pos;           /* term position; a compound shares the position
				   of its first part */
	stemmer_token_kind_t kind;
} stemmer_token_t;

/*
 * Called once per token, in text order.  The token's strings are valid only
 * during the call.  Return non-zero to stop the analysis early.
 */
typedef int (*stemmer_token_fn)(void *ctx, const stemmer_token_t *tok);

/*
 * Analyse `text` (UTF-8; invalid bytes are treated as separators) with
 * positions starting at `first_pos`.  *next_pos (if not NULL) receives the
 * position after the last token, so successive paragraphs can continue
 * the numbering.  Returns 0, or -1 if ICU failed (message via
 * stemmer_error), or the callback's non-zero value.
 */
int stemmer_analyze(stemmer_t *s, const char *text, size_t len, unsigned first_pos,
		    stemmer_token_fn fn, void *ctx, unsigned *next_pos);

/*
 * The key of a single word as the QueryParser hands it over (it may be
 * already lower-cased).  *key points to storage inside `s`, valid until the
 * next call on `s`.  Returns 0, or -1 when the word yields no key.
 */
int stemmer_key(stemmer_t *s, const char *word, size_t len, const char **key,
		size_t *key_len);

/* The last error message, or "" (owned by s). */
const char *stemmer_error(const stemmer_t *s);

#endif
