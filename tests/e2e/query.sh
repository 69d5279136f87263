# The query language on the seeds: fields, date and deadline ranges,
# operators, --count, --by, --sort, --explain, csv, and errors that name
# the column.  Expected deadlines and municipalities come from the
# hand-written records in tests/expected/seeds.
. "$(dirname "$0")/lib.sh"
need_seeds

EXP="$TESTS_SRCDIR/expected/seeds"
check_status "index the seeds" 0 "$PROTODEX" index "$PROTODEX_SEEDS"

# json QUERY...: the matching records as JSON Lines in $WORK/hits.
json() {
	"$PROTODEX" search --format json --limit 100000 "$@" >"$WORK/hits"
}

# The user's own example.  Which decisions of 002 are about the
# objectivity of ВПР, read off the seed by hand: their text or agenda item
# names ВПР and (не)объективность; with a dated deadline by 2021-12-01.
json 'ВПР объективность type:decision due:..2021-12-01'
python3 - "$WORK/hits" <<'PY' || fail "ВПР objectivity decisions due by 2021-12-01"
import json, re, sys
hits = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = sorted((h["path"].rsplit("/", 1)[1][:3], h["decision_number"]) for h in hits)
want = sorted([("002", "1.2"), ("002", "1.4"), ("002", "1.4"), ("002", "2"),
               ("002", "2.1"), ("002", "2.3")])
assert got == want, got
for h in hits:
    assert h["type"] == "decision" and h["deadline_to"] and h["deadline_to"] <= "2021-12-01", h
    text = h["text"] + " " + h["agenda"]
    assert re.search(r"ВПР|проверочн", text) and re.search(r"(?i)объективн", text), h
PY
pass

# due:2022-12: every decision of 000 whose deadline ends in December 2022.
json 'due:2022-12'
python3 - "$WORK/hits" "$EXP"/000_*.json <<'PY' || fail "due:2022-12"
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
exp = json.load(open(sys.argv[2], encoding="utf-8"))
want = sorted(d["number"] for d in exp["decisions"] if d["deadline"]["to"].startswith("2022-12"))
assert want, "the expected record has no deadline in December 2022"
assert all(h["path"].rsplit("/", 1)[1].startswith("000_") for h in hits), hits
assert sorted(h["decision_number"] for h in hits) == want, (
    sorted(h["decision_number"] for h in hits), want)
PY
pass

# Every deadline form against the expected records: a range ending by a
# date, a month, a year, kinds.
python3 - "$EXP" >"$WORK/cases" <<'PY'
import glob, json, sys
decs = [(f, d) for f in sorted(glob.glob(sys.argv[1] + "/*.json"))
        for d in json.load(open(f, encoding="utf-8"))["decisions"]]
def count(pred):
    return sum(1 for f, d in decs if pred(d["deadline"]))
print(count(lambda x: x["to"] and x["to"] <= "2021-12-01"), "due:..2021-12-01")
print(count(lambda x: x["to"] and x["to"] <= "2021-12-01"), "срок:..01.12.2021")
print(count(lambda x: x["to"] and "2021-03-01" <= x["to"] <= "2021-05-31"), "due:2021-03..2021-05")
print(count(lambda x: x["to"] and x["to"] >= "2022-01-01"), "due:2022..")
print(count(lambda x: x["to"].startswith("2023")), "due:2023")
print(count(lambda x: x["kind"] == "permanent"), "due:permanent")
print(count(lambda x: x["kind"] == "permanent"), "срок:постоянно")
print(count(lambda x: x["kind"] == "event"), "due:event")
print(count(lambda x: x["kind"] == "none"), "срок:нет")
print(count(lambda x: x["to"] and x["to"] < "2022-01-01"), "due:overdue --as-of 2022-01-01")
print(count(lambda x: x["to"] and x["to"] < "2022-01-01"), "срок:просрочено --as-of 2022-01-01")
print(count(lambda x: x["to"] and x["to"] <= "2022-01-01"), "due:..today --as-of 2022-01-01")
PY
while read -r n q; do
	# shellcheck disable=SC2086 # the option after the query is wanted split
	check_eq "--count $q" "$n" "$("$PROTODEX" search --count $q)"
done <"$WORK/cases"

# Meeting dates, municipalities, regions, numbers, types: against the
# expected records, in Russian and English, values in any case form.
python3 - "$EXP" >"$WORK/cases" <<'PY'
import glob, json, sys
ps = [json.load(open(f, encoding="utf-8")) for f in sorted(glob.glob(sys.argv[1] + "/*.json"))]
def count(pred, decisions=True):
    return sum((len(p["decisions"]) if decisions else 1) for p in ps if pred(p))
