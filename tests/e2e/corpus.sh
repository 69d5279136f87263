# A generated corpus (txt in several encodings and .docx): every protocol
# is indexed, and each of its distinctive phrases, taken from the
# generator's ground truth, finds it.
. "$(dirname "$0")/lib.sh"

C="$WORK/corpus"
check_status "generate a corpus" 0 "$PROTODEX_CORPUS" generate --out "$C" --count 60 --seed 7
# The ground truth is not a protocol: keep it out of the indexed tree.
mv "$C/truth.jsonl" "$WORK/truth.jsonl"
n=$(wc -l <"$WORK/truth.jsonl")
check_eq "the generator wrote 60 protocols" 60 "$n"
check_status "index it" 0 "$PROTODEX" index "$C"
check_contains "every protocol indexed" "$WORK/err" "$n indexed, 0 unchanged, 0 skipped"

# One phrase query per protocol; the protocol must be among the results.
python3 - "$WORK/truth.jsonl" >"$WORK/phrases" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    print(t["file"] + "\t" + t["phrases"][0])
PY
missing=0
while IFS="$(printf '\t')" read -r file phrase; do
	if ! "$PROTODEX" search --format json --limit 1000 "\"$phrase\"" | grep -qF "\"path\":\"$C/$file\""; then
		missing=$((missing + 1))
		echo "  not found by its phrase: $file: $phrase" >&2
	fi
done <"$WORK/phrases"
check_eq "each protocol found by its phrase" 0 "$missing"

# `export` parses each protocol's stored text again: its decisions are the
# index's decision records, those read from tables included (the stored
# record says which lines were table cells).
check_status "the corpus has decision tables" 0 grep -q '"placement": *"table"' "$WORK/truth.jsonl"
"$PROTODEX" export >"$WORK/exported" || fail "export"
"$PROTODEX" search --format json --limit 100000 type:decision >"$WORK/decisions" || fail "decisions"
python3 - "$WORK/exported" "$WORK/decisions" <<'PY' || fail "export's decisions are the index's"
import json, sys
indexed = {}
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    indexed.setdefault(d["protocol"], []).append((int(d["ordinal"]), d["text"]))
bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    p = json.loads(line)
    got = [d["text"] for d in p["decisions"]]
    want = [t for _, t in sorted(indexed.get(p["id"], []))]
    if got != want:
        bad += 1
        print(p["path"], len(got), "exported,", len(want), "indexed", file=sys.stderr)
assert bad == 0, bad
PY
pass

# Encodings and formats in the corpus are all represented and searchable.
for fmt in txt docx; do
	check_status "the corpus has .$fmt files" 0 grep -q "\"format\": *\"$fmt\"" "$WORK/truth.jsonl"
done
finish
