/*
 * Private to indexer/: the character classes and case folding the date,
 * deadline and gazetteer matchers share, on UTF-8 as protocols use it.
 */
#ifndef PROTODEX_TEXT_H
#define PROTODEX_TEXT_H

#include <stddef.h>

/* The byte length of the white space at s[i], or 0. */
static inline size_t
text_space_at(const unsigned char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
	    s[i] == '\v')
		return 1;
	if (s[i] == 0xc2 && i + 1 < n && s[i + 1] == 0xa0)
		return 2;
	return 0;
}

/* The first position at or after i that is not white space. */
static inline size_t
text_skip_space(const unsigned char *s, size_t n, size_t i)
{
	size_t k;
	while ((k = text_space_at(s, n, i)) > 0)
		i += k;
	return i;
}

/*
 * Lower-case Cyrillic and ASCII, ё/Ё -> е, into out[0..len).  Every change
 * keeps the byte length, so offsets are shared with the input.  Other
 * bytes, including broken UTF-8, are copied unchanged.
 */
void text_fold(const char *in, size_t len, char *out);

/* A letter or digit starts at p: ASCII alnum, or a two-byte letter
 * (C3..DF lead Latin-1 letters, Greek, Cyrillic; C2 is punctuation such
 * as NBSP and «», E2 general punctuation such as — and “). */
static inline int
text_word_char(const unsigned char *p, size_t avail)
{
	if (avail == 0)
		return 0;
	if (p[0] < 0x80)
		return (p[0] >= '0' && p[0] <= '9') || (p[0] >= 'a' && p[0] <= 'z') ||
		       (p[0] >= 'A' && p[0] <= 'Z');
	return p[0] >= 0xc3 && p[0] <= 0xdf && avail >= 2 && (p[1] & 0xc0) == 0x80;
}

#endif
