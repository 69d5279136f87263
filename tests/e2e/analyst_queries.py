#!/usr/bin/env python3
"""Exact answers of the query language (`protodex search` fields, ranges,
boolean operators, --count, --by, --sort, --format csv) on a generated
corpus, checked against answers computed here from the generator's ground
truth, independently of protodex's parser and analyser.

usage: analyst_queries.py --protodex PATH --db DIR --corpus DIR TRUTH.jsonl
       analyst_queries.py --protodex PATH --db DIR --csv-query QUERY

Every query is an analyst's question with its answer computed from
truth.jsonl: the set of records (a protocol: its file; a decision: its file
and ordinal) that must be returned, no more and no fewer.  Text terms are
matched by regular expressions over the text a record is indexed from (a
decision: its text, its responsible party and deadline as written, and its
agenda item; a protocol: the whole file), on word stems with explicit
endings; a word whose stem also starts other words of the corpus is refused
("ambiguous oracle word") rather than approximated.  Field values are
chosen from the truth by fixed rules, and a value that could name more than
one municipality, region, person or speaker is refused the same way.

Prints every mismatch (the query, the missing and the unexpected records
with the fields concerned, from the truth and from protodex), then
"N queries, M failed"; exits 1 when any query failed.  With --csv-query,
only checks that QUERY's CSV output holds the same records as its JSON
output, on records whose texts hold double quotes and commas."""
import argparse
import collections
import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import zipfile

# ---- normalisation -----------------------------------------------------------


def norm(s):
    """ё = е, dashes unified, white space squeezed."""
    if s is None:
        return ''
    s = s.replace('ё', 'е').replace('Ё', 'Е')
    s = re.sub('[\u2010-\u2015\u2212]', '-', s)
    return ' '.join(s.split())


def fold(s):
    return norm(s).lower()


# ---- the truth as records ---------------------------------------------------------


class Rec:
    """One record protodex should have: a protocol or one of its decisions."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def key(self):
        return (self.file, self.ordinal)

    def name(self):
        return self.file if self.ordinal is None else '%s #%d' % (self.file, self.ordinal)


def responsible_canonical(r):
    """The party a decision's `responsible` names (tests/expected/README.md,
    rule "responsible"): every head of schools is "руководители ОО", a person
    is the person; any other party is kept as written (the checks below use
    stems, so the case it is written in does not matter), with the names in
    brackets dropped."""
    if not r:
        return ''
    if 'ou_heads' in r['ids']:
        return 'руководители ОО'
    if 'person' in r['ids'] and r['persons']:
        return r['persons'][0]
    return re.sub(r'\s*\([^)]*\)', '', r['as_written'] or '')


def canonical_municipality(name):
    """The gazetteer names a city that is a municipality of its own by the
    city alone (indexer/data/gazetteer.tsv): the truth's "город Мегион" is
    "Мегион"."""
    return re.sub(r'^город ', '', norm(name))


def read_file_text(path, t):
    """The text of a protocol as a reader sees it: .txt decoded in the
    truth's encoding, .docx the text of its paragraphs."""
    if t['format'] == 'docx':
        with zipfile.ZipFile(path) as z:
            xml = z.read('word/document.xml').decode('utf-8')
        paras = []
        for p in re.findall(r'<w:p[ >].*?</w:p>|<w:p/>', xml, re.S):
            p = re.sub(r'<w:tab/>', ' ', p)
            p = re.sub(r'<w:br/>', '\n', p)
            paras.append(''.join(re.findall(r'<w:t(?: [^>]*)?>([^<]*)</w:t>', p)))
        return html.unescape('\n'.join(paras))
    with open(path, 'rb') as f:
        data = f.read()
    enc = {'utf-8': 'utf-8-sig'}.get(t['encoding'], t['encoding'])
    return data.decode(enc)


