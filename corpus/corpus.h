/*
 * corpus: a deterministic generator of synthetic meeting protocols, with
 * the ground truth of each one, for testing the readers, the protocol
 * parser and search.
 *
 * The protocols imitate municipal education-meeting minutes ("ПРОТОКОЛ
 * совещания ... Повестка дня ... Слушали ... РЕШИЛИ: 1.1 ... Срок: ...")
 * in structure and vocabulary; every sentence is produced from the
 * templates in corpus/vocab.c, none is copied from a real document.
 *
 * Protocol i (counted from 0) of seed S is a pure function of (S, i, the
 * format and encoding masks): it does not depend on how many others are
 * generated, and the same inputs give byte-identical files on any machine
 * with the same zlib and iconv.
 *
 * Call order, one protocol at a time:
 *
 *   corpus_options_t opt;
 *   corpus_protocol_t p;
 *   char err[256];
 *   corpus_options_init(&opt);
 *   opt.seed = 7;
 *   if (corpus_protocol_generate(&opt, 0, &p, err, sizeof(err)) == CORPUS_OK) {
 *           use(p.path, p.data, p.len, p.truth);
 *           corpus_protocol_release(&p);
 *   }
 *
 * or a whole directory with corpus_generate().  Nothing here prints or
 * exits; allocation failure aborts (common/util.h).
 *
 * The ground truth (one JSON object per protocol, "truth.jsonl" in the
 * output directory) is described in tests/corpora/README.
 */
#ifndef PROTODEX_CORPUS_H
#define PROTODEX_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef enum corpus_status {
	CORPUS_OK = 0,
	CORPUS_ERR_ARG,       /* bad option, unknown charset, invalid UTF-8 input */
	CORPUS_ERR_ENCODING,  /* a character the target charset cannot hold */
	CORPUS_ERR_IO,        /* a file or directory could not be written */
	CORPUS_ERR_ZIP        /* the .docx could not be built */
} corpus_status_t;

/* A static English description of `status`. */
const char *corpus_status_to_string(corpus_status_t status);

/* Output formats (a mask).  The default is txt and docx. */
enum {
	CORPUS_FORMAT_TXT = 1 << 0,
	CORPUS_FORMAT_DOCX = 1 << 1,
	CORPUS_FORMAT_ODT = 1 << 2,
	CORPUS_FORMAT_RTF = 1 << 3,
	CORPUS_FORMAT_HTML = 1 << 4,
	CORPUS_FORMAT_DEFAULT = CORPUS_FORMAT_TXT | CORPUS_FORMAT_DOCX,
	CORPUS_FORMAT_ALL = CORPUS_FORMAT_DEFAULT | CORPUS_FORMAT_ODT | CORPUS_FORMAT_RTF |
			    CORPUS_FORMAT_HTML
};

/*
 * Encodings of .txt protocols (a mask; .html takes UTF-8 or windows-1251
 * from it, see below; .docx and .odt are always UTF-8, .rtf
 * \ansicpg1251).  The default is UTF-8, windows-1251 and KOI8-R.
 */
enum {
	CORPUS_ENC_UTF8 = 1 << 0,
	CORPUS_ENC_CP1251 = 1 << 1,
	CORPUS_ENC_KOI8R = 1 << 2,
	CORPUS_ENC_IBM866 = 1 << 3,
	CORPUS_ENC_UTF16LE = 1 << 4,
	CORPUS_ENC_DEFAULT = CORPUS_ENC_UTF8 | CORPUS_ENC_CP1251 | CORPUS_ENC_KOI8R,
	CORPUS_ENC_ALL = CORPUS_ENC_DEFAULT | CORPUS_ENC_IBM866 | CORPUS_ENC_UTF16LE
};

