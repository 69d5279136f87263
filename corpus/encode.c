/*
 * Charset conversion for the generator and `protodex-corpus encode`.
 *
 * iconv is run strictly, so a character the target lacks stops the
 * conversion (EILSEQ); typographic characters are then converted one by
 * one through a second descriptor opened with //TRANSLIT, and anything
 * else is an error.  Transliterating everything would quietly turn a
 * Latin "ñ" into "n" in a test corpus, which is the kind of silent change
 * a test should never make.
 */
#include "corpus/corpus-int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

static const struct {
	const char *alias;
	const char *canonical;   /* the name reported and used in truth */
	const char *iconv_name;
} charsets[] = {
	{ "utf-8", "utf-8", "UTF-8" },
	{ "utf8", "utf-8", "UTF-8" },
	{ "windows-1251", "windows-1251", "WINDOWS-1251" },
	{ "cp1251", "windows-1251", "WINDOWS-1251" },
	{ "1251", "windows-1251", "WINDOWS-1251" },
	{ "koi8-r", "koi8-r", "KOI8-R" },
	{ "koi8r", "koi8-r", "KOI8-R" },
	{ "ibm866", "ibm866", "IBM866" },
	{ "cp866", "ibm866", "IBM866" },
	{ "866", "ibm866", "IBM866" },
	{ "utf-16le", "utf-16le", "UTF-16LE" },
	{ "utf16le", "utf-16le", "UTF-16LE" },
	{ "utf-16", "utf-16le", "UTF-16LE" },
	{ "utf16", "utf-16le", "UTF-16LE" },
};

const char *
corpus_charset_canonical(const char *name, const char **iconv_name)
{
	size_t i;
	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (strcasecmp(name, charsets[i].alias) == 0) {
			if (iconv_name)
				*iconv_name = charsets[i].iconv_name;
			return charsets[i].canonical;
		}
	return NULL;
}

/* Typographic characters that may be transliterated when missing. */
static int
typographic(uint32_t cp)
{
	switch (cp) {
	case 0x00a0: case 0x00ab: case 0x00ad: case 0x00b7: case 0x00bb:
	case 0x2009: case 0x202f: case 0x2022: case 0x2026: case 0x2116:
	case 0x2212:
		return 1;
	default:
		return (cp >= 0x2010 && cp <= 0x2015) || (cp >= 0x2018 && cp <= 0x201f);
	}
}

/* Decode one UTF-8 character of valid input. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
	      ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	return 4;
}

int
codec_open(codec_t *c, const char *charset)
{
	const char *iname = NULL;
	char buf[64];

	memset(c, 0, sizeof(*c));
	c->strict = c->translit = c->back = (iconv_t)-1;
	c->name = corpus_charset_canonical(charset, &iname);
	if (!c->name)
		return -1;
	c->iconv_name = iname;
	if (strcmp(c->name, "utf-8") == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s//TRANSLIT", iname);
	c->strict = iconv_open(iname, "UTF-8");
	c->translit = iconv_open(buf, "UTF-8");
	c->back = iconv_open("UTF-8", iname);
	if (c->strict == (iconv_t)-1 || c->translit == (iconv_t)-1 || c->back == (iconv_t)-1) {
		codec_close(c);
		c->name = NULL;
		return -1;
	}
	return 0;
}

void
codec_close(codec_t *c)
{
	if (c->strict != (iconv_t)-1)
		iconv_close(c->strict);
	if (c->translit != (iconv_t)-1)
		iconv_close(c->translit);
	if (c->back != (iconv_t)-1)
		iconv_close(c->back);
	c->strict = c->translit = c->back = (iconv_t)-1;
}

/*
 * Run `cd` over *in into out; 0, or -1 with errno (EILSEQ/EINVAL).  The
 * output goes through a fixed buffer: strbuf_setlen only ever shortens.
 */