print(count(lambda p: p["date"].startswith("2022")), "type:decision date:2022")
print(count(lambda p: p["date"].startswith("2022"), False), "тип:протокол дата:2022")
print(count(lambda p: "2021-09-01" <= p["date"] <= "2022-07-10"), "type:decision date:01.09.2021..10.07.2022")
print(count(lambda p: p["municipality"] == "Мегион"), "тип:решение мо:Мегиона")
print(count(lambda p: p["municipality"].startswith("Вышневолоцкий")), "type:decision municipality:вышневолоцкого")
print(count(lambda p: p["municipality"].startswith("Вышневолоцкий")), "тип:решение МО:\"Вышневолоцкого городского округа\"")
print(count(lambda p: p["region"] == "Тверская область"), "type:decision регион:Тверской")
print(count(lambda p: p["region"] == "Тверская область", False), "type:protocol region:\"тверская область\"")
print(count(lambda p: p["number"] == "8", False), "type:protocol номер:8")
print(count(lambda p: p["number"] == "11", False), "type:protocol number:№11")
print(count(lambda p: p["region"] == "Тверская область" and p["date"].startswith("2022")),
      "type:decision (регион:Тверская дата:2022)")
print(count(lambda p: p["municipality"] in ("Мегион", "Петрозаводский городской округ")),
      "type:decision (мо:Мегион OR мо:Петрозаводский)")
print(count(lambda p: p["municipality"] != "Мегион"), "type:decision -мо:Мегион")
print(count(lambda p: p["municipality"] != "Мегион"), "type:decision НЕ мо:Мегион")
print(sum(1 for p in ps for d in p["decisions"] if "руководители ОО" in d["responsible"]),
      "ответственный:\"руководителям ОО\"")
print(sum(1 for p in ps for d in p["decisions"] if "руководители ОО" in d["responsible"]),
      "responsible:\"Руководители ОО\"")
PY
while read -r n q; do
	check_eq "--count $q" "$n" "$("$PROTODEX" search --count "$q")"
done <"$WORK/cases"

# path: whole parts of the source path.
f=$(basename "$(ls "$PROTODEX_SEEDS"/002_*.txt)")
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["decisions"]) + 1)' "$EXP"/002_*.json)
check_eq "path: a file's records" "$n" "$("$PROTODEX" search --count "path:$f")"
check_eq "путь: with its directory" "$n" \
	"$("$PROTODEX" search --count "путь:\"$(basename "$PROTODEX_SEEDS")/$f\"")"
check_eq "path: a part no file has" "0" "$("$PROTODEX" search --count path:nowhere.zip)"

# Exclusion alone starts from every record.
all=$("$PROTODEX" search --count 'type:decision OR type:protocol')
vpr=$("$PROTODEX" search --count 'ВПР')
check_eq "-ВПР is everything but ВПР" "$((all - vpr))" "$("$PROTODEX" search --count -- -ВПР)"
check_eq "НЕ ВПР is the same" "$((all - vpr))" "$("$PROTODEX" search --count 'НЕ ВПР')"
check_eq "И is AND" "$("$PROTODEX" search --count 'ВПР AND объективность')" \
	"$("$PROTODEX" search --count 'ВПР И объективность')"
check_eq "ИЛИ is OR" "$("$PROTODEX" search --count 'ВСОКО OR наставничество')" \
	"$("$PROTODEX" search --count 'ВСОКО ИЛИ наставничество')"

# --count exits like grep.
check_status "--count with no match" 1 "$PROTODEX" search --count бегемот
check_eq "--count prints 0" "0" "$(cat "$WORK/out")"

