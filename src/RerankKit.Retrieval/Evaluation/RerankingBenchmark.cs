using System.Diagnostics;
using RerankKit.Documents;
using RerankKit.Retrieval;

namespace RerankKit.Evaluation;

/// <summary>Runs a dataset's queries through a first stage and, optionally, a cross-encoder, and measures quality
/// with and without reranking, how the reranker moved documents, latency per stage and, with a sweep, how quality
/// and latency depend on the number of first-stage candidates.</summary>
public static class RerankingBenchmark
{
    public static RerankingReport Run(
        BeirDataset dataset,
        IFirstStageRetriever firstStage,
        ICrossEncoder? reranker,
        int firstStageK = 100,
        int k = 10,
        IReadOnlyList<int>? sweep = null,
        TwoStageOptions? options = null,
        IProgress<IndexProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (k < 1 || firstStageK < k)
            throw new ArgumentException($"Need 1 <= k <= first-k (got k {k}, first-k {firstStageK}).");
        sweep ??= [];
        if (sweep.Count > 0 && reranker is null)
            throw new ArgumentException("A first-stage-K sweep measures reranking; give a reranker (--rerank-model).");
        if (sweep.Any(s => s < k))
            throw new ArgumentException($"Every sweep value must be at least k ({k}).");

        var metrics = MetricNamesFor(k, firstStageK);
        var firstRun = new TrecRun();
        var rerankedRun = reranker is null ? null : new TrecRun();
        var impact = new ImpactAccumulator();
        double stage1Total = 0;
        var twoStage = reranker is null ? null : new TwoStageRetriever(firstStage, dataset.Corpus, reranker, options);

        for (int q = 0; q < dataset.Queries.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (queryId, text) = dataset.Queries[q];
            firstRun.AddQuery(queryId);
            if (twoStage is null)
            {
                var clock = Stopwatch.StartNew();
                var hits = firstStage.Search(text, firstStageK, cancellationToken);
                stage1Total += clock.Elapsed.TotalMilliseconds;
                AddHits(firstRun, queryId, hits, dataset.Corpus);
            }
            else
            {
                var result = twoStage.Search(text, firstStageK, firstStageK, cancellationToken);
                stage1Total += result.Stage1Milliseconds;
                AddHits(firstRun, queryId, result.Candidates, dataset.Corpus);
                rerankedRun!.AddQuery(queryId);
                foreach (var hit in result.Hits)
                    rerankedRun.Add(queryId, hit.Document.Id, hit.RerankScore!.Value);
                impact.Add(result, k);
            }
            progress?.Report(new IndexProgress("queries", q + 1, dataset.Queries.Count));
        }

        var results = new Dictionary<string, EvaluationResult>
        {
            [RerankingReport.FirstStageSystem] = RetrievalEvaluator.Evaluate(dataset.Qrels, firstRun, metrics),
        };
        if (rerankedRun is not null)
            results[RerankingReport.RerankedSystem] = RetrievalEvaluator.Evaluate(dataset.Qrels, rerankedRun, metrics);

        var sweepRows = twoStage is null ? [] : RunSweep(dataset, twoStage, sweep, k, progress, cancellationToken);
        int n = Math.Max(1, dataset.Queries.Count);
        return new RerankingReport
        {
            Dataset = dataset.Name,
            Split = dataset.Split,
            FirstStage = firstStage.Name,
            Reranker = reranker?.ModelName,
            QueryCount = results[RerankingReport.FirstStageSystem].QueryCount,
            FirstStageK = firstStageK,
            K = k,
            MetricNames = metrics,
            Metrics = results.ToDictionary(r => r.Key, r => r.Value.Mean),
            Results = results,
            FirstStageRun = firstRun,
            RerankedRun = rerankedRun,
            Impact = twoStage is null ? null : impact.Result(),
            Sweep = sweepRows,
            Recommendation = Recommend(sweepRows, k),
            MeanStage1Milliseconds = stage1Total / n,
            FirstStageQueriesPerSecond = stage1Total > 0 ? dataset.Queries.Count / (stage1Total / 1000) : 0,
        };
    }

    /// <summary>nDCG, MRR, Recall, MAP and P at k, and Recall at the first-stage depth (what reranking can reach).</summary>
    public static IReadOnlyList<string> MetricNamesFor(int k, int firstStageK) =>
        new[] { $"ndcg@{k}", $"mrr@{k}", $"recall@{k}", $"map@{k}", $"p@{k}", $"recall@{firstStageK}" }.Distinct().ToArray();

