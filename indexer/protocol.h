/*
 * protocol: the anatomy of a meeting protocol, parsed from the paragraph
 * stream a reader produces.
 *
 *   protocol_t p;
 *   protocol_init(&p);
 *   protocol_parse(&p, paras, n_paras, gazetteer);   // never fails
 *   ... p.date, p.municipality, p.decisions[i].deadline ...
 *   protocol_release(&p);
 *
 * The parser is tolerant by design: real protocols differ in layout, and a
 * field it cannot find stays empty rather than failing the document.  It
 * works line by line over paragraphs (and table cells, which it reads in
 * document order as paragraphs), in phases:
 *
 *   header    kind («ПРОТОКОЛ», «Выписка из протокола», «Решение»), number
 *             («№11», «Протокол № 8»), meeting date (see protocol_parse_date),
 *             place («г. Мегион»), municipality and region (gazetteer),
 *             chair, secretary, attendees («Присутствовали: 12 человек» or
 *             a list of names);
 *   agenda    «Повестка дня:» followed by numbered items with speakers;
 *   body      «По первому вопросу», «Слушали:», «Выступили:» sections,
 *             each attached to an agenda item;
 *   decisions every item under «Решили:», «РЕШИЛИ:», «Решение:», with its
 *             number as written («1.1», «1. З.»), its nesting, the agenda
 *             item it belongs to, the responsible party inherited from a
 *             heading such as «Руководителям ОО:», and its deadline
 *             («Срок: ...», applying to every item since the previous
 *             «Срок:» of the same block).
 *
 * All strings are UTF-8, NUL-terminated and owned by the protocol_t.
 * Dates are ISO "YYYY-MM-DD" ("" when unknown).
 */
#ifndef PROTODEX_PROTOCOL_H
#define PROTODEX_PROTOCOL_H

#include <stddef.h>

#include "indexer/gazetteer.h"
#include "indexer/reader.h"

typedef enum protocol_deadline_kind {
	DEADLINE_NONE = 0,  /* no «Срок» applies */
	DEADLINE_DATE,      /* a day: from == to */
	DEADLINE_RANGE,     /* a month, a year, a school year: from..to */
	DEADLINE_PERMANENT, /* «постоянно», «ежегодно», «ежемесячно», ... */
	DEADLINE_EVENT      /* relative to an event: «до начала ВПР» */
} protocol_deadline_kind_t;

/* "none", "date", "range", "permanent", "event". */
const char *protocol_deadline_kind_name(protocol_deadline_kind_t kind);

typedef struct protocol_deadline {
	protocol_deadline_kind_t kind;
	char *text;       /* as written, without «Срок:» ("" when none) */
	char from[11];    /* ISO; for EVENT the year's bounds when the text
			     names a year, else "" */
	char to[11];
} protocol_deadline_t;

/*
 * Normalise a deadline as written ("до 01.12.2021", "декабрь 2022",
 * "в течение 2022-2023 учебного года", "постоянно", "не позднее трёх
 * рабочих дней до начала ВПР").  `meeting_date` (ISO or "") supplies the
 * year where the text omits it.  Fills *out (text is copied).
 */
void protocol_parse_deadline(const char *text, const char *meeting_date,
			     protocol_deadline_t *out);

/*
 * Find a date in `text` in any form protocols use: "10.07.2022г.",
 * "«02» сентября 2021", "24 ноября 2022 года", "29.01.2021", "от
 * 10.11.2022 года", "2022-11-10".  Writes ISO into iso[11] and returns
 * the byte offset just past the date, or -1 when there is none.
 */
long protocol_parse_date(const char *text, char iso[11]);

typedef struct protocol_agenda_item {
	char *number;   /* as written ("1", "3"), "" when unnumbered */
	char *text;
	char *speaker;  /* "" when none */
} protocol_agenda_item_t;

typedef struct protocol_decision {
	char *number;          /* as written: "1.1", "2.3", "1. З.", "" for bullets */
	unsigned ordinal;      /* 1-based, in document order within the protocol */
	unsigned level;        /* nesting: 0 for "1.", 1 for "1.1", ... */
	char *text;            /* the decision's text, number removed */
	int agenda_item;       /* index into agenda[], -1 when unknown */
	char *responsible;     /* normalised party ("руководители ОО"), "" */
	char *responsible_text;/* the heading as written, "" */
	protocol_deadline_t deadline;
} protocol_decision_t;

typedef struct protocol {
	char *kind;             /* "протокол", "выписка из протокола", "решение" */
	char *number;           /* "11", "8", "" */
	char date[11];          /* meeting date, ISO or "" */
	char *date_text;        /* as written */
	char *place;            /* "г. Красный Холм", "" */
	char *municipality;     /* canonical name, or as written when unknown */
	char *municipality_text;/* as written */
	char *municipality_type;/* "ГО", "МО", "МР", "город", "" */
	char *region;           /* "Тверская область", "" */
	int municipality_known; /* 1 when found in the gazetteer */
	char *chair;            /* "Шадеркова Н.В.", "" */
	char *secretary;
	int attendees_count;    /* -1 when unknown */
	char **attendees;       /* names as written */
	size_t n_attendees;
	protocol_agenda_item_t *agenda;
	size_t n_agenda;
	protocol_decision_t *decisions;
	size_t n_decisions;
} protocol_t;

void protocol_init(protocol_t *p);
void protocol_release(protocol_t *p);

/* Parse the paragraphs of one document.  `gaz` may be NULL. */
void protocol_parse(protocol_t *p, const reader_para_t *paras, size_t n_paras,
		    const gazetteer_t *gaz);

#endif
