/*
 * Private to corpus/: the random source, charset conversion and the
 * vocabulary tables the generator draws from.
 */
#ifndef PROTODEX_CORPUS_INT_H
#define PROTODEX_CORPUS_INT_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"
#include "corpus/corpus.h"

/* ---- Random numbers: xoshiro256**, seeded through splitmix64. ---- */

typedef struct rng {
	uint64_t s[4];
} rng_t;

void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
/* Uniform in [0, n); 0 when n == 0. */
unsigned rng_below(rng_t *r, unsigned n);
/* Uniform in [lo, hi]. */
unsigned rng_range(rng_t *r, unsigned lo, unsigned hi);
/* True with probability percent/100. */
int rng_chance(rng_t *r, unsigned percent);

/* ---- Charsets (encode.c). ---- */

typedef struct codec {
	const char *name;        /* canonical: "utf-8", "windows-1251", ... */
	const char *iconv_name;
	iconv_t strict, translit, back;
} codec_t;

/* The canonical name of a charset alias, or NULL if unknown. */
const char *corpus_charset_canonical(const char *name, const char **iconv_name);
int codec_open(codec_t *c, const char *charset);
void codec_close(codec_t *c);
/* Append the encoding of utf8[0..len) to out (see corpus_encode). */
corpus_status_t codec_encode(codec_t *c, const char *utf8, size_t len, strbuf_t *out,
			     char *err, size_t errsz);
/* Append the UTF-8 decoding of bytes[0..len) to out. */
corpus_status_t codec_decode(codec_t *c, const char *bytes, size_t len, strbuf_t *out);

/* ---- Upload archives (uploads.c). ---- */

typedef struct corpus_uploads corpus_uploads_t;

/* NULL if CP866 cannot be converted. */
corpus_uploads_t *corpus_uploads_new(uint64_t seed, const char *outdir);
void corpus_uploads_free(corpus_uploads_t *u);
/*
 * Place protocol `index`: *plain = 1 if it stays a plain file at p->path,
 * else it is copied into its upload.  Either way p->truth gets its final
 * "file" and the "upload" field.
 */
corpus_status_t corpus_uploads_place(corpus_uploads_t *u, size_t index, corpus_protocol_t *p,
				     int *plain, char *err, size_t errsz);
/* Write the uploads whose period ends before protocol next_index
 * ((size_t)-1: all that are left). */
corpus_status_t corpus_uploads_flush(corpus_uploads_t *u, size_t next_index, char *err,
				     size_t errsz);

/* ---- Grammar. ---- */

typedef enum gcase { C_NOM, C_GEN, C_DAT, C_ACC, C_INS, C_PREP, C_NCASES } gcase_t;

/* ---- Vocabulary (vocab.c).  Lists end with NULL. ---- */

typedef struct region {
	const char *name;          /* "Тверская область" */
	const char *gen;           /* "Тверской области" */
	const char *ministry_gen;  /* "Министерства образования Тверской области" */
} region_t;

typedef struct muni {
	const char *id;            /* ASCII slug, also the directory name */
	unsigned region;
	/* Adjectival names ("Вышневолоцкий городской округ") are inflected by
	 * rule; cities ("город Мегион") give their own forms. */
	const char *name;
	const char *city_gen, *city_prep;  /* NULL unless a city */
	const char *place;         /* "г. Вышний Волочёк" */
	unsigned organ;            /* index into organ_kinds */
	unsigned center;           /* index into centers */
} muni_t;

typedef struct organ_kind {
	const char *forms[C_NCASES];  /* "Отдел образования", ... (capitalised) */
	const char *acc_short;        /* "отдел образования" */
	unsigned head_m, head_f;      /* role heads of its chief */
	gcase_t head_case;            /* "заведующая отделом" (INS), "начальник управления" (GEN) */
} organ_kind_t;

typedef struct center {
	const char *short_name;       /* "МКУ «Центр развития образования»" */
	const char *full[C_NCASES];   /* "муниципальное казённое учреждение «...»" */
	int needs_organ;              /* "методический кабинет" + organ genitive */
} center_t;

typedef struct role_head {
	const char *forms[C_NCASES];
} role_head_t;

enum {
	RH_DIRECTOR, RH_DEPUTY, RH_CHIEF, RH_CHAIRMAN, RH_HEAD_F, RH_HEAD_M,
	RH_CHIEF_SPEC, RH_LEAD_SPEC, RH_METHODIST, RH_SENIOR_METHODIST,
	RH_LEADER, RH_COORDINATOR, RH_EXPERT, RH_COUNT
};

typedef struct surname {
	const char *m;             /* masculine nominative */
	unsigned kind;             /* SN_OV, SN_SKY, SN_FIXED */
} surname_t;

enum { SN_OV, SN_SKY, SN_FIXED };

typedef struct patronymic {
	const char *m, *f;         /* "Сергеевич", "Сергеевна" */
} patronymic_t;

/* Head nouns of agenda titles: "результатах" -> "Результаты", "результатами". */
typedef struct title_head {
	const char *prep, *nom, *ins;
} title_head_t;

typedef struct topic {
	const char *id;
	const char *about_dat;     /* after "по": "обеспечению объективности ВПР" */
	const char *const *titles; /* prepositional, without "О": "результатах ..." */
	const char *const *speech; /* after "который/которая": "{g:отметил|отметила}, что ..." */
	const char *const *body;   /* report paragraphs */
	const char *bullets_intro;
	const char *const *bullets;
	const char *const *dec_school;  /* decisions for schools (infinitive first) */
	const char *const *dec_muni;    /* decisions for the municipal level */
	const char *const *events;      /* event deadlines */
	const char *theme;         /* a nominative meeting theme ("Результаты ...") */
} topic_t;

