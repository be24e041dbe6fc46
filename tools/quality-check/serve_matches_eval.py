#!/usr/bin/env python3
"""Side check (not used by the product or its tests): a running `rerankkit serve` ranks like `rerankkit eval`.
For the first N queries of an eval's reranked TREC run, posts the query and its candidates (shuffled) to
/v1/rerank and compares the returned order with the run's order, and the returned relevance_score with the run's score
(both are the model's activated score: the sigmoid of a one-label logit).
usage: serve_matches_eval.py URL DATASET_DIR RUN_FILE [N]"""
import json
import random
import sys
import urllib.request


def main(url, dataset, run_path, n=20):
    queries = {}
    for line in open(f"{dataset}/queries.jsonl"):
        o = json.loads(line)
        queries[o["_id"]] = o["text"]
    corpus = {}
    for line in open(f"{dataset}/corpus.jsonl"):
        o = json.loads(line)
        corpus[o["_id"]] = (o.get("title", "") + "\n" + o["text"]) if o.get("title") else o["text"]
    run = {}
    for line in open(run_path):
        qid, _, doc, rank, score, _ = line.split()
        run.setdefault(qid, []).append((int(rank), doc, float(score)))
    same, max_diff, checked = 0, 0.0, 0
    for qid in list(run)[: int(n)]:
        ranked = [d for _, d, _ in sorted(run[qid])]
        scores = {d: s for _, d, s in run[qid]}
        docs = ranked[:]
        random.Random(7).shuffle(docs)
        body = json.dumps({"query": queries[qid], "documents": [corpus[d] for d in docs], "top_n": len(docs)}).encode()
        request = urllib.request.Request(url.rstrip("/") + "/v1/rerank", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            results = json.load(response)["results"]
        served = [docs[r["index"]] for r in results]
        same += served == ranked
        checked += 1
        for r in results:
            max_diff = max(max_diff, abs(r["relevance_score"] - scores[docs[r["index"]]]))
    print(f"queries {checked}  same order {same}/{checked}  max |relevance_score - eval score| {max_diff:.2e}")


if __name__ == "__main__":
    main(*sys.argv[1:])