typedef struct corpus_options {
	uint64_t seed;       /* default 1 */
	size_t count;        /* protocols to generate; default 50 */
	/*
	 * Protocol i takes format number i % n of the n formats in the mask,
	 * in the order txt, docx, odt, rtf, html: with txt and docx, even
	 * indices are .txt and odd ones .docx.  Among several encodings each
	 * .txt picks one, weighted 75 : 17 : 8 : 6 : 6 (UTF-8 : windows-1251
	 * : KOI8-R : IBM866 : UTF-16LE) over those in the mask; an .html
	 * page is windows-1251 in 30% of cases if the mask has it and UTF-8
	 * otherwise (always windows-1251 if the mask has it but not UTF-8).
	 */
	unsigned formats;    /* CORPUS_FORMAT_* mask; default DEFAULT */
	unsigned encodings;  /* CORPUS_ENC_* mask; default DEFAULT */
	/*
	 * Pack the protocols into the upload archives municipalities send
	 * (corpus_generate only; see tests/corpora/README).  0: plain files.
	 */
	int uploads;
} corpus_options_t;

void corpus_options_init(corpus_options_t *opt);

/*
 * Parse a comma-separated list ("txt,docx"; "utf-8,windows-1251,koi8-r",
 * also "cp1251", "koi8r", "utf8") into a mask.  Returns CORPUS_OK, or
 * CORPUS_ERR_ARG with the offending name in err.
 */
corpus_status_t corpus_parse_formats(const char *list, unsigned *mask,
				     char *err, size_t errsz);
corpus_status_t corpus_parse_encodings(const char *list, unsigned *mask,
				       char *err, size_t errsz);

/* One paragraph as a reader should return it. */
typedef struct corpus_para {
	char *text;          /* UTF-8, no newline */
	int cell;            /* 1 if inside a table cell (docx only) */
	unsigned row, col;   /* the cell's position in its table */
} corpus_para_t;

/* One generated protocol; everything is owned by the struct. */
typedef struct corpus_protocol {
	char *path;          /* relative, ASCII: "<municipality>/protocol-00001.txt" */
	const char *format;  /* "txt", "docx", "odt", "rtf", "html" (static) */
	const char *encoding;/* "utf-8", "windows-1251", "koi8-r", "ibm866",
				"utf-16le" (static) */
	char *data;          /* the file's bytes */
	size_t len;
	/*
	 * The text as a reader should see it after decoding: for .txt the
	 * lines (empty ones included), for .docx, .odt, .rtf and .html the
	 * paragraphs and table cell paragraphs in document order (.html: with
	 * white space collapsed, as the page holds it).
	 */
	corpus_para_t *paras;
	size_t n_paras;
	char *truth;         /* one JSON object on one line, no newline */
	/* What a file name in an upload is made of. */
	char *number;        /* as written without "№", or NULL */
	char date[11];       /* ISO meeting date, or "" */
	int extract;         /* an extract (Выписка из протокола) */
} corpus_protocol_t;

/*
 * Generate protocol `index` of the corpus described by `opt` (opt->count
 * is ignored).  On failure the struct is empty and err says why.
 */
corpus_status_t corpus_protocol_generate(const corpus_options_t *opt, size_t index,
					 corpus_protocol_t *p, char *err, size_t errsz);
/* Free what corpus_protocol_generate filled in; NULL does nothing. */
void corpus_protocol_release(corpus_protocol_t *p);

/*
 * Write opt->count protocols under `outdir` (created if missing, files
 * replaced) and `outdir`/truth.jsonl, one line per protocol in index
 * order.  Stops at the first failure, with a message naming the file.
 */
corpus_status_t corpus_generate(const corpus_options_t *opt, const char *outdir,
				char *err, size_t errsz);

/*
 * Re-encode UTF-8 text into `charset` ("windows-1251", "koi8-r",
 * "ibm866", "utf-16le", "utf-8"; case and a few aliases such as "cp1251",
 * "cp866" are accepted).  Typographic characters the target lacks
 * (« » „ “ ” ‘ ’ — – ‑ № … • NBSP and the like) are transliterated by
 * iconv's //TRANSLIT rules ("«" -> "<<", "—" -> "--", "№" -> "No");
 * any other character the target cannot hold fails with
 * CORPUS_ERR_ENCODING and a message giving the line, column and code
 * point.  UTF-16LE output starts with a byte-order mark.  *out is
 * malloc'd; the caller frees it.
 */
corpus_status_t corpus_encode(const char *charset, const char *utf8, size_t len,
			      char **out, size_t *out_len, char *err, size_t errsz);

#endif
