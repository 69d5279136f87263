# protodex compact and protodex check: compaction keeps every answer and
# never interrupts searches; check finds damaged tables.
. "$(dirname "$0")/lib.sh"

C="$WORK/corpus"
"$PROTODEX_CORPUS" generate --out "$C" --count 400 --seed 5 >/dev/null || fail "generate"
mv "$C/truth.jsonl" "$WORK/"
check_status "index" 0 "$PROTODEX" index "$C"
# A first load is compacted as it is merged; a change makes work for compact.
"$PROTODEX_CORPUS" generate --out "$C/extra" --count 2 --seed 7 >/dev/null || fail "generate"
rm -f "$C/extra/truth.jsonl"
check_status "index a change" 0 "$PROTODEX" index --quiet "$C"

check_status "check a sound database" 0 protodex_check
check_contains "check counts the records" "$WORK/out" "protocols"
check_contains "check: tables ok" "$WORK/out" "tables:     ok"

"$PROTODEX" search --format json --limit 100000 'ВПР type:decision' >"$WORK/before.json"
"$PROTODEX" search --by municipality ВСОКО >"$WORK/before-by"

# Searches in a loop while compact runs: none may fail or lose records.
n_before=$("$PROTODEX" search --count 'type:decision OR type:protocol')
(
	i=0
	while [ ! -e "$WORK/stop" ] && [ $i -lt 2000 ]; do
		n=$("$PROTODEX" search --count 'type:decision OR type:protocol' 2>>"$WORK/loop-err") ||
			echo "search failed" >>"$WORK/loop-err"
		[ "$n" = "$n_before" ] || echo "count $n, expected $n_before" >>"$WORK/loop-err"
		i=$((i + 1))
	done
) &
loop=$!
check_status "compact" 0 "$PROTODEX" compact
check_contains "compact says what it did" "$WORK/err" "compacted"
check_status "compact again" 0 "$PROTODEX" compact
check_contains "unchanged since: nothing to do" "$WORK/err" "nothing to do"
check_status "compact --quiet" 0 "$PROTODEX" compact --quiet
check_eq "compact --quiet prints nothing" "" "$(cat "$WORK/err")"
# A scheduled run that finds nothing new changes nothing: no compaction due.
check_status "index with nothing new" 0 "$PROTODEX" index --quiet "$C"
check_status "compact after it" 0 "$PROTODEX" compact
check_contains "nothing to do after an index run that changed nothing" "$WORK/err" \
	"nothing to do"
touch "$WORK/stop"
wait $loop
check_eq "searches during compaction all answered in full" "" "$(cat "$WORK/loop-err" 2>/dev/null)"
check_eq "no copy left beside the database" "" "$(ls -d "$PROTODEX_DB".compact-* 2>/dev/null)"

"$PROTODEX" search --format json --limit 100000 'ВПР type:decision' >"$WORK/after.json"
check_eq "the same records after compaction" "$(md5sum <"$WORK/before.json")" \
	"$(md5sum <"$WORK/after.json")"
check_eq "the same facets after compaction" "$(cat "$WORK/before-by")" \
	"$("$PROTODEX" search --by municipality ВСОКО)"
check_status "check after compaction" 0 protodex_check

# An index run holds the writer's lock: compact refuses with status 4.
"$PROTODEX_CORPUS" generate --out "$WORK/more" --count 2500 --seed 6 >/dev/null
rm -f "$WORK/more/truth.jsonl"
n0=$("$PROTODEX" search --count type:protocol)
"$PROTODEX" index --quiet "$WORK/more" 2>"$WORK/ix-err" &
ix=$!
# It holds the lock once its first batch is committed (and searchable).
while kill -0 $ix 2>/dev/null &&
	[ "$("$PROTODEX" search --count type:protocol 2>/dev/null)" = "$n0" ]; do
	sleep 0.1
done
locked=""
while kill -0 $ix 2>/dev/null; do
	"$PROTODEX" compact --quiet 2>"$WORK/lock-err"
	s=$?
	if [ $s -eq 4 ]; then locked=yes; break; fi
	[ $s -eq 0 ] || { fail "compact during indexing: status $s"; break; }
done
wait $ix
check_eq "the index run was not disturbed" "0" "$?"
if [ -n "$locked" ]; then
	pass
	check_contains "the lock message says why" "$WORK/lock-err" "being written by an index run"
else
	echo "note: the index run ended before compact could meet its lock" >&2
fi
check_status "check after both" 0 protodex_check

# A damaged table: check says so, with status 3.
cp -r "$PROTODEX_DB" "$WORK/broken"
f=$(ls "$WORK"/broken/postlist.* | head -1)
truncate -s $(($(stat -c %s "$f") / 2)) "$f"
check_status "check a damaged database" 3 protodex_check --db "$WORK/broken"
check_contains "check names the damaged database" "$WORK/err" "/broken"

check_status "compact without a database" 3 "$PROTODEX" compact --db "$WORK/none"
check_status "check --help" 0 protodex_check --help
check_status "compact --help" 0 "$PROTODEX" compact --help
check_status "compact with an argument" 2 "$PROTODEX" compact extra

finish