static int
run_iconv(iconv_t cd, const char **in, size_t *inleft, strbuf_t *out)
{
	char buf[4096];
	for (;;) {
		char *op = buf;
		size_t room = sizeof(buf);
		size_t r = iconv(cd, (char **)(uintptr_t)in, inleft, &op, &room);
		int e = errno;
		strbuf_add(out, buf, (size_t)(op - buf));
		if (r != (size_t)-1) {
			/* Flush any shift state (none for these charsets). */
			op = buf;
			room = sizeof(buf);
			iconv(cd, NULL, NULL, &op, &room);
			strbuf_add(out, buf, (size_t)(op - buf));
			return 0;
		}
		if (e != E2BIG) {
			errno = e;
			return -1;
		}
	}
}

corpus_status_t
codec_encode(codec_t *c, const char *utf8, size_t len, strbuf_t *out,
	     char *err, size_t errsz)
{
	const char *in = utf8;
	size_t left = len;

	if (!util_utf8_valid(utf8, len)) {
		if (errsz)
			snprintf(err, errsz, "input is not valid UTF-8");
		return CORPUS_ERR_ARG;
	}
	if (strcmp(c->name, "utf-16le") == 0)
		strbuf_add(out, "\xff\xfe", 2);
	if (strcmp(c->name, "utf-8") == 0) {
		strbuf_add(out, utf8, len);
		return CORPUS_OK;
	}
	iconv(c->strict, NULL, NULL, NULL, NULL);
	while (left > 0) {
		uint32_t cp;
		size_t n;
		const char *one;
		size_t oneleft;

		if (run_iconv(c->strict, &in, &left, out) == 0)
			break;
		n = utf8_decode((const unsigned char *)in, &cp);
		if (errno == EILSEQ && typographic(cp)) {
			one = in;
			oneleft = n;
			iconv(c->translit, NULL, NULL, NULL, NULL);
			if (run_iconv(c->translit, &one, &oneleft, out) == 0) {
				in += n;
				left -= n;
				continue;
			}
		}
		if (errsz) {
			size_t line = 1, col = 1;
			const char *p;
			for (p = utf8; p < in; p++) {
				if (*p == '\n') {
					line++;
					col = 1;
				} else if (((unsigned char)*p & 0xc0) != 0x80) {
					col++;
				}
			}
			snprintf(err, errsz,
				 "character U+%04X at line %zu, column %zu cannot be represented in %s",
				 (unsigned)cp, line, col, c->name);
		}
		return CORPUS_ERR_ENCODING;
	}
	return CORPUS_OK;
}

corpus_status_t
codec_decode(codec_t *c, const char *bytes, size_t len, strbuf_t *out)
{
	const char *in = bytes;
	size_t left = len;

	if (strcmp(c->name, "utf-8") == 0) {
		strbuf_add(out, bytes, len);
		return CORPUS_OK;
	}
	if (strcmp(c->name, "utf-16le") == 0 && len >= 2 && memcmp(bytes, "\xff\xfe", 2) == 0) {
		in += 2;
		left -= 2;
	}
	iconv(c->back, NULL, NULL, NULL, NULL);
	return run_iconv(c->back, &in, &left, out) == 0 ? CORPUS_OK : CORPUS_ERR_ENCODING;
}

corpus_status_t
corpus_encode(const char *charset, const char *utf8, size_t len, char **out,
	      size_t *out_len, char *err, size_t errsz)
{
	codec_t c;
	strbuf_t sb = STRBUF_INIT;
	corpus_status_t rc;

	*out = NULL;
	*out_len = 0;
	if (codec_open(&c, charset) < 0) {
		if (errsz)
			snprintf(err, errsz, "unknown charset '%s'", charset);
		return CORPUS_ERR_ARG;
	}
	rc = codec_encode(&c, utf8, len, &sb, err, errsz);
	codec_close(&c);
	if (rc != CORPUS_OK) {
		strbuf_release(&sb);
		return rc;
	}
	*out = strbuf_detach(&sb, out_len);
	return CORPUS_OK;
}
