# Protocol anatomy on the real protocols: every field of every seed equals
# its hand-written record in tests/expected/seeds, read as plain text and
# as .docx; and the decision records are searchable.
. "$(dirname "$0")/lib.sh"
need_seeds

check_status "parse the seeds" 0 "$PROTODEX" parse --format json "$PROTODEX_SEEDS"/*.txt
cp "$WORK/out" "$WORK/parsed.jsonl"
python3 "$TESTS_SRCDIR/e2e/compare_records.py" "$WORK/parsed.jsonl" "$TESTS_SRCDIR/expected/seeds" \
	>"$WORK/diff" 2>&1 || { fail "parsed records differ from the expected ones"; cat "$WORK/diff" >&2; }
pass

# The same protocols as .docx (runs split mid-word): the same records.
mkdir "$WORK/docx"
for f in "$PROTODEX_SEEDS"/*.txt; do
	"$PROTODEX_CORPUS" docx --split-runs "$f" "$WORK/docx/$(basename "$f" .txt).docx" ||
		fail "convert $f"
done
"$PROTODEX" parse --format json "$WORK/docx"/*.docx >"$WORK/parsed-docx.jsonl" ||
	fail "parse the .docx copies"
python3 "$TESTS_SRCDIR/e2e/compare_records.py" "$WORK/parsed-docx.jsonl" "$TESTS_SRCDIR/expected/seeds" \
	>"$WORK/diff" 2>&1 || { fail ".docx records differ"; cat "$WORK/diff" >&2; }
pass

check_status "parse --help" 0 "$PROTODEX" parse --help
check_status "parse a missing file" 5 "$PROTODEX" parse "$WORK/none.txt"
check_contains "names the missing file" "$WORK/err" "$WORK/none.txt"
check_status "text output" 0 "$PROTODEX" parse "$PROTODEX_SEEDS"/001_*.txt
check_contains "text output shows deadlines" "$WORK/out" "срок:"

finish
