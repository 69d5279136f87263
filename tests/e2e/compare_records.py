#!/usr/bin/env python3
"""Compare `protodex parse --format json` output with hand-written expected
records (tests/expected/seeds/*.json), field by field.

usage: compare_records.py PARSED.jsonl EXPECTED_DIR
Prints one line per differing field and exits 1 when any differs."""
import hashlib
import json
import os
import sys


def same(want, got):
    """Text taken from a seed is stored as {"sha256": hex} of the expected
    string, so the project carries no text of the seeds."""
    if isinstance(want, dict) and set(want) == {"sha256"}:
        return isinstance(got, str) and \
            hashlib.sha256(got.encode("utf-8")).hexdigest() == want["sha256"]
    return want == got

HEADER = ["kind", "number", "date", "place", "municipality", "municipality_type",
          "region", "chair", "secretary", "attendees_count"]
AGENDA = ["number", "text", "speaker"]
DECISION = ["number", "parent", "text", "agenda_item", "responsible",
            "responsible_text", "deadline"]


def main():
    parsed_path, expected_dir = sys.argv[1], sys.argv[2]
    diffs = 0
    checked = 0
    with open(parsed_path, encoding="utf-8") as f:
        parsed = [json.loads(line) for line in f if line.strip()]
    for got in parsed:
        seed = os.path.splitext(os.path.basename(got.get("file") or got["path"]))[0]
        with open(os.path.join(expected_dir, seed + ".json"), encoding="utf-8") as f:
            want = json.load(f)

        def report(field, w, g):
            nonlocal diffs
            diffs += 1
            print(f"{seed}: {field}: expected {json.dumps(w, ensure_ascii=False)}, "
                  f"got {json.dumps(g, ensure_ascii=False)}")

        for k in HEADER:
            checked += 1
            if not same(want[k], got.get(k)):
                report(k, want[k], got.get(k))
        for name, keys in (("agenda", AGENDA), ("decisions", DECISION)):
            w_list, g_list = want[name], got.get(name, [])
            checked += 1
            if len(w_list) != len(g_list):
                report(f"{name} count", len(w_list), len(g_list))
            for i, (w, g) in enumerate(zip(w_list, g_list)):
                for k in keys:
                    checked += 1
                    wk = w[k]
                    gk = g.get(k)
                    if k == "deadline":
                        gk = {kk: gk.get(kk) for kk in ("kind", "text", "from", "to")}
                        wk = {kk: wk.get(kk) for kk in ("kind", "text", "from", "to")}
                    if not same(wk, gk):
                        report(f"{name}[{i}].{k}", wk, gk)
    print(f"{checked} fields checked, {diffs} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
