/*
 * Private to indexer/: white space in UTF-8 text as the header and
 * deadline parsers see it (ASCII blanks and the no-break space that Word
 * puts after «г.» and «№»).
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

#endif
