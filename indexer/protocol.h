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

#include "common/strbuf.h"
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
 * рабочих дней до начала ВПР").  `meeting_date` (ISO, "" or NULL)
 * supplies the year where the text omits it.  Overwrites *out without
 * freeing what it held; out->text is malloc'd (free it, or
 * protocol_release does for a protocol's decisions).
 *
 * text: white space collapsed, trimmed, a leading «Срок:» dropped, final
 * '.', ',' and ';' dropped except the dot of an abbreviation («2022 г.»
 * keeps it).  Case is ignored, ё = е.  The first rule that applies wins:
 *
 *   none      empty text.
 *   date      a date written in full (any protocol_parse_date form),
 *             whatever surrounds it: «до 01.12.2021», «01.12.2021», «не
 *             позднее 15.05.2022», «до 10 октября 2022 года».  Two full
 *             dates joined by a dash or «по»/«до» make a range: «с
 *             01.09.2022 по 31.12.2022».
 *   permanent «постоянно», «на постоянной основе», «ежегодно»,
 *             «ежемесячно», «ежеквартально», «еженедельно», «ежедневно»,
 *             «систематически», «регулярно», «… раз в …»; «в течение
 *             (всего) года» naming no year.  No bounds.
 *   period    the whole text is a calendar period, after an optional «в»,
 *             «во», «на», «за», «в течение» (range of the period), «до
 *             конца», «к концу», «не позднее», «по» (date: its last day)
 *             or «до», «к» (date: its first day), with year words («г.»,
 *             «года», «гг.») and «включительно» allowed after it:
 *               a day without a year («до 1 сентября», «до 15.05»): date;
 *               a month («декабрь 2022», «в сентябре 2022 года») or two
 *               («сентябрь-октябрь 2022», «ноябрь 2022 – январь 2023»);
 *               a quarter («IV квартал 2022», «1-й квартал»); a half-year
 *               («1 полугодие 2022» = 01-01..06-30, «II полугодие»);
 *               a year («2022», «в течение 2022 года»);
 *               a school year, 09-01..08-31 («2022-2023 учебный год»,
 *               «в течение 2022/2023 уч. года»; two consecutive years
 *               alone, «2022-2023», count as one);
 *               several years («2022-2024 гг.»): 01-01..12-31;
 *               «(в течение) учебного года», «текущего учебного года»:
 *               the meeting's school year (a meeting in June-August looks
 *               ahead to the year starting in September);
 *               «текущего года / месяца / квартала / полугодия», and after
 *               «до конца» also «года», «месяца», «квартала», «полугодия»
 *               alone: the meeting's.
 *             So «до конца декабря 2022 года» is the date 2022-12-31 and
 *             «до конца учебного года» the school year's 08-31.  A period
 *             without a year takes the meeting's year, or the next one
 *             when it ends (a day: falls) before the meeting's month (day):
 *             «январь» at a meeting in November 2022 is January 2023.
 *             With no year and no meeting date, from/to stay "".
 *   event     anything else: «не позднее трёх рабочих дней до начала ВПР»,
 *             «по мере необходимости», «по итогам …», «в течение месяца»
 *             (a span counted from the meeting, not a calendar period),
 *             «до начала нового учебного года», unparsable dates («до
 *             31.02.2022»).  from/to are the bounds of the one year (or
 *             school year) the text names: «в период проведения ВПР в 2021
 *             году» -> 2021-01-01..2021-12-31; else "".
 */
void protocol_parse_deadline(const char *text, const char *meeting_date,
			     protocol_deadline_t *out);

/*
 * Find the first date in `text` in any form protocols use: "10.07.2022г.",
 * "«02» сентября 2021", "24 ноября 2022 года", "29.01.2021", "от
 * 10.11.2022 года", "2022-11-10", "1.12.2021", "2 Сентябрь 2021 г.",
 * "«2» сент. 2021".  Day and month are checked (31.02 is no date), the
 * year must have four digits (1900-2099) and not run on into more
 * digits; month names count in the genitive and the nominative, in any
 * case, and abbreviated with a dot.  Writes ISO into iso[11] ("" when
 * none) and returns the byte offset just past the date, including a year
 * word that follows it («г.», «г», «года», «год»), or -1 when there is
 * none.
 */
long protocol_parse_date(const char *text, char iso[11]);

typedef struct protocol_agenda_item {
	char *number;   /* as written ("1", "3"), "" when unnumbered */
	char *text;
	char *speaker;  /* "" when none */
} protocol_agenda_item_t;

typedef struct protocol_decision {
	char *number;          /* as written without the final dot: "1.1", "1. З";
				  "" for bullets and unnumbered items */
	char *parent;          /* number of the enclosing heading or item, "" */
	unsigned ordinal;      /* 1-based, in document order within the protocol */
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
	char *chair;            /* "Ромашова Е.П.", "" */
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

/*
 * Append the protocol as one JSON object (no newline) with the fields of
 * tests/expected/README.md, in that order.
 */
void protocol_to_json(const protocol_t *p, strbuf_t *out);
/* The same members without the braces, to embed in a larger object. */
void protocol_to_json_fields(const protocol_t *p, strbuf_t *out);
/* One decision as a JSON object: the fields of a decision record. */
void protocol_decision_to_json(const protocol_t *p, const protocol_decision_t *d,
			       strbuf_t *out);

#endif