    private static void AddHits(TrecRun run, string queryId, IReadOnlyList<RetrievalHit> hits, IReadOnlyList<Document> corpus)
    {
        foreach (var hit in hits)
            run.Add(queryId, corpus[hit.Index].Id, hit.Score);
    }

    private static List<SweepRow> RunSweep(BeirDataset dataset, TwoStageRetriever twoStage, IReadOnlyList<int> sweep, int k, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        var metrics = new[] { $"ndcg@{k}", $"recall@{k}", $"mrr@{k}" };
        var rows = new List<SweepRow>();
        int total = sweep.Count * dataset.Queries.Count, done = 0;
        foreach (int firstK in sweep.Distinct().Order())
        {
            var run = new TrecRun();
            double latency = 0;
            foreach (var (queryId, text) in dataset.Queries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = twoStage.Search(text, k, firstK, cancellationToken);
                latency += result.TotalMilliseconds;
                run.AddQuery(queryId);
                foreach (var hit in result.Hits)
                    run.Add(queryId, hit.Document.Id, hit.RerankScore!.Value);
                progress?.Report(new IndexProgress("sweep", ++done, total));
            }
            var evaluation = RetrievalEvaluator.Evaluate(dataset.Qrels, run, metrics);
            rows.Add(new SweepRow(firstK, evaluation.Mean, latency / Math.Max(1, dataset.Queries.Count)));
        }
        if (rows.Count == 0)
            return rows;
        string quality = $"ndcg@{k}";
        var best = rows.OrderByDescending(r => r.Metrics[quality]).ThenBy(r => r.MeanLatencyMilliseconds).First();
        var fastest = rows.MinBy(r => r.MeanLatencyMilliseconds)!;
        return rows.Select(r => r with { IsBestQuality = r == best, IsFastest = r == fastest }).ToList();
    }

    /// <summary>The smallest K whose nDCG@k is within 1% (relative) of the best K's: most of the quality for the least latency.</summary>
    private static string? Recommend(List<SweepRow> rows, int k)
    {
        if (rows.Count == 0)
            return null;
        string quality = $"ndcg@{k}";
        var best = rows.First(r => r.IsBestQuality);
        var pick = rows.Where(r => r.Metrics[quality] >= best.Metrics[quality] * 0.99).MinBy(r => r.FirstStageK)!;
        if (pick == best)
            return $"Use first-k {pick.FirstStageK}: best {quality} ({pick.Metrics[quality]:F4}) at {pick.MeanLatencyMilliseconds:F1} ms/query.";
        double speedup = best.MeanLatencyMilliseconds / Math.Max(pick.MeanLatencyMilliseconds, 1e-9);
        return $"Use first-k {pick.FirstStageK}: {quality} {pick.Metrics[quality]:F4} is within 1% of the best ({best.Metrics[quality]:F4} at first-k {best.FirstStageK}) at {speedup:F1}x lower latency ({pick.MeanLatencyMilliseconds:F1} vs {best.MeanLatencyMilliseconds:F1} ms/query).";
    }

    private sealed class ImpactAccumulator
    {
        private long _moves, _up, _down, _same, _absSum;
        private int _max, _queries, _top1Changed;
        private double _stage1, _stage2;

        public void Add(TwoStageResult result, int k)
        {
            _queries++;
            _stage1 += result.Stage1Milliseconds;
            _stage2 += result.Stage2Milliseconds;
            if (result.Hits.Count > 0 && result.Hits[0].FirstStageRank != 1)
                _top1Changed++;
            foreach (var hit in result.Hits.Take(k))
            {
                int change = hit.RankChange;
                _moves++;
                _absSum += Math.Abs(change);
                _max = Math.Max(_max, Math.Abs(change));
                if (change > 0) _up++;
                else if (change < 0) _down++;
                else _same++;
            }
        }

        public RerankingImpact Result()
        {
            double moves = Math.Max(1, _moves), queries = Math.Max(1, _queries);
            return new RerankingImpact(_absSum / moves, _max, 100.0 * _up / moves, 100.0 * _down / moves, 100.0 * _same / moves,
                _top1Changed / queries, _stage1 / queries, _stage2 / queries);
        }
    }
}
