#!/usr/bin/env python3
"""bench/conflation.py: pairwise conflation quality of an analyser.

    conflation.py GOLD.tsv NAME=KEYS.txt [NAME=KEYS.txt]...

GOLD.tsv has "form<TAB>lemma" lines (a form may appear with several
lemmas); KEYS.txt has, for each distinct form of GOLD in order of first
appearance, the line `protodex analyze --keys` printed for it (its keys,
space-separated).  Over all pairs of distinct forms, a pair is positive in
the gold when the forms share a lemma and predicted positive when they
share a key: P = TP/(TP+FP), R = TP/(TP+FN), F1 their harmonic mean.
"""
import sys
from collections import defaultdict


def neighbours(sets):
    """For each item i, the items j != i whose sets meet sets[i]."""
    buckets = defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            buckets[x].append(i)
    out = []
    for i, s in enumerate(sets):
        n = set()
        for x in s:
            n.update(buckets[x])
        n.discard(i)
        out.append(n)
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lemmas = {}
    order = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            form, lemma = line.split("\t")
            if form not in lemmas:
                lemmas[form] = set()
                order.append(form)
            lemmas[form].add(lemma)
    gold = neighbours([lemmas[f] for f in order])
    gold_pos = sum(len(n) for n in gold) // 2
    print(f"gold: {len(order)} forms, {len(set().union(*lemmas.values()))} lemmas, "
          f"{len(order) * (len(order) - 1) // 2} pairs, {gold_pos} same-lemma pairs")
    print(f"{'analyser':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'TP':>8} {'FP':>8} {'FN':>8}")
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        with open(path, encoding="utf-8") as f:
            keys = [set(line.split()) for line in f.read().split("\n")[: len(order)]]
        if len(keys) != len(order):
            sys.exit(f"{path}: {len(keys)} lines for {len(order)} forms")
        pred = neighbours(keys)
        tp = sum(len(g & p) for g, p in zip(gold, pred)) // 2
        pp = sum(len(p) for p in pred) // 2
        fp, fn = pp - tp, gold_pos - tp
        prec = tp / pp if pp else 0.0
        rec = tp / gold_pos if gold_pos else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{name:<12} {prec:9.4f} {rec:7.4f} {f1:7.4f} {tp:8d} {fp:8d} {fn:8d}")


if __name__ == "__main__":
    main()
