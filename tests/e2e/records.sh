# Decision records in the index: search, show, export and stats on the
# seeds, checked against the hand-written records in tests/expected/seeds.
. "$(dirname "$0")/lib.sh"
need_seeds

EXP="$TESTS_SRCDIR/expected/seeds"
check_status "index the seeds" 0 "$PROTODEX" index "$PROTODEX_SEEDS"
n_protocols=$(ls "$EXP"/*.json | wc -l)
n_decisions=$(python3 -c 'import json,sys; print(sum(len(json.load(open(f))["decisions"]) for f in sys.argv[1:]))' "$EXP"/*.json)

# stats: the counts and the municipalities of the expected records.
check_status "stats" 0 "$PROTODEX" stats
check_contains "protocols counted" "$WORK/out" "protocols: $n_protocols"
check_contains "decisions counted" "$WORK/out" "decisions: $n_decisions"
for f in "$EXP"/*.json; do
	m=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["municipality"])' "$f")
	check_contains "stats lists $m" "$WORK/out" "$m"
done
check_status "stats --format json" 0 "$PROTODEX" stats --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["protocols"] == int(sys.argv[2]), d' \
	"$WORK/out" "$n_protocols" || fail "stats JSON"

# export json: one protocol per line, each equal to its expected record.
check_status "export json" 0 "$PROTODEX" export
check_eq "one line per protocol" "$n_protocols" "$(wc -l <"$WORK/out")"
python3 "$TESTS_SRCDIR/e2e/compare_records.py" "$WORK/out" "$EXP" >"$WORK/diff" ||
	{ fail "exported records differ"; cat "$WORK/diff" >&2; }

# export csv: a decision per row, readable by a spreadsheet-grade parser.
check_status "export csv" 0 "$PROTODEX" export --format csv
python3 - "$WORK/out" "$n_decisions" <<'PY' || fail "CSV export"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
assert all(r["decision_id"].startswith(r["protocol_id"] + "-") for r in rows)
assert any("\n" in r["text"] or "," in r["text"] for r in rows), "quoting untested"
assert {r["deadline_kind"] for r in rows} >= {"date", "range", "permanent", "event", "none"}
PY
pass
check_status "export with a query" 0 "$PROTODEX" export ВСОКО
check_eq "only protocols that mention ВСОКО" \
	"$(python3 "$TESTS_SRCDIR/e2e/expect.py" "$PROTODEX_SEEDS" '(?<![а-я])ВСОКО' | wc -w)" \
	"$(wc -l <"$WORK/out")"
check_status "export of nothing" 1 "$PROTODEX" export бегемот

# search: decisions are records with normalised deadlines.
"$PROTODEX" search --format json --limit 100 ВПР объективность >"$WORK/hits" ||
	fail "search ВПР объективность"
python3 - "$WORK/hits" <<'PY' || fail "decision records in search results"
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
dec = [h for h in hits if h["type"] == "decision"]
assert len(dec) >= 2, hits
for h in dec:
    assert h["path"].endswith(".txt") and "002_" in h["path"], h["path"]
    assert h["deadline_kind"] in ("date", "range", "permanent", "event", "none")
    if h["deadline_kind"] == "date":
        assert h["deadline_from"] == h["deadline_to"] and len(h["deadline_from"]) == 10
    assert h["id"].startswith(h["protocol"] + "-")
PY
pass

# show: a protocol with its structure, a decision with its protocol.
pid=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["protocol"])' "$WORK/hits")
check_status "show a protocol" 0 "$PROTODEX" show "$pid"
check_contains "show prints decisions" "$WORK/out" "decisions:"
check_status "show --format json" 0 "$PROTODEX" show --format json "$pid"
python3 "$TESTS_SRCDIR/e2e/compare_records.py" "$WORK/out" "$EXP" >"$WORK/diff" ||
	{ fail "shown record differs"; cat "$WORK/diff" >&2; }
check_status "show a decision" 0 "$PROTODEX" show "$pid-3"
check_contains "the decision's protocol metadata" "$WORK/out" "Мегион"
check_status "show an unknown id" 1 "$PROTODEX" show 0000000000000000
check_contains "names the id" "$WORK/err" "0000000000000000"
check_status "show --help" 0 "$PROTODEX" show --help

# A municipality the gazetteer does not know is kept as written and listed.
mkdir "$WORK/unknown"
printf 'ПРОТОКОЛ\nсовещания руководителей ОО Нижнезадонского муниципального округа\nот 01.02.2023\nРешили:\n1. Провести мониторинг.\nСрок: до 01.03.2023\n' \
	>"$WORK/unknown/p.txt"
check_status "index it" 0 "$PROTODEX" index --db "$WORK/db2" "$WORK/unknown"
check_status "stats" 0 "$PROTODEX" stats --db "$WORK/db2"
check_contains "unknown municipality listed" "$WORK/out" "not in the gazetteer"
check_contains "kept as written" "$WORK/out" "Нижнезадонского муниципального округа"

finish
