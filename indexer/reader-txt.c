/*
 * reader-txt: plain text.  Each line is a paragraph: lines end at LF,
 * CR LF, CR, form feed, vertical tab, NEL, U+2028 and U+2029.  Trailing
 * white space is dropped, blank lines are skipped, tabs are kept, and other
 * control characters (C0, DEL, C1) and stray BOMs are removed.
 */
#include <stdlib.h>

#include "indexer/reader-int.h"

/* Length of the line break at s[0..n), or 0 if there is none. */
static size_t
line_break(const unsigned char *s, size_t n)
{
	switch (s[0]) {
	case '\n': case '\f': case '\v':
		return 1;
	case '\r':
		return n >= 2 && s[1] == '\n' ? 2 : 1;
	case 0xc2:
		return n >= 2 && s[1] == 0x85 ? 2 : 0;
	case 0xe2:
		return n >= 3 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9) ? 3 : 0;
	default:
		return 0;
	}
}

/* Length of a character to drop at s[0..n), or 0 to keep it. */
static size_t
dropped(const unsigned char *s, size_t n)
{
	if ((s[0] < 0x20 && s[0] != '\t') || s[0] == 0x7f)
		return 1;
	if (s[0] == 0xc2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (s[0] == 0xef && n >= 3 && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

static reader_status_t
flush_line(reader_doc_t *doc, strbuf_t *line)
{
	reader_status_t st = READER_OK;
	reader_priv_rtrim(line);
	if (line->len)
		st = reader_priv_add_para(doc, line->buf, line->len, READER_PARA, 0, 0);
	strbuf_reset(line);
	return st;
}

reader_status_t
reader_priv_read_txt(reader_doc_t *doc, const void *buf, size_t len)
{
	char *text;
	size_t text_len, i = 0, start = 0, n;
	const unsigned char *s;
	strbuf_t line = STRBUF_INIT;
	reader_status_t st;

	st = reader_decode_text(buf, len, &text, &text_len, &doc->encoding,
				doc->error, sizeof doc->error);
	if (st != READER_OK)
		return st;
	s = (const unsigned char *)text;
	while (i < text_len) {
		if ((n = line_break(s + i, text_len - i)) != 0) {
			strbuf_add(&line, s + start, i - start);
			i += n;
			start = i;
			if ((st = flush_line(doc, &line)) != READER_OK)
				break;
		} else if ((n = dropped(s + i, text_len - i)) != 0) {
			strbuf_add(&line, s + start, i - start);
			i += n;
			start = i;
		} else {
			i++;
		}
	}
	if (st == READER_OK) {
		strbuf_add(&line, s + start, text_len - start);
		st = flush_line(doc, &line);
	}
	strbuf_release(&line);
	free(text);
	return st;
}
