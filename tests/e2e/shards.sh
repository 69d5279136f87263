# Shards: a generated corpus indexed into one database and, split by
# region, into three shards served by xapian-tcpsrv on loopback.  Every
# query gives the same answer from the shards (through a stub database
# file, and as local --db shards) as from the one database; a stopped
# server is named in the error, or left out with --allow-partial.
. "$(dirname "$0")/lib.sh"

command -v xapian-tcpsrv >/dev/null || { echo "SKIP: xapian-tcpsrv not installed" >&2; exit 77; }

C="$WORK/corpus"
"$PROTODEX_CORPUS" generate --out "$C" --count 300 --seed 8 >/dev/null || fail "generate"
mv "$C/truth.jsonl" "$WORK/"
check_status "index everything into one database" 0 "$PROTODEX" index --db "$WORK/all" "$C"

# Municipality directories grouped by region, the regions dealt to 3 shards.
python3 - "$WORK/truth.jsonl" >"$WORK/groups" <<'PY'
import json, sys
region = {}
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    region[t["file"].split("/")[0]] = t["region"]
regions = sorted(set(region.values()))
for d, r in sorted(region.items()):
    print(regions.index(r) % 3, d)
PY
for k in 0 1 2; do
	dirs=$(awk -v k=$k -v c="$C" '$1 == k { print c "/" $2 }' "$WORK/groups")
	# shellcheck disable=SC2086
	check_status "index shard $k" 0 "$PROTODEX" index --db "$WORK/shard$k" $dirs
done

# Three servers on free loopback ports.
base=$((20000 + $$ % 20000))
for k in 0 1 2; do
	port=$((base + k))
	"$PROTODEX" serve --db "$WORK/shard$k" --port $port --quiet 2>"$WORK/serve$k.err" &
	eval "pid$k=$!"
	echo "remote 127.0.0.1:$port" >>"$WORK/stub"
done
trap 'kill $pid0 $pid1 $pid2 2>/dev/null; rm -rf "$WORK"' EXIT
for k in 0 1 2; do
	n=0
	until "$PROTODEX" search --db "tcp://127.0.0.1:$((base + k))" --count type:protocol >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 50 ] || { fail "server $k did not start"; cat "$WORK/serve$k.err" >&2; break; }
		sleep 0.1
	done
done

# compare DESCRIPTION ARGS...: the same answer from the one database, from
# the stub (remote shards) and from the local shards.
compare() {
	desc=$1
	shift
	mode=""
	while [ "$1" = "--page" ] || [ "$1" = "--sorted" ]; do
		mode="$mode ${1#--}"
		shift
	done
	"$PROTODEX" search --db "$WORK/all" "$@" >"$WORK/one" 2>&1
	s1=$?
	"$PROTODEX" search --db "$WORK/stub" "$@" >"$WORK/remote" 2>&1
	s2=$?
	"$PROTODEX" search --db "$WORK/shard0" --db "$WORK/shard1" --db "$WORK/shard2" "$@" \
		>"$WORK/local" 2>&1
	s3=$?
	for f in one remote local; do
		# shellcheck disable=SC2086
		python3 "$TESTS_SRCDIR/e2e/shard_key.py" $mode <"$WORK/$f" >"$WORK/$f.key"
	done
	if [ "$s1" = "$s2" ] && [ "$s1" = "$s3" ] && cmp -s "$WORK/one.key" "$WORK/remote.key" &&
		cmp -s "$WORK/one.key" "$WORK/local.key" && [ -s "$WORK/one.key" ]; then
		pass
	else
		fail "$desc: status $s1/$s2/$s3"
		diff "$WORK/one.key" "$WORK/remote.key" | head -5 >&2
	fi
}

J="--format json --limit 100000"
# shellcheck disable=SC2086
{
compare "text" $J ВПР
compare "inflected text" $J объективности
compare "phrase" $J '"проверочных работ"'
compare "abbreviation long form" $J 'всероссийских проверочных работ'
compare "OR and NOT" $J '(ВСОКО OR наставничество) NOT ШНОР'
compare "exclusion alone" --count -- -ВПР
compare "municipality field" $J 'type:decision мо:Кашинского'
compare "region field" $J 'регион:Тверская тип:протокол'
compare "responsible field" $J 'ответственный:"руководителям ОО" type:decision'
compare "meeting date range" $J 'date:2021-09..2022-05 type:protocol'
compare "deadline by" $J 'due:..2021-12-01'
compare "deadline month" $J 'срок:2022-12'
compare "deadline kind" $J 'due:permanent'
compare "overdue" $J --as-of 2022-06-01 'due:overdue ВПР'
compare "count" --count 'type:decision'
compare "count with fields" --count 'ШНОР дата:2022'
compare "facet municipality" --by municipality type:decision
compare "facet region, year" --by region,year ВПР
compare "facet responsible" --by responsible --format json type:decision
compare "sort by date" --sorted --format json --limit 100000 --sort date type:protocol
compare "sort by due" --sorted --format json --limit 100000 --sort due 'type:decision due:2020..2024'
compare "top of the ranking" --page --format json --limit 5 объективность
compare "paging" --page --sorted --format json --offset 10 --limit 10 --sort date type:protocol
}

# A stopped server: the error names it, within the time-out.
kill $pid1
wait $pid1 2>/dev/null
check_status "a shard down" 3 "$PROTODEX" search --db "$WORK/stub" --timeout 2 ВПР
check_contains "the error names the shard" "$WORK/err" "127.0.0.1:$((base + 1))"
check_status "--allow-partial goes on" 0 "$PROTODEX" search --db "$WORK/stub" --timeout 2 \
	--allow-partial --count type:protocol
check_contains "a partial result says which shard is missing" "$WORK/err" "127.0.0.1:$((base + 1))"
n_all=$("$PROTODEX" search --db "$WORK/all" --count type:protocol)
n_part=$(cat "$WORK/out")
check_status "the partial count is smaller" 0 test "$n_part" -lt "$n_all"
check_status "a bad remote address" 3 "$PROTODEX" search --db tcp://nowhere ВПР

# A shard built by another analyzer is refused by name, never mixed in.
PROTODEX_ANALYZER=snowball "$PROTODEX" index --quiet --db "$WORK/other" "$C/$(head -1 "$WORK/groups" | cut -d' ' -f2)" ||
	fail "index with the Snowball analyzer"
check_status "a shard of another analyzer" 3 "$PROTODEX" search --db "$WORK/shard0" --db "$WORK/other" ВПР
check_contains "the refusal names the shard" "$WORK/err" "$WORK/other"
check_status "--allow-partial does not take it either" 3 "$PROTODEX" search --allow-partial \
	--db "$WORK/shard0" --db "$WORK/other" ВПР

finish
