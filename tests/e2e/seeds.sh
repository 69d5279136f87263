# The real protocols: indexed as they are, as windows-1251 / KOI8-R text and
# as .docx, and found by the same queries.  Expected answers come from the
# seeds' own text through tests/e2e/expect.py, not from protodex.
. "$(dirname "$0")/lib.sh"
need_seeds

expect() { python3 "$TESTS_SRCDIR/e2e/expect.py" "$PROTODEX_SEEDS" "$1"; }
W='(?<![а-яa-z0-9])'   # start of a word

check_status "index the seeds" 0 "$PROTODEX" index "$PROTODEX_SEEDS"
n=$(ls "$PROTODEX_SEEDS"/*.txt | wc -l)
check_contains "summary counts every seed" "$WORK/err" "$n indexed, 0 unchanged, 0 skipped"

# The vocabulary keys необъективность and the adjectives by объективность.
obj=$(search_names объективность)
check_eq "объективность finds exactly the seeds about objectivity" \
	"$(expect "${W}(не)?объективн")" "$obj"
check_status "objectivity is found in two seeds" 0 test "$(echo $obj | wc -w)" -eq 2
check_eq "the inflected query finds the same" "$obj" "$(search_names ОБЪЕКТИВНОСТИ)"

check_eq "школам finds школ, школы, школами" \
	"$(expect "${W}школ(а|ы|е|у|ой|ою|ам|ами|ах)?(?![а-я])")" "$(search_names школам)"

check_eq "a phrase matches inflected adjacent words" \
	"$(expect "${W}проверочн[а-я]*\\s+работ")" "$(search_names '"проверочная работа"')"
# Whole protocols: a decision of a seed may have one word and not the other.
check_eq "-word excludes" \
	"$(comm -23 <(expect "${W}(не)?объективн" | tr ' ' '\n' | sed '/^$/d') \
		    <(expect "${W}ВПР(?![а-я])" | tr ' ' '\n' | sed '/^$/d') | tr '\n' ' ')" \
	"$(search_names объективность -ВПР type:protocol)"
check_eq "OR joins" \
	"$(comm <(expect "${W}ВСОКО" | tr ' ' '\n') <(expect "${W}наставничеств" | tr ' ' '\n') |
	   tr -d '\t' | sed '/^$/d' | sort -u | tr '\n' ' ')" \
	"$(search_names ВСОКО OR наставничество)"

check_status "a word in no seed" 1 "$PROTODEX" search бегемот
check_contains "no-match message" "$WORK/out" "no records match"

# Text output: the path, the title and a snippet with the matched word.
check_status "text output" 0 "$PROTODEX" search --limit 1 ВСОКО
check_contains "text output names the file" "$WORK/out" "$(cd "$PROTODEX_SEEDS" && pwd -P)/"
check_contains "text output has a snippet" "$WORK/out" "ВСОКО"

# JSON output: one valid object per line with the documented fields.
"$PROTODEX" search --format json объективность >"$WORK/json"
python3 - "$WORK/json" <<'PY' || fail "JSON output is not valid JSON Lines"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines, "no lines"
for i, line in enumerate(lines, 1):
    o = json.loads(line)
    for k in ("rank", "id", "type", "protocol", "path", "title", "kind", "municipality",
              "region", "date", "number", "decision_number", "ordinal", "text",
              "responsible", "responsible_text", "deadline_text", "deadline_kind",
              "deadline_from", "deadline_to", "agenda", "score", "percent", "snippet"):
        assert k in o, k
    assert o["rank"] == i
    assert len(o["protocol"]) == 16
    if o["type"] == "protocol":
        assert o["id"] == o["protocol"]
        assert "объективн" in o["snippet"].lower(), o["snippet"]
    else:
        assert o["id"].startswith(o["protocol"] + "-") and o["text"]
PY
pass

# Indexing again changes nothing and duplicates nothing.
before=$("$PROTODEX" search --limit 1000 --format json ОО OR протокол OR решили | wc -l)
check_status "re-index" 0 "$PROTODEX" index "$PROTODEX_SEEDS"
check_contains "re-index finds everything unchanged" "$WORK/err" "0 indexed, $n unchanged"
check_status "re-index --force" 0 "$PROTODEX" index --force "$PROTODEX_SEEDS"
check_contains "--force re-reads" "$WORK/err" "$n indexed, 0 unchanged"
after=$("$PROTODEX" search --limit 1000 --format json ОО OR протокол OR решили | wc -l)
check_eq "no duplicates after re-indexing" "$before" "$after"

# The same protocols as windows-1251, KOI8-R and .docx (runs split
# mid-word, as Word does): the same queries find every copy.
mkdir "$WORK/conv"
for f in "$PROTODEX_SEEDS"/*.txt; do
	b=$(basename "$f" .txt)
	"$PROTODEX_CORPUS" encode windows-1251 "$f" "$WORK/conv/$b-cp1251.txt" || fail "encode $b"
	"$PROTODEX_CORPUS" encode KOI8-R "$f" "$WORK/conv/$b-koi8.txt" 2>/dev/null || fail "encode $b"
	"$PROTODEX_CORPUS" docx --split-runs "$f" "$WORK/conv/$b-docx.docx" || fail "docx $b"
done
export PROTODEX_DB="$WORK/conv-db"
check_status "index the converted copies" 0 "$PROTODEX" index "$WORK/conv"
check_contains "every copy indexed" "$WORK/err" "$((3 * n)) indexed"
for q in объективность школам ВСОКО '"проверочная работа"' 'мониторинг NOT ВПР' ГИА-2022; do
	want=$(PROTODEX_DB="$WORK/default-db" search_names "$q" |
	       tr ' ' '\n' | sed '/^$/d' |
	       while read -r b; do printf '%s-cp1251\n%s-docx\n%s-koi8\n' "$b" "$b" "$b"; done |
	       sort | tr '\n' ' ')
	check_eq "converted copies found by '$q'" "$want" "$(search_names "$q")"
done

finish
