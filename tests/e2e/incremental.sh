# Scheduled re-indexing: remembered roots, only what changed, files gone
# removed; searches during a run never fail nor go back; a second run waits
# or is refused by name; SIGTERM commits and stops; SIGKILL at any moment
# leaves a database that opens, and the next run completes it exactly.
. "$(dirname "$0")/lib.sh"

C="$WORK/tree"
"$PROTODEX_CORPUS" generate --out "$C" --count 300 --seed 31 >/dev/null || fail "generate"
rm -f "$C/truth.jsonl"

# ids DB: every record id, sorted.
ids() {
	"$PROTODEX" search --db "$1" --format json --limit 1000000 'type:protocol OR type:decision' |
		sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | sort
}
summary() { # the JSON summary's field $2 of the file $1
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

check_status "first run" 0 "$PROTODEX" index --format json "$C"
check_eq "first run: all indexed" "300" "$(summary "$WORK/out" indexed)"
check_status "no PATH: the remembered roots" 0 "$PROTODEX" index --format json
check_eq "nothing changed" "300 0 0" \
	"$(summary "$WORK/out" unchanged) $(summary "$WORK/out" indexed) $(summary "$WORK/out" removed)"

# One file changed, one added, one deleted.
changed=$(ls "$C"/*/protocol-*.txt | head -1)
# (ASCII: the file may be in windows-1251 or KOI8-R)
echo "Addendum revisedplan2026." >>"$changed"
cp "$(ls "$C"/*/protocol-00004.* | head -1)" "$(dirname "$changed")/новый-протокол.txt"
gone=$(ls "$C"/*/protocol-00006.* | head -1)
rm "$gone"
check_status "re-index" 0 "$PROTODEX" index --format json
check_eq "re-index: counts" "2 1 1 298 1 0" "$(summary "$WORK/out" indexed) $(summary "$WORK/out" added) $(summary "$WORK/out" updated) $(summary "$WORK/out" unchanged) $(summary "$WORK/out" removed) $(summary "$WORK/out" skipped)"
check_eq "the deleted file's records are gone" "0" \
	"$("$PROTODEX" search --count "path:$(basename "$gone")")"
check_eq "the change is searchable" "1" "$("$PROTODEX" search --count 'revisedplan2026 type:protocol')"

# A file touched but not changed is not parsed again.
touch -d '2030-01-01' "$(ls "$C"/*/protocol-00012.* | head -1)"
check_status "re-index after a touch" 0 "$PROTODEX" index --format json
check_eq "touched: unchanged" "0 300" "$(summary "$WORK/out" indexed) $(summary "$WORK/out" unchanged)"

# A file uploaded again under another name is known by its bytes.
old=$(ls "$C"/*/protocol-00010.* | head -1)
new="$(dirname "$old")/Протокол 10 (копия).${old##*.}"
mv "$old" "$new"
check_status "re-index after a rename" 0 "$PROTODEX" index --format json
check_eq "rename: counts" "1 1 0" "$(summary "$WORK/out" indexed) $(summary "$WORK/out" renamed) $(summary "$WORK/out" removed)"
check_eq "rename: the old path has no records" "0" "$("$PROTODEX" search --count "path:$(basename "$old")")"
check_eq "rename: the new path has the protocol" "1" \
	"$("$PROTODEX" search --count "type:protocol path:\"$(basename "$new")\"")"
ids "$PROTODEX_DB" >"$WORK/ids-incremental"
"$PROTODEX" index --quiet --db "$WORK/fresh" "$C"
ids "$WORK/fresh" >"$WORK/ids-fresh"
check_eq "incremental equals a fresh index" "$(md5sum <"$WORK/ids-fresh")" "$(md5sum <"$WORK/ids-incremental")"

# A large run, for the rest.
B="$WORK/big"
# More than one batch (1000 files) so that a run can be met half-way.
"$PROTODEX_CORPUS" generate --out "$B" --count 1400 --seed 32 >/dev/null || fail "generate big"
rm -f "$B/truth.jsonl"
"$PROTODEX" index --quiet --db "$WORK/reference" "$B"
ids "$WORK/reference" >"$WORK/ids-reference"

# wait_first_batch DB PID: until the run PID has committed something.
wait_first_batch() {
	while kill -0 "$2" 2>/dev/null &&
		[ "$("$PROTODEX" search --db "$1" --count type:protocol 2>/dev/null || echo 0)" = "${3:-0}" ]; do
		sleep 0.05
	done
}

# Searches during a run: none fails, the count never goes down.
D="$WORK/concurrent"
"$PROTODEX" index --quiet --db "$D" "$C"
n0=$("$PROTODEX" search --db "$D" --count type:protocol)
"$PROTODEX" index --quiet --db "$D" "$B" &
ix=$!
last=$n0
bad=""
while kill -0 $ix 2>/dev/null; do
	n=$("$PROTODEX" search --db "$D" --count type:protocol 2>>"$WORK/search-err") ||
		{ bad="a search failed: $(tail -1 "$WORK/search-err")"; break; }
	[ "$n" -ge "$last" ] || { bad="count went down from $last to $n"; break; }
	last=$n
done
wait $ix
check_eq "searches during indexing" "" "$bad"
check_eq "after the run" "$((n0 + 1400))" "$("$PROTODEX" search --db "$D" --count type:protocol)"

# A second run while one writes: refused at once naming the first, or waits.
rm -rf "$WORK/locked"
"$PROTODEX" index --quiet --db "$WORK/locked" "$B" &
ix=$!
wait_first_batch "$WORK/locked" $ix
"$PROTODEX" index --db "$WORK/locked" "$C" >"$WORK/out" 2>"$WORK/err"
s=$?
if [ $s -eq 4 ]; then
	pass
	check_contains "the refusal names the holder" "$WORK/err" "being written by another 'protodex index' (process $ix"
	check_status "a second run with --wait waits" 0 "$PROTODEX" index --quiet --wait 300 --db "$WORK/locked" "$C"
elif [ $s -eq 0 ] && ! kill -0 $ix 2>/dev/null; then
	echo "note: the first run ended before a second could meet it" >&2
else
	fail "a second run during the first: exit status $s, expected 4"
fi
wait $ix
check_eq "both runs' records, no duplicates" "$((1400 + 300))" \
	"$("$PROTODEX" search --db "$WORK/locked" --count type:protocol)"
check_status "check after concurrent runs" 0 protodex_check --db "$WORK/locked"

# SIGTERM: commit what was done, exit 143; the next run completes it.
rm -rf "$WORK/term"
"$PROTODEX" index --quiet --db "$WORK/term" "$B" 2>"$WORK/term-err" &
ix=$!
wait_first_batch "$WORK/term" $ix
kill -TERM $ix
wait $ix
s=$?
if [ $s -eq 143 ]; then
	pass
	check_contains "SIGTERM: says so" "$WORK/term-err" "stopped by SIGTERM"
else
	check_eq "SIGTERM: exit 143 (or 0 if it had finished)" "0" "$s"
fi
check_status "SIGTERM: the database is sound" 0 protodex_check --db "$WORK/term"
check_status "SIGTERM: the next run" 0 "$PROTODEX" index --quiet --db "$WORK/term"
check_eq "SIGTERM: then the same records as without it" "$(md5sum <"$WORK/ids-reference")" \
	"$(ids "$WORK/term" | md5sum)"

# SIGKILL at several moments: the database opens and answers after each;
# the last run yields exactly the records of an uninterrupted run.
rm -rf "$WORK/kill"
for delay in 0.2 0.9 1.8 2.7; do
	"$PROTODEX" index --quiet --db "$WORK/kill" "$B" 2>/dev/null &
	ix=$!
	sleep $delay
	kill -KILL $ix 2>/dev/null
	wait $ix 2>/dev/null
	if [ -d "$WORK/kill" ]; then
		"$PROTODEX" search --db "$WORK/kill" --count type:protocol >/dev/null 2>"$WORK/kill-err"
		s=$?
		[ $s -le 1 ] || grep -q "no database" "$WORK/kill-err" ||
			fail "after SIGKILL at ${delay}s: search exit $s: $(cat "$WORK/kill-err")"
	fi
done
check_status "SIGKILL: the final run" 0 "$PROTODEX" index --quiet --db "$WORK/kill" "$B"
check_eq "SIGKILL: the same records as an uninterrupted run" "$(md5sum <"$WORK/ids-reference")" \
	"$(ids "$WORK/kill" | md5sum)"
check_status "SIGKILL: check" 0 protodex_check --db "$WORK/kill"

finish
