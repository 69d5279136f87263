#include "indexer/text.h"

void
text_fold(const char *in, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char *o = (unsigned char *)out;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			o[i] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
			i++;
			continue;
		}
		if ((c == 0xd0 || c == 0xd1) && i + 1 < len && (s[i + 1] & 0xc0) == 0x80) {
			unsigned char d = s[i + 1];
			if (c == 0xd0 && d == 0x81) {          /* Ё */
				o[i] = 0xd0; o[i + 1] = 0xb5;
			} else if (c == 0xd1 && d == 0x91) {   /* ё */
				o[i] = 0xd0; o[i + 1] = 0xb5;
			} else if (c == 0xd0 && d >= 0x80 && d <= 0x8f) {  /* Ѐ..Џ */
				o[i] = 0xd1; o[i + 1] = (unsigned char)(d + 0x10);
			} else if (c == 0xd0 && d >= 0x90 && d <= 0x9f) {  /* А..П */
				o[i] = 0xd0; o[i + 1] = (unsigned char)(d + 0x20);
			} else if (c == 0xd0 && d >= 0xa0 && d <= 0xaf) {  /* Р..Я */
				o[i] = 0xd1; o[i + 1] = (unsigned char)(d - 0x20);
			} else {
				o[i] = c; o[i + 1] = d;
			}
			i += 2;
			continue;
		}
		o[i] = c;
		i++;
	}
}
