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
 *          ("10.07.2022г", "2022г") -> one COMPOUND as written;
 *        - letters joined by dots, which ICU keeps whole ("О.С", "т.д")
 *          and the QueryParser reads as a phrase -> one COMPOUND.
 *      A compound is followed by its PARTs: each hyphen-separated piece,
 *      within a mixed piece each run of letters or of digits ("10.07.2022",
 *      "г"), and each dot-separated run of letters ("О", "С"), keyed like a
 *      word or number on its own.
 *   2. normalisation: NFC (per token), full Unicode case folding
 *      (u_strFoldCase, U_FOLD_CASE_DEFAULT; "ß" -> "ss"), then ё -> е
 *      (й is kept: it is a different letter, not a diacritic variant).
 *      NFKC is not used: it would turn "№" into "no".
 *   3. morphology, for WORD tokens and letter PARTs (stemmer/morph.c); the
 *      first step that knows the word gives its keys:
 *        a. ABBREVIATION: stemmer/data/abbreviations.tsv.  "ВПР" is keyed
 *           ":впр", a concept key; ':' never starts a word key, so
 *           abbreviations live in their own term space and never meet
 *           words (ОО -> ":оо", о -> "о"; НОР -> ":нор", нора -> "нора";
 *           МО -> ":мо", МОУ -> ":моу").  Entries marked "caps" (НОР, ДО,
 *           ОО...) are abbreviations only when written in capitals, "нор"
 *           stays a form of «нора»;
 *        b. VOCABULARY: stemmer/data/vocabulary.tsv, education words the
 *           dictionary lacks (оценивание, дефициты, вебинар...) -> lemma;
 *        c. DICTIONARY: hunspell-ru's lemmas (Hunspell_stem) of the word
 *           as written -- proper nouns are found only capitalised -- then
 *           with ё -> е, then Capitalised (the QueryParser lower-cases
 *           queries, so "москве" must still find «Москва»).  A word with
 *           several lemmas (мыла: мыло, мыть) gets all of them as keys, the
 *           lemma equal to the word itself first;
 *        d. STEM_MAP: a word unknown to the dictionary is Snowball-stemmed
 *           and the stem looked up in a stem -> lemma map generated at
 *           build time from the dictionary (stemmer/mkdata.c), so unknown
 *           inflections still meet the dictionary's lemma ("дефицитами",
 *           which hunspell-ru lists in the singular only).  A stem shared
 *           by several lemmas gives up to three, the likeliest first
 *           ("распространениям": распространенный, распространение);
 *           first-person imperatives ("скрасимте") are looked up without
 *           their "-те" first;
 *        e. SNOWBALL: the Snowball "russian" stem, the last resort.
 *      Numbers and compounds are kept as folded (step FORM).  Without the
 *      dictionary (hunspell-ru not installed, or PROTODEX_ANALYZER=snowball)
 *      the chain is a, e only: Snowball, ё and abbreviations, and
 *      stemmer_notice says so.
 *   4. concepts: every multi-word expansion of an abbreviation (column 3 of
 *      abbreviations.tsv) and every multi-word abbreviation ("ФИС ОКО") is
 *      matched against the token stream by keys, so any inflection
 *      matches ("всероссийских проверочных работ", "Всероссийская
 *      проверочная работа"); a match adds a CONCEPT token with the
 *      abbreviation's key at EACH position of the match.  So «ВПР» finds
 *      the long form, and phrases work on both sides of it: "итоги ВПР" and
 *      "ВПР по математике" both match "итоги всероссийских проверочных
 *      работ по математике".  Tokens are held back while a match may
 *      still be under way, so positions still never go back.
 *
 * Several keys per word.  At index time every key of a word is a posting at
 * the word's position (the callback gets the token once per key), so a
 * phrase matches whichever lemma.  A query word can hand Xapian only one
 * key (Xapian::StemImplementation returns one string): stemmer_key gives
 * the PRIMARY key, the lemma equal to the word if there is one, else
 * hunspell's first.  A query word with lemmas {A, B} therefore finds every
 * form that has lemma A, including forms with lemmas {A, C}; what it misses
 * is a form whose lemmas are only {B, ...}.  We accept that: the words
 * concerned are few (мыла, стекло, мой), the query word is meant in one
 * sense, and the alternatives (Xapian synonyms for every ambiguous form,
 * or expanding a query word into an OR, which QueryParser does not allow
 * inside phrases) cost a change of the index format or of the shim for a
 * rare gain.  Conflation measured by `protodex analyze --keys` (two forms
 * match when they share a key) is the index-time behaviour.
 *
 * Queries.  Xapian's QueryParser lower-cases each word before stemming it,
 * so it cannot tell НОР from «нор», and it sees words one at a time, so it
 * cannot see "всероссийская проверочная работа".  stemmer_rewrite_query
 * therefore runs the chain over the query text first and replaces each
 * abbreviation and each expansion with a marker word "_<id>" ("_впр"),
 * which stemmer_key maps to the concept key.  The searcher hands the
 * rewritten text to QueryParser.
 *
 * Speed.  Hunspell costs ~10 us a word; results are cached per stemmer by
 * the word as written in a bounded hash table (65536 words by default,
 * emptied when full), so indexing stays close to the Snowball-only speed.
 *
 * Positions: every WORD and NUMBER takes the next position; a COMPOUND
 * takes the position of its first part and its PARTs take consecutive
 * positions, so "ПЭТ-2 форма" gives COMPOUND "пэт-2"@p, PART "пэт"@p,
 * PART "2"@p+1, WORD "форма"@p+2 and a query phrase "пэт 2" matches.
 * Keys of one token share its position; a CONCEPT token takes the position
 * of the word it was found on.
 *
 * Keys are at least one byte and have no length limit: a caller with a
 * term length limit (Xapian: 245 bytes with prefix) must skip long ones.
 *
 * Call order:
 *   stemmer_t *s = stemmer_new(&err);
 *   if (*stemmer_notice(s)) tell the user, once;
 *   stemmer_analyze(s, text, len, 0, callback, ctx);   // document text
 *   stemmer_rewrite_query(s, query, len, &q);           // before QueryParser
 *   stemmer_key(s, "Школам", 12, &key, &keylen);       // one query word
 *   stemmer_free(s);
 *
 * A stemmer_t is not thread-safe; make one per thread.  Buffers and the
 * ICU break iterator are opened once in stemmer_new and reused: analysis
 * does not allocate per token once the buffers have grown.
 */
#ifndef PROTODEX_STEMMER_H
#define PROTODEX_STEMMER_H

#include <stddef.h>

#include "common/strbuf.h"

typedef struct stemmer stemmer_t;

typedef enum stemmer_analyzer {
	STEMMER_ANALYZER_AUTO,    /* $PROTODEX_ANALYZER ("full" or "snowball"),
				     else full */
	STEMMER_ANALYZER_FULL,    /* dictionary chain; Snowball-only with a
				     notice when the dictionary is missing */
	STEMMER_ANALYZER_SNOWBALL /* Snowball, ё and abbreviations only */
} stemmer_analyzer_t;

typedef struct stemmer_options {
	stemmer_analyzer_t analyzer;
	/* Directory of ru_RU.aff and ru_RU.dic; NULL: $PROTODEX_HUNSPELL_DIR,
	 * else the directory configure found (/usr/share/hunspell). */
	const char *dict_dir;
	/* Words cached: 0 the default (65536), < 0 no cache. */
	int cache_entries;
	/* A word list (stemmer_export_words) cached at the start, before the
	 * abbreviations' expansions are analysed: with the list a database
	 * keeps, a query process needs no dictionary for them. */
	const char *preload;
	size_t preload_len;
	/* Keep the words worked out from the start (stemmer_take_words). */
	int log_words;
	/* Analyse the abbreviations' long forms (for matching them in a
	 * text) when a text of two words or more first needs them, not at
	 * the start: a search for one word goes without.  Their words are
	 * then not in stemmer_export_words before that. */
	int lazy_phrases;
} stemmer_options_t;

#define STEMMER_OPTIONS_INIT { STEMMER_ANALYZER_AUTO, NULL, 0, NULL, 0, 0, 0 }

/*
 * Version of the analysis chain that stemmer_new() sets up in this
 * environment, recorded in every database, e.g.
 * "icu72-nfc-fold-yo-hunspell-ru-1a2b3c4d-map-1a2b3c4d-vocab-abbr-5e6f7a8b-
 * snowball-russian-2": the ICU major version (its Unicode data drives word
 * breaking and folding), the steps, a hash of the dictionary in use, of
 * the one the stem map was built from and of the data files, and a serial
 * number bumped whenever a step changes the keys it produces.  Without
 * the dictionary the hunspell part is missing, so a database built with
 * the dictionary asks to be re-indexed when it is gone (and back).  A
 * static string, computed on the first call (which reads the dictionary
 * to hash it).
 */
const char *stemmer_version(void);

/*
 * Hashing the dictionary for stemmer_version reads 128 KB of it; a hint
 * spares a search that.  stemmer_dictionary_hint puts into out the hint
 * for the dictionary stemmer_version uses: "IDENTITY=HASH", its files'
 * identity (inode, size, modification time, as stat gives them) and their
 * hash, or "" without a dictionary.  A process handed such a hint by
 * stemmer_use_dictionary_hint (before its first stemmer_version call)
 * takes the hash from it while the files keep that identity, and hashes
 * them when they do not (a new package, another machine).
 */
void stemmer_dictionary_hint(strbuf_t *out);
void stemmer_use_dictionary_hint(const char *hint);

/*
 * NULL on failure, with a malloc'd message in *errmsg (if not NULL; the
 * caller frees it).  Free the stemmer with stemmer_free; stemmer_free(NULL)
 * does nothing.  stemmer_new(e) is stemmer_new_with(NULL, e): defaults.
 * A missing dictionary is not a failure (see stemmer_notice); a bad
 * PROTODEX_ANALYZER value is.
 */
stemmer_t *stemmer_new(char **errmsg);
stemmer_t *stemmer_new_with(const stemmer_options_t *opt, char **errmsg);
void stemmer_free(stemmer_t *s);

/* The version of this stemmer's chain (as stemmer_version; owned by s). */
const char *stemmer_get_version(const stemmer_t *s);
/* 1 when the dictionary chain is in use, 0 for the Snowball-only chain. */
int stemmer_has_dictionary(const stemmer_t *s);
/*
 * "" or a message for the user about the chain in use ("the Russian
 * dictionary is not installed ..."), to show once.  Owned by s.
 */
const char *stemmer_notice(const stemmer_t *s);
/* Words in the cache now (never more than the configured size). */
size_t stemmer_cache_entries(const stemmer_t *s);

/*
 * Word lists: the keys the chain worked out for words, so that another
 * process (a search) gets the same keys without loading the dictionary,
 * which costs ~150 ms.  The format is private; stemmer_word_list_next
 * reads a list entry by entry, for storing each word on its own.
 *
 * stemmer_export_words: every word in the cache, appended to out (right
 * after stemmer_new: the words of the abbreviations' expansions).
 * With the option log_words, each word worked out (not cached) is kept,
 * and a word with capitals is worked out in lower case too (as queries
 * and snippets hand words over); stemmer_take_words hands the kept
 * entries over (and forgets them).
 * stemmer_word_list_next: the next entry of *list (advanced past it):
 * 1 with the word and its keys in a private form (*keys, *keys_len: what
 * to store for the word), 0 at the end, -1 when the list is damaged.
 * stemmer_set_word_source: fn is asked for a word missing from the cache
 * before the chain works it out; it answers 1 with the stored keys in
 * *keys, or 0.  Keys that are not well formed are ignored.
 */
void stemmer_export_words(const stemmer_t *s, strbuf_t *out);
void stemmer_take_words(stemmer_t *s, strbuf_t *out);
int stemmer_word_list_next(const char **list, size_t *len, const char **word, size_t *word_len,
			   const char **keys, size_t *keys_len);
typedef int (*stemmer_word_source_fn)(void *ctx, const char *word, size_t len, strbuf_t *keys);
void stemmer_set_word_source(stemmer_t *s, stemmer_word_source_fn fn, void *ctx);

/* Which step of the chain produced a token's keys. */
typedef enum stemmer_step {
	STEMMER_STEP_FORM,         /* numbers, compounds: the folded form */
	STEMMER_STEP_ABBREVIATION, /* abbreviations.tsv: a concept key */
	STEMMER_STEP_EXPANSION,    /* a CONCEPT token: an expansion matched */
	STEMMER_STEP_VOCABULARY,   /* vocabulary.tsv */
	STEMMER_STEP_DICTIONARY,   /* hunspell-ru */
	STEMMER_STEP_STEM_MAP,     /* the build-time stem -> lemma map */
	STEMMER_STEP_SNOWBALL      /* Snowball russian */
} stemmer_step_t;

/* "form", "abbreviation", "expansion", "vocabulary", "dictionary",
 * "stem-map", "snowball". */
const char *stemmer_step_name(stemmer_step_t step);

typedef enum stemmer_token_kind {
	STEMMER_WORD,     /* letters (no digit): lemmatised */
	STEMMER_NUMBER,   /* digits, possibly with . , : inside ("1.4") */
	STEMMER_COMPOUND, /* "№6", "2022-2023", "ПЭТ-2", "2022г": the whole form */
	STEMMER_PART,     /* a part of the preceding compound */
	STEMMER_CONCEPT   /* an abbreviation's concept found through its
			     expansion: surface is the whole expansion */
} stemmer_token_kind_t;

typedef struct stemmer_token {
	const char *surface;    /* the token as written (points into the input) */
	size_t surface_len;
	const char *key;        /* one index key (folded lemma, stem or concept),
				   NUL-terminated */
	size_t key_len;
	unsigned key_index;     /* which of the token's keys: 0 is the primary */
	unsigned nkeys;         /* how many keys the token has (calls for it) */
	stemmer_step_t step;    /* which step produced the keys */
	size_t offset;          /* byte offset of surface in the input */
	unsigned pos;           /* term position; a compound shares the position
				   of its first part */
	stemmer_token_kind_t kind;
} stemmer_token_t;

/*
 * Called once per key of each token (key_index 0 .. nkeys-1, all with the
 * same surface and position), in text order; a COMPOUND comes before its
 * PARTs; a CONCEPT comes after the token whose position it shares.
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
 * already lower-cased): "Школам" -> "школа", "ёлка" -> "елка", "1.4" ->
 * "1.4", "ПЭТ-2" -> "пэт-2", "впр" -> ":впр", and a marker word of
 * stemmer_rewrite_query "_нор" -> ":нор".  It runs the same chain as
 * stemmer_analyze over `word` and returns the primary key of the first
 * token (the compound's key when the word is one), so a word and its
 * analysis in running text always share a key.  *key points to storage inside `s`, NUL-terminated, valid
 * until the next stemmer_key call on `s`.  Returns 0, or -1 when the word
 * yields no key (no letter or digit; *key is then "", *key_len 0) or on
 * failure.
 */
int stemmer_key(stemmer_t *s, const char *word, size_t len, const char **key,
		size_t *key_len);

/*
 * Prepare a query for Xapian's QueryParser: every abbreviation (as the
 * chain sees it, capitals included: "НОР" but not "нор") and every
 * expansion of one ("всероссийская проверочная работа") is replaced by
 * its marker word ("_нор", "_впр"), which stemmer_key turns into the
 * concept key.  Everything else -- operators, quotes, brackets, other
 * words -- is copied as it is; an expansion is replaced only when nothing
 * but spaces or hyphens stands between its words, and not inside a
 * "quoted phrase", where its words must keep their positions (a phrase
 * of the long form then matches the long form, in any inflection).  *out receives a
 * malloc'd NUL-terminated string (the caller frees it).  Returns 0, or -1
 * on failure (message via stemmer_error; *out is then NULL).
 */
int stemmer_rewrite_query(stemmer_t *s, const char *query, size_t len, char **out);

/* The last error message, or "" (owned by s; "" for s NULL). */
const char *stemmer_error(const stemmer_t *s);

#endif