def load(truth_path, corpus):
    protocols, records = [], []
    with open(truth_path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                protocols.append(json.loads(line))
    for t in protocols:
        common = dict(
            file=t['file'],
            kind=t['kind'],
            municipality=canonical_municipality(t['municipality']['name']),
            region=norm(t['region']),
            date=t['date'],
            number=t['number'] or '',
        )
        agenda = {a['n']: a for a in t['agenda']}
        records.append(Rec(type='protocol', ordinal=None,
                           speakers=[a['speaker'] for a in t['agenda'] if a['speaker']],
                           doc=fold(read_file_text(os.path.join(corpus, t['file']), t)),
                           resp='', resp_text='', dl_kind=None, dl_to=None, dl_text='',
                           text='', agenda='', **common))
        for d in t['decisions']:
            item = agenda.get(d['agenda_item']) if d['agenda_item'] is not None else None
            dl = d['deadline']
            r = d['responsible']
            parts = [d['text'], r['as_written'] if r else '', dl['text'] or '',
                     item['text'] if item else '']
            records.append(Rec(
                type='decision', ordinal=d['ordinal'],
                speakers=[item['speaker']] if item and item['speaker'] else [],
                # the four texts a decision is indexed from, kept apart
                doc=' | '.join(fold(p) for p in parts),
                resp=norm(responsible_canonical(r)),
                resp_text=r['as_written'] if r else '',
                dl_kind=dl['kind'], dl_to=dl['to'], dl_text=dl['text'] or '',
                text=d['text'], agenda=item['text'] if item else '', **common))
    return protocols, records


# ---- predicates over records ---------------------------------------------------------
#
# Each is a function Rec -> bool with a `fields` attribute: the fields a
# mismatch report shows.


def pred(fields, fn):
    fn.fields = fields
    return fn


def And(*ps):
    return pred(sum((p.fields for p in ps), []), lambda r: all(p(r) for p in ps))


def Or(*ps):
    return pred(sum((p.fields for p in ps), []), lambda r: any(p(r) for p in ps))


def Not(p):
    return pred(p.fields, lambda r: not p(r))


def Type(t):
    return pred(['type'], lambda r: r.type == t)


def Muni(name):
    return pred(['municipality'], lambda r: r.municipality == name)


def Region(name):
    return pred(['region'], lambda r: r.region == name)


def DateIn(lo, hi):
    return pred(['date'], lambda r: lo <= r.date <= hi)


def Number(n):
    return pred(['number'], lambda r: r.number == n)


def DueIn(lo, hi):
    """The deadline ends within [lo, hi]; a decision without a dated
    deadline never matches."""
    return pred(['deadline'], lambda r: r.type == 'decision' and r.dl_to is not None
                and lo <= r.dl_to <= hi)


def DueKind(kind):
    return pred(['deadline'], lambda r: r.type == 'decision' and r.dl_kind == kind)


def Overdue(today):
    return pred(['deadline'], lambda r: r.type == 'decision' and r.dl_to is not None
                and r.dl_to < today)


def Resp(rx):
    c = re.compile(rx, re.I)
    return pred(['responsible'], lambda r: r.type == 'decision' and bool(c.search(fold(r.resp))))


def Speaker(surname):
    return pred(['speaker'], lambda r: any(s.split()[0] == surname for s in r.speakers))


AMBIGUOUS = []
SHOW = 15  # records shown per kind of mismatch


class Text:
    """A text term: `rx` (on folded text) says where the term occurs.  With
    `family`, every word of the corpus the family matches (the words that
    hold the stem) must be one of the forms `rx` accepts, or the oracle
    would have to guess which words protodex's morphology conflates: such a
    word is refused (reported and counted as a failure), never
    approximated."""

    def __init__(self, label, rx, family=None):
        self.label = label
        self.rx = re.compile(rx, re.I)
        self.family = re.compile(family, re.I) if family else None

    def check(self, records):
        if not self.family:
            return
        odd = collections.Counter()
        for r in records:
            for m in self.family.finditer(r.doc):
                if not self.rx.fullmatch(m.group(0)):
                    odd[m.group(0)] += 1
        if odd:
            AMBIGUOUS.append('%s: the stem also starts %s' % (
                self.label, ', '.join('%s (%d)' % kv for kv in odd.most_common(8))))

    def __call__(self, r):
        return bool(self.rx.search(r.doc))


def T(term):
    return pred(['text'], term)


NOUN_F_SOFT = r'(?:ь|и|ью|ей|ям|ями|ях)'        # объективность
NOUN_M_HARD = r'(?:|а|у|ом|е|ы|и|ов|ам|ами|ах)'   # мониторинг, дефицит
NOUN_N = r'(?:о|а|у|ом|е|ам|ами|ах)'              # наставничество
NOUN_F_IA = r'(?:я|и|ю|ей|ею|ям|ями|ях)'          # квалификация
NOUN_M_SOFT = r'(?:ь|я|ю|ем|е|и|ей|ям|ями|ях)'    # наблюдатель


def word(stem, endings):
    """A word given by its stem and endings.  Its family is every word of the
    corpus that holds the stem, with any prefix too: «необъективности» is
    not a form of «объективность», and a morphology may conflate them."""
    return Text(stem, r'\b%s%s\b' % (stem, endings), r'\w*%s\w*' % stem)


# Not «объективность»: the corpus writes «необъективности» too.
OBSERVER = word('наблюдател', NOUN_M_SOFT)
VIDEO = word('видеофиксаци', NOUN_F_IA)
MONITORING = word('мониторинг', NOUN_M_HARD)
DEFICIT = word('дефицит', NOUN_M_HARD)
MENTORING = word('наставничеств', NOUN_N)
QUALIFICATION = word('квалификаци', NOUN_F_IA)
SELF_ASSESSMENT = word('самообследовани', r'(?:е|я|ю|ем|и|й|ям|ями|ях)')
# Abbreviations find their long forms in any grammatical form
# (stemmer/data/abbreviations.tsv): the long forms are written out here.
VPR = Text('ВПР', r'\bвпр\b|\bвсероссийск\w*\s+проверочн\w*\s+работ\w*')
VSOKO = Text('ВСОКО', r'\bвсоко\b|\bвнутренн\w*\s+систем\w*\s+оценк\w*\s+качеств\w*\s+образовани\w*')
SHNOR = Text('ШНОР', r'\bшнор\b|\bшкол(?:а|ы|е|у|ой|ою|ам|ами|ах)?\s+с\s+низк\w*\s+'
             r'образовательн\w*\s+результат(?:|ы|ов|ам|ами|ах|а|у|ом|е)\b')
GIA = Text('ГИА', r'\bгиа\b|\bгосударственн\w*\s+итогов\w*\s+аттестаци\w*')
FGOS = Text('ФГОС', r'\bфгос\b|\bфедеральн\w*\s+государственн\w*\s+образовательн\w*\s+стандарт\w*')
FUNC_LITERACY = Text('"функциональной грамотности"',
                     r'\bфункциональн(?:ая|ой|ую|ою)\s+грамотност%s\b' % NOUN_F_SOFT)


# ---- choosing field values from the truth ------------------------------------------


class OracleError(Exception):
    pass


def same_word(a, b):
    """Could a and b be forms of one word?  Deliberately generous: used only
    to refuse values that might name something else too."""
    a, b = fold(a), fold(b)
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a == b or (n >= 3 and n >= min(len(a), len(b)) - 3)


def names_matching(value, names):
    words = re.findall(r'\w+', value)
    return sorted(n for n in names
                  if all(any(same_word(w, nw) for nw in re.findall(r'\w+', n)) for w in words))


def unique_name(value, names, target):
    """The canonical name `value` names: it must be `target` and no other."""
    got = names_matching(value, names)
    if got != [target]:
        raise OracleError('value %r might name %s, not only %r' % (value, got, target))
    return target


class Corpus:
    def __init__(self, protocols, records):
        self.protocols = protocols
        self.records = records
        self.municipalities = sorted({r.municipality for r in records})
        self.regions = sorted({r.region for r in records})

    def muni(self, value, target):
        return Muni(unique_name(value, self.municipalities, canonical_municipality(target)))

    def top_municipality(self, p, pattern, rank=0):
        """The municipality with the rank-th most records matching p (ties
        by name), and its first form as written that matches `pattern`."""
        counts = collections.Counter(r.municipality for r in self.records if p(r))
        name = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[rank][0]
        return name, self.as_written(name, pattern)

    def region(self, value, target):
        return Region(unique_name(value, self.regions, norm(target)))

    def as_written(self, name, pattern):
        """The first form of municipality `name` written in the protocols
        that matches `pattern` (e.g. a genitive, upper case)."""
        forms = collections.Counter()
        for t in self.protocols:
            if canonical_municipality(t['municipality']['name']) == name:
                forms.update(t['municipality']['as_written'])
        for form, _ in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
            if re.fullmatch(pattern, form):
                return form
        raise OracleError('no form of %r matches %r' % (name, pattern))

    def unique_surname(self, surname, universe):
        """`surname` must be the only word of `universe` (names) with its stem,
        so that any morphology finds this person and no one else."""
        stem = fold(surname)
        stem = stem[:-1] if stem[-1] in 'аяь' else stem
        clash = sorted({w for n in universe for w in re.findall(r'\w+', fold(n))
                        if w.startswith(stem) and w != fold(surname)})
        if clash:
            raise OracleError('surname %r: the stem also starts %s' % (surname, clash))
        return surname

    def speaker(self, rank):
        """The agenda speaker with the rank-th most protocols (ties by name)
        whose surname is unique."""
        all_speakers = [s for r in self.records if r.type == 'protocol' for s in r.speakers]
        counts = collections.Counter()
        for r in self.records:
            if r.type == 'protocol':
                counts.update({s.split()[0] for s in r.speakers})
        ok = []
        for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            try:
                ok.append(self.unique_surname(s, all_speakers))
            except OracleError:
                pass
        return ok[rank]

    def responsible_person(self, rank):
        """A person addressed by a heading (`person` party): the rank-th by
        number of decisions, with a unique surname, as (surname in the
        nominative, surname as written in the heading, in an oblique case)."""
        universe = [r.resp for r in self.records if r.type == 'decision' and r.resp]
        cand = collections.Counter()
        written = {}
        for t in self.protocols:
            for d in t['decisions']:
                r = d['responsible']
                if r and r['ids'] == ['person'] and r['placement'] == 'heading':
                    s = r['persons'][0].split()[0]
                    m = re.search(r'(\w+) [А-ЯЁ]\.[А-ЯЁ]\.$', r['as_written'])
                    if m and m.group(1) != s:
                        cand[s] += 1
                        written.setdefault(s, m.group(1))
        ok = []
        for s, _ in sorted(cand.items(), key=lambda kv: (-kv[1], kv[0])):
            try:
                ok.append((self.unique_surname(s, universe), written[s]))
            except OracleError:
                pass
        return ok[rank]

    def number(self, pattern, rank=0):
        counts = collections.Counter(t['number'] for t in self.protocols
                                     if t['number'] and re.fullmatch(pattern, t['number']))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[rank][0]


# ---- the queries ------------------------------------------------------------------------


class Query:
    def __init__(self, q, p, opts=(), checks=()):
        self.q = q            # the query, one argument
        self.p = p            # the predicate giving the expected records
        self.opts = list(opts)
        self.checks = set(checks)   # of 'count', 'by', 'sort', 'csv'


def queries(C):
    Q = []

    def q(*a, **kw):
        Q.append(Query(*a, **kw))

    dec, prot = Type('decision'), Type('protocol')

    # Where an answer would hold a record bench/accuracy.py shows the parser
    # reading otherwise (for seed 1: likhoslavlsky-mo/protocol-00225,
    # priozyorny-mr/protocol-00078 and a few responsible parties), the
    # question is narrowed by a region or a period, so that every answer
    # tests the query language and not the parser.

    # -- structural --------------------------------------------------------------
    tut = 'Тутаевский муниципальный район'
    gen = C.as_written(tut, r'\w+ого муниципального района')
    q('type:decision мо:"%s"' % gen, And(dec, C.muni(gen, tut)), checks={'count', 'csv', 'sort'})
    up = C.as_written('Кашинский городской округ', r'[А-Я ]+')
    q('МО:"%s" Тип:протокол' % up, And(prot, C.muni(up, 'Кашинский городской округ')))
    q('municipality:Сосногорска type:protocol',
      And(prot, C.muni('Сосногорска', 'Сосногорск')))
    q('мо:Нягани', C.muni('Нягани', 'Нягань'))
    q('регион:"Ярославской области" type:decision date:2022',
      And(dec, C.region('Ярославской области', 'Ярославская область'), DateIn('2022-01-01', '2022-12-31')))
    q('region:Коми тип:протокол', And(prot, C.region('Коми', 'Республика Коми')),
      checks={'by'}, opts=[])
    q('date:2021-09..2022-05 type:protocol', And(prot, DateIn('2021-09-01', '2022-05-31')),
      checks={'count', 'by'})
    q('дата:01.03.2020..31.03.2020', DateIn('2020-03-01', '2020-03-31'))
    q('date:..2019-06 type:protocol', And(prot, DateIn('0000-01-01', '2019-06-30')))
    q('дата:2024-07.. тип:решение регион:"Республика Карелия"',
      And(dec, DateIn('2024-07-01', '9999-12-31'),
          C.region('Республика Карелия', 'Республика Карелия')))
    q('date:2023-03', DateIn('2023-03-01', '2023-03-31'), checks={'count'})
    q('дата:..сегодня тип:протокол', And(prot, DateIn('0000-01-01', '2019-09-30')),
      opts=['--as-of', '2019-09-30'])
    q('due:today.. мо:Угличского', And(DueIn('2023-06-01', '9999-12-31'),
                                       C.muni('Угличского', 'Угличский муниципальный район')),
      opts=['--as-of', '2023-06-01'], checks={'sort'})
    q('регион:Югра type:decision due:2024', And(dec, DueIn('2024-01-01', '2024-12-31'),
                                                C.region('Югра', 'Ханты-Мансийский автономный округ - Югра')))
    q('due:..2021-12-01 type:decision', And(dec, DueIn('0000-01-01', '2021-12-01')),
      checks={'count', 'sort'})
    # a period alone: the deadline ends within it
    q('due:2021-12', DueIn('2021-12-01', '2021-12-31'))
    q('срок:2023-01..2023-03 регион:Вологодская',
      And(DueIn('2023-01-01', '2023-03-31'), C.region('Вологодская', 'Вологодская область')))
    q('срок:постоянно регион:Карелия', And(DueKind('permanent'), C.region('Карелия', 'Республика Карелия')))
    q('due:permanent date:2020', And(DueKind('permanent'), DateIn('2020-01-01', '2020-12-31')))
    q('due:event', DueKind('event'), checks={'by'})
    q('срок:событие мо:Тотемского', And(DueKind('event'), C.muni('Тотемского', 'Тотемский муниципальный округ')))
    q('due:none type:decision date:2023', And(dec, DueKind('none'), DateIn('2023-01-01', '2023-12-31')))
    q('срок:нет регион:Свердловская', And(DueKind('none'), C.region('Свердловская', 'Свердловская область')))
    q('due:overdue', Overdue('2022-06-01'), opts=['--as-of', '2022-06-01'], checks={'count'})
    q('срок:просрочено регион:"Республика Коми"',
      And(Overdue('2021-01-01'), C.region('Республика Коми', 'Республика Коми')),
      opts=['--as-of', '2021-01-01'])

    # The party's canonical name holds every word of the value, in any form:
    # "руководители ОО" (every head of schools, however written) and
    # "заместители руководителей ОО по учебно-воспитательной работе".
    ou = r'\bруководител\w*.*\bоо\b'
    q('ответственный:"Руководителям ОО" регион:Ярославская',
      And(Resp(ou), C.region('Ярославская', 'Ярославская область')))
    # ШМО in the value finds the long form in the party's name too.
    shmo = r'\bруководител\w*\s+(?:шмо\b|школьн\w*\s+методическ\w*\s+объединени\w*)'
    q('responsible:"Руководителям ШМО" date:..2023', And(Resp(shmo), DateIn('0000-01-01', '2023-12-31')))
    q('ответственный:"педагогическим работникам"', Resp(r'\bпедагогическ\w*\s+работник\w*'))
    surname, oblique = C.responsible_person(0)
    q('ответственный:%s' % oblique, Resp(r'^%s ' % re.escape(fold(surname))))
    nr = C.number(r'\d+/\d+')
    q('номер:%s' % nr, Number(nr))
    nr = C.number(r'\d+')
    q('number:%s type:protocol' % nr, And(prot, Number(nr)))
    sp = C.speaker(0)
    q('докладчик:%s type:protocol' % sp, And(prot, Speaker(sp)))
    sp = C.speaker(1)
    q('SPEAKER:%s' % sp, Speaker(sp))

    # -- text and structure (text on decisions: see the module's docstring) -------
    q('ВПР наблюдатели type:decision due:..2021-12-01',
      And(dec, T(VPR), T(OBSERVER), DueIn('0000-01-01', '2021-12-01')), checks={'sort'})
    name, form = C.top_municipality(And(dec, T(SHNOR)), r'\w+ого (?:городского|муниципального) (?:округа|района)')
    q('ШНОР тип:решение мо:"%s"' % form, And(dec, T(SHNOR), C.muni(form, name)))
    q('ВСОКО регион:Тверская date:2021 type:decision',
      And(dec, T(VSOKO), C.region('Тверская', 'Тверская область'), DateIn('2021-01-01', '2021-12-31')),
      checks={'by'})
    q('наставничество type:decision регион:Коми',
      And(dec, T(MENTORING), C.region('Коми', 'Республика Коми')))
    q('"функциональной грамотности" type:decision due:2022-09..2023-08',
      And(dec, T(FUNC_LITERACY), DueIn('2022-09-01', '2023-08-31')))
    q('ШНОР type:protocol регион:Карелия', And(prot, T(SHNOR), C.region('Карелия', 'Республика Карелия')))

    # -- boolean -------------------------------------------------------------------
    q('мониторинг -ВПР type:decision date:2020', And(dec, T(MONITORING), Not(T(VPR)),
                                                     DateIn('2020-01-01', '2020-12-31')))
    q('(ВСОКО OR ШНОР) type:decision регион:Вологодская',
      And(dec, Or(T(VSOKO), T(SHNOR)), C.region('Вологодская', 'Вологодская область')),
      checks={'csv'})
    q('(ГИА ИЛИ ФГОС) тип:решение дата:2023 НЕ срок:нет',
      And(dec, Or(T(GIA), T(FGOS)), DateIn('2023-01-01', '2023-12-31'), Not(DueKind('none'))))
    q('ШНОР И мониторинг тип:решение', And(dec, T(SHNOR), T(MONITORING)))
    q('+ВСОКО мониторинг type:decision date:2022',
      And(dec, T(VSOKO), T(MONITORING), DateIn('2022-01-01', '2022-12-31')))
    # AND is the default between items: NOT excludes the item after it,
    # the items after that still restrict the answer.
    q('дефицит NOT квалификация type:decision date:..2021',
      And(dec, T(DEFICIT), Not(T(QUALIFICATION)), DateIn('0000-01-01', '2021-12-31')))
    q('(мо:Кашинского OR мо:Бежецкого) type:protocol date:2020..2021',
      And(prot, Or(C.muni('Кашинского', 'Кашинский городской округ'),
                   C.muni('Бежецкого', 'Бежецкий муниципальный округ')),
          DateIn('2020-01-01', '2021-12-31')), checks={'by'})
    q('type:decision регион:"Республика Коми" NOT срок:нет -ВПР',
      And(dec, C.region('Республика Коми', 'Республика Коми'), Not(DueKind('none')), Not(T(VPR))))
    q('самообследование OR (видеофиксация due:event)', Or(T(SELF_ASSESSMENT),
                                                         And(T(VIDEO), DueKind('event'))))
    return Q


# ---- running protodex -------------------------------------------------------------------


class Runner:
    def __init__(self, protodex, db):
        self.protodex, self.db = protodex, db

    def run(self, opts, q):
        args = [self.protodex, 'search', '--db', self.db] + opts + ['--', q]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def cmdline(opts, q):
    def sh(a):
        return a if re.fullmatch(r'[\w./:=,+-]+', a) else "'" + a.replace("'", "'\\''") + "'"
    return 'protodex search ' + ' '.join(sh(a) for a in opts + [q])


def record_key(rec):
    f = '/'.join(rec['path'].replace('\\', '/').split('/')[-2:])
    return (f, rec['ordinal'] if rec['type'] == 'decision' else None)


def show_truth(r, fields):
    out = []
    for f in dict.fromkeys(fields):
        if f == 'deadline':
            out.append('deadline=%s %s %r' % (r.dl_kind, r.dl_to, r.dl_text))
        elif f == 'responsible':
            out.append('responsible=%r (as written %r)' % (r.resp, r.resp_text))
        elif f == 'speaker':
            out.append('speaker=%r' % r.speakers)
        elif f == 'text':
            out.append('text=%r agenda=%r' % (r.text[:90], r.agenda[:60]))
        else:
            out.append('%s=%r' % (f, getattr(r, f)))
    return ', '.join(out)


def show_record(rec, fields):
    out = []
    for f in dict.fromkeys(fields):
        if f == 'deadline':
            out.append('deadline=%s %s %r' % (rec.get('deadline_kind'), rec.get('deadline_to'),
                                              rec.get('deadline_text')))
        elif f == 'responsible':
            out.append('responsible=%r (as written %r)' % (rec.get('responsible'),
                                                           rec.get('responsible_text')))
        elif f == 'speaker':
            continue
        elif f == 'text':
            out.append('text=%r agenda=%r' % ((rec.get('text') or '')[:90], (rec.get('agenda') or '')[:60]))
        else:
            out.append('%s=%r' % (f, rec.get(f)))
    return ', '.join(out)


def parse_by(out):
    """--by with --format json: one {"by", "value", "count"} object a line
    (text output, "COUNT  VALUE" lines, is read too)."""
    counts = {}
    for line in out.splitlines():
        if line.startswith('{'):
            o = json.loads(line)
            counts[norm(o['value'])] = int(o['count'])
        else:
            m = re.fullmatch(r'\s*(\d+)\s\s+(.*?)\s*', line)
            if m:
                counts[norm(m.group(2))] = int(m.group(1))
    return counts


# The fields of a search record, in order, in JSON and CSV alike (README.md,
# "Output formats").
FIELDS = ['rank', 'id', 'type', 'protocol', 'path', 'title', 'kind', 'municipality', 'region',
          'date', 'number', 'decision_number', 'ordinal', 'text', 'responsible',
          'responsible_text', 'deadline_text', 'deadline_kind', 'deadline_from', 'deadline_to',
          'agenda', 'score', 'percent', 'snippet']


def csv_problems(jrecs, out, tricky_chars):
    """The CSV output `out` against the JSON records of the same search:
    the header, the same ids, every field equal; some field holding one of
    `tricky_chars` must have been compared."""
    problems = []
    rows = list(csv.reader(io.StringIO(out, newline='')))
    header = FIELDS
    if jrecs and set(jrecs[0]) != set(FIELDS):
        problems.append('JSON keys %r, expected %r' % (list(jrecs[0]), FIELDS))
    if not rows or rows[0] != header:
        return problems + ['CSV header %r, expected %r' % (rows[0] if rows else None, header)]
    byid = {r['id']: r for r in jrecs}
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    if any(len(row) != len(header) for row in rows):
        problems.append('CSV rows with another number of fields than the header')
    if sorted(r.get('id') for r in body) != sorted(byid):
        problems.append('CSV gives %d records, JSON %d, or other ids' % (len(body), len(byid)))
    tricky = set()
    for row in body:
        j = byid.get(row.get('id'))
        if j is None:
            continue
        for k in header:
            jv, cv = j.get(k), row.get(k)
            if isinstance(jv, float):
                try:
                    same = abs(float(cv) - jv) < 1e-3
                except (TypeError, ValueError):
                    same = False
            else:
                same = cv == ('' if jv is None else str(jv))
            if not same:
                problems.append('CSV %s: %s is %r, JSON %r' % (row['id'], k, cv, jv))
            if isinstance(jv, str):
                tricky.update(c for c in tricky_chars if c in jv)
    if set(tricky_chars) - tricky:
        problems.append('CSV: no field with %r was compared' % ''.join(set(tricky_chars) - tricky))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--protodex', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--corpus', help='the directory that was indexed')
    ap.add_argument('--csv-query', metavar='QUERY',
                    help='only compare the CSV and JSON output of QUERY, whose records '
                    'must hold double quotes and commas')
    ap.add_argument('truth', nargs='?')
    args = ap.parse_args()
    run = Runner(args.protodex, args.db).run

    if args.csv_query:
        status, out, err = run(['--format', 'json', '--limit', '100000'], args.csv_query)
        jrecs = [json.loads(line) for line in out.splitlines() if line.strip()]
        status, out, err = run(['--format', 'csv', '--limit', '100000'], args.csv_query)
        problems = csv_problems(jrecs, out, '",') if jrecs else ['no records: ' + err.strip()]
        for p in problems:
            print(p)
        print('CSV of %s: %d records, %d problems' % (cmdline([], args.csv_query), len(jrecs),
                                                      len(problems)))
        return 1 if problems else 0
    if not args.truth or not args.corpus:
        ap.error('--corpus and TRUTH.jsonl are required')

    protocols, records = load(args.truth, args.corpus)
    C = Corpus(protocols, records)
    by_key = {r.key(): r for r in records}
    failed = 0
    try:
        Qs = queries(C)
    except OracleError as e:
        print('oracle: cannot build the queries: %s' % e)
        print('0 queries, 1 failed')
        return 1

    for term in TEXT_TERMS:
        term.check(records)

    for Q in Qs:
        problems = []
        want = {r.key() for r in records if Q.p(r)}
        fields = ['type'] + [f for f in Q.p.fields if f != 'type']
        if not want:
            problems.append('the expected answer is empty: not a useful query')

        status, out, err = run(['--format', 'json', '--limit', '100000'] + Q.opts, Q.q)
        got = {}
        if status not in (0, 1) or (status == 1 and out.strip()):
            problems.append('exit status %d: %s' % (status, err.strip()))
        else:
            for line in out.splitlines():
                if line.strip():
                    rec = json.loads(line)
                    got[record_key(rec)] = rec
            order = lambda k: (k[0], k[1] or 0)
            missing = sorted(want - set(got), key=order)
            extra = sorted(set(got) - want, key=order)
            if missing or extra:
                problems.append('expected %d records, got %d: %d missing, %d unexpected'
                                % (len(want), len(got), len(missing), len(extra)))
            for k in missing[:SHOW]:
                problems.append('  missing    %s: truth: %s'
                                % (by_key[k].name(), show_truth(by_key[k], fields)))
            if len(missing) > SHOW:
                problems.append('  ... and %d more missing' % (len(missing) - SHOW))
            if len(extra) > SHOW:
                problems.append('  ... %d more unexpected after these' % (len(extra) - SHOW))
            for k in extra[:SHOW]:
                rec = got[k]
                t = by_key.get(k)
                problems.append('  unexpected %s: record: %s; truth: %s'
                                % (t.name() if t else '%s #%s' % k, show_record(rec, fields),
                                   show_truth(t, fields) if t else 'no such record'))

        if 'count' in Q.checks:
            status, out, err = run(['--count'] + Q.opts, Q.q)
            if out.strip() != str(len(want)):
                problems.append('--count printed %r (exit %d), expected %d'
                                % (out.strip()[:80], status, len(want)))
        if 'by' in Q.checks:
            status, out, err = run(['--by', 'municipality', '--format', 'json'] + Q.opts, Q.q)
            wc = collections.Counter(by_key[k].municipality for k in want)
            gc = parse_by(out)
            if gc != dict(wc):
                problems.append('--by municipality (exit %d) differs:' % status)
                for m in sorted(set(wc) | set(gc)):
                    if wc.get(m, 0) != gc.get(m, 0):
                        problems.append('  %s: expected %d, got %s' % (m, wc.get(m, 0), gc.get(m)))
                if not gc:
                    problems.append('  output: %r' % out[:300])
        if 'sort' in Q.checks:
            status, out, err = run(['--sort', 'due', '--format', 'json', '--limit', '100000']
                                   + Q.opts, Q.q)
            recs = [json.loads(l) for l in out.splitlines() if l.strip()]
            if {record_key(r) for r in recs} != set(got):
                problems.append('--sort due returns other records than the unsorted search')
            seen_undated, last, wrong = None, '', 0
            for i, rec in enumerate(recs):
                to = rec.get('deadline_to') or ''
                t = by_key.get(record_key(rec))
                if t and (t.dl_to or '') != to and wrong < SHOW:
                    wrong += 1
                    problems.append('--sort due: %s has deadline_to %r, the truth %r'
                                    % (t.name(), to, t.dl_to))
                if not to:
                    seen_undated = seen_undated or rec['id']
                elif seen_undated:
                    problems.append('--sort due: %s (due %s) after %s without a deadline'
                                    % (rec['id'], to, seen_undated))
                    break
                elif to < last:
                    problems.append('--sort due: %s due %s after one due %s (rank %d)'
                                    % (rec['id'], to, last, i + 1))
                    break
                else:
                    last = to
        if 'csv' in Q.checks:
            status, out, err = run(['--format', 'csv', '--limit', '100000'] + Q.opts, Q.q)
            problems += csv_problems(list(got.values()), out, ',')

        print('%s %s  (%d records)' % ('FAIL' if problems else 'ok  ', cmdline(Q.opts, Q.q), len(want)))
        for p in problems:
            print('    ' + p)
        failed += bool(problems)

    # Words refused by the oracle count as failures: replace them.
    for a in AMBIGUOUS:
        print('oracle: ambiguous word: ' + a)
    failed += len(AMBIGUOUS)
    print('%d queries, %d failed' % (len(Qs), failed))
    return 1 if failed else 0


TEXT_TERMS = [v for v in list(globals().values()) if isinstance(v, Text)]

if __name__ == '__main__':
    sys.exit(main())
