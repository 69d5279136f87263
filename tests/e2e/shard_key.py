"""The part of a `protodex search` output that must not depend on how the
database is split into shards.

Records with the same sort key may come in any order: that order follows
Xapian's document ids, which differ between one database and shards.  The
sort key is the score, or with the argument "sorted" (--sort date, due) the
meeting date and deadline end.  For JSON Lines this prints the sequence of
keys in result order, then the record ids of each run of equal keys as a
set; with "page" (a page cut from a longer list, where a run may be cut
anywhere) only the sequence.  Any other output (counts, facet tables) is
kept as it is."""
import json
import sys

page = "page" in sys.argv[1:]
by_value = "sorted" in sys.argv[1:]
lines = sys.stdin.read().splitlines()
recs = []
for line in lines:
    try:
        r = json.loads(line)
    except ValueError:
        r = None
    if not isinstance(r, dict) or "id" not in r:
        print("\n".join(lines))
        sys.exit(0)
    recs.append(r)


def key(r):
    if by_value:
        return "%s %s" % (r["date"], r["deadline_to"])
    return "%.3f" % r["score"]


for r in recs:
    print(key(r))
if page:
    sys.exit(0)
run = []
for i, r in enumerate(recs):
    run.append(r["id"])
    if i + 1 == len(recs) or key(recs[i + 1]) != key(r):
        print(" ".join(sorted(run)))
        run = []
