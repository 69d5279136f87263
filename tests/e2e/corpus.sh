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

# Encodings and formats in the corpus are all represented and searchable.
for fmt in txt docx; do
	check_status "the corpus has .$fmt files" 0 grep -q "\"format\": *\"$fmt\"" "$WORK/truth.jsonl"
done
finish
