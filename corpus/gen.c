/*
 * gen: builds the model of one synthetic protocol -- the paragraphs and
 * tables to write, and the ground truth about them.
 *
 * Every choice comes from one xoshiro256** stream seeded from (seed,
 * index), so a protocol depends on nothing else.  The layout knobs are
 * drawn once per protocol (how the header is arranged, how decisions are
 * numbered, where deadlines go, ...) and the text is expanded from the
 * templates in vocab.c.  The truth is recorded while the text is built,
 * from the same strings, so the two cannot drift apart.
 *
 * Order: header, attendees, agenda, discussion with decisions (per item
 * or at the end), signatures; artefacts are applied as paragraphs are
 * added; phrases are picked last from paragraphs no artefact touched.
 */
#include "corpus/corpus-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* ------------------------------------------------------------------ */
/* Random numbers.                                                     */
/* ------------------------------------------------------------------ */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rng_seed(rng_t *r, uint64_t seed)
{
	uint64_t x = seed;
	int i;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

unsigned
rng_below(rng_t *r, unsigned n)
{
	return n ? (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32) : 0;
}

unsigned
rng_range(rng_t *r, unsigned lo, unsigned hi)
{
	return hi <= lo ? lo : lo + rng_below(r, hi - lo + 1);
}

int
rng_chance(rng_t *r, unsigned percent)
{
	return rng_below(r, 100) < percent;
}

/* Index chosen with the given weights. */
static unsigned
rng_weighted(rng_t *r, const unsigned *w, unsigned n)
{
	unsigned total = 0, i, x;
	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define PICK(r, list) ((list)[rng_below((r), (unsigned)(sizeof(list) / sizeof((list)[0])))])
#define WEIGHTED(r, ...) \
	rng_weighted((r), (const unsigned[]){ __VA_ARGS__ }, \
		     (unsigned)(sizeof((const unsigned[]){ __VA_ARGS__ }) / sizeof(unsigned)))

/* ------------------------------------------------------------------ */
/* The model's storage.                                                */
/* ------------------------------------------------------------------ */

char *
model_keep(model_t *m, char *s)
{
	if (m->n_arena == m->alloc_arena) {
		m->alloc_arena = m->alloc_arena ? 2 * m->alloc_arena : 256;
		m->arena = xrealloc(m->arena, m->alloc_arena * sizeof(char *));
	}
	m->arena[m->n_arena++] = s;
	return s;
}

void
model_release(model_t *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->n_arena; i++)
		free(m->arena[i]);
	for (i = 0; i < m->n_blocks; i++)
		free(m->blocks[i].cells);
	free(m->arena);
	free(m->blocks);
	free(m->listed);
	free(m->decisions);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* UTF-8 helpers for Russian text.                                     */
/* ------------------------------------------------------------------ */

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Change the case of a Cyrillic or ASCII letter at s (in place). */
static size_t
case_char(char *s, int upper)
{
	unsigned char *u = (unsigned char *)s;
	if (u[0] < 0x80) {
		if (upper && u[0] >= 'a' && u[0] <= 'z')
			u[0] -= 32;
		else if (!upper && u[0] >= 'A' && u[0] <= 'Z')
			u[0] += 32;
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0 && u[1]) {
		unsigned cp = ((unsigned)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		if (upper) {
			if (cp >= 0x430 && cp <= 0x44f)
				cp -= 0x20;
			else if (cp == 0x451)
				cp = 0x401;
		} else {
			if (cp >= 0x410 && cp <= 0x42f)
				cp += 0x20;
			else if (cp == 0x401)
				cp = 0x451;
		}
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if ((u[0] & 0xf0) == 0xe0)
		return 3;
	if ((u[0] & 0xf8) == 0xf0)
		return 4;
	return 1;
}

static void
case_first(char *s, int upper)
{
	if (*s)
		case_char(s, upper);
}

static void
case_all(char *s, int upper)
{
	while (*s)
		s += case_char(s, upper);
}

/* Bytes of the first character. */
static size_t
first_char_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	return 4;
}

/* ------------------------------------------------------------------ */
/* Generator state.                                                    */
/* ------------------------------------------------------------------ */

typedef struct person {
	unsigned sn, fn, pn;
	int female;
} person_t;

typedef struct role {
	unsigned head;
	const char *tail;     /* after the head word; may be "" */
} role_t;

typedef struct staff {
	person_t p;
	role_t role;
	int used_in_header;
} staff_t;

enum { NS_SI, NS_IS, NS_IS_TIGHT, NS_SI_SPACED, NS_FULL };

enum { RESP_OU, RESP_DEPUTY, RESP_MO, RESP_TEACHERS, RESP_ORGAN, RESP_CENTER,
       RESP_PERSON, RESP_SCHOOL };

/* Decision layouts. */
enum { L_FLAT, L_GROUPS_HIER, L_GROUPS_BULLETS, L_GROUPS_RESTART, L_INLINE_RESP,
       L_TABLE, L_BULLETS_ONLY };
/* Deadline layouts. */
enum { DL_EACH, DL_SHARED, DL_MIXED, DL_INLINE, DL_NONE, DL_RESP_LINE };
/* Discussion layouts. */
enum { D_INLINE, D_HEARD, D_HEARD_ONE, D_TITLE_HEARD };

/* Text size (bytes of UTF-8) a protocol stays within, with some margin. */
#define MIN_TEXT 2800
#define MAX_TEXT 18500

typedef struct gen {
	model_t *m;
	rng_t r;
	int docx;

	int y, mo, d;
	const muni_t *muni;
	const region_t *region;
	const organ_kind_t *organ;
	const center_t *center;
	int adm_cap;

	/* Style knobs. */
	int name_style;
	const char *ay_sep;
	int yo;
	int dec_layout, dl_style, disc_style;
	int per_item;
	int hier_prefix;
	const char *num_end;      /* "." or "" or ")" after a number */
	const char *num_sep;      /* between number and text */
	const char *dl_label;
	const char *dl_end;
	const char *bullet;
	int info_first;
	int glitch_numbers;

	/* Artefacts enabled for this protocol. */
	int art_spaces, art_broken, art_goback, art_image, art_trailing, art_indent;
	int did_goback, did_image;

	/* People and places. */
	staff_t staff[8];
	size_t n_staff;
	size_t chair, secretary;       /* indices into staff, or (size_t)-1 */
	char *schools[16];
	char *schools_full_gen[16];
	person_t directors[16];
	size_t n_schools;
	unsigned used_sn[64];
	size_t n_used_sn;

	/* Template state. */
	int female;
	int pdown, psame, pup;
	int pick1, pick2;

	/* Decision templates already used (no repeats in one protocol). */
	const char *used_tpl[128];
	size_t n_used_tpl;

	int muni_mentions;             /* municipality names written so far */
	size_t bytes;                  /* text written so far */
	size_t target;                 /* wanted text size */
	int ordinal;                   /* decisions so far */

	/* docx: decision items written as Word list items (as_list_item). */
	int auto_lists;
	unsigned list_first, list_pending, list_value[3];
	int list_on[3];
} gen_t;

static char *
keep(gen_t *g, char *s)
{
	return model_keep(g->m, s);
}

static char *
kdup(gen_t *g, const char *s)
{
	return s ? keep(g, xstrdup(s)) : NULL;
}

static char *
kfmt(gen_t *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
kfmt(gen_t *g, const char *fmt, ...)
{
	strbuf_t sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return keep(g, strbuf_detach(&sb, NULL));
}

static char *
ksb(gen_t *g, strbuf_t *sb)
{
	return keep(g, strbuf_detach(sb, NULL));
}

/* ------------------------------------------------------------------ */
/* Names.                                                              */
/* ------------------------------------------------------------------ */

static size_t
count_list(const char *const *l)
{
	return corpus_list_len(l);
}

static size_t
n_surnames(void)
{
	size_t n = 0;
	while (corpus_surnames[n].m)
		n++;
	return n;
}

static size_t
n_patronymics(void)
{
	size_t n = 0;
	while (corpus_patronymics[n].m)
		n++;
	return n;
}

static person_t
new_person(gen_t *g, unsigned female_pct)
{
	person_t p;
	size_t i;
	int again;
	p.female = rng_chance(&g->r, female_pct);
	do {
		p.sn = rng_below(&g->r, (unsigned)n_surnames());
		again = 0;
		for (i = 0; i < g->n_used_sn; i++)
			if (g->used_sn[i] == p.sn)
				again = 1;
	} while (again && g->n_used_sn < 60);
	if (g->n_used_sn < 64)
		g->used_sn[g->n_used_sn++] = p.sn;
	p.fn = rng_below(&g->r, (unsigned)count_list(p.female ? corpus_female_names : corpus_male_names));
	p.pn = rng_below(&g->r, (unsigned)n_patronymics());
	return p;
}

static void
add_surname(strbuf_t *sb, const person_t *p, gcase_t c)
{
	static const char *const ov_m[] = { "", "а", "у", "а", "ым", "е" };
	static const char *const ov_f[] = { "а", "ой", "ой", "у", "ой", "ой" };
	static const char *const sky_m[] = { "ий", "ого", "ому", "ого", "им", "ом" };
	static const char *const sky_f[] = { "ая", "ой", "ой", "ую", "ой", "ой" };
	const surname_t *s = &corpus_surnames[p->sn];
	size_t len = strlen(s->m);

	switch (s->kind) {
	case SN_OV:
		strbuf_adds(sb, s->m);
		strbuf_adds(sb, (p->female ? ov_f : ov_m)[c]);
		break;
	case SN_SKY:
		strbuf_add(sb, s->m, len - strlen("ий"));
		strbuf_adds(sb, (p->female ? sky_f : sky_m)[c]);
		break;
	default:
		strbuf_adds(sb, s->m);
	}
}

static void
add_first_name(strbuf_t *sb, const person_t *p, gcase_t c)
{
	const char *n = (p->female ? corpus_female_names : corpus_male_names)[p->fn];
	size_t len = strlen(n);

	if (p->female) {
		if (ends_with(n, "ия")) {
			static const char *const e[] = { "ия", "ии", "ии", "ию", "ией", "ии" };
			strbuf_add(sb, n, len - strlen("ия"));
			strbuf_adds(sb, e[c]);
		} else if (ends_with(n, "я")) {
			static const char *const e[] = { "я", "и", "е", "ю", "ей", "е" };
			strbuf_add(sb, n, len - strlen("я"));
			strbuf_adds(sb, e[c]);
		} else {
			/* -а: after г к х ж ш щ ч the genitive is -и. */
			static const char *const hard[] = { "а", "ы", "е", "у", "ой", "е" };
			static const char *const soft[] = { "а", "и", "е", "у", "ой", "е" };
			size_t stem = len - strlen("а");
			int velar = stem >= 2 && (strncmp(n + stem - 2, "г", 2) == 0 ||
						  strncmp(n + stem - 2, "к", 2) == 0 ||
						  strncmp(n + stem - 2, "х", 2) == 0 ||
						  strncmp(n + stem - 2, "ж", 2) == 0 ||
						  strncmp(n + stem - 2, "ш", 2) == 0 ||
						  strncmp(n + stem - 2, "ч", 2) == 0 ||
						  strncmp(n + stem - 2, "щ", 2) == 0);
			strbuf_add(sb, n, stem);
			strbuf_adds(sb, (velar ? soft : hard)[c]);
		}
		return;
	}
	if (ends_with(n, "ий")) {
		static const char *const e[] = { "ий", "ия", "ию", "ия", "ием", "ии" };
		strbuf_add(sb, n, len - strlen("ий"));
		strbuf_adds(sb, e[c]);
	} else if (ends_with(n, "й") || ends_with(n, "ь")) {
		static const char *const e[] = { "", "я", "ю", "я", "ем", "е" };
		if (c == C_NOM) {
			strbuf_adds(sb, n);
		} else {
			strbuf_add(sb, n, len - 2);
			strbuf_adds(sb, e[c]);
		}
	} else {
		static const char *const e[] = { "", "а", "у", "а", "ом", "е" };
		strbuf_adds(sb, n);
		strbuf_adds(sb, e[c]);
	}
}

static void
add_patronymic(strbuf_t *sb, const person_t *p, gcase_t c)
{
	const patronymic_t *pt = &corpus_patronymics[p->pn];
	if (p->female) {
		static const char *const e[] = { "а", "ы", "е", "у", "ой", "е" };
		strbuf_add(sb, pt->f, strlen(pt->f) - strlen("а"));
		strbuf_adds(sb, e[c]);
	} else {
		static const char *const e[] = { "", "а", "у", "а", "ем", "е" };
		strbuf_adds(sb, pt->m);
		strbuf_adds(sb, e[c]);
	}
}

static void
add_initials(strbuf_t *sb, const person_t *p, const char *between)
{
	const char *f = (p->female ? corpus_female_names : corpus_male_names)[p->fn];
	const char *pt = p->female ? corpus_patronymics[p->pn].f : corpus_patronymics[p->pn].m;
	strbuf_add(sb, f, first_char_len(f));
	strbuf_addch(sb, '.');
	strbuf_adds(sb, between);
	strbuf_add(sb, pt, first_char_len(pt));
	strbuf_addch(sb, '.');
}

static void
add_name(strbuf_t *sb, const person_t *p, gcase_t c, int style)
{
	switch (style) {
	case NS_IS:
		add_initials(sb, p, "");
		strbuf_addch(sb, ' ');
		add_surname(sb, p, c);
		break;
	case NS_IS_TIGHT:
		add_initials(sb, p, "");
		add_surname(sb, p, c);
		break;
	case NS_SI_SPACED:
		add_surname(sb, p, c);
		strbuf_addch(sb, ' ');
		add_initials(sb, p, " ");
		break;
	case NS_FULL:
		add_surname(sb, p, c);
		strbuf_addch(sb, ' ');
		add_first_name(sb, p, c);
		strbuf_addch(sb, ' ');
		add_patronymic(sb, p, c);
		break;
	default:
		add_surname(sb, p, c);
		strbuf_addch(sb, ' ');
		add_initials(sb, p, "");
	}
}

static char *
name(gen_t *g, const person_t *p, gcase_t c, int style)
{
	strbuf_t sb = STRBUF_INIT;
	add_name(&sb, p, c, style);
	return ksb(g, &sb);
}

static char *
canon(gen_t *g, const person_t *p)
{
	return name(g, p, C_NOM, NS_SI);
}

/* The protocol's usual name style, now and then another one, as people write. */
static int
nstyle(gen_t *g)
{
	if (rng_chance(&g->r, 8))
		return rng_chance(&g->r, 50) ? NS_SI : NS_IS;
	return g->name_style;
}

static char *
role_text(gen_t *g, const role_t *r, gcase_t c)
{
	const char *head = corpus_role_heads[r->head].forms[c];
	return *r->tail ? kfmt(g, "%s %s", head, r->tail) : kdup(g, head);
}

/* ------------------------------------------------------------------ */
/* Places and bodies.                                                  */
/* ------------------------------------------------------------------ */

/* Inflect one word of an adjective + noun name ("городской", "округ"). */
static void
inflect_word(strbuf_t *sb, const char *w, size_t len, gcase_t c)
{
	static const char *const adj_k[] = { "ий", "ого", "ому", "ий", "им", "ом" };
	static const char *const adj_y[] = { "ый", "ого", "ому", "ый", "ым", "ом" };
	static const char *const adj_o[] = { "ой", "ого", "ому", "ой", "ым", "ом" };
	static const char *const noun[] = { "", "а", "у", "", "ом", "е" };
	char *word = xstrndup(w, len);

	if (ends_with(word, "ий")) {
		strbuf_add(sb, word, len - 4);
		strbuf_adds(sb, adj_k[c]);
	} else if (ends_with(word, "ый")) {
		strbuf_add(sb, word, len - 4);
		strbuf_adds(sb, adj_y[c]);
	} else if (ends_with(word, "ой")) {
		strbuf_add(sb, word, len - 4);
		strbuf_adds(sb, adj_o[c]);
	} else if (strcmp(word, "округ") == 0 || strcmp(word, "район") == 0 ||
		   strcmp(word, "город") == 0) {
		strbuf_adds(sb, word);
		strbuf_adds(sb, noun[c]);
	} else {
		strbuf_adds(sb, word);
	}
	free(word);
}

static char *
muni_full(gen_t *g, gcase_t c)
{
	const muni_t *mu = g->muni;
	strbuf_t sb = STRBUF_INIT;
	const char *p = mu->name;

	if (mu->city_gen) {
		const char *city = mu->name + strlen("город ");
		switch (c) {
		case C_GEN: return kfmt(g, "города %s", mu->city_gen);
		case C_PREP: return kfmt(g, "городе %s", mu->city_prep);
		default: return kfmt(g, "город %s", city);
		}
	}
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		inflect_word(&sb, p, n, c);
		if (!sp)
			break;
		strbuf_addch(&sb, ' ');
		p = sp + 1;
	}
	return ksb(g, &sb);
}

/* "Вышневолоцкого ГО", "Краснохолмского МО", "г. Мегион"; NULL if none. */
static char *
muni_short_gen(gen_t *g)
{
	const muni_t *mu = g->muni;
	const char *abbr = NULL;
	const char *sp;
	strbuf_t sb = STRBUF_INIT;

	if (mu->city_gen)
		return kfmt(g, "г. %s", mu->name + strlen("город "));
	if (ends_with(mu->name, " городской округ"))
		abbr = "ГО";
	else if (ends_with(mu->name, " муниципальный округ"))
		abbr = "МО";
	else if (ends_with(mu->name, " муниципальный район") && !strstr(mu->name, "национальный"))
		abbr = "МР";
	if (!abbr)
		return NULL;
	sp = strchr(mu->name, ' ');
	inflect_word(&sb, mu->name, (size_t)(sp - mu->name), C_GEN);
	strbuf_addf(&sb, " %s", abbr);
	return ksb(g, &sb);
}

/* Record a form of the municipality's name (once). */
static void
note_muni(gen_t *g, const char *form)
{
	model_t *m = g->m;
	size_t i;
	for (i = 0; i < m->n_muni_written; i++)
		if (strcmp(m->muni_written[i], form) == 0)
			return;
	if (m->n_muni_written < sizeof(m->muni_written) / sizeof(m->muni_written[0]))
		m->muni_written[m->n_muni_written++] = kdup(g, form);
}

/* The municipality in the genitive, as this protocol writes it here. */
static char *
muni_gen(gen_t *g)
{
	char *s = NULL;
	if (rng_chance(&g->r, 30))
		s = muni_short_gen(g);
	if (!s)
		s = muni_full(g, C_GEN);
	return s;
}

static const char *
adm(gen_t *g)
{
	return g->adm_cap ? "Администрации" : "администрации";
}

/* "Отдел образования администрации Западнодвинского муниципального округа" */
static char *
organ_full(gen_t *g, gcase_t c)
{
	char *mg = muni_full(g, C_GEN);
	return kfmt(g, "%s %s %s", g->organ->forms[c], adm(g), mg);
}

/* "отдела образования" */
static char *
organ_short_lower(gen_t *g, gcase_t c)
{
	char *s = kdup(g, g->organ->forms[c]);
	case_first(s, 0);
	return s;
}

static char *
center_name(gen_t *g, gcase_t c, int full)
{
	const center_t *ct = g->center;
	if (ct->needs_organ) {
		char *s = kfmt(g, "%s %s", ct->full[c], organ_short_lower(g, C_GEN));
		return s;
	}
	return full ? kdup(g, ct->full[c]) : kdup(g, ct->short_name);
}

/* ------------------------------------------------------------------ */
/* Dates.                                                              */
/* ------------------------------------------------------------------ */

static const char *const month_nom[] = { "январь", "февраль", "март", "апрель", "май", "июнь",
	"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь" };
static const char *const month_gen[] = { "января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря" };
static const char *const month_prep[] = { "январе", "феврале", "марте", "апреле", "мае", "июне",
	"июле", "августе", "сентябре", "октябре", "ноябре", "декабре" };

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static void
add_days(int *y, int *m, int *d, int n)
{
	*d += n;
	while (*d > days_in_month(*y, *m)) {
		*d -= days_in_month(*y, *m);
		if (++*m > 12) {
			*m = 1;
			++*y;
		}
	}
}

static void
iso(char out[11], int y, int m, int d)
{
	/* By hand: snprintf makes GCC worry about truncation it cannot rule out. */
	unsigned uy = (unsigned)y % 10000, um = (unsigned)m % 100, ud = (unsigned)d % 100;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
}

/* The academic year that starts in `start` ("2022-2023"). */
static char *
ay_text(gen_t *g, int start)
{
	return kfmt(g, "%d%s%d", start, g->ay_sep, start + 1);
}

static int
ay_start(gen_t *g)
{
	return g->mo >= 9 ? g->y : g->y - 1;
}

/* ------------------------------------------------------------------ */
/* Templates.                                                          */
/* ------------------------------------------------------------------ */

static void expand(gen_t *g, strbuf_t *out, const char *t, size_t len);

static int
plural_form(unsigned n)
{
	if (n % 10 == 1 && n % 100 != 11)
		return 0;
	if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
		return 1;
	return 2;
}

/* Split s[0..len) at top-level '|' into at most `max` parts. */
static size_t
split_alts(const char *s, size_t len, const char **part, size_t *plen, size_t max)
{
	size_t n = 0, i, start = 0;
	int depth = 0;
	for (i = 0; i <= len; i++) {
		if (i == len || (s[i] == '|' && depth == 0)) {
			if (n < max) {
				part[n] = s + start;
				plen[n] = i - start;
				n++;
			}
			start = i + 1;
		} else if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}') {
			depth--;
		}
	}
	return n;
}

static void
add_percent(gen_t *g, strbuf_t *out, unsigned lo, unsigned hi)
{
	unsigned v = rng_range(&g->r, lo * 10, hi * 10);
	if (v % 10 == 0)
		strbuf_addf(out, "%u", v / 10);
	else
		strbuf_addf(out, "%u,%u", v / 10, v % 10);
}

static int
pick_school(gen_t *g, int avoid)
{
	int i = (int)rng_below(&g->r, (unsigned)g->n_schools);
	if (i == avoid && g->n_schools > 1)
		i = (i + 1 + (int)rng_below(&g->r, (unsigned)g->n_schools - 1)) % (int)g->n_schools;
	return i;
}

static void
variable(gen_t *g, strbuf_t *out, const char *v, size_t n)
{
#define IS(name) (n == strlen(name) && memcmp(v, name, n) == 0)
	if (IS("year"))
		strbuf_addf(out, "%d", g->y);
	else if (IS("prev"))
		strbuf_addf(out, "%d", g->y - 1);
	else if (IS("prev5"))
		strbuf_addf(out, "%d", g->y - (int)rng_range(&g->r, 3, 6));
	else if (IS("ay"))
		strbuf_adds(out, ay_text(g, ay_start(g)));
	else if (IS("pay"))
		strbuf_adds(out, ay_text(g, ay_start(g) - 1));
	else if (IS("nay"))
		strbuf_adds(out, ay_text(g, (g->mo >= 3 && g->mo <= 8) ? g->y : ay_start(g)));
	else if (IS("vpr_year"))
		strbuf_addf(out, "%d", g->mo <= 5 ? g->y : g->y + 1);
	else if (IS("gia_year"))
		strbuf_addf(out, "%d", g->mo >= 7 ? g->y : g->y - 1);
	else if (IS("gia_next"))
		strbuf_addf(out, "%d", g->mo >= 7 ? g->y + 1 : g->y);
	else if (IS("muni_gen"))
		strbuf_adds(out, muni_gen(g));
	else if (IS("region_gen"))
		strbuf_adds(out, g->region->gen);
	else if (IS("organ_gen_short"))
		strbuf_adds(out, organ_short_lower(g, C_GEN));
	else if (IS("organ_acc_short"))
		strbuf_adds(out, g->organ->acc_short);
	else if (IS("center_gen"))
		strbuf_adds(out, center_name(g, C_GEN, rng_chance(&g->r, 40)));
	else if (IS("school")) {
		g->pick1 = pick_school(g, -1);
		strbuf_adds(out, g->schools[g->pick1]);
	} else if (IS("school2")) {
		g->pick2 = pick_school(g, g->pick1);
		strbuf_adds(out, g->schools[g->pick2]);
	} else if (IS("pdown")) {
		g->pdown = (int)rng_range(&g->r, 12, 45);
		g->pup = (int)rng_range(&g->r, 2, 12);
		g->psame = 100 - g->pdown - g->pup;
		strbuf_addf(out, "%d", g->pdown);
	} else if (IS("psame"))
		strbuf_addf(out, "%d", g->psame);
	else if (IS("pup"))
		strbuf_addf(out, "%d", g->pup);
	else
		strbuf_add(out, v, n);   /* unknown: leave it visible */
#undef IS
}

static void
directive(gen_t *g, strbuf_t *out, const char *s, size_t len)
{
	const char *part[8];
	size_t plen[8], n;

	if (len >= 2 && s[0] == 'g' && s[1] == ':') {
		n = split_alts(s + 2, len - 2, part, plen, 2);
		if (n == 2)
			expand(g, out, part[g->female ? 1 : 0], plen[g->female ? 1 : 0]);
		return;
	}
	if (len >= 2 && s[0] == 'N' && s[1] == ':') {
		unsigned lo = 0, hi = 0, v;
		const char *p = s + 2;
		const char *colon;
		sscanf(p, "%u-%u", &lo, &hi);
		colon = memchr(p, ':', len - 2);
		v = rng_range(&g->r, lo, hi);
		strbuf_addf(out, "%u ", v);
		if (colon) {
			n = split_alts(colon + 1, (size_t)(s + len - colon - 1), part, plen, 3);
			if (n == 3)
				expand(g, out, part[plural_form(v)], plen[plural_form(v)]);
		}
		return;
	}
	if (s[0] == '#' || s[0] == '%') {
		unsigned lo = 0, hi = 0;
		char buf[32];
		size_t k = len - 1 < sizeof(buf) - 1 ? len - 1 : sizeof(buf) - 1;
		memcpy(buf, s + 1, k);
		buf[k] = '\0';
		sscanf(buf, "%u-%u", &lo, &hi);
		if (s[0] == '#')
			strbuf_addf(out, "%u", rng_range(&g->r, lo, hi));
		else
			add_percent(g, out, lo, hi);
		return;
	}
	if (s[0] == '?') {
		if (rng_chance(&g->r, 50))
			expand(g, out, s + 1, len - 1);
		return;
	}
	n = split_alts(s, len, part, plen, 8);
	if (n) {
		size_t i = rng_below(&g->r, (unsigned)n);
		expand(g, out, part[i], plen[i]);
	}
}

static void
expand(gen_t *g, strbuf_t *out, const char *t, size_t len)
{
	size_t i = 0;
	while (i < len) {
		char c = t[i];
		if (c == '{') {
			size_t j = i + 1;
			int depth = 1;
			while (j < len && depth) {
				if (t[j] == '{')
					depth++;
				else if (t[j] == '}')
					depth--;
				j++;
			}
			directive(g, out, t + i + 1, j - i - 2);
			i = j;
		} else if (c == '$' && i + 1 < len && ((t[i + 1] >= 'a' && t[i + 1] <= 'z') || t[i + 1] == '_')) {
			size_t j = i + 1;
			while (j < len && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= '0' && t[j] <= '9') || t[j] == '_'))
				j++;
			variable(g, out, t + i + 1, j - i - 1);
			i = j;
		} else {
			strbuf_addch(out, c);
			i++;
		}
	}
}

