#!/bin/sh
# Query latency: one local database against the same corpus split by
# region into 3 shards served by `protodex serve` (xapian-tcpsrv) on
# loopback.  Each query runs as a fresh `protodex search` process, as a
# script would; p50 and p95 over REPEAT runs of every query.
#
#   sh bench/shards.sh BUILD_DIR [COUNT] [REPEAT]
set -eu
B=$(cd "${1:?usage: bench/shards.sh BUILD_DIR [COUNT] [REPEAT]}" && pwd)
COUNT=${2:-2000}
REPEAT=${3:-5}
P="$B/protodex"
W=$(mktemp -d "${TMPDIR:-/tmp}/protodex-shards.XXXXXX")
pids=""
trap 'kill $pids 2>/dev/null; rm -rf "$W"' EXIT INT TERM

"$B/corpus/protodex-corpus" generate --out "$W/c" --count "$COUNT" --seed 11 >/dev/null
mv "$W/c/truth.jsonl" "$W/"
"$P" index --quiet --db "$W/all" "$W/c"
python3 - "$W/truth.jsonl" >"$W/groups" <<'PY'
import json, sys
region = {}
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    region[t["file"].split("/")[0]] = t["region"]
regions = sorted(set(region.values()))
for d, r in sorted(region.items()):
    print(regions.index(r) % 3, d)
PY
base=$((30000 + $$ % 20000))
for k in 0 1 2; do
	# shellcheck disable=SC2046
	"$P" index --quiet --db "$W/s$k" $(awk -v k=$k -v c="$W/c" '$1 == k { print c "/" $2 }' "$W/groups")
	"$P" serve --quiet --db "$W/s$k" --port $((base + k)) &
	pids="$pids $!"
	echo "remote 127.0.0.1:$((base + k))" >>"$W/stub"
done
sleep 1

cat >"$W/queries" <<'Q'
ВПР
объективности
"проверочных работ"
ВСОКО OR наставничество
type:decision мо:Кашинского
регион:Тверская тип:протокол
due:..2021-12-01 ВПР
срок:2022-12
--count type:decision
--by municipality ВПР
--sort due type:decision due:2022
Q

python3 - "$P" "$W" "$REPEAT" <<'PY'
import shlex, statistics, subprocess, sys, time
p, w, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = [l.strip() for l in open(w + "/queries", encoding="utf-8") if l.strip()]
def run(db):
    times = []
    for q in queries:
        args = shlex.split(q)
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([p, "search", "--db", db] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]
one = run(w + "/all")
three = run(w + "/stub")
print("| database | p50 ms | p95 ms |")
print("|---|---|---|")
print("| one local database | %.1f | %.1f |" % one)
print("| 3 remote shards (loopback) | %.1f | %.1f |" % three)
print("| ratio remote / local | %.2f | %.2f |" % (three[0] / one[0], three[1] / one[1]))
PY
