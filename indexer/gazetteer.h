/*
 * gazetteer: municipalities and regions, recognised in their inflected and
 * abbreviated forms («Вышневолоцкого ГО», «Краснохолмского муниципального
 * округа», «г. Мегион») and normalised to one canonical name.
 *
 * The data is the editable file indexer/data/gazetteer.tsv, compiled into
 * the binary at build time (see its header for the format).
 *
 *   gazetteer_t *g = gazetteer_new_default();
 *   gazetteer_match_t m;
 *   if (gazetteer_find(g, text, len, &m))
 *           use(m.entry->name, m.entry->type, m.entry->region,
 *               text + m.start, m.len);
 *   gazetteer_free(g);
 */
#ifndef PROTODEX_GAZETTEER_H
#define PROTODEX_GAZETTEER_H

#include <stddef.h>

typedef struct gazetteer gazetteer_t;

typedef struct gazetteer_entry {
	const char *name;   /* canonical: "Вышневолоцкий городской округ" */
	const char *type;   /* "ГО", "МО", "МР", "город" */
	const char *region; /* "Тверская область" */
} gazetteer_entry_t;

typedef struct gazetteer_match {
	const gazetteer_entry_t *entry;
	size_t start;       /* byte offset of the mention in the text */
	size_t len;         /* its length, type words included */
} gazetteer_match_t;

/* The built-in data.  Never NULL (allocation failure aborts). */
gazetteer_t *gazetteer_new_default(void);
/*
 * Data from a TSV file in the same format; NULL with a malloc'd message
 * naming the file and line on error.
 */
gazetteer_t *gazetteer_new_from_file(const char *path, char **errmsg);
/* Parse TSV text; NULL with a malloc'd message on error. */
gazetteer_t *gazetteer_new_from_text(const char *tsv, size_t len, char **errmsg);
void gazetteer_free(gazetteer_t *g);

size_t gazetteer_size(const gazetteer_t *g);
const gazetteer_entry_t *gazetteer_entry(const gazetteer_t *g, size_t i);

/*
 * The first mention of a municipality in `text` (UTF-8, `len` bytes, no
 * NUL needed).  Returns 1 and fills *m, or 0 when there is none.  *m
 * points into g: valid until gazetteer_free.
 *
 * A mention is, case ignored and ё = е, on word boundaries:
 *   - an adjective of the data in a masculine singular case
 *     («Вышневолоцкого»), with the type words after it included in the
 *     match («Краснохолмского муниципального округа», «… ГО», «… МР»,
 *     «… района»);
 *   - a settlement name that names the municipality («Мегиона»), with a
 *     settlement word before it included («г. Мегион», «города Мегиона»);
 *   - a settlement inside it after a settlement word («г. Красный Холм»).
 * Not mentions: a region («Тверской области»); an adjective followed by a
 * region word; feminine, neuter or plural forms («Краснохолмская СОШ»);
 * a bare adjective right after an opening quote («Краснохолмский ДДТ»);
 * adjectives the data marks as needing type words, without them.
 */
int gazetteer_find(const gazetteer_t *g, const char *text, size_t len,
		   gazetteer_match_t *m);

/*
 * Look up a name a user typed, in any case form («вышневолоцкого»,
 * «Вышневолоцкий ГО», «мегион», «г. Мегион», «Красный Холм»): the
 * canonical name, or one mention covering the whole string (closing
 * punctuation aside; adjectives need no type words here).  NULL when
 * none.  The entry is owned by g.
 */
const gazetteer_entry_t *gazetteer_lookup(const gazetteer_t *g, const char *name);

#endif