# --by: exact counts per value, the same as --count per value.
check_status "--by municipality" 0 "$PROTODEX" search --by municipality --format json type:decision
python3 - "$WORK/out" "$EXP" <<'PY' || fail "--by municipality counts"
import glob, json, sys
got = {r["value"]: r["count"] for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
want = {}
for f in glob.glob(sys.argv[2] + "/*.json"):
    p = json.load(open(f, encoding="utf-8"))
    want[p["municipality"]] = want.get(p["municipality"], 0) + len(p["decisions"])
assert got == want, (got, want)
PY
pass
check_status "--by responsible,year csv" 0 "$PROTODEX" search --by responsible,year --format csv type:decision
python3 - "$WORK/out" "$EXP" <<'PY' || fail "--by responsible,year"
import csv, glob, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
resp = {r["value"]: int(r["count"]) for r in rows if r["by"] == "responsible"}
years = {r["value"]: int(r["count"]) for r in rows if r["by"] == "year"}
want_r, want_y = {}, {}
for f in glob.glob(sys.argv[2] + "/*.json"):
    p = json.load(open(f, encoding="utf-8"))
    for d in p["decisions"]:
        for party in filter(None, d["responsible"].split("; ")):
            want_r[party] = want_r.get(party, 0) + 1
        want_y[p["date"][:4]] = want_y.get(p["date"][:4], 0) + 1
assert resp == want_r, (resp, want_r)
assert years == want_y, (years, want_y)
PY
pass

# A query of fields only: each protocol's snippet is the start of its text
# after the title, white space squeezed, as `show --text` prints the text.
json type:protocol
python3 - "$WORK/hits" "$PROTODEX" <<'PY' || fail "fields only: the start of the text"
import json, subprocess, sys
hits = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert hits, "no protocols"
for h in hits:
    show = subprocess.run([sys.argv[2], "show", "--text", h["id"]],
                          capture_output=True, text=True, check=True).stdout
    text = " ".join(show.split("\n  text:\n", 1)[1].split())
    title = " ".join(h["title"].split())
    if text.startswith(title):
        text = text[len(title):].lstrip()
    snippet = h["snippet"]
    assert snippet, h["id"]
    assert not snippet.startswith(title) or not title, (snippet, title)
    body = snippet[:-1] if snippet.endswith("\u2026") else snippet
    assert text.startswith(body), (body[:80], text[:80])
    assert len(snippet.encode()) <= 300 + 3, len(snippet.encode())
PY
pass

# --sort due: soonest deadline first, records without one last.
json --sort due type:decision
python3 - "$WORK/hits" <<'PY' || fail "--sort due"
import json, sys
dues = [json.loads(l)["deadline_to"] for l in open(sys.argv[1], encoding="utf-8")]
dated = [d for d in dues if d]
assert dated and dated == sorted(dated), dues
assert dues == dated + [""] * (len(dues) - len(dated)), dues
PY
pass
json --sort date type:protocol
python3 - "$WORK/hits" <<'PY' || fail "--sort date"
import json, sys
dates = [json.loads(l)["date"] for l in open(sys.argv[1], encoding="utf-8")]
assert dates == sorted(dates, reverse=True), dates
PY
pass

# csv and json carry the same records.
json ВПР
check_status "csv" 0 "$PROTODEX" search --format csv --limit 100000 ВПР
python3 - "$WORK/hits" "$WORK/out" <<'PY' || fail "csv equals json"
import csv, json, sys
js = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8"), strict=True))
assert len(js) == len(rows) > 0
for j, r in zip(js, rows):
    for k, v in j.items():
        if k == "score":
            assert abs(float(r[k]) - v) < 1e-3
        else:
            assert r[k] == ("" if v is None else str(v)), (k, r[k], v)
PY
pass

# --explain: the words after morphology, the fields and the dates.
check_status "--explain" 0 "$PROTODEX" search --explain --as-of 2022-01-15 \
	'ВПР объективности мо:Мегиона срок:..2021-12 due:overdue'
check_contains "explain: the abbreviation's concept" "$WORK/out" "concept :впр"
check_contains "explain: the word's key" "$WORK/out" "key объективность"
check_contains "explain: the municipality" "$WORK/out" "-> Мегион"
check_contains "explain: the month resolved" "$WORK/out" "deadline ends on or before 2021-12-31"
check_contains "explain: overdue resolved" "$WORK/out" "deadline ended before today, 2022-01-15"
check_status "--explain json" 0 "$PROTODEX" search --explain --format json 'дата:2022 ВСОКО'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["fields"][0]["meaning"] == "meeting from 2022-01-01 to 2022-12-31", d' \
	"$WORK/out" || fail "explain json"

# Errors name the column and suggest a fix; exit 2.
check_status "unknown field" 2 "$PROTODEX" search 'ВПР дата_заседания:2021'
check_contains "unknown field: the column" "$WORK/err" "unknown field 'дата_заседания' at column 5"
check_status "misspelt field" 2 "$PROTODEX" search 'регоин:Тверская'
check_contains "misspelt field: the suggestion" "$WORK/err" "did you mean 'регион:'"
check_status "bad date" 2 "$PROTODEX" search 'due:2021-02-30'
check_contains "bad date: the reason" "$WORK/err" "there is no day 30 in 2021-02"
check_status "unbalanced bracket" 2 "$PROTODEX" search '(ВПР OR ШНОР'
check_contains "unbalanced bracket: the column" "$WORK/err" "unmatched '(' at column 1"
check_status "bad --as-of" 2 "$PROTODEX" search --as-of yesterday ВПР
check_status "bad --sort" 2 "$PROTODEX" search --sort size ВПР
check_status "bad --by" 2 "$PROTODEX" search --by colour ВПР
check_status "--count with --by" 2 "$PROTODEX" search --count --by year ВПР
# A name no record has: nothing matches, and a warning says why.
check_status "unknown municipality" 1 "$PROTODEX" search 'мо:Бегемотовский'
check_contains "unknown municipality: warning" "$WORK/err" "no municipality in the database matches 'Бегемотовский'"

finish
