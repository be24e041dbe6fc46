#!/usr/bin/env python3
"""Side check (not used by the product or its tests): agreement of two TREC run files over the same candidates,
e.g. an fp32 and an int8 reranker's `eval --out` runs. Prints Pearson r over every shared (query, document) score,
the mean per-query Spearman rho, and how many queries keep the same top 10."""
import sys


def load(path):
    run = {}
    with open(path) as f:
        for line in f:
            qid, _, doc, rank, score, _ = line.split()
            run.setdefault(qid, {})[doc] = float(score)
    return run


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def main(a_path, b_path):
    a, b = load(a_path), load(b_path)
    xs, ys, rhos, same_top = [], [], [], 0
    queries = sorted(set(a) & set(b))
    for q in queries:
        docs = sorted(set(a[q]) & set(b[q]))
        x = [a[q][d] for d in docs]
        y = [b[q][d] for d in docs]
        xs += x
        ys += y
        if len(docs) > 1:
            rhos.append(pearson(ranks(x), ranks(y)))
        top = lambda s: [d for d, _ in sorted(s.items(), key=lambda kv: -kv[1])[:10]]
        same_top += top(a[q]) == top(b[q])
    print(f"queries {len(queries)}  pairs {len(xs)}  pearson {pearson(xs, ys):.5f}  "
          f"mean spearman {sum(rhos) / len(rhos):.5f}  same top-10 order {same_top}/{len(queries)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
