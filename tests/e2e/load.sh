# A first load by several threads gives the database one thread gives:
# the same records in the same order, the same skipped files, nothing left
# beside it; what a killed load left is cleared.  Searches take the words'
# keys from the database's word list, without the dictionary, and a
# decision's record has its protocol's fields.
. "$(dirname "$0")/lib.sh"

C="$WORK/tree"
"$PROTODEX_CORPUS" generate --out "$C" --count 240 --seed 41 \
	--formats txt,docx,odt,rtf,html --uploads >/dev/null || fail "generate"
rm -f "$C/truth.jsonl"
printf 'PK\003\004broken' >"$C/broken.docx"   # one bad file, reported
: >"$C/empty.txt"

check_status "one thread" 5 "$PROTODEX" index --jobs 1 --db "$WORK/one" "$C"
check_status "three threads" 5 "$PROTODEX" index --jobs 3 --db "$WORK/three" "$C"
check_contains "the bad file is named" "$WORK/err" "broken.docx"

export_all() {
	"$PROTODEX" export --db "$1" --format json
}
export_all "$WORK/one" >"$WORK/one.jsonl"
export_all "$WORK/three" >"$WORK/three.jsonl"
check_eq "protocols exported" "240" "$(wc -l <"$WORK/one.jsonl" | tr -d ' ')"
check_eq "three threads export what one does" "$(md5sum <"$WORK/one.jsonl")" \
	"$(md5sum <"$WORK/three.jsonl")"
# records in the same order: search results sorted by relevance tie by docid
q='объективность OR ВПР OR наставничество'
check_eq "same ranking" \
	"$("$PROTODEX" search --db "$WORK/one" --format csv --limit 500 "$q" | md5sum)" \
	"$("$PROTODEX" search --db "$WORK/three" --format csv --limit 500 "$q" | md5sum)"
check_eq "same skipped files" "$("$PROTODEX" stats --db "$WORK/one" --errors)" \
	"$("$PROTODEX" stats --db "$WORK/three" --errors)"
text_bytes() {
	"$PROTODEX" stats --db "$1" --format json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["text_bytes"])'
}
check_eq "same extracted text" "$(text_bytes "$WORK/one")" "$(text_bytes "$WORK/three")"
[ "$(text_bytes "$WORK/one")" -gt 240000 ] || fail "text_bytes too small: $(text_bytes "$WORK/one")"
check_status "the merged database checks" 0 protodex_check --db "$WORK/three"
# On a terminal the status line says when the runs are merged.
if command -v script >/dev/null 2>&1; then
	script -qec "'$PROTODEX' index --jobs 3 --db '$WORK/tty' '$C'" /dev/null \
		>"$WORK/tty.out" 2>&1
	check_contains "a terminal is told of the merge" "$WORK/tty.out" "merging"
	check_contains "and then of the result" "$WORK/tty.out" "240 indexed"
else
	echo "note: no script(1): the terminal's status line is not checked" >&2
fi
check_eq "nothing left beside the databases" "" \
	"$(ls "$WORK" | grep -E '\.(load|compact)-' || true)"

# A later run adds to the loaded database one file after another.
"$PROTODEX_CORPUS" generate --out "$C/later" --count 3 --seed 42 >/dev/null
rm -f "$C/later/truth.jsonl"
check_status "a later run" 5 "$PROTODEX" index --jobs 3 --db "$WORK/three" --format json "$C"
check_eq "the later run adds three" "3" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["added"])' "$WORK/out")"

# What a killed load left is removed by the next first load.
mkdir -p "$WORK/killed.load-999999/000000" "$WORK/killed.compact-999999"
check_status "a first load after a killed one" 5 "$PROTODEX" index --jobs 2 --db "$WORK/killed" "$C"
check_eq "the killed load's parts are gone" "" \
	"$(ls "$WORK" | grep -E '^killed\.(load|compact)-' || true)"

# A run killed while Xapian created the database left its tables but not
# its version file: the next run creates it again.  A directory holding
# anything else is not touched.
mkdir "$WORK/unfinished" "$WORK/foreign"
cp "$WORK/one"/*.glass "$WORK/unfinished/"
: >"$WORK/unfinished/flintlock"
check_status "a creation cut short is started again" 5 "$PROTODEX" index --db "$WORK/unfinished" "$C"
check_eq "and then holds everything" \
	"$("$PROTODEX" search --db "$WORK/three" --count type:protocol)" \
	"$("$PROTODEX" search --db "$WORK/unfinished" --count type:protocol)"
cp "$WORK/one/postlist.glass" "$WORK/foreign/"
echo mine >"$WORK/foreign/notes.txt"
check_status "a directory with other files is refused" 3 "$PROTODEX" index --db "$WORK/foreign" "$C"
check_eq "and kept as it was" "mine" "$(cat "$WORK/foreign/notes.txt")"

# Searches: words the corpus has come from the database's word list, in
# any case; a word it lacks is worked out.
explain() {
	"$PROTODEX" search --db "$WORK/three" --explain --format json "$1" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["words_known"], d["words_worked_out"])'
}
for q in объективности 'руководителям ОО' 'мо:андреапольского' 'школам ВПР'; do
	set -- $(explain "$q")
	check_eq "'$q': no word worked out" "0" "$2"
done
set -- $(explain 'шмоткобразность')
check_eq "an unknown word is worked out" "1" "$2"

# A decision's record carries its protocol's fields.
"$PROTODEX" search --db "$WORK/three" --format json --limit 1 'type:decision' >"$WORK/dec"
python3 - "$WORK/dec" <<'PY' || fail "a decision lacks its protocol's fields"
import json, sys
d = json.loads(open(sys.argv[1]).readline())
missing = [k for k in ("path", "title", "municipality", "date") if not d.get(k)]
sys.exit(1 if missing or d["type"] != "decision" else 0)
PY
id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$WORK/dec" | head -1)
"$PROTODEX" show --db "$WORK/three" "$id" >"$WORK/show"
check_contains "show: the decision names its file" "$WORK/show" "$C/"

finish
