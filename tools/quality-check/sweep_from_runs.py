#!/usr/bin/env python3
"""Side check (not used by the product or its tests): the first-stage-K sweep's nDCG@10 recomputed from two TREC runs
of one `eval --out` (the first stage's and the reranked top K). A cross-encoder scores each pair alone, so reranking
the first stage's top k <= K is the reranked run's scores restricted to those k documents; `eval --sweep` gives the
same metrics (it reproduces run B's sweep in docs/training.md to 4 decimals) and also times each k.
usage: sweep_from_runs.py QRELS_TSV FIRST_STAGE_TREC RERANKED_TREC [K ...]"""
import math
import sys


def load(path):
    run = {}
    for line in open(path):
        qid, _, doc, rank, score, _ = line.split()
        run.setdefault(qid, {})[doc] = (int(rank), float(score))
    return run


def main(qrels_path, first_path, reranked_path, *ks):
    qrels = {}
    for i, line in enumerate(open(qrels_path)):
        qid, doc, rel = line.rstrip("\n").split("\t")
        if i > 0 and int(rel) > 0:
            qrels.setdefault(qid, {})[doc] = int(rel)
    first, reranked = load(first_path), load(reranked_path)
    for k in [int(k) for k in ks] or [10, 20, 50, 100]:
        total = 0.0
        for qid, relevant in qrels.items():
            candidates = sorted(first.get(qid, {}), key=lambda d: first[qid][d][0])[:k]
            top = sorted(candidates, key=lambda d: (-reranked[qid][d][1], first[qid][d][0]))[:10]
            dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(top))
            idcg = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:10]))
            total += dcg / idcg
        print(f"first-k {k}  nDCG@10 {total / len(qrels):.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
