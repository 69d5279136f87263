/*
 * stemmer internals shared by stemmer.c (tokens, emission, queries) and
 * morph.c (the lexicon: abbreviations, vocabulary, hunspell, the stem ->
 * lemma map, Snowball and the cache).  Not part of the public interface.
 */
#ifndef PROTODEX_STEMMER_INT_H
#define PROTODEX_STEMMER_INT_H

#include "common/strbuf.h"
#include "stemmer/stemmer.h"

#include <stddef.h>
#include <stdint.h>

/* At most this many keys per token (homonym lemmas). */
#define MORPH_MAX_KEYS 6

/* The first byte of every concept key; no word, number or compound key
 * can start with it (ICU never starts a word segment with ':'). */
#define CONCEPT_MARK ':'
/* What the query rewriter puts before a concept id so that the stem
 * callback knows the word ("_впр"); '_' joins words for QueryParser. */
#define QUERY_MARK '_'

/* The keys of one word: NUL-terminated strings in buf at off[0..n). */
typedef struct morph_keys {
	strbuf_t buf;
	size_t off[MORPH_MAX_KEYS];
	unsigned n;
	stemmer_step_t step;
} morph_keys_t;

void morph_keys_init(morph_keys_t *k);
void morph_keys_release(morph_keys_t *k);
void morph_keys_reset(morph_keys_t *k);
/* Append a key unless it is already there or the set is full. */
void morph_keys_add(morph_keys_t *k, const char *key, size_t len);

/* A string -> bytes hash map (open addressing, FNV-1a), optionally bounded. */
typedef struct strmap {
	struct strmap_slot {
		uint64_t hash;
		uint32_t key_off, key_len, val_off, val_len; /* in arena; key_len 0: empty */
	} *slots;
	size_t cap;   /* power of two */
	size_t n;
	size_t limit; /* bounded maps are cleared when n reaches it; 0: unbounded */
	strbuf_t arena;
} strmap_t;

void strmap_init(strmap_t *m, size_t limit);
void strmap_release(strmap_t *m);
void strmap_clear(strmap_t *m);
/* The value of key, or NULL (len in *val_len). */
const char *strmap_get(const strmap_t *m, const char *key, size_t len, size_t *val_len);
/* Insert (or append to an existing value when append is set). */
void strmap_put(strmap_t *m, const char *key, size_t klen, const char *val, size_t vlen,
		int append);

typedef struct morph morph_t;

/*
 * Open the lexicon for `opt` (analyzer mode, dictionary directory, cache
 * size).  The dictionary missing is not an error: the lexicon falls back to
 * Snowball and says so in morph_notice.  NULL with *errmsg on failure.
 */
morph_t *morph_new(const stemmer_options_t *opt, char **errmsg);
void morph_free(morph_t *m);

int morph_full(const morph_t *m);          /* 1: dictionary in use */
const char *morph_notice(const morph_t *m);
const char *morph_version(const morph_t *m);

/*
 * The keys of one word.  `orig` is the word as written after NFC, with
 * the default-ignorable characters dropped (case and ё kept); `fold` is
 * its case-folded form with ё -> е (the old key).  Results are cached by
 * `orig`.  Returns 0, or -1 with a message in err.
 */
int morph_word(morph_t *m, const char *orig, size_t olen, const char *fold, size_t flen,
	       morph_keys_t *out, strbuf_t *err);

/* The cache: entries in use (for tests). */
size_t morph_cache_entries(const morph_t *m);

/*
 * Word lists: the keys worked out for words, kept so that another process
 * gets them without the dictionary.  An entry is
 * "<word length>:<value length>:<word><value>", the value as the cache
 * holds it ("<step><count>key\0key\0...").
 *
 * With stemmer_options_t.log_words, each word worked out (not found in the
 * cache) is appended to a log that morph_take_log hands over (and empties);
 * a word with capitals is worked out in lower case too.
 * morph_export_cache: every cached word, appended to out.
 * morph_preload: cache the entries of `list`; their number, or -1 when the
 * list is damaged (the entries before the damage are cached).
 * morph_log_next: the next entry of *list (advanced): 1, 0 at the end, -1
 * when damaged.
 */
void morph_take_log(morph_t *m, strbuf_t *out);
void morph_export_cache(const morph_t *m, strbuf_t *out);
int morph_preload(morph_t *m, const char *list, size_t len);
int morph_log_next(const char **list, size_t *len, const char **word, size_t *wl,
		   const char **value, size_t *vl);

/*
 * Asked for a word missing from the cache before it is worked out: 1 with
 * its value (as above) in *value, 0 when unknown.  The searcher answers
 * from the database's word list, so queries need no dictionary.
 */
typedef int (*morph_source_fn)(void *ctx, const char *word, size_t len, strbuf_t *value);
void morph_set_source(morph_t *m, morph_source_fn fn, void *ctx);

/* Abbreviations: count, text of entry i, whether it is capitals-only,
 * its concept id ("впр", "фис_око") and expansions ("a | b"). */
size_t morph_abbr_count(const morph_t *m);
const char *morph_abbr_text(const morph_t *m, size_t i);
const char *morph_abbr_id(const morph_t *m, size_t i);
const char *morph_abbr_expansions(const morph_t *m, size_t i);
/* The concept index of an id ("впр"), or -1. */
int morph_concept_by_id(const morph_t *m, const char *id, size_t len);

/* Compose a version string (used by morph and by stemmer_version). */
void morph_compose_version(strbuf_t *out, int full, const char *dict_hash);
/* Hash of the dictionary files in `dir` ("" when they cannot be read). */
void morph_dict_hash(const char *dir, strbuf_t *out);
/* "IDENTITY=HASH" for the dictionary in `dir` (see stemmer_dictionary_hint),
 * "" when it cannot be read. */
void morph_dict_hint(const char *dir, strbuf_t *out);
/* Hashes of later morph_dict_hash calls may come from this hint. */
void morph_use_dict_hint(const char *hint);
/* Mode and dictionary directory that `opt` selects; -1 on a bad setting. */
int morph_resolve(const stemmer_options_t *opt, int *want_full, const char **dir);

#endif
