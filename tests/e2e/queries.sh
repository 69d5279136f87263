# The query language on a generated corpus: fields, date and deadline
# ranges, boolean operators, --count, --by, --sort and CSV give exactly the
# records the generator's ground truth says, for analysts' questions that
# tests/e2e/analyst_queries.py builds and answers from truth.jsonl.
. "$(dirname "$0")/lib.sh"
QUERIES="$(dirname "$0")/analyst_queries.py"

C="$WORK/corpus"
# Seed 1, 300 protocols: the parser reads the structure of every record
# these queries select as the truth has it (bench/accuracy.py lists the
# few records it reads otherwise; none is in an answer).
check_status "generate a corpus" 0 "$PROTODEX_CORPUS" generate --out "$C" --count 300 --seed 1
# The ground truth is not a protocol: keep it out of the indexed tree.
mv "$C/truth.jsonl" "$WORK/truth.jsonl"
check_status "index it" 0 "$PROTODEX" index --db "$WORK/db" "$C"
check_contains "every protocol indexed" "$WORK/err" "300 indexed, 0 unchanged, 0 skipped"

# One line per query ("ok" or "FAIL" and what differs), then "N queries, M failed".
python3 "$QUERIES" --protodex "$PROTODEX" --db "$WORK/db" --corpus "$C" "$WORK/truth.jsonl"
check_eq "every analyst query answered exactly" 0 "$?"

# The generated texts hold commas but no double quotes: CSV quoting of
# both, on a protocol written here.
mkdir "$WORK/quotes"
cat >"$WORK/quotes/p.txt" <<'EOF'
ПРОТОКОЛ № 3
совещания руководителей ОО Кашинского городского округа
от 12.10.2022
Решили:
1. Руководителям ОО:
1.1. Провести "круглый стол", обсудить итоги ВПР.
Срок: до 01.12.2022
1.2. Направить отчёт в МБОУ "Кашинская СОШ № 1", копию – в отдел образования.
Срок: декабрь 2022
EOF
check_status "index the protocol with quotes" 0 "$PROTODEX" index --db "$WORK/db-quotes" "$WORK/quotes"
check_status "CSV with quotes and commas equals JSON" 0 \
	python3 "$QUERIES" --protodex "$PROTODEX" --db "$WORK/db-quotes" --csv-query 'type:decision срок:2022-12'

finish
