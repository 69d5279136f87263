/*
 * stemmer: the analysis chain.  One code path turns text into index keys for
 * documents (stemmer_analyze) and for query words (stemmer_key, which the
 * Xapian QueryParser and snippet generator call through the shim), so a word
 * in a query and the same word in a protocol always meet.
 *
 * The chain, per token:
 *   1. ICU word breaking (UBreakIterator, root locale) over the text as
 *      UTF-16.  Tokens are the word-status segments holding a letter or a
 *      digit; punctuation and space are skipped.  ICU already keeps "1.4",
 *      "01.12.2021" and "т.д" together.  Invalid UTF-8 bytes are
 *      separators.  Soft hyphens and other default-ignorable characters
 *      (zero-width space, joiners, BOM, ...) do not split a word and are
 *      dropped from its key.  Joins made on top of ICU:
 *        - "№6", "№ 6" (U+2116, horizontal space, a token starting with a
 *          digit) -> one COMPOUND keyed "№6";
 *        - tokens joined by one hyphen ('-', U+2010, U+2011) with no space:
 *          "2022-2023", "ПЭТ-2", "общественно-государственного" -> one
 *          COMPOUND keyed by the folded whole form ("пэт-2"; the Unicode
 *          hyphens become '-'), not stemmed;
 *        - a token mixing letters and digits, which ICU keeps whole
 *          ("10.07.2022г", "2022г") -> one COMPOUND as written.
 *      A compound is followed by its PARTs: each hyphen-separated piece,
 *      and within a mixed piece each run of letters or of digits
 *      ("10.07.2022", "г"), keyed like a word or number on its own.
 *   2. normalisation: NFC (per token), full Unicode case folding
 *      (u_strFoldCase, U_FOLD_CASE_DEFAULT; "ß" -> "ss"), then ё -> е
 *      (й is kept: it is a different letter, not a diacritic variant).
 *      NFKC is not used: it would turn "№" into "no".
 *   3. Russian stemming (Snowball "russian" through libstemmer) for WORD
 *      tokens and letter parts; numbers and compounds are kept as folded.
 *      Latin words pass through the Russian stemmer unchanged.
 *
 * Positions: every WORD and NUMBER takes the next position; a COMPOUND
 * takes the position of its first part and its PARTs take consecutive
 * positions, so "ПЭТ-2 форма" gives COMPOUND "пэт-2"@p, PART "пэт"@p,
 * PART "2"@p+1, WORD "форм"@p+2 and a query phrase "пэт 2" matches.
 *
 * Keys are at least one byte and have no length limit: a caller with a
 * term length limit (Xapian: 245 bytes with prefix) must skip long ones.
 *
 * Call order:
 *   stemmer_t *s = stemmer_new(&err);
 *   stemmer_analyze(s, text, len, 0, callback, ctx);   // document text
 *   stemmer_key(s, "Школам", 12, &key, &keylen);       // one query word
 *   stemmer_free(s);
 *
 * A stemmer_t is not thread-safe; make one per thread.  Buffers and the
 * ICU break iterator are opened once in stemmer_new and reused: analysis
 * does not allocate per token.
 */
#ifndef PROTODEX_STEMMER_H
#define PROTODEX_STEMMER_H

#include <stddef.h>

typedef struct stemmer stemmer_t;

/*
 * Version of the analysis chain, recorded in every database, e.g.
 * "icu72-nfc-fold-yo-snowball-russian-1": the ICU major version (its
 * Unicode data drives word breaking and folding), the steps and a serial
 * number.  Bump the serial whenever any step above changes the keys it
 * produces.  A static string.
 */
const char *stemmer_version(void);

/*
 * NULL on failure, with a malloc'd message in *errmsg (if not NULL; the
 * caller frees it).  Free the stemmer with stemmer_free; stemmer_free(NULL)
 * does nothing.
 */
stemmer_t *stemmer_new(char **errmsg);
void stemmer_free(stemmer_t *s);

typedef enum stemmer_token_kind {
	STEMMER_WORD,     /* letters (no digit): stemmed */
	STEMMER_NUMBER,   /* digits, possibly with . , : inside ("1.4") */
	STEMMER_COMPOUND, /* "№6", "2022-2023", "ПЭТ-2", "2022г": the whole form */
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
 * Called once per token, in text order; a COMPOUND comes before its PARTs.
 * The token's strings are valid only during the call.  Return non-zero to
 * stop the analysis early.  The callback may call stemmer_key on the same
 * stemmer (it has its own buffers), but not stemmer_analyze.
 */
typedef int (*stemmer_token_fn)(void *ctx, const stemmer_token_t *tok);

/*
 * Analyse `text` (UTF-8; invalid bytes are treated as separators) with
 * positions starting at `first_pos`.  *next_pos (if not NULL) receives the
 * position after the last token, so successive paragraphs can continue
 * the numbering (also when the callback stopped the analysis).  `fn` may be
 * NULL to count positions only.  Long texts are handled in chunks of about
 * a megabyte cut at line ends, which does not change the tokens (a line of
 * more than half a megabyte is cut at a space).  Returns 0; -1 if ICU or
 * Snowball failed or the arguments are wrong (s NULL, text NULL with
 * len > 0; message via stemmer_error when s is not NULL); or the
 * callback's non-zero value.
 */
int stemmer_analyze(stemmer_t *s, const char *text, size_t len, unsigned first_pos,
		    stemmer_token_fn fn, void *ctx, unsigned *next_pos);

/*
 * The key of a single word as the QueryParser hands it over (it may be
 * already lower-cased): "Школам" -> "школ", "ёлка" -> "елк", "1.4" -> "1.4",
 * "ПЭТ-2" -> "пэт-2".  It runs the same chain as stemmer_analyze over
 * `word` and returns the key of the first token (the compound's key when
 * the word is one), so a word and its analysis in running text always
 * share the key.  *key points to storage inside `s`, NUL-terminated, valid
 * until the next stemmer_key call on `s`.  Returns 0, or -1 when the word
 * yields no key (no letter or digit; *key is then "", *key_len 0) or on
 * failure.
 */
int stemmer_key(stemmer_t *s, const char *word, size_t len, const char **key,
		size_t *key_len);

/* The last error message, or "" (owned by s; "" for s NULL). */
const char *stemmer_error(const stemmer_t *s);

#endif
