namespace RerankKit.Evaluation;

/// <summary>nDCG@k, MRR@k, Recall@k, MAP@k and P@k with trec_eval's semantics (ndcg_cut, recip_rank cut at k,
/// recall, map_cut, P):
/// - results are ordered by <see cref="TrecOrder"/> (score descending, then document id descending);
/// - relevance is graded, a grade &gt;= 1 is relevant; nDCG uses the grade itself as gain and log2(rank + 1) as
///   discount, with the ideal ranking built from all judged documents of the query;
/// - unjudged documents are non-relevant; P@k divides by k even when fewer documents were retrieved; MAP@k
///   divides by the number of relevant documents;
/// - queries without a judged relevant document are skipped (nDCG and Recall are undefined for them), queries in
///   the run but not in the qrels are ignored, and a query with relevant documents but no results scores 0 and
///   counts in the mean (trec_eval -c), so returning nothing never helps.</summary>
public static class RetrievalEvaluator
{
    public static EvaluationResult Evaluate(Qrels qrels, TrecRun run, IEnumerable<string> metrics)
    {
        var names = metrics.Select(MetricName.Parse).Distinct().ToArray();
        var perQuery = new SortedDictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (string queryId in qrels.QueryIds)
        {
            var judgments = qrels.For(queryId);
            int relevantCount = judgments.Values.Count(r => r >= 1);
            if (relevantCount == 0)
                continue;
            var ranked = TrecOrder.Sort(run.For(queryId));
            CheckDuplicates(queryId, ranked);
            var grades = ranked.Select(r => judgments.TryGetValue(r.DocumentId, out int g) ? g : 0).ToArray();
            var ideal = judgments.Values.Where(g => g > 0).OrderDescending().ToArray();
            perQuery[queryId] = names.ToDictionary(n => n.ToString(), n => Compute(n, grades, ideal, relevantCount));
        }
        var mean = names.ToDictionary(
            n => n.ToString(),
            n => perQuery.Count == 0 ? 0.0 : perQuery.Values.Average(q => q[n.ToString()]));
        return new EvaluationResult(perQuery, mean);
    }

    private static double Compute(MetricName metric, int[] grades, int[] ideal, int relevantCount)
    {
        int k = metric.Cutoff;
        int depth = Math.Min(k, grades.Length);
        switch (metric.Kind)
        {
            case MetricKind.Ndcg:
                double dcg = 0, idcg = 0;
                for (int i = 0; i < depth; i++)
                    dcg += Math.Max(grades[i], 0) / Math.Log2(i + 2);
                for (int i = 0; i < Math.Min(k, ideal.Length); i++)
                    idcg += ideal[i] / Math.Log2(i + 2);
                return idcg > 0 ? dcg / idcg : 0;
            case MetricKind.Mrr:
                for (int i = 0; i < depth; i++)
                {
                    if (grades[i] >= 1)
                        return 1.0 / (i + 1);
                }
                return 0;
            case MetricKind.Recall:
                return (double)grades.Take(depth).Count(g => g >= 1) / relevantCount;
            case MetricKind.Precision:
                return (double)grades.Take(depth).Count(g => g >= 1) / k;
            default:
                double sum = 0;
                int found = 0;
                for (int i = 0; i < depth; i++)
                {
                    if (grades[i] >= 1)
                        sum += (double)++found / (i + 1);
                }
                return sum / relevantCount;
        }
    }

    private static void CheckDuplicates(string queryId, List<(string DocumentId, double Score)> ranked)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (doc, _) in ranked)
        {
            if (!seen.Add(doc))
                throw new InvalidDataException($"Run lists document {doc} twice for query {queryId} (trec_eval rejects duplicates).");
        }
    }
}