/*
 * Tidy what an empty alternative leaves behind: double spaces, a space
 * before punctuation, spaces at the ends.
 */
static void
tidy(strbuf_t *sb)
{
	size_t i, j = 0;
	for (i = 0; i < sb->len; i++) {
		char c = sb->buf[i];
		if (c == ' ' && (j == 0 || sb->buf[j - 1] == ' ' || i + 1 == sb->len ||
				 strchr(".,;:)", sb->buf[i + 1])))
			continue;
		sb->buf[j++] = c;
	}
	strbuf_setlen(sb, j);
}

/* Expand a template into a kept string. */
static char *
X(gen_t *g, const char *tpl)
{
	strbuf_t sb = STRBUF_INIT;
	g->pick1 = g->pick2 = -1;
	expand(g, &sb, tpl, strlen(tpl));
	tidy(&sb);
	return ksb(g, &sb);
}

/* s with a full stop, unless it already ends with one ("Петрова Е.С."). */
static char *
with_stop(gen_t *g, const char *s)
{
	return ends_with(s, ".") ? kdup(g, s) : kfmt(g, "%s.", s);
}

/* A template from `list` not used yet in this protocol; NULL if none. */
static const char *
fresh(gen_t *g, const char *const *list)
{
	size_t n = count_list(list), tries, i;
	if (n == 0)
		return NULL;
	for (tries = 0; tries < 2 * n; tries++) {
		const char *t = list[rng_below(&g->r, (unsigned)n)];
		int used = 0;
		for (i = 0; i < g->n_used_tpl; i++)
			if (g->used_tpl[i] == t)
				used = 1;
		if (!used) {
			if (g->n_used_tpl < sizeof(g->used_tpl) / sizeof(g->used_tpl[0]))
				g->used_tpl[g->n_used_tpl++] = t;
			return t;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Blocks.                                                             */
/* ------------------------------------------------------------------ */

static cblock_t *
new_block(gen_t *g)
{
	model_t *m = g->m;
	cblock_t *b;
	if (m->n_blocks == m->alloc_blocks) {
		m->alloc_blocks = m->alloc_blocks ? 2 * m->alloc_blocks : 64;
		m->blocks = xrealloc(m->blocks, m->alloc_blocks * sizeof(*m->blocks));
	}
	b = &m->blocks[m->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->indent = "";
	return b;
}

static void
raw_par(gen_t *g, unsigned flags, const char *text)
{
	cblock_t *b = new_block(g);
	b->flags = flags;
	b->text = kdup(g, text);
	g->bytes += strlen(text) + 1;
	if (g->art_indent && !(flags & (B_CENTER | B_RIGHT)) && rng_chance(&g->r, 12))
		b->indent = "\t";
}

static void note_artefact(gen_t *g, const char *a);

/* Insert runs of spaces, as text pasted from a justified layout has. */
static char *
with_extra_spaces(gen_t *g, const char *text)
{
	strbuf_t sb = STRBUF_INIT;
	size_t spaces = 0, i, k, target;
	const char *p;
	for (p = text; *p; p++)
		spaces += *p == ' ';
	if (spaces < 3)
		return NULL;
	target = 1 + rng_below(&g->r, (unsigned)spaces - 1);
	for (p = text, k = 0; *p; p++) {
		strbuf_addch(&sb, *p);
		if (*p == ' ' && ++k == target) {
			size_t extra = rng_range(&g->r, 1, 16);
			for (i = 0; i < extra; i++)
				strbuf_addch(&sb, ' ');
		}
	}
	return ksb(g, &sb);
}

/*
 * A body paragraph: artefacts may hit it.  Returns 1 if its text was
 * altered (so it no longer occurs verbatim).
 */
static int
par(gen_t *g, unsigned flags, const char *text)
{
	size_t len = strlen(text);

	if (g->art_broken && len > 120 && rng_chance(&g->r, 12)) {
		/* Some words one per line, as a justified PDF line breaks them. */
		char *copy = xstrdup(text);
		char *words[256];
		size_t n = 0, i, from, to;
		char *save = NULL, *w;
		strbuf_t sb = STRBUF_INIT;
		for (w = strtok_r(copy, " ", &save); w && n < 256; w = strtok_r(NULL, " ", &save))
			words[n++] = w;
		if (n >= 8) {
			from = rng_range(&g->r, 0, (unsigned)n / 2);
			to = from + rng_range(&g->r, 3, 6);
			if (to > n)
				to = n;
			for (i = 0; i < n; i++) {
				if (sb.len)
					strbuf_addch(&sb, ' ');
				strbuf_adds(&sb, words[i]);
				if ((i >= from && i < to) || i + 1 == n) {
					raw_par(g, (flags & ~B_CAND) | B_ARTEFACT, sb.buf);
					strbuf_reset(&sb);
				}
			}
			strbuf_release(&sb);
			free(copy);
			note_artefact(g, "broken_lines");
			return 1;
		}
		strbuf_release(&sb);
		free(copy);
	}
	if (g->art_spaces && rng_chance(&g->r, 20)) {
		char *s = with_extra_spaces(g, text);
		if (s) {
			raw_par(g, (flags & ~B_CAND) | B_ARTEFACT, s);
			note_artefact(g, "extra_spaces");
			return 1;
		}
	}
	if (g->art_trailing && rng_chance(&g->r, 15)) {
		raw_par(g, flags, kfmt(g, "%s%s", text, rng_chance(&g->r, 70) ? " " : "  "));
		note_artefact(g, "trailing_spaces");
		return 0;
	}
	raw_par(g, flags, text);
	return 0;
}

static void
blank(gen_t *g)
{
	if (g->docx)
		raw_par(g, 0, "");
	else
		g->m->blocks[g->m->n_blocks - 1].blank_after++;
}

static void
table(gen_t *g, size_t rows, size_t cols, char **cells)
{
	cblock_t *b = new_block(g);
	size_t i;
	b->table = 1;
	b->rows = rows;
	b->cols = cols;
	b->cells = xcalloc(rows * cols, sizeof(char *));
	for (i = 0; i < rows * cols; i++) {
		b->cells[i] = cells[i] ? cells[i] : kdup(g, "");
		g->bytes += strlen(b->cells[i]) + 1;
	}
}

/* A gap between two things on one line: tabs or a run of spaces. */
static char *
gap(gen_t *g)
{
	switch (rng_below(&g->r, 4)) {
	case 0: return kdup(g, "\t\t\t\t");
	case 1: return kdup(g, "\t\t\t\t\t\t     ");
	case 2: return kdup(g, " ____________ ");
	default: {
		char buf[80];
		size_t n = rng_range(&g->r, 12, 60);
		memset(buf, ' ', n);
		buf[n] = '\0';
		return kdup(g, buf);
	}
	}
}

/* ------------------------------------------------------------------ */
/* Truth helpers.                                                      */
/* ------------------------------------------------------------------ */

static void
add_topic(gen_t *g, const char *id)
{
	model_t *m = g->m;
	size_t i;
	for (i = 0; i < m->n_topics; i++)
		if (strcmp(m->topics[i], id) == 0)
			return;
	if (m->n_topics < sizeof(m->topics) / sizeof(m->topics[0]))
		m->topics[m->n_topics++] = id;
}

static void
add_listed(gen_t *g, const person_t *p, const char *role)
{
	model_t *m = g->m;
	if (m->n_listed == m->alloc_listed) {
		m->alloc_listed = m->alloc_listed ? 2 * m->alloc_listed : 16;
		m->listed = xrealloc(m->listed, m->alloc_listed * sizeof(*m->listed));
	}
	m->listed[m->n_listed].name = canon(g, p);
	m->listed[m->n_listed].as_written = NULL;
	m->listed[m->n_listed].role = kdup(g, role);
	m->n_listed++;
}

static tdecision_t *
new_decision(gen_t *g)
{
	model_t *m = g->m;
	tdecision_t *d;
	if (m->n_decisions == m->alloc_decisions) {
		m->alloc_decisions = m->alloc_decisions ? 2 * m->alloc_decisions : 32;
		m->decisions = xrealloc(m->decisions, m->alloc_decisions * sizeof(*m->decisions));
	}
	d = &m->decisions[m->n_decisions++];
	memset(d, 0, sizeof(*d));
	d->dl.kind = "none";
	d->verbatim = 1;
	return d;
}

static tresp_t *
new_resp(gen_t *g)
{
	model_t *m = g->m;
	tresp_t *r = xcalloc(1, sizeof(*r));
	model_keep(m, (char *)r);
	return r;
}

static void
note_artefact(gen_t *g, const char *a)
{
	model_t *m = g->m;
	size_t i;
	for (i = 0; i < m->n_artefacts; i++)
		if (strcmp(m->artefacts[i], a) == 0)
			return;
	if (m->n_artefacts < sizeof(m->artefacts) / sizeof(m->artefacts[0]))
		m->artefacts[m->n_artefacts++] = a;
}

/* ------------------------------------------------------------------ */
/* People, schools.                                                    */
/* ------------------------------------------------------------------ */

static void
make_schools(gen_t *g)
{
	/* Schools belong to the municipality: the same list in every one of its
	 * protocols, drawn from a stream seeded by the municipality's id. */
	rng_t r;
	const muni_t *mu = g->muni;
	static const char *const abbrs[] = { "МБОУ", "МБОУ", "МБОУ", "МАОУ", "МКОУ", "МОУ" };
	static const char *const abbr_gen[] = {
		"муниципального бюджетного общеобразовательного учреждения",
		"муниципального бюджетного общеобразовательного учреждения",
		"муниципального бюджетного общеобразовательного учреждения",
		"муниципального автономного общеобразовательного учреждения",
		"муниципального казённого общеобразовательного учреждения",
		"муниципального общеобразовательного учреждения" };
	char town[128] = "";
	size_t want, i, attempts, nv = count_list(corpus_village_adjs);
	int numbered_style;
	uint32_t used_num = 0;

	rng_seed(&r, util_hash64(mu->id, strlen(mu->id)));
	numbered_style = (int)rng_below(&r, 3);
	if (!mu->city_gen) {
		/* "Краснохолмский ..." -> "Краснохолмская" */
		const char *sp = strchr(mu->name, ' ');
		size_t wl = (size_t)(sp - mu->name);
		if (wl + 8 < sizeof(town) && wl > 4) {
			memcpy(town, mu->name, wl - 4);
			memcpy(town + wl - 4, "ая", sizeof("ая"));
		}
	}
	want = mu->city_gen ? rng_range(&r, 6, 12) : rng_range(&r, 5, 11);
	for (attempts = 0; g->n_schools < want && attempts < 64; attempts++) {
		size_t idx = g->n_schools;
		unsigned a = rng_below(&r, 6), num = 0;
		char *shortn, *fullg;
		int kind;

		if (mu->city_gen)
			kind = idx == 3 ? 3 : idx == 5 ? 4 : 0;
		else
			kind = idx < 2 ? 1 : 2;
		if (kind != 2) {
			unsigned hi = kind == 1 ? 3 : 24;
			do {
				num = rng_range(&r, 1, hi);
			} while (used_num & (1u << num));
			used_num |= 1u << num;
		}
		switch (kind) {
		case 0:   /* a city school with a number */
			if (numbered_style == 0) {
				shortn = kfmt(g, "%s «СОШ № %u»", abbrs[a], num);
				fullg = kfmt(g, "%s «Средняя общеобразовательная школа № %u»", abbr_gen[a], num);
			} else if (numbered_style == 1) {
				shortn = kfmt(g, "%s «СОШ №%u»", abbrs[a], num);
				fullg = kfmt(g, "%s «Средняя общеобразовательная школа №%u»", abbr_gen[a], num);
			} else {
				shortn = kfmt(g, "%s «Средняя общеобразовательная школа № %u»", abbrs[a], num);
				fullg = kfmt(g, "%s «Средняя общеобразовательная школа № %u»", abbr_gen[a], num);
			}
			break;
		case 1:   /* the district town */
			if (*town) {
				shortn = kfmt(g, "%s «%s СОШ № %u»", abbrs[a], town, num);
				fullg = kfmt(g, "%s «%s средняя общеобразовательная школа № %u»", abbr_gen[a], town, num);
			} else {
				shortn = kfmt(g, "%s «СОШ № %u»", abbrs[a], num);
				fullg = kfmt(g, "%s «Средняя общеобразовательная школа № %u»", abbr_gen[a], num);
			}
			break;
		case 3:
			shortn = kfmt(g, "МАОУ «Гимназия № %u»", num);
			fullg = kfmt(g, "муниципального автономного общеобразовательного учреждения «Гимназия № %u»", num);
			break;
		case 4:
			shortn = kfmt(g, "МБОУ «Лицей № %u»", num);
			fullg = kfmt(g, "муниципального бюджетного общеобразовательного учреждения «Лицей № %u»", num);
			break;
		default: { /* a village school */
			const char *v = corpus_village_adjs[rng_below(&r, (unsigned)nv)];
			size_t k;
			int dup = 0;
			for (k = 0; k < idx; k++)
				if (strstr(g->schools[k], v))
					dup = 1;
			if (dup)
				continue;
			if (rng_below(&r, 3) == 0) {
				shortn = kfmt(g, "%s «%s ООШ»", abbrs[a], v);
				fullg = kfmt(g, "%s «%s основная общеобразовательная школа»", abbr_gen[a], v);
			} else {
				shortn = kfmt(g, "%s «%s СОШ»", abbrs[a], v);
				fullg = kfmt(g, "%s «%s средняя общеобразовательная школа»", abbr_gen[a], v);
			}
		}
		}
		g->schools[idx] = shortn;
		g->schools_full_gen[idx] = fullg;
		g->n_schools++;
	}
	for (i = 0; i < g->n_schools; i++)
		g->directors[i] = new_person(g, 70);
}

static void
make_staff(gen_t *g)
{
	staff_t *s;
	person_t p;
	char *organ_tail;

	/* 0: the head of the education body. */
	p = new_person(g, 75);
	s = &g->staff[g->n_staff++];
	s->p = p;
	s->role.head = p.female ? g->organ->head_f : g->organ->head_m;
	organ_tail = g->organ->head_case == C_INS ? organ_short_lower(g, C_INS) : organ_short_lower(g, C_GEN);
	if (rng_chance(&g->r, 35)) {
		char *mg = muni_full(g, C_GEN);
		s->role.tail = kfmt(g, "%s %s %s", organ_tail, adm(g), mg);
	} else {
		s->role.tail = organ_tail;
	}

	/* 1: a deputy. */
	p = new_person(g, 80);
	s = &g->staff[g->n_staff++];
	s->p = p;
	s->role.head = RH_DEPUTY;
	s->role.tail = kfmt(g, "%s %s", corpus_role_heads[g->organ->head_m].forms[C_GEN], organ_tail);

	/* 2: a chief specialist. */
	p = new_person(g, 85);
	s = &g->staff[g->n_staff++];
	s->p = p;
	s->role.head = rng_chance(&g->r, 20) ? RH_EXPERT : RH_CHIEF_SPEC;
	s->role.tail = rng_chance(&g->r, 30)
		? kfmt(g, "отдела общего образования %s", organ_short_lower(g, C_GEN))
		: organ_short_lower(g, C_GEN);

	/* 3: the head of the methodical service. */
	p = new_person(g, 80);
	s = &g->staff[g->n_staff++];
	s->p = p;
	if (g->center->needs_organ) {
		s->role.head = p.female ? RH_HEAD_F : RH_HEAD_M;
		s->role.tail = kfmt(g, "методическим кабинетом %s", organ_short_lower(g, C_GEN));
	} else {
		s->role.head = RH_DIRECTOR;
		s->role.tail = center_name(g, C_GEN, rng_chance(&g->r, 30));
	}

	/* 4: a methodist. */
	p = new_person(g, 90);
	s = &g->staff[g->n_staff++];
	s->p = p;
	s->role.head = rng_chance(&g->r, 30) ? RH_SENIOR_METHODIST : RH_METHODIST;
	s->role.tail = center_name(g, C_GEN, 0);

	/* 5: a lead specialist / the VPR coordinator. */
	p = new_person(g, 85);
	s = &g->staff[g->n_staff++];
	s->p = p;
	if (rng_chance(&g->r, 40)) {
		s->role.head = RH_COORDINATOR;
		s->role.tail = "по проведению оценочных процедур";
	} else {
		s->role.head = RH_LEAD_SPEC;
		s->role.tail = organ_short_lower(g, C_GEN);
	}
}

/* ------------------------------------------------------------------ */
/* Header.                                                             */
/* ------------------------------------------------------------------ */

static char *
date_written(gen_t *g, int style)
{
	switch (style) {
	case 0: return kfmt(g, "%02d.%02d.%dг.", g->d, g->mo, g->y);
	case 1: return kfmt(g, "%02d.%02d.%d г.", g->d, g->mo, g->y);
	case 2: return kfmt(g, "%02d.%02d.%d", g->d, g->mo, g->y);
	case 3: return kfmt(g, "«%02d» %s %d", g->d, month_gen[g->mo - 1], g->y);
	case 4: return kfmt(g, "«%02d» %s %d г.", g->d, month_gen[g->mo - 1], g->y);
	case 5: return kfmt(g, "%d %s %d года", g->d, month_gen[g->mo - 1], g->y);
	case 6: return kfmt(g, "%02d.%02d.%d года", g->d, g->mo, g->y);
	default: return kfmt(g, "%d %s %d г.", g->d, month_gen[g->mo - 1], g->y);
	}
}

static const char *
meeting_subtitle(gen_t *g, char **text)
{
	const char *type;
	char *mg;
	int vks = rng_chance(&g->r, 25);
	switch (WEIGHTED(&g->r, 30, 12, 10, 10, 8, 8, 10, 12)) {
	case 0:
		type = "heads_meeting";
		mg = muni_gen(g);
		*text = kfmt(g, "совещания руководителей %s %s%s",
			     PICK(&g->r, ((const char *const[]){ "общеобразовательных организаций",
							       "образовательных организаций",
							       "образовательных учреждений",
							       "общеобразовательных учреждений" })),
			     mg, vks ? " в режиме видеоконференцсвязи" : "");
		break;
	case 1:
		type = "heads_meeting";
		mg = muni_gen(g);
		*text = kfmt(g, "совещания с %s %s", rng_chance(&g->r, 50) ? "директорами школ" : "руководителями ОУ", mg);
		break;
	case 2:
		type = "vks";
		*text = kdup(g, PICK(&g->r, ((const char *const[]){ "видеоконференц-совещания",
								   "совещания в формате видеоконференцсвязи",
								   "онлайн-совещания" })));
		vks = 1;
		break;
	case 3:
		type = "deputies_meeting";
		*text = kfmt(g, "совещания заместителей директоров по учебно-воспитательной работе%s",
			     vks ? " (в режиме ВКС)" : "");
		break;
	case 4:
		type = "methodical_council";
		*text = kfmt(g, "заседания муниципального методического совета%s",
			     rng_chance(&g->r, 50) ? "" : kfmt(g, " %s", muni_gen(g)));
		break;
	case 5:
		type = "working_group";
		*text = kdup(g, PICK(&g->r, ((const char *const[]){
			"заседания рабочей группы по повышению качества образования",
			"заседания муниципальной рабочей группы по вопросам оценки качества образования" })));
		break;
	case 6:
		type = "coordination_council";
		*text = kfmt(g, "заседания координационного совета по вопросам развития муниципальной системы оценки качества образования");
		break;
	default:
		type = "meeting";
		*text = kfmt(g, "совещания при %s %s",
			     g->organ->head_case == C_INS ? "заведующем" :
			     g->organ->head_m == RH_CHAIRMAN ? "председателе" :
			     g->organ->head_m == RH_DIRECTOR ? "директоре" : "начальнике",
			     organ_short_lower(g, g->organ->head_case));
		break;
	}
	return type;
}

static void
header(gen_t *g, const topic_t *theme_topic, int extract)
{
	model_t *m = g->m;
	int numbered = rng_chance(&g->r, extract ? 80 : 60);
	int num_in_title = numbered && rng_chance(&g->r, 60);
	int date_style = (int)rng_below(&g->r, 8);
	int dp = (int)WEIGHTED(&g->r, 40, 20, 15, 25);
	char *title, *sub, *date, *num_text = NULL;
	unsigned hf = B_CENTER | B_BOLD;

	/* Organ lines above the title. */
	if (rng_chance(&g->r, 30)) {
		char *mg = muni_full(g, C_GEN);
		if (rng_chance(&g->r, 50)) {
			char *l1 = kfmt(g, "%s %s", g->organ->forms[C_NOM], adm(g));
			char *l2 = rng_chance(&g->r, 50) ? kfmt(g, "%s %s", mg, g->region->gen) : mg;
			raw_par(g, B_CENTER, l1);
			raw_par(g, B_CENTER, l2);
			m->organ = kfmt(g, "%s %s", l1, l2);
		} else {
			/* "АДМИНИСТРАЦИЯ КИМРСКОГО МУНИЦИПАЛЬНОГО ОКРУГА" over the body. */
			char *l1 = kfmt(g, "Администрация %s", mg);
			char *l2 = kdup(g, g->organ->forms[C_NOM]);
			char *up = kdup(g, mg);
			case_all(l1, 1);
			case_all(l2, 1);
			case_all(up, 1);
			raw_par(g, B_CENTER | B_BOLD, l1);
			raw_par(g, B_CENTER | B_BOLD, l2);
			m->organ = kfmt(g, "%s %s", l1, l2);
		}
		if (rng_chance(&g->r, 50))
			blank(g);
	}

	/* Number. */
	if (numbered) {
		unsigned n = rng_range(&g->r, 1, 3 + (unsigned)g->mo * 2);
		if (rng_chance(&g->r, 6))
			m->number = kfmt(g, "%u/%02d", n, g->y % 100);
		else
			m->number = kfmt(g, "%u", n);
		switch (rng_below(&g->r, 4)) {
		case 0: num_text = kfmt(g, "№%s", m->number); break;
		case 1: num_text = kfmt(g, "№\xc2\xa0%s", m->number); break;
		default: num_text = kfmt(g, "№ %s", m->number);
		}
		m->number_text = num_text;
	}

	/* Kind line. */
	if (extract) {
		m->kind = "extract";
		title = kdup(g, PICK(&g->r, ((const char *const[]){ "Выписка из протокола",
								   "ВЫПИСКА ИЗ ПРОТОКОЛА",
								   "Выписка из протокола  " })));
	} else {
		m->kind = "protocol";
		title = kdup(g, PICK(&g->r, ((const char *const[]){ "ПРОТОКОЛ", "ПРОТОКОЛ", "Протокол",
								   " ПРОТОКОЛ", "П Р О Т О К О Л" })));
	}
	{
		/* The kind as a reader would name it, without the padding. */
		strbuf_t sb = STRBUF_INIT;
		strbuf_adds(&sb, title);
		strbuf_trim(&sb);
		m->kind_text = ksb(g, &sb);
	}
	if (num_in_title)
		title = kfmt(g, "%s %s", m->kind_text, num_text);

	m->meeting_type = meeting_subtitle(g, &sub);
	m->meeting_text = sub;
	date = date_written(g, date_style);
	m->date_text = date;
	iso(m->date, g->y, g->mo, g->d);

	if (rng_chance(&g->r, 10) && !num_in_title) {
		/* "Протокол совещания ..." on one line. */
		raw_par(g, hf, kfmt(g, "%s %s", m->kind_text, sub));
	} else {
		raw_par(g, hf, title);
		raw_par(g, B_CENTER | B_CAND, sub);
	}

	if (theme_topic) {
		m->theme = kdup(g, theme_topic->theme);
		if (rng_chance(&g->r, 60))
			raw_par(g, B_CENTER, kfmt(g, "«%s»", m->theme));
		else
			raw_par(g, B_CENTER, kfmt(g, "Тема: «%s»", m->theme));
	}
	if (g->m->blank_lines == 0 && rng_chance(&g->r, 30))
		blank(g);

	/* Some header names the place: the town if nothing else does. */
	if (rng_chance(&g->r, 75) || (!g->muni_mentions && !m->organ))
		m->place = kdup(g, g->muni->place);

	switch (dp) {
	case 0: {  /* date and place on lines of their own */
		char *dl = rng_chance(&g->r, 45) ? kfmt(g, "от %s", date) : date;
		if (m->place && rng_chance(&g->r, 50)) {
			raw_par(g, 0, m->place);
			raw_par(g, 0, dl);
		} else {
			raw_par(g, 0, dl);
			if (m->place)
				raw_par(g, 0, m->place);
		}
		break;
	}
	case 1:    /* "г. Мегион <gap> 29.01.2021" */
		if (m->place)
			raw_par(g, 0, kfmt(g, "%s%s%s", m->place, gap(g), date));
		else
			raw_par(g, B_RIGHT, date);
		break;
	case 2: {  /* date right-aligned, the place under it */
		cblock_t *b;
		raw_par(g, B_RIGHT, kfmt(g, "от %s", date));
		b = &m->blocks[m->n_blocks - 1];
		if (!g->docx)
			b->indent = "                                                                                ";
		if (m->place)
			raw_par(g, 0, m->place);
		break;
	}
	default:   /* place, then the date, then the number (seed style) */
		if (m->place)
			raw_par(g, 0, m->place);
		if (g->m->blank_lines == 0 && rng_chance(&g->r, 50))
			blank(g);
		raw_par(g, 0, date);
		break;
	}
	if (numbered && !num_in_title)
		raw_par(g, 0, num_text);

	if (rng_chance(&g->r, 25)) {
		switch (rng_below(&g->r, 3)) {
		case 0:
			m->venue = organ_full(g, C_NOM);
			break;
		case 1:
			m->venue = kfmt(g, "актовый зал %s", g->schools[rng_below(&g->r, (unsigned)g->n_schools)]);
			break;
		default:
			m->venue = kdup(g, "видеоконференцсвязь");
		}
		raw_par(g, 0, kfmt(g, "%s: %s", strcmp(m->venue, "видеоконференцсвязь") == 0
				   ? "Форма проведения" : "Место проведения", m->venue));
	}
	if (rng_chance(&g->r, 20)) {
		/* One draw per statement: argument order is unspecified in C, and
		 * the output must not depend on the compiler. */
		unsigned h = rng_range(&g->r, 9, 15);
		int span = rng_chance(&g->r, 60);
		unsigned len = rng_range(&g->r, 1, 2);
		const char *mins = rng_chance(&g->r, 50) ? "00" : "30";
		m->time = span ? kfmt(g, "%u.00 – %u.%s", h, h + len, mins) : kfmt(g, "%u.%s", h, mins);
		raw_par(g, 0, kfmt(g, "%s: %s", strchr(m->time, ' ') ? "Время проведения" : "Начало", m->time));
	}
}

static void
chair_block(gen_t *g)
{
	model_t *m = g->m;
	staff_t *c = &g->staff[g->chair];
	staff_t *s = g->secretary != (size_t)-1 ? &g->staff[g->secretary] : NULL;
	int style = (int)WEIGHTED(&g->r, 40, 25, 15, 20);

	m->has_chair = 1;
	m->chair.name = canon(g, &c->p);
	if (s) {
		m->has_secretary = 1;
		m->secretary.name = canon(g, &s->p);
	}
	switch (style) {
	case 0: {
		char *cn = name(g, &c->p, C_NOM, nstyle(g));
		char *cr = role_text(g, &c->role, C_NOM);
		const char *dash = rng_chance(&g->r, 70) ? "–" : "-";
		raw_par(g, 0, kfmt(g, "Председатель%s %s %s %s", rng_chance(&g->r, 60) ? " совещания" : "",
				  dash, cr, cn));
		m->chair.as_written = cn;
		m->chair.role = cr;
		if (s) {
			char *sn = name(g, &s->p, C_NOM, nstyle(g));
			char *sr = role_text(g, &s->role, C_NOM);
			raw_par(g, 0, kfmt(g, "Секретарь%s %s %s %s", rng_chance(&g->r, 60) ? " совещания" : "",
					  dash, sr, sn));
			m->secretary.as_written = sn;
			m->secretary.role = sr;
		}
		break;
	}
	case 1: {
		char *cn = name(g, &c->p, C_NOM, nstyle(g));
		char *cr = role_text(g, &c->role, C_NOM);
		raw_par(g, 0, kfmt(g, "Председатель: %s, %s", cn, cr));
		m->chair.as_written = cn;
		m->chair.role = cr;
		if (s) {
			char *sn = name(g, &s->p, C_NOM, nstyle(g));
			raw_par(g, 0, kfmt(g, "Секретарь: %s", sn));
			m->secretary.as_written = sn;
		}
		break;
	}
	case 2: {
		char *cn = name(g, &c->p, C_NOM, NS_FULL);
		char *cr = role_text(g, &c->role, C_NOM);
		raw_par(g, 0, "Председательствующий:");
		raw_par(g, 0, kfmt(g, "%s\t %s", cn, cr));
		m->chair.as_written = cn;
		m->chair.role = cr;
		if (s) {
			char *sn = name(g, &s->p, C_NOM, NS_FULL);
			char *sr = role_text(g, &s->role, C_NOM);
			raw_par(g, 0, rng_chance(&g->r, 50) && !g->did_goback && g->art_goback && !g->docx
				? "[bookmark: _GoBack]Секретарь:" : "Секретарь:");
			if (strstr(m->blocks[m->n_blocks - 1].text, "_GoBack")) {
				g->did_goback = 1;
				note_artefact(g, "goback");
			}
			raw_par(g, 0, sn);
			raw_par(g, 0, sr);
			m->secretary.as_written = sn;
			m->secretary.role = sr;
		}
		break;
	}
	default:
		/* No chair lines: the chair is only known from the signature. */
		m->chair.as_written = NULL;
		if (s)
			m->secretary.as_written = NULL;
		break;
	}
	c->used_in_header = 1;
	if (s)
		s->used_in_header = 1;
}

static char *
people(gen_t *g, unsigned n)
{
	static const char *const f[3] = { "человек", "человека", "человек" };
	return kfmt(g, "%u %s", n, f[plural_form(n)]);
}

/* Characters (not bytes) in s[0..n). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Split a role into lines of about `width` characters, as a narrow cell does. */
static char *
wrap(gen_t *g, const char *text, size_t width)
{
	strbuf_t sb = STRBUF_INIT;
	size_t line = 0;
	const char *p = text;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		size_t nc = utf8_chars(p, n);
		if (line && line + nc > width) {
			strbuf_addch(&sb, '\n');
			line = 0;
		} else if (line) {
			strbuf_addch(&sb, ' ');
			line++;
		}
		strbuf_add(&sb, p, n);
		line += nc;
		if (!sp)
			break;
		p = sp + 1;
	}
	return ksb(g, &sb);
}

static void
attendees(gen_t *g)
{
	model_t *m = g->m;
	int style = (int)WEIGHTED(&g->r, 14, 14, 20, 14, 14, 12, 12);
	size_t i, k;

	m->attendees_count = -1;
	m->attendees_basis = NULL;
	switch (style) {
	case 0: {
		const char *who = PICK(&g->r, ((const char *const[]){ "директора общеобразовательных организаций",
								    "руководители ОО и их заместители",
								    "руководители ОО, заместители директоров по УВР" }));
		const char *list = PICK(&g->r, ((const char *const[]){ "лист регистрации прилагается", "по списку",
								     "список участников – в приложении" }));
		raw_par(g, 0, kfmt(g, "Присутствовали: %s (%s).", who, list));
		break;
	}
	case 1: {
		unsigned n = rng_range(&g->r, 8, 45);
		m->attendees_count = (int)n;
		m->attendees_basis = "stated";
		raw_par(g, 0, kfmt(g, "%s %s", PICK(&g->r, ((const char *const[]){ "Присутствовали:",
										   "Присутствовало:",
										   "Присутствовали –" })),
				   people(g, n)));
		break;
	}
	case 2: {  /* officials, then the school heads numbered */
		size_t n = g->n_schools < 4 ? g->n_schools : rng_range(&g->r, 4, (unsigned)g->n_schools);
		raw_par(g, 0, "Присутствовали:");
		if (m->blank_lines == 0 && rng_chance(&g->r, 40))
			blank(g);
		for (k = 2; k < g->n_staff; k++) {
			staff_t *s = &g->staff[k];
			char *r = role_text(g, &s->role, C_NOM);
			if (s->used_in_header)
				continue;
			raw_par(g, 0, kfmt(g, "%s - %s", name(g, &s->p, C_NOM, g->name_style), r));
			add_listed(g, &s->p, r);
		}
		raw_par(g, 0, kfmt(g, "%s %s:",
				   PICK(&g->r, ((const char *const[]){ "Директора школ",
								     "Руководители общеобразовательных организаций" })),
				   g->muni->city_gen ? "города" : "района (округа)"));
		if (g->docx || rng_chance(&g->r, 60)) {
			char **cells = xcalloc(n * 3, sizeof(char *));
			for (i = 0; i < n; i++) {
				char *r = kfmt(g, "директор %s", g->schools[i]);
				cells[i * 3] = kfmt(g, "%zu.", i + 1);
				cells[i * 3 + 1] = name(g, &g->directors[i], C_NOM, NS_SI);
				cells[i * 3 + 2] = g->docx ? r : kfmt(g, "- %s", r);
				add_listed(g, &g->directors[i], r);
			}
			table(g, n, 3, cells);
			free(cells);
		} else {
			for (i = 0; i < n; i++) {
				char *r = kfmt(g, "директор %s", g->schools[i]);
				raw_par(g, 0, kfmt(g, "%zu. %s – %s", i + 1, name(g, &g->directors[i], C_NOM, NS_SI), r));
				add_listed(g, &g->directors[i], r);
			}
		}
		m->attendees_count = (int)m->n_listed;
		m->attendees_basis = "enumerated";
		break;
	}
	case 3: {  /* role on several lines, then the name (a two-column table in Word) */
		size_t n = rng_range(&g->r, 3, (unsigned)(g->n_schools < 7 ? g->n_schools : 7));
		size_t rows = 0;
		char **cells = xcalloc((g->n_staff + n) * 2, sizeof(char *));
		raw_par(g, 0, "Присутствовали:");
		for (k = 0; k < g->n_staff + n; k++) {
			const person_t *p;
			char *r;
			if (k < g->n_staff) {
				if (k > 3)
					continue;
				p = &g->staff[k].p;
				r = role_text(g, &g->staff[k].role, C_NOM);
			} else {
				size_t j = k - g->n_staff;
				p = &g->directors[j];
				r = kfmt(g, "директор %s", g->schools_full_gen[j]);
			}
			case_first(r, 1);
			add_listed(g, p, r);
			if (g->docx) {
				cells[rows * 2] = wrap(g, r, 40);
				cells[rows * 2 + 1] = name(g, p, C_NOM, NS_IS);
				rows++;
			} else {
				char *w = wrap(g, r, 40), *line;
				char *save = NULL;
				for (line = strtok_r(w, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
					raw_par(g, 0, line);
				blank(g);
				raw_par(g, 0, name(g, p, C_NOM, NS_IS));
				blank(g);
			}
		}
		if (g->docx)
			table(g, rows, 2, cells);
		free(cells);
		m->attendees_count = (int)m->n_listed;
		m->attendees_basis = "enumerated";
		break;
	}
	case 4: {  /* groups with counts */
		unsigned a = rng_range(&g->r, 5, 30), b = rng_range(&g->r, 1, 6);
		raw_par(g, 0, "Присутствовали:");
		raw_par(g, 0, kfmt(g, "%s – %s;", rng_chance(&g->r, 50) ? "Директора школ" : "Руководители ОО",
				   people(g, a)));
		raw_par(g, 0, kfmt(g, "специалисты %s – %s.", organ_short_lower(g, C_GEN), people(g, b)));
		m->attendees_count = (int)(a + b);
		m->attendees_basis = "stated";
		break;
	}
	case 5: {  /* named participants and a group */
		raw_par(g, 0, PICK(&g->r, ((const char *const[]){ "Участники совещания:", "Приглашённые:" })));
		for (k = 1; k < g->n_staff; k++) {
			staff_t *s = &g->staff[k];
			char *r;
			if (s->used_in_header || rng_chance(&g->r, 30))
				continue;
			r = role_text(g, &s->role, C_NOM);
			raw_par(g, 0, name(g, &s->p, C_NOM, NS_FULL));
			raw_par(g, 0, r);
			add_listed(g, &s->p, r);
		}
		raw_par(g, 0, PICK(&g->r, ((const char *const[]){ "Руководители и методисты школ",
								 "Руководители и заместители руководителей ОО" })));
		break;
	}
	default: { /* officials listed; schools by the list */
		raw_par(g, 0, "Присутствовали:");
		for (k = 1; k < g->n_staff; k++) {
			staff_t *s = &g->staff[k];
			char *r;
			if (s->used_in_header)
				continue;
			r = role_text(g, &s->role, C_NOM);
			raw_par(g, 0, kfmt(g, "%s, %s;", name(g, &s->p, C_NOM, g->name_style), r));
			add_listed(g, &s->p, r);
		}
		raw_par(g, 0, "руководители общеобразовательных организаций (по списку).");
		break;
	}
	}
	if (m->blank_lines == 0 && rng_chance(&g->r, 50))
		blank(g);
}

/* ------------------------------------------------------------------ */
/* Agenda.                                                             */
/* ------------------------------------------------------------------ */

static const char *const ordinal_dat[] = { "первому", "второму", "третьему", "четвёртому",
	"пятому", "шестому", "седьмому", "восьмому", "девятому", "десятому" };

static const char *
ordinal(gen_t *g, int n)
{
	if (n < 1 || n > 10)
		return "очередному";
	if (n == 4 && !g->yo)
		return "четвертому";
	return ordinal_dat[n - 1];
}

/* "о"/"об" before a word. */
static const char *
about(const char *w)
{
	static const char *const vowels[] = { "а", "о", "у", "э", "и", "ы" };
	size_t i;
	for (i = 0; i < 6; i++)
		if (starts_with(w, vowels[i]))
			return "об";
	return "о";
}

static const title_head_t *
title_head(const char *t)
{
	size_t i;
	for (i = 0; corpus_title_heads[i].prep; i++) {
		size_t n = strlen(corpus_title_heads[i].prep);
		if (strncmp(t, corpus_title_heads[i].prep, n) == 0 && t[n] == ' ')
			return &corpus_title_heads[i];
	}
	return NULL;
}

typedef struct item {
	int n;                 /* number as in the agenda */
	const topic_t *topic;
	char *about;           /* "результатах ..." */
	size_t speaker;        /* staff index */
	char *written;         /* title as written in the agenda */
} item_t;

/* "Об итогах ..." or, for some, "Итоги ..." */
static char *
title_written(gen_t *g, item_t *it, int nominative)
{
	const title_head_t *h = title_head(it->about);
	if (nominative && h)
		return kfmt(g, "%s%s", h->nom, it->about + strlen(h->prep));
	{
		char *o = kdup(g, about(it->about));
		case_first(o, 1);
		return kfmt(g, "%s %s", o, it->about);
	}
}

static void
agenda(gen_t *g, item_t *items, size_t n, int show)
{
	model_t *m = g->m;
	int sp_style = (int)WEIGHTED(&g->r, 25, 20, 12, 10, 13, 20);
	int nominative = rng_chance(&g->r, 15);
	const char *nsep = PICK(&g->r, ((const char *const[]){ ". ", ". ", ".", ") " }));
	int dot = rng_chance(&g->r, 70);
	size_t i;

	if (show)
		raw_par(g, B_BOLD, PICK(&g->r, ((const char *const[]){ "Повестка дня:", "Повестка дня:",
								     "Повестка дня", "ПОВЕСТКА ДНЯ:",
								     "Повестка:", "Повестка совещания:" })));
	for (i = 0; i < n; i++) {
		item_t *it = &items[i];
		tagenda_t *a = &m->agenda[m->n_agenda++];
		staff_t *s = &g->staff[it->speaker];
		char *t = title_written(g, it, nominative);
		char *line;

		it->written = t;
		a->n = it->n;
		a->text = t;
		a->topic = it->topic->id;
		a->speaker = canon(g, &s->p);
		if (!show) {
			a->n = 0;
			continue;
		}
		switch (sp_style) {
		case 0:
			line = kfmt(g, "%d%s%s%s – %s", it->n, nsep, t, dot ? "." : "", name(g, &s->p, C_NOM, nstyle(g)));
			par(g, B_CAND, line);
			break;
		case 1:
			par(g, B_CAND, kfmt(g, "%d%s%s%s", it->n, nsep, t, dot ? "." : ""));
			raw_par(g, 0, name(g, &s->p, C_NOM, nstyle(g)));
			break;
		case 2:
			par(g, B_CAND, kfmt(g, "%d%s%s%s", it->n, nsep, t, dot ? "." : ""));
			raw_par(g, 0, kfmt(g, "Докладчик: %s, %s", name(g, &s->p, C_NOM, nstyle(g)),
					   role_text(g, &s->role, C_NOM)));
			break;
		case 3:
			par(g, B_CAND, kfmt(g, "%d%s%s (докладчик – %s).", it->n, nsep, t,
					    name(g, &s->p, C_NOM, nstyle(g))));
			break;
		case 4:
			par(g, B_CAND, kfmt(g, "%d%s%s%s", it->n, nsep, t, dot ? "." : ""));
			if (m->blank_lines == 0 && rng_chance(&g->r, 50))
				blank(g);
			raw_par(g, 0, kfmt(g, "%s, %s", name(g, &s->p, C_NOM, NS_IS_TIGHT),
					   role_text(g, &s->role, C_NOM)));
			break;
		default:
			/* No speaker in the agenda. */
			par(g, B_CAND, kfmt(g, "%d%s%s%s", it->n, nsep, t, dot ? "." : ""));
			a->speaker = NULL;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Deadlines.                                                          */
/* ------------------------------------------------------------------ */

static void
deadline(gen_t *g, const topic_t *t, tdeadline_t *dl)
{
	int y = g->y, mo = g->mo, d = g->d;
	memset(dl, 0, sizeof(*dl));
	switch (WEIGHTED(&g->r, 44, 12, 10, 5, 12, 6, 11)) {
	case 0: {  /* a date */
		static const int snap[] = { 1, 10, 15, 20, 25, 0 };
		int s;
		add_days(&y, &mo, &d, (int)rng_range(&g->r, 10, 200));
		s = snap[rng_below(&g->r, 6)];
		/* Snapping to a round day must not fall back before the meeting. */
		if (y * 10000 + mo * 100 + (s ? s : days_in_month(y, mo)) <= g->y * 10000 + g->mo * 100 + g->d &&
		    ++mo > 12) {
			mo = 1;
			y++;
		}
		d = s ? s : days_in_month(y, mo);
		dl->kind = "date";
		iso(dl->to, y, mo, d);
		switch (rng_below(&g->r, 6)) {
		case 0: dl->text = kfmt(g, "до %02d.%02d.%d г.", d, mo, y); break;
		case 1: dl->text = kfmt(g, "до %d %s %d года", d, month_gen[mo - 1], y); break;
		case 2: dl->text = kfmt(g, "%02d.%02d.%d", d, mo, y); break;
		case 3: dl->text = kfmt(g, "до %d %s %d г.", d, month_gen[mo - 1], y); break;
		default: dl->text = kfmt(g, "до %02d.%02d.%d", d, mo, y);
		}
		break;
	}
	case 1: {  /* a month, or two */
		int two = rng_chance(&g->r, 25);
		int m2, y2;
		add_days(&y, &mo, &d, (int)rng_range(&g->r, 20, 150));
		m2 = mo;
		y2 = y;
		if (two && ++m2 > 12) {
			m2 = 1;
			y2++;
		}
		dl->kind = "range";
		iso(dl->from, y, mo, 1);
		iso(dl->to, y2, m2, days_in_month(y2, m2));
		if (two && y2 == y)
			dl->text = kfmt(g, "%s – %s %d г.", month_nom[mo - 1], month_nom[m2 - 1], y);
		else if (two)
			dl->text = kfmt(g, "%s %d – %s %d г.", month_nom[mo - 1], y, month_nom[m2 - 1], y2);
		else if (rng_chance(&g->r, 40))
			dl->text = kfmt(g, "в %s %d года", month_prep[mo - 1], y);
		else
			dl->text = kfmt(g, "%s %d%s", month_nom[mo - 1], y, rng_chance(&g->r, 40) ? " г." : "");
		break;
	}
	case 2: {  /* an academic year */
		int s = (g->mo >= 6 && g->mo <= 8) ? g->y : ay_start(g);
		char *ayt = ay_text(g, s);
		dl->kind = "range";
		iso(dl->from, s, 9, 1);
		iso(dl->to, s + 1, 8, 31);
		switch (rng_below(&g->r, 3)) {
		case 0: dl->text = kfmt(g, "в течение %s учебного года", ayt); break;
		case 1: dl->text = kfmt(g, "%s учебный год", ayt); break;
		default: dl->text = kdup(g, "в течение учебного года");
		}
		break;
	}
	case 3: {  /* a quarter or the end of a year */
		int q = (g->mo - 1) / 3 + 2, qy = g->y;
		static const char *const roman[] = { "I", "II", "III", "IV" };
		if (q > 4) {
			q = 1;
			qy++;
		}
		if (rng_chance(&g->r, 40)) {
			/* "До конца года" in December means the next one. */
			int ey = g->mo >= 11 ? g->y + 1 : g->y;
			dl->kind = "date";
			iso(dl->to, ey, 12, 31);
			dl->text = kfmt(g, "до конца %d года", ey);
		} else {
			dl->kind = "range";
			iso(dl->from, qy, (q - 1) * 3 + 1, 1);
			iso(dl->to, qy, q * 3, days_in_month(qy, q * 3));
			dl->text = kfmt(g, "%s квартал %d %s", roman[q - 1], qy,
					rng_chance(&g->r, 50) ? "года" : "г.");
		}
		break;
	}
	case 4:
		dl->kind = "permanent";
		dl->text = kdup(g, PICK(&g->r, ((const char *const[]){ "постоянно", "постоянно",
								      "систематически", "на постоянной основе" })));
		break;
	case 5:
		dl->kind = "permanent";
		switch (rng_below(&g->r, 3)) {
		case 0: dl->text = kdup(g, "ежегодно"); dl->period = "year"; break;
		case 1: dl->text = kdup(g, "ежеквартально"); dl->period = "quarter"; break;
		default: dl->text = kdup(g, "ежемесячно"); dl->period = "month";
		}
		break;
	default: {
		const char *e = NULL;
		if (t && t->events && rng_chance(&g->r, 75))
			e = t->events[rng_below(&g->r, (unsigned)count_list(t->events))];
		if (!e)
			e = corpus_events_generic[rng_below(&g->r, (unsigned)count_list(corpus_events_generic))];
		dl->kind = "event";
		dl->text = kdup(g, e);
	}
	}
}

/* ------------------------------------------------------------------ */
/* Decisions.                                                          */
/* ------------------------------------------------------------------ */

typedef struct group {
	int kind;            /* RESP_* */
	tresp_t *resp;
	char *heading;       /* dative, as written before ':' */
	char *nominative;    /* for tables: "Руководители ОО" */
} group_t;

/* A responsible party; `heading`: it stands alone before ':' (so it may
 * even be written in the nominative, as happens), not before a verb. */
static void
make_group(gen_t *g, group_t *gr, int kind, int heading)
{
	tresp_t *r = new_resp(g);
	const char *id = "ou_heads";
	gr->kind = kind;
	gr->resp = r;
	switch (kind) {
	case RESP_OU: {
		static const char *const dat[] = { "Руководителям ОО", "Руководителям ОУ", "Руководителям МОУ",
			"Руководителям общеобразовательных организаций", "Руководителям образовательных организаций",
			"Директорам школ", "Руководителям общеобразовательных учреждений", "Руководителям" };
		static const char *const nom[] = { "Руководители ОО", "Руководители ОУ", "Руководители МОУ",
			"Руководители общеобразовательных организаций", "Руководители образовательных организаций",
			"Директора школ", "Руководители общеобразовательных учреждений", "Руководители" };
		unsigned i = rng_below(&g->r, 8);
		gr->heading = kdup(g, dat[i]);
		gr->nominative = kdup(g, nom[i]);
		break;
	}
	case RESP_DEPUTY:
		id = "deputy_heads";
		if (rng_chance(&g->r, 50)) {
			gr->heading = kdup(g, "Заместителям директоров по УВР");
			gr->nominative = kdup(g, "Заместители директоров по УВР");
		} else {
			gr->heading = kdup(g, "Заместителям руководителей ОО по учебно-воспитательной работе");
			gr->nominative = kdup(g, "Заместители руководителей ОО по учебно-воспитательной работе");
		}
		break;
	case RESP_MO:
		id = "method_associations";
		if (rng_chance(&g->r, 50)) {
			gr->heading = kdup(g, "Руководителям ШМО");
			gr->nominative = kdup(g, "Руководители ШМО");
		} else {
			gr->heading = kdup(g, "Руководителям школьных методических объединений");
			gr->nominative = kdup(g, "Руководители школьных методических объединений");
		}
		break;
	case RESP_TEACHERS:
		id = "teachers";
		if (rng_chance(&g->r, 50)) {
			gr->heading = kdup(g, "Учителям-предметникам");
			gr->nominative = kdup(g, "Учителя-предметники");
		} else {
			gr->heading = kdup(g, "Педагогическим работникам");
			gr->nominative = kdup(g, "Педагогические работники");
		}
		break;
	case RESP_ORGAN: {
		id = "education_authority";
		gr->nominative = kdup(g, g->organ->forms[C_NOM]);
		switch (rng_below(&g->r, 4)) {
		case 0:
			gr->heading = organ_full(g, C_DAT);
			break;
		case 1: {
			staff_t *s = &g->staff[rng_below(&g->r, 2)];
			char *n = name(g, &s->p, C_NOM, NS_IS);
			gr->heading = kfmt(g, "%s (%s)", g->organ->forms[C_DAT], n);
			r->persons[r->n_persons++] = canon(g, &s->p);
			break;
		}
		case 2:
			if (heading && rng_chance(&g->r, 40)) {
				/* Written in the nominative, as happens. */
				gr->heading = kdup(g, g->organ->forms[C_NOM]);
				break;
			}
			/* fall through */
		default:
			gr->heading = kdup(g, g->organ->forms[C_DAT]);
		}
		break;
	}
	case RESP_CENTER: {
		id = "methodical_service";
		if (g->center->needs_organ || rng_chance(&g->r, 40)) {
			gr->heading = center_name(g, C_DAT, 1);
			case_first(gr->heading, 1);
		} else {
			gr->heading = kdup(g, g->center->short_name);
		}
		gr->nominative = center_name(g, C_NOM, 0);
		case_first(gr->nominative, 1);
		if (rng_chance(&g->r, 25)) {
			staff_t *s = &g->staff[3];
			gr->heading = kfmt(g, "%s (%s)", gr->heading, name(g, &s->p, C_NOM, NS_IS));
			r->persons[r->n_persons++] = canon(g, &s->p);
		}
		break;
	}
	case RESP_PERSON: {
		staff_t *s = &g->staff[rng_range(&g->r, 2, (unsigned)g->n_staff - 1)];
		char *rt = role_text(g, &s->role, C_DAT);
		case_first(rt, 1);
		id = "person";
		gr->heading = kfmt(g, "%s %s", rt, name(g, &s->p, C_DAT, NS_SI));
		gr->nominative = name(g, &s->p, C_NOM, NS_SI);
		r->persons[r->n_persons++] = canon(g, &s->p);
		break;
	}
	default: {
		size_t i = rng_below(&g->r, (unsigned)g->n_schools);
		id = "school_admin";
		gr->heading = kfmt(g, "Администрации %s", g->schools[i]);
		gr->nominative = kfmt(g, "Администрация %s", g->schools[i]);
		break;
	}
	}
	r->ids[r->n_ids++] = id;
	r->as_written = gr->heading;
	r->placement = "heading";
}

static int
school_level(int kind)
{
	return kind == RESP_OU || kind == RESP_DEPUTY || kind == RESP_MO ||
	       kind == RESP_TEACHERS || kind == RESP_SCHOOL;
}

/* A decision text for a group of this kind, or NULL when none is left. */
static char *
decision_text(gen_t *g, const topic_t *t, int kind, const char **topic_id)
{
	/* The topic's decisions for this level, then the generic ones for
	 * this level, and only then the other level's: school heads are
	 * seldom told to staff a municipal jury, but it happens. */
	int school = school_level(kind);
	const char *tpl = fresh(g, school ? t->dec_school : t->dec_muni);
	*topic_id = t->id;
	if (!tpl) {
		tpl = fresh(g, school ? corpus_dec_generic_school : corpus_dec_generic_muni);
		if (tpl)
			*topic_id = NULL;
	}
	if (!tpl)
		tpl = fresh(g, school ? t->dec_muni : t->dec_school);
	return tpl ? X(g, tpl) : NULL;
}

/*
 * docx: the next list items begin a new Word list whose first level-0
 * number is `first` (docx_writer_start_list).
 */
static void
begin_list(gen_t *g, unsigned first)
{
	g->list_first = first;
	g->list_pending = first;
	memset(g->list_on, 0, sizeof(g->list_on));
}

/*
 * docx, in protocols drawn for it: write block bi as an item of the
 * current Word list at `level` (-1: a bullet) if its text starts with the
 * label Word would show there ("1.2." at level 1, "•") and a space.  The
 * counters mirror docx-writer's decimal list; a paragraph that does not
 * match (a glitched number, "1)", a tab after the number, a restart at
 * "1." under a heading) stays literal text and does not count, so the
 * text a reader rebuilds from the labels is always the text written.
 */
static void
as_list_item(gen_t *g, size_t bi, int level)
{
	cblock_t *b = bi < g->m->n_blocks ? &g->m->blocks[bi] : NULL;
	unsigned v[3];
	int on[3], k;
	char label[64];
	size_t n = 0;

	if (!g->auto_lists || !b || b->table || level > 2)
		return;
	if (level < 0) {
		if (strncmp(b->text, "• ", strlen("• ")) == 0) {
			b->list_level = -1;
			b->label_len = strlen("•");
		}
		return;
	}
	memcpy(v, g->list_value, sizeof(v));
	memcpy(on, g->list_on, sizeof(on));
	/* An upper level not used yet counts as used at its start. */
	for (k = 0; k < level; k++) {
		if (!on[k])
			v[k] = k ? 1 : g->list_first;
		on[k] = 1;
	}
	v[level] = on[level] ? v[level] + 1 : (level ? 1 : g->list_first);
	on[level] = 1;
	for (k = level + 1; k < 3; k++)
		on[k] = 0;
	for (k = 0; k <= level; k++)
		n += (size_t)snprintf(label + n, sizeof(label) - n, "%u.", v[k]);
	if (strncmp(b->text, label, n) != 0 || b->text[n] != ' ')
		return;
	memcpy(g->list_value, v, sizeof(v));
	memcpy(g->list_on, on, sizeof(on));
	b->list_level = level + 1;
	b->label_len = n;
	if (g->list_pending) {
		b->list_start = g->list_pending;
		g->list_pending = 0;
	}
}

/* "1.2." / "1.2" / "1.2)" */
static char *
numtext(gen_t *g, const char *path)
{
	if (g->glitch_numbers && strchr(path, '.') && rng_chance(&g->r, 25)) {
		/* A lost dot: "1.2" typed as "12". */
		strbuf_t sb = STRBUF_INIT;
		const char *p;
		for (p = path; *p; p++)
			if (*p != '.')
				strbuf_addch(&sb, *p);
		strbuf_adds(&sb, ".");
		return ksb(g, &sb);
	}
	return kfmt(g, "%s%s", path, g->num_end);
}

/* Add the deadline's own line, if it has one. */
static void
deadline_line(gen_t *g, const tdeadline_t *dl)
{
	if (!dl->text)
		return;
	raw_par(g, 0, kfmt(g, "%s%s%s", g->dl_label, dl->text,
			   ends_with(dl->text, ".") ? "" : g->dl_end));
}

/*
 * Write one decision paragraph with its number/marker; the truth entry
 * is filled in by the caller from what this returns.
 */
static tdecision_t *
emit_decision(gen_t *g, const char *number, const char *marker, const char *path,
	      const char *text, const tresp_t *resp, int item_n, const char *topic)
{
	tdecision_t *d = new_decision(g);
	size_t first = g->m->n_blocks;
	char *line;
	if (number)
		line = kfmt(g, "%s%s%s", number, g->num_sep, text);
	else if (marker)
		line = kfmt(g, "%s %s", marker, text);
	else
		line = kdup(g, text);
	d->verbatim = !par(g, B_CAND, line);
	if (number) {
		int dots = 0;
		const char *c;
		for (c = number; *c; c++)
			dots += *c == '.';
		if (dots)
			as_list_item(g, first, dots - 1);
	} else if (marker) {
		as_list_item(g, first, -1);
	}
	d->number = kdup(g, number);
	d->marker = kdup(g, marker);
	d->path = kdup(g, path);
	d->text = kdup(g, text);
	d->resp = resp;
	d->agenda_item = item_n;
	d->topic = topic;
	d->ordinal = ++g->ordinal;
	return d;
}

/* Attach a deadline to decision d according to the protocol's style. */
/*
 * The run of decisions waiting for a shared «Срок:» line is kept as
 * indices: m->decisions moves when it grows.
 */
static void
decide_deadline(gen_t *g, tdecision_t *d, const topic_t *t, int last_in_run,
		size_t *run, size_t *n_run)
{
	switch (g->dl_style) {
	case DL_NONE:
		return;
	case DL_EACH:
		deadline(g, t, &d->dl);
		d->dl.placement = "line";
		deadline_line(g, &d->dl);
		return;
	case DL_MIXED:
		if (rng_chance(&g->r, 50)) {
			deadline(g, t, &d->dl);
			d->dl.placement = "line";
			deadline_line(g, &d->dl);
		}
		return;
	case DL_SHARED:
		run[(*n_run)++] = (size_t)(d - g->m->decisions);
		if (last_in_run || *n_run >= 4 || rng_chance(&g->r, 30)) {
			tdeadline_t dl;
			size_t i;
			deadline(g, t, &dl);
			dl.placement = *n_run > 1 ? "shared" : "line";
			for (i = 0; i < *n_run; i++)
				g->m->decisions[run[i]].dl = dl;
			deadline_line(g, &dl);
			*n_run = 0;
		}
		return;
	default:
		return;
	}
}

/* Decision text with an inline deadline: "... в срок до 01.10.2022." */
static char *
inline_deadline(gen_t *g, const char *text, const topic_t *t, tdeadline_t *dl)
{
	size_t len = strlen(text);
	char *base = kdup(g, text);
	if (len && base[len - 1] == '.')
		base[len - 1] = '\0';
	deadline(g, t, dl);
	dl->placement = "inline";
	if (strcmp(dl->kind, "date") == 0 && starts_with(dl->text, "до "))
		return with_stop(g, kfmt(g, "%s в срок %s", base, dl->text));
	return kfmt(g, "%s (срок – %s).", base, dl->text);
}

static void
info_decision(gen_t *g, const item_t *it, int item_n, const char *number, const char *path)
{
	const staff_t *s = it ? &g->staff[it->speaker] : NULL;
	char *text;
	switch (rng_below(&g->r, s ? 6 : 2)) {
	case 0: text = kdup(g, "Информацию принять к сведению."); break;
	case 1: text = kdup(g, "Принять информацию к сведению."); break;
	case 2: text = kfmt(g, "Информацию %s принять к сведению.", name(g, &s->p, C_GEN, nstyle(g))); break;
	case 3: text = with_stop(g, kfmt(g, "Принять к сведению информацию %s", name(g, &s->p, C_GEN, nstyle(g)))); break;
	case 4: text = kfmt(g, "Доклад %s принять к сведению.", name(g, &s->p, C_GEN, nstyle(g))); break;
	default: text = kfmt(g, "Информацию по %s вопросу принять к сведению.", ordinal(g, it->n));
	}
	emit_decision(g, number, NULL, path, text, NULL, item_n, it ? it->topic->id : NULL);
}

static char *
lower_first(gen_t *g, const char *s)
{
	char *c = kdup(g, s);
	case_first(c, 0);
	return c;
}

static char *
bullet_text(gen_t *g, const char *text, int last)
{
	char *c = lower_first(g, text);
	size_t n = strlen(c);
	/* "... до 1 июня 2021 г." keeps its abbreviation's dot. */
	if (ends_with(c, " г."))
		return last ? c : kfmt(g, "%s;", c);
	if (n && c[n - 1] == '.')
		c[n - 1] = last ? '.' : ';';
	return c;
}

/*
 * A block of decisions under its own «Решили:»: for agenda item `it`, or
 * (it NULL) at the end of the protocol for all `items`.  Adds decisions
 * while the text is under `budget_end` (at least one); item_n is what
 * the truth records as their agenda item (0: none).
 */
static void
decisions(gen_t *g, const item_t *it, const item_t *items, size_t n_items, size_t budget_end,
	  int item_n)
{
	int prefix = it && g->per_item && g->hier_prefix && g->dec_layout == L_FLAT ? it->n : 0;
	int layout = g->dec_layout;
	size_t max_dec = it ? rng_range(&g->r, 2, 12) : rng_range(&g->r, 3, 18);
	size_t run[8];
	size_t n_run = 0;
	int k = 0;
	char path[32];
	size_t first = g->m->n_decisions, j;

	if (budget_end > MAX_TEXT)
		budget_end = MAX_TEXT;
	if (g->bytes > MAX_TEXT - 1500)
		max_dec = 2;
	if (g->auto_lists)
		begin_list(g, prefix ? (unsigned)prefix : 1);

	raw_par(g, B_BOLD, PICK(&g->r, ((const char *const[]){ "Решили:", "РЕШИЛИ:", "Решение:",
							     "ПОСТАНОВИЛИ:", "Решили:", "РЕШИЛИ:",
							     "Постановили:" })));
	if (!it && rng_chance(&g->r, 20))
		raw_par(g, 0, kfmt(g, "По итогам обсуждения, с учётом рекомендаций %s:",
				   PICK(&g->r, ((const char *const[]){ "регионального центра оценки качества образования",
								     "муниципальной методической службы" }))));

	/* Which topic each decision comes from: the item's, or any. */
#define TOPIC() (it ? it->topic : items[rng_below(&g->r, (unsigned)n_items)].topic)

	if (g->info_first && it) {
		if (layout == L_FLAT || layout == L_INLINE_RESP || layout == L_BULLETS_ONLY) {
			k++;
			if (prefix)
				snprintf(path, sizeof(path), "%d.%d", prefix, k);
			else
				snprintf(path, sizeof(path), "%d", k);
			info_decision(g, it, item_n, rng_chance(&g->r, 80) ? numtext(g, path) : NULL,
				      path);
			if (!g->m->decisions[g->m->n_decisions - 1].number) {
				g->m->decisions[g->m->n_decisions - 1].path = NULL;
				k--;
			}
		} else {
			info_decision(g, it, item_n, NULL, NULL);
		}
	}

	switch (layout) {
	case L_FLAT:
	case L_BULLETS_ONLY:
	case L_INLINE_RESP: {
		size_t i;
		for (i = 0; i < max_dec && (g->bytes < budget_end || i == 0 || g->bytes < MIN_TEXT); i++) {
			const topic_t *t = TOPIC();
			int kind = rng_chance(&g->r, 60) ? RESP_OU : (int)rng_range(&g->r, RESP_DEPUTY, RESP_PERSON);
			const char *tid;
			char *text = decision_text(g, t, kind, &tid);
			const tresp_t *resp = NULL;
			tdecision_t *d;
			tdeadline_t idl;
			int inl = 0;
			if (!text)
				break;
			if (layout == L_INLINE_RESP) {
				group_t gr;
				make_group(g, &gr, kind, 0);
				/* "Руководителям ОО обеспечить ..." */
				text = kfmt(g, "%s %s", gr.heading, lower_first(g, text));
				gr.resp->placement = "inline";
				resp = gr.resp;
			}
			if (g->dl_style == DL_INLINE && rng_chance(&g->r, 70)) {
				text = inline_deadline(g, text, t, &idl);
				inl = 1;
			}
			k++;
			if (prefix)
				snprintf(path, sizeof(path), "%d.%d", prefix, k);
			else
				snprintf(path, sizeof(path), "%d", k);
			if (layout == L_BULLETS_ONLY)
				d = emit_decision(g, NULL, g->bullet, path,
						  bullet_text(g, text, i + 1 == max_dec), resp, item_n, tid);
			else
				d = emit_decision(g, numtext(g, path), NULL, path, text, resp, item_n, tid);
			if (inl) {
				d->dl = idl;
			} else if (g->dl_style == DL_RESP_LINE) {
				group_t gr;
				make_group(g, &gr, kind, 1);
				if (rng_chance(&g->r, 70)) {
					gr.resp->as_written = gr.nominative;
					gr.resp->placement = "line";
					d->resp = gr.resp;
					raw_par(g, 0, kfmt(g, "%s: %s", rng_chance(&g->r, 50) ? "Ответственный"
							   : "Ответственные", gr.nominative));
				}
				deadline(g, t, &d->dl);
				d->dl.placement = "line";
				deadline_line(g, &d->dl);
			} else {
				decide_deadline(g, d, t, i + 1 == max_dec || g->bytes >= budget_end, run, &n_run);
			}
		}
		break;
	}
	case L_TABLE: {
		size_t rows = 1, i, cap = max_dec + 1;
		char **cells = xcalloc(cap * 4, sizeof(char *));
		const char *dot = rng_chance(&g->r, 70) ? "." : "";
		cells[0] = kdup(g, rng_chance(&g->r, 50) ? "№ п/п" : "№");
		cells[1] = kdup(g, PICK(&g->r, ((const char *const[]){ "Содержание решения", "Мероприятие",
								     "Решение" })));
		cells[2] = kdup(g, rng_chance(&g->r, 50) ? "Ответственный" : "Ответственные");
		cells[3] = kdup(g, rng_chance(&g->r, 50) ? "Срок исполнения" : "Срок");
		for (i = 0; i < max_dec && (g->bytes < budget_end || i == 0 || g->bytes < MIN_TEXT); i++) {
			const topic_t *t = TOPIC();
			int kind = rng_chance(&g->r, 55) ? RESP_OU : (int)rng_range(&g->r, RESP_DEPUTY, RESP_PERSON);
			const char *tid;
			char *text = decision_text(g, t, kind, &tid);
			tdecision_t *d;
			group_t gr;
			if (!text)
				break;
			make_group(g, &gr, kind, 1);
			gr.resp->as_written = gr.nominative;
			gr.resp->placement = "table";
			d = new_decision(g);
			snprintf(path, sizeof(path), "%zu", i + 1);
			d->number = kfmt(g, "%zu%s", i + 1, dot);
			d->path = kdup(g, path);
			d->text = text;
			d->resp = gr.resp;
			d->agenda_item = item_n;
			d->topic = tid;
			d->ordinal = ++g->ordinal;
			if (g->dl_style != DL_NONE || rng_chance(&g->r, 70)) {
				deadline(g, t, &d->dl);
				d->dl.placement = "table";
			}
			cells[rows * 4] = d->number;
			cells[rows * 4 + 1] = text;
			cells[rows * 4 + 2] = gr.nominative;
			cells[rows * 4 + 3] = d->dl.text ? d->dl.text : kdup(g, "");
			g->bytes += strlen(text) + 40;
			rows++;
		}
		/* Rows were counted into bytes above; table() counts them again,
		 * which only makes the size budget a little conservative. */
		table(g, rows, 4, cells);
		free(cells);
		break;
	}
	default: {  /* groups by responsible party */
		int kinds[4];
		size_t ng = rng_range(&g->r, 1, 3), gi, i;
		kinds[0] = rng_chance(&g->r, 65) ? RESP_OU : (int)rng_range(&g->r, RESP_OU, RESP_SCHOOL);
		for (gi = 1; gi < ng; gi++) {
			int kk, again;
			do {
				kk = (int)rng_range(&g->r, RESP_OU, RESP_SCHOOL);
				again = 0;
				for (i = 0; i < gi; i++)
					again |= kinds[i] == kk;
			} while (again);
			kinds[gi] = kk;
		}
		for (gi = 0; gi < ng && (g->bytes < budget_end || gi == 0 || g->bytes < MIN_TEXT); gi++) {
			group_t gr;
			size_t per = rng_range(&g->r, 1, 5);
			if (g->bytes < MIN_TEXT && per < 3)
				per = 3;
			int numbered_heading = layout != L_GROUPS_BULLETS || rng_chance(&g->r, 60);
			make_group(g, &gr, kinds[gi], 1);
			if (numbered_heading) {
				snprintf(path, sizeof(path), "%zu", gi + 1);
				raw_par(g, B_CAND, kfmt(g, "%zu%s%s%s:", gi + 1,
							strcmp(g->num_end, ")") ? "." : ")", g->num_sep, gr.heading));
				as_list_item(g, g->m->n_blocks - 1, 0);
			} else {
				raw_par(g, B_CAND, kfmt(g, "%s:", gr.heading));
			}
			for (i = 0; i < per && (g->bytes < budget_end || (gi == 0 && i == 0) || g->bytes < MIN_TEXT); i++) {
				const topic_t *t = TOPIC();
				const char *tid;
				char *text = decision_text(g, t, gr.kind, &tid);
				tdecision_t *d;
				char *number = NULL;
				tdeadline_t idl;
				int inl = 0;
				if (!text)
					break;
				if (g->dl_style == DL_INLINE && rng_chance(&g->r, 70)) {
					text = inline_deadline(g, text, t, &idl);
					inl = 1;
				}
				snprintf(path, sizeof(path), "%zu.%zu", gi + 1, i + 1);
				if (layout == L_GROUPS_BULLETS) {
					d = emit_decision(g, NULL, g->bullet, path,
							  bullet_text(g, text, i + 1 == per), gr.resp, item_n, tid);
				} else {
					if (layout == L_GROUPS_RESTART)
						number = kfmt(g, "%zu%s", i + 1, g->num_end);
					else
						number = numtext(g, path);
					d = emit_decision(g, number, NULL, path, text, gr.resp, item_n, tid);
				}
				if (inl)
					d->dl = idl;
				else
					decide_deadline(g, d, t, i + 1 == per, run, &n_run);
			}
			if (n_run) {
				/* Close a shared run at the end of its group. */
				tdeadline_t dl;
				size_t j;
				deadline(g, it ? it->topic : NULL, &dl);
				dl.placement = n_run > 1 ? "shared" : "line";
				for (j = 0; j < n_run; j++)
					g->m->decisions[run[j]].dl = dl;
				deadline_line(g, &dl);
				n_run = 0;
			}
		}
	}
	}
	if (n_run) {
		tdeadline_t dl;
		size_t j;
		deadline(g, it ? it->topic : NULL, &dl);
		dl.placement = n_run > 1 ? "shared" : "line";
		for (j = 0; j < n_run; j++)
			g->m->decisions[run[j]].dl = dl;
		deadline_line(g, &dl);
	}
	/*
	 * A «Срок:» line applies to every item since the previous one of the
	 * block (tests/expected/README.md, "deadline"): an item written
	 * without a deadline of its own, before an item followed by its
	 * «Срок:» line, carries that deadline too.
	 */
	{
		size_t pend = first;
		for (j = first; j < g->m->n_decisions; j++) {
			tdecision_t *d = &g->m->decisions[j];
			const char *pl = d->dl.placement;
			if (pl && (!strcmp(pl, "line") || !strcmp(pl, "shared"))) {
				size_t q;
				for (q = pend; q < j; q++) {
					tdecision_t *e = &g->m->decisions[q];
					if (e->dl.text)
						continue;
					e->dl = d->dl;
					e->dl.placement = "shared";
					d->dl.placement = "shared";
				}
				pend = j + 1;
			}
			/* an inline or table deadline is the item's own */
		}
	}
#undef TOPIC
}

/* ------------------------------------------------------------------ */
/* Discussion.                                                         */
/* ------------------------------------------------------------------ */

static void
body(gen_t *g, const topic_t *t, size_t budget_end)
{
	/* At least one paragraph; more while the item's share of the size lasts. */
	size_t n = rng_range(&g->r, 2, 3), i;
	for (i = 0; i < 8 && (i < n || g->bytes < budget_end); i++) {
		const char *tpl = fresh(g, t->body);
		if (!tpl)
			break;
		par(g, B_CAND | B_JUSTIFY, X(g, tpl));
	}
	if (t->bullets && rng_chance(&g->r, 35) && g->bytes < budget_end) {
		size_t nb = count_list(t->bullets), k = rng_range(&g->r, 3, (unsigned)(nb < 5 ? nb : 5));
		size_t start = rng_below(&g->r, (unsigned)nb);
		const char *mark = PICK(&g->r, ((const char *const[]){ "-", "-", "·", "•", "–" }));
		raw_par(g, 0, t->bullets_intro);
		for (i = 0; i < k; i++) {
			const char *b = t->bullets[(start + i) % nb];
			raw_par(g, 0, kfmt(g, "%s %s%s", mark, b, i + 1 == k ? "." : ";"));
		}
		if (g->art_image && !g->did_image && !g->docx) {
			cblock_t *bl = &g->m->blocks[g->m->n_blocks - 1];
			bl->text = kfmt(g, "%s [image: image%u.jpg]", bl->text, rng_range(&g->r, 1, 3));
			bl->blank_after += 2;
			bl->flags |= B_ARTEFACT;
			g->did_image = 1;
			note_artefact(g, "image");
		}
	}
}

static void
speakers_extra(gen_t *g, const item_t *it, tagenda_t *a)
{
	size_t n = rng_range(&g->r, 1, 2), i;
	raw_par(g, B_BOLD, rng_chance(&g->r, 70) ? "Выступили:" : "ВЫСТУПИЛИ:");
	for (i = 0; i < n; i++) {
		size_t j = rng_below(&g->r, (unsigned)g->n_schools);
		person_t *p = &g->directors[j];
		char *who, *what;
		g->female = p->female;
		who = name(g, p, C_NOM, nstyle(g));
		what = X(g, kfmt(g, "{g:рассказал|рассказала} {о мерах, принятых в школе,|об опыте работы школы} по %s.",
				 it->topic->about_dat));
		par(g, B_CAND | B_JUSTIFY, kfmt(g, "%s, директор %s, %s", who, g->schools[j], what));
		if (a && a->n_heard < 6)
			a->heard[a->n_heard++] = canon(g, p);
	}
}

static void
discussion(gen_t *g, item_t *it, size_t idx, int show_agenda, size_t budget_end,
	   const item_t *prev)
{
	model_t *m = g->m;
	staff_t *s = &g->staff[it->speaker];
	tagenda_t *a = &m->agenda[idx];
	const char *who = s->p.female ? "которая" : "который";
	char *speech;
	int style = g->disc_style;

	g->female = s->p.female;
	{
		const char *tpl = fresh(g, it->topic->speech);
		speech = X(g, tpl ? tpl : "{g:выступил|выступила} с информацией по вопросу");
	}
	if (a->n_heard < 6)
		a->heard[a->n_heard++] = canon(g, &s->p);

	if (!show_agenda) {
		raw_par(g, B_BOLD, rng_chance(&g->r, 50) ? "Выступили:" : "Слушали:");
		par(g, B_CAND, kfmt(g, "%s – %s %s.", name(g, &s->p, C_NOM, nstyle(g)),
				    about(it->about), it->about));
		body(g, it->topic, budget_end);
		return;
	}
	switch (style) {
	case D_INLINE:
		if (prev && prev->speaker == it->speaker && rng_chance(&g->r, 60)) {
			char *first = with_stop(g, kfmt(g, "По %s вопросу %s выступление %s", ordinal(g, it->n),
							s->p.female ? "продолжила" : "продолжил",
							name(g, &s->p, C_NOM, nstyle(g))));
			char *then = X(g, kfmt(g, "{g:рассказал|рассказала} %s %s", about(it->about), it->about));
			par(g, B_CAND, kfmt(g, "%s %s %s.", first, s->p.female ? "Она" : "Он", then));
		} else
			par(g, B_CAND | B_JUSTIFY,
			    kfmt(g, "По %s вопросу %s %s, %s %s.", ordinal(g, it->n),
				 s->p.female ? "выступила" : "выступил", name(g, &s->p, C_NOM, nstyle(g)),
				 who, speech));
		break;
	case D_HEARD:
		raw_par(g, 0, kfmt(g, "По %s вопросу:", ordinal(g, it->n)));
		raw_par(g, B_BOLD, rng_chance(&g->r, 70) ? "Слушали:" : "СЛУШАЛИ:");
		par(g, B_CAND | B_JUSTIFY,
		    kfmt(g, "%s, %s, %s %s.", name(g, &s->p, C_ACC, rng_chance(&g->r, 50) ? NS_FULL : nstyle(g)),
			 role_text(g, &s->role, C_ACC), who, speech));
		break;
	case D_HEARD_ONE: {
		const char *heard = rng_chance(&g->r, 60) ? "СЛУШАЛИ:" : "Слушали:";
		char *who_acc = name(g, &s->p, C_ACC, nstyle(g));
		par(g, B_CAND, kfmt(g, "%d. %s %s, %s, – %s %s.", it->n, heard, who_acc,
				    role_text(g, &s->role, C_ACC), about(it->about), it->about));
		break;
	}
	default: {
		raw_par(g, 0, kfmt(g, "По %s вопросу «%s»", ordinal(g, it->n), it->written));
		if (m->blank_lines == 0 && rng_chance(&g->r, 40))
			blank(g);
		par(g, B_CAND, kfmt(g, "%s %s, %s.", rng_chance(&g->r, 60) ? "СЛУШАЛИ:" : "Слушали:",
				    name(g, &s->p, C_ACC, NS_IS_TIGHT), role_text(g, &s->role, C_ACC)));
		break;
	}
	}
	body(g, it->topic, budget_end);
	if (rng_chance(&g->r, 30) && g->bytes < budget_end)
		speakers_extra(g, it, a);
}

/* ------------------------------------------------------------------ */
/* Signatures.                                                         */
/* ------------------------------------------------------------------ */

static void
signatures(gen_t *g)
{
	model_t *m = g->m;
	staff_t *c = &g->staff[g->chair];
	staff_t *s = g->secretary != (size_t)-1 ? &g->staff[g->secretary] : NULL;
	int style = (int)WEIGHTED(&g->r, 45, 30, 25);
	int ns = rng_chance(&g->r, 70) ? NS_IS : (rng_chance(&g->r, 50) ? NS_IS_TIGHT : NS_SI);
	const char *crole;
	char *cn = name(g, &c->p, C_NOM, ns);
	char *sn = s ? name(g, &s->p, C_NOM, ns) : NULL;

	if (m->blank_lines == 0)
		blank(g);
	if (strcmp(m->kind, "extract") == 0 && s && rng_chance(&g->r, 60)) {
		raw_par(g, 0, rng_chance(&g->r, 50) ? "Выписка верна:" : "Верно:");
		raw_par(g, 0, kfmt(g, "Секретарь%s%s", gap(g), sn));
		m->signatures[m->n_signatures].role = kdup(g, "Секретарь");
		m->signatures[m->n_signatures++].name = canon(g, &s->p);
		/* Only a line marked «Председатель…» names the chair. */
		if (!m->chair.as_written)
			m->has_chair = 0;
		return;
	}
	switch (style) {
	case 0:
		crole = PICK(&g->r, ((const char *const[]){ "Председатель", "Председатель совещания",
							  "Председательствующий" }));
		raw_par(g, 0, kfmt(g, "%s%s%s", crole, gap(g), cn));
		if (s) {
			blank(g);
			raw_par(g, 0, kfmt(g, "Секретарь%s%s", gap(g), sn));
		}
		break;
	case 1:
		crole = "Председатель";
		raw_par(g, 0, "Председатель:");
		blank(g);
		blank(g);
		raw_par(g, 0, cn);
		if (s) {
			blank(g);
			raw_par(g, 0, "Секретарь:");
			blank(g);
			raw_par(g, 0, sn);
		}
		break;
	default: {
		char *r = role_text(g, &c->role, C_NOM);
		char *w, *line, *save = NULL;
		case_first(r, 1);
		crole = r;
		w = wrap(g, r, 40);
		for (line = strtok_r(w, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			raw_par(g, 0, line);
		blank(g);
		raw_par(g, 0, cn);
		if (s) {
			blank(g);
			raw_par(g, 0, "Секретарь");
			blank(g);
			raw_par(g, 0, sn);
		}
	}
	}
	m->signatures[m->n_signatures].role = kdup(g, crole);
	m->signatures[m->n_signatures++].name = canon(g, &c->p);
	/* A signature under a job title alone does not mark the chair
	 * (tests/expected/README.md, "chair"): with no chair line in the
	 * header either, the protocol names no chair. */
	if (!m->chair.as_written && !starts_with(crole, "Председат"))
		m->has_chair = 0;
	if (s) {
		m->signatures[m->n_signatures].role = kdup(g, "Секретарь");
		m->signatures[m->n_signatures++].name = canon(g, &s->p);
	}
}

/* Collapse white space runs to one space, as a reader-side comparison would. */
static void
squeeze_into(strbuf_t *sb, const char *s)
{
	int space = sb->len > 0 && sb->buf[sb->len - 1] == ' ';
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (!space && sb->len)
				strbuf_addch(sb, ' ');
			space = 1;
		} else {
			strbuf_addch(sb, *s);
			space = 0;
		}
	}
}

/*
 * The forms of the municipality's name that the text contains (white
 * space squeezed): found afterwards rather than noted when made, since a
 * role or heading built with one may never be written.
 */
static void
collect_muni_forms(gen_t *g)
{
	model_t *m = g->m;
	strbuf_t all = STRBUF_INIT;
	char *forms[12];
	size_t n = 0, i, k;

	for (i = 0; i < m->n_blocks; i++) {
		const cblock_t *b = &m->blocks[i];
		if (b->table) {
			for (k = 0; k < b->rows * b->cols; k++) {
				squeeze_into(&all, b->cells[k]);
				strbuf_addch(&all, ' ');
			}
		} else {
			squeeze_into(&all, b->text);
			strbuf_addch(&all, ' ');
		}
	}
	forms[n++] = muni_full(g, C_GEN);
	forms[n++] = muni_full(g, C_PREP);
	forms[n++] = muni_full(g, C_NOM);
	forms[n] = muni_short_gen(g);
	if (forms[n])
		n++;
	forms[n] = kdup(g, forms[0]);
	case_all(forms[n++], 1);
	for (i = 0; i < n; i++)
		if (strstr(all.buf, forms[i]))
			note_muni(g, forms[i]);
	strbuf_release(&all);
}

/* ------------------------------------------------------------------ */
/* Phrases.                                                            */
/* ------------------------------------------------------------------ */

static int
is_punct_only(const char *w, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
			return 0;
	}
	return 1;
}

/* Score a paragraph: digits and mid-sentence capitals make it distinctive. */
static int
distinct_score(const char *t)
{
	int s = 0;
	const char *p;
	for (p = t; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			s += 2;
			break;
		}
	}
	for (p = strchr(t, ' '); p && p[1]; p = strchr(p + 1, ' ')) {
		unsigned char a = (unsigned char)p[1], b = (unsigned char)p[2];
		/* А..Я are D0 90..D0 AF. */
		if (a == 0xd0 && b >= 0x90 && b <= 0xaf) {
			s += 3;
			break;
		}
	}
	if (strstr(t, "«"))
		s += 1;
	return s;
}

/*
 * A window of 4..7 words of `t`, anchored on its first digit or
 * mid-sentence capital when `anchored`, else anywhere.  NULL if the
 * paragraph is too short or the window would be trivial.
 */
static char *
phrase_window(gen_t *g, const char *t, int anchored)
{
	const char *ws[128];
	size_t wl[128], nw = 0, k, from, len, anchor = 0;
	const char *p = t;
	strbuf_t sb = STRBUF_INIT;

	while (*p && nw < 128) {
		const char *sp;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		sp = p;
		while (*sp && *sp != ' ' && *sp != '\t')
			sp++;
		ws[nw] = p;
		wl[nw] = (size_t)(sp - p);
		nw++;
		p = sp;
	}
	if (nw < 4)
		return NULL;
	for (k = 1; anchored && k < nw; k++) {
		unsigned char a = (unsigned char)ws[k][0], b = (unsigned char)ws[k][1];
		if ((a >= '0' && a <= '9') || (a == 0xd0 && b >= 0x90 && b <= 0xaf)) {
			anchor = k;
			break;
		}
	}
	len = rng_range(&g->r, 4, 7);
	if (len > nw)
		len = nw;
	if (anchored)
		from = anchor > 2 ? anchor - rng_range(&g->r, 0, 2) : 0;
	else
		from = rng_below(&g->r, (unsigned)(nw - len + 1));
	if (from + len > nw)
		from = nw - len;
	/* Do not start or end on a lone dash. */
	while (len > 3 && is_punct_only(ws[from], wl[from])) {
		from++;
		len--;
	}
	while (len > 3 && is_punct_only(ws[from + len - 1], wl[from + len - 1]))
		len--;
	strbuf_add(&sb, ws[from], (size_t)(ws[from + len - 1] + wl[from + len - 1] - ws[from]));
	/* Drop trailing punctuation; it stays a substring. */
	while (sb.len && strchr(",.;:", sb.buf[sb.len - 1]))
		strbuf_setlen(&sb, sb.len - 1);
	if (sb.len < 12 || strchr(sb.buf, '\t') || !strchr(sb.buf, ' ')) {
		strbuf_release(&sb);
		return NULL;
	}
	return ksb(g, &sb);
}

static void
phrases(gen_t *g)
{
	model_t *m = g->m;
	size_t cand[512], n = 0, i, j, pass;
	int score[512];

	for (i = 0; i < m->n_blocks && n < 512; i++) {
		const cblock_t *b = &m->blocks[i];
		size_t spaces = 0;
		const char *p;
		if (b->table || (b->flags & B_ARTEFACT) || !b->text)
			continue;
		for (p = b->text; *p; p++)
			spaces += *p == ' ';
		if (spaces < 3)
			continue;
		cand[n] = i;
		score[n] = ((b->flags & B_CAND) ? 100 : 0) + distinct_score(b->text) * 4 +
			   (int)rng_below(&g->r, 6);
		n++;
	}
	/* Best first (insertion sort: a few hundred at most). */
	for (i = 1; i < n; i++) {
		size_t c = cand[i];
		int sc = score[i];
		for (j = i; j > 0 && score[j - 1] < sc; j--) {
			cand[j] = cand[j - 1];
			score[j] = score[j - 1];
		}
		cand[j] = c;
		score[j] = sc;
	}
	/* One phrase per paragraph first; then more windows if still short. */
	for (pass = 0; pass < 4 && m->n_phrases < 3; pass++) {
		for (i = 0; i < n && m->n_phrases < 3; i++) {
			char *ph = phrase_window(g, m->blocks[cand[i]].text, pass == 0);
			int dup = 0;
			if (!ph)
				continue;
			for (j = 0; j < m->n_phrases; j++)
				dup |= strcmp(m->phrases[j], ph) == 0 ||
				       strstr(m->phrases[j], ph) || strstr(ph, m->phrases[j]);
			if (!dup)
				m->phrases[m->n_phrases++] = ph;
		}
	}
}

/* ------------------------------------------------------------------ */
/* The protocol.                                                       */
/* ------------------------------------------------------------------ */

static void
choose_knobs(gen_t *g)
{
	rng_t *r = &g->r;
	g->name_style = (int)WEIGHTED(r, 55, 25, 10, 10);
	g->ay_sep = PICK(r, ((const char *const[]){ "-", "-", "-", "-", "-", "–", "/" }));
	g->yo = rng_chance(r, 50);
	g->adm_cap = rng_chance(r, 50);
	g->dec_layout = (int)WEIGHTED(r, 25, 30, 12, 8, 12, 8, 5);
	g->dl_style = (int)WEIGHTED(r, 35, 20, 15, 10, 12, 8);
	g->disc_style = (int)WEIGHTED(r, 35, 30, 15, 20);
	g->per_item = rng_chance(r, 65);
	g->hier_prefix = rng_chance(r, 50);
	g->num_end = PICK(r, ((const char *const[]){ ".", ".", ".", ".", "", ")" }));
	g->num_sep = PICK(r, ((const char *const[]){ " ", " ", " ", " ", "", "\t" }));
	if (!*g->num_end && !*g->num_sep)
		g->num_sep = " ";
	g->dl_label = PICK(r, ((const char *const[]){ "Срок: ", "Срок: ", "Срок: ", "Срок – ",
						   "Срок исполнения: ", "Сроки: " }));
	g->dl_end = rng_chance(r, 30) ? "." : "";
	g->bullet = PICK(r, ((const char *const[]){ "-", "-", "·", "•", "–" }));
	g->info_first = rng_chance(r, 60);
	g->glitch_numbers = rng_chance(r, 4);
	g->m->blank_lines = rng_chance(r, 30);

	g->art_spaces = rng_chance(r, 15);
	g->art_broken = rng_chance(r, 8);
	g->art_goback = rng_chance(r, 12);
	g->art_image = rng_chance(r, 6);
	g->art_trailing = rng_chance(r, 20);
	g->art_indent = rng_chance(r, 15);
}

void
model_generate(model_t *m, uint64_t seed, size_t index, int docx)
{
	gen_t G, *g = &G;
	item_t items[8];
	size_t n_items, i;
	int show_agenda, extract;
	const topic_t *theme = NULL;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)index + 1) * 0xd1b54a32d192ed03ULL;

	memset(m, 0, sizeof(*m));
	memset(g, 0, sizeof(*g));
	g->m = m;
	g->docx = docx;
	m->docx = docx;
	rng_seed(&g->r, s);
	{
		/* Which .docx number their decisions with Word's lists: drawn
		 * apart from g->r, so the text is the same either way. */
		uint64_t h = s ^ 0x6c69737473ULL;
		g->auto_lists = docx && splitmix64(&h) % 100 < 40;
	}

	g->muni = &corpus_munis[rng_below(&g->r, (unsigned)corpus_n_munis)];
	g->region = &corpus_regions[g->muni->region];
	g->organ = &corpus_organs[g->muni->organ];
	g->center = &corpus_centers[g->muni->center];
	m->muni = g->muni;
	g->y = (int)rng_range(&g->r, 2019, 2024);
	g->mo = (int)(1 + WEIGHTED(&g->r, 9, 10, 11, 10, 9, 8, 3, 8, 10, 10, 11, 9));
	g->d = (int)rng_range(&g->r, 1, (unsigned)days_in_month(g->y, g->mo));
	{
		/* Wanted size: from 3 KB up, most between 4 and 10 KB, as the real ones. */
		size_t u = rng_below(&g->r, 1000);
		g->target = 3000 + u * u / 1000 * 15;
	}
	choose_knobs(g);

	make_schools(g);
	make_staff(g);
	g->chair = rng_chance(&g->r, 80) ? 0 : 1;
	g->secretary = rng_chance(&g->r, 88) ? rng_range(&g->r, 2, (unsigned)g->n_staff - 1) : (size_t)-1;

	/* Agenda items and their topics; an extract carries one or two items
	 * of a longer agenda, numbered as there. */
	extract = rng_chance(&g->r, 12);
	n_items = 1 + WEIGHTED(&g->r, 15, 25, 25, 18, 10, 7);
	if ((g->target < 5000 || extract) && n_items > 2)
		n_items = extract ? 1 + rng_below(&g->r, 2) : 2;
	/* A long protocol needs several items: one topic's templates run out. */
	if (!extract && n_items < g->target / 4500)
		n_items = g->target / 4500 > 6 ? 6 : g->target / 4500;
	{
		int start = extract ? (int)rng_range(&g->r, 1, 5) : 1;
		unsigned used = 0;
		for (i = 0; i < n_items; i++) {
			unsigned t;
			do {
				t = rng_below(&g->r, (unsigned)corpus_n_topics);
			} while (used & (1u << t));
			used |= 1u << t;
			items[i].n = start + (int)i;
			items[i].topic = &corpus_topics[t];
			items[i].about = X(g, items[i].topic->titles[rng_below(&g->r,
						(unsigned)count_list(items[i].topic->titles))]);
			items[i].speaker = rng_chance(&g->r, 25) ? 0 : rng_range(&g->r, 1, (unsigned)g->n_staff - 1);
			items[i].written = NULL;
			add_topic(g, items[i].topic->id);
		}
	}
	if (n_items == 1 && rng_chance(&g->r, 45))
		theme = items[0].topic;

	header(g, theme, extract);
	chair_block(g);
	attendees(g);

	show_agenda = !(theme && rng_chance(&g->r, 50));
	agenda(g, items, n_items, show_agenda);
	if (!show_agenda)
		m->n_agenda = 0;
	if (m->blank_lines == 0 && rng_chance(&g->r, 40))
		blank(g);

	for (i = 0; i < n_items; i++) {
		size_t left = g->target > g->bytes ? g->target - g->bytes : 0;
		size_t budget_end = g->bytes + left / (n_items - i);
		if (budget_end > MAX_TEXT)
			budget_end = MAX_TEXT;
		discussion(g, &items[i], i, show_agenda, g->bytes + (budget_end - g->bytes) / 2,
			   i ? &items[i - 1] : NULL);
		if (g->per_item && show_agenda)
			decisions(g, &items[i], items, n_items, budget_end, items[i].n);
	}
	if (!g->per_item || !show_agenda) {
		size_t budget_end = g->target < MAX_TEXT ? g->target : MAX_TEXT;
		/* Decisions at the end belong to an item only if there is one. */
		decisions(g, NULL, items, n_items, budget_end,
			  n_items == 1 && show_agenda ? items[0].n : 0);
	}

	/* The Word bookmark at the last edit: anywhere. */
	if (g->art_goback && !g->did_goback && m->n_blocks > 4) {
		for (i = 0; i < 8; i++) {
			cblock_t *b = &m->blocks[rng_range(&g->r, 2, (unsigned)m->n_blocks - 1)];
			/* Not inside a line already broken up: "... в [bookmark]слово". */
			if (b->table || !b->text || !*b->text || (b->flags & B_ARTEFACT))
				continue;
			if (g->docx)
				b->flags |= B_GOBACK;
			else
				b->text = kfmt(g, "[bookmark: _GoBack]%s", b->text);
			b->flags |= B_ARTEFACT;   /* no phrase with the marker in it */
			g->did_goback = 1;
			note_artefact(g, "goback");
			break;
		}
	}
	signatures(g);

	for (i = 0; i < m->n_blocks; i++)
		if (strstr(m->blocks[i].indent, "\t"))
			note_artefact(g, "indent");
	collect_muni_forms(g);
	phrases(g);
}