extern const region_t corpus_regions[];
extern const muni_t corpus_munis[];
extern const size_t corpus_n_munis;
extern const organ_kind_t corpus_organs[];
extern const center_t corpus_centers[];
extern const role_head_t corpus_role_heads[];
extern const surname_t corpus_surnames[];
extern const char *const corpus_female_names[];
extern const char *const corpus_male_names[];
extern const patronymic_t corpus_patronymics[];
extern const char *const corpus_village_adjs[];
extern const char *const corpus_kindergartens[];
extern const title_head_t corpus_title_heads[];
extern const topic_t corpus_topics[];
extern const size_t corpus_n_topics;
/* Decisions that fit any topic, for schools and for the municipal level. */
extern const char *const corpus_dec_generic_school[];
extern const char *const corpus_dec_generic_muni[];
extern const char *const corpus_events_generic[];

/* Number of entries in a NULL-terminated list. */
size_t corpus_list_len(const char *const *list);

/* ---- The protocol model (gen.c builds it, corpus.c renders it). ---- */

/* Block flags. */
enum {
	B_CENTER = 1 << 0,
	B_RIGHT = 1 << 1,
	B_BOLD = 1 << 2,
	B_JUSTIFY = 1 << 3,
	B_GOBACK = 1 << 4,   /* docx: Word's _GoBack bookmark in this paragraph */
	B_CAND = 1 << 5,     /* a clean paragraph phrases may be taken from */
	B_ARTEFACT = 1 << 6  /* text altered (spaces, broken lines): no phrases */
};

typedef struct cblock {
	int table;
	unsigned flags;
	char *text;          /* paragraph text, exactly as written */
	const char *indent;  /* txt only: leading white space ("" if none) */
	size_t rows, cols;
	char **cells;        /* rows*cols; '\n' separates paragraphs of a cell */
	int blank_after;     /* txt only: empty lines after this block */
	/*
	 * docx only: a paragraph written as an item of a Word list.  Its
	 * text starts with the label Word shows (label_len bytes) and a
	 * space; the file holds only the rest.  list_level 0: not a list
	 * item, -1 a bullet, 1 + the level of a decimal list
	 * (docx_writer_add_numbered); list_start nonzero begins a new list.
	 */
	int list_level;
	unsigned list_start;
	size_t label_len;
} cblock_t;

typedef struct tperson {
	char *name;          /* canonical "Фамилия И.О." */
	char *as_written;    /* NULL if not written in the header */
	char *role;          /* nominative role, NULL if not given */
} tperson_t;

typedef struct tresp {
	char *as_written;
	const char *ids[3];
	size_t n_ids;
	char *persons[2];
	size_t n_persons;
	const char *placement;  /* "heading", "inline", "line", "table" */
} tresp_t;

typedef struct tdeadline {
	char *text;          /* NULL for none */
	const char *kind;    /* "date", "range", "permanent", "event", "none" */
	char from[11], to[11];  /* ISO dates or "" */
	const char *period;  /* "year", "quarter", "month" or NULL */
	const char *placement;  /* "line", "shared", "inline", "table" or NULL */
} tdeadline_t;

typedef struct tdecision {
	int ordinal;         /* 1, 2, ... in document order */
	char *number;        /* as written ("1.1.", "12."), NULL if none */
	char *marker;        /* bullet ("-", "·"), NULL if none */
	char *path;          /* structural position: "1.1" */
	char *text;
	int verbatim;        /* text occurs verbatim in one paragraph */
	const tresp_t *resp; /* NULL if none */
	tdeadline_t dl;
	int agenda_item;     /* 0 if not tied to one */
	const char *topic;   /* NULL if not topical */
} tdecision_t;

typedef struct tagenda {
	int n;
	char *text;
	char *speaker;       /* canonical, NULL if none */
	char *heard[6];
	size_t n_heard;
	const char *topic;
} tagenda_t;

typedef struct tsignature {
	char *role;
	char *name;
} tsignature_t;

typedef struct model {
	/* Rendering. */
	int docx;
	int blank_lines;     /* txt: an empty line between paragraphs */
	cblock_t *blocks;
	size_t n_blocks, alloc_blocks;

	/* Truth. */
	const char *kind;          /* "protocol", "extract" */
	char *kind_text;
	const char *meeting_type;
	char *meeting_text;
	char *theme;
	char *organ;
	char *number, *number_text;
	char date[11];
	char *date_text;
	char *place, *venue, *time;
	const muni_t *muni;
	char *muni_written[8];
	size_t n_muni_written;
	tperson_t chair, secretary;
	int has_chair, has_secretary;
	int attendees_count;       /* -1 unknown */
	const char *attendees_basis;
	tperson_t *listed;
	size_t n_listed, alloc_listed;
	const char *topics[8];
	size_t n_topics;
	tagenda_t agenda[8];
	size_t n_agenda;
	tdecision_t *decisions;
	size_t n_decisions, alloc_decisions;
	tsignature_t signatures[4];
	size_t n_signatures;
	const char *artefacts[8];
	size_t n_artefacts;
	char *phrases[3];
	size_t n_phrases;

	/* Every string above is owned here. */
	char **arena;
	size_t n_arena, alloc_arena;
} model_t;

/* Build protocol model number `index` of seed `seed` (gen.c). */
void model_generate(model_t *m, uint64_t seed, size_t index, int docx);
void model_release(model_t *m);
/* Keep s in the model's arena and return it. */
char *model_keep(model_t *m, char *s);

#endif
