#!/bin/sh
# Incremental re-indexing cost: a full index of COUNT generated protocols,
# then 1% of the files changed and 1% new ones added, and `protodex index`
# run again (no arguments: the remembered roots).  Prints both wall times,
# their ratio and the run's summary counts, which must be exact.
#
#   sh bench/reindex.sh BUILD_DIR [COUNT]
set -eu
B=$(cd "${1:?usage: bench/reindex.sh BUILD_DIR [COUNT]}" && pwd)
COUNT=${2:-2000}
P="$B/protodex"
W=$(mktemp -d "${TMPDIR:-/tmp}/protodex-reindex.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export PROTODEX_DB="$W/db"

"$B/corpus/protodex-corpus" generate --out "$W/tree" --count "$COUNT" --seed 41 >/dev/null
rm -f "$W/tree/truth.jsonl"
t0=$(date +%s.%N)
"$P" index --quiet "$W/tree"
t1=$(date +%s.%N)

# 1% changed (text appended to .txt files), 1% new (copies under new names).
n=$((COUNT / 100))
find "$W/tree" -name '*.txt' | sort | head -n "$n" | while read -r f; do
	echo "Addendum $(basename "$f")." >>"$f"
done
find "$W/tree" -name 'protocol-*' | sort | tail -n "$n" | while read -r f; do
	cp "$f" "$(dirname "$f")/new-$(basename "$f")"
done
t2=$(date +%s.%N)
"$P" index --format json >"$W/summary.json"
t3=$(date +%s.%N)

python3 - "$t0" "$t1" "$t2" "$t3" "$W/summary.json" "$COUNT" "$n" <<'PY'
import json, sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
s = json.load(open(sys.argv[5]))
count, n = int(sys.argv[6]), int(sys.argv[7])
full, inc = t1 - t0, t3 - t2
print("| run | files | wall s |")
print("|---|---|---|")
print("| full index | %d | %.2f |" % (count, full))
print("| re-index, %d changed + %d new | %d | %.2f |" % (n, n, count + n, inc))
print("re-index / full: %.1f%%" % (100 * inc / full))
print("summary:", json.dumps(s))
exact = s["indexed"] == 2 * n and s["added"] == n and s["updated"] == n \
    and s["unchanged"] == count - n and s["removed"] == 0 and s["skipped"] == 0
print("counts exact:", "yes" if exact else "NO (expected %d indexed, %d unchanged)"
      % (2 * n, count - n))
sys.exit(0 if exact else 1)
PY
