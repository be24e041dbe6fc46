using RerankKit.Evaluation;
using RerankKit.Retrieval;

namespace RerankKit.Training;

/// <summary>Scores of one evaluation: MRR@10 and nDCG@10 of the reranked candidates.</summary>
public sealed record EvaluationScores(double Mrr10, double Ndcg10);

/// <summary>A query with its candidates (id, text, first-stage score) and graded relevant document ids.</summary>
public sealed record EvaluationQuery(string Id, string Text, IReadOnlyList<(string DocId, string Text, float Bm25)> Candidates, IReadOnlyDictionary<string, int> Relevant);

/// <summary>Reranking evaluation on a BEIR split, as sentence-transformers' <c>CrossEncoderRerankingEvaluator</c>:
/// each query's BM25 top-k candidates are rescored by the model, and MRR@10 / nDCG@10 are computed with trec_eval
/// semantics over all of the query's judgments (a relevant document BM25 missed still counts in the ideal).</summary>
public sealed class RerankingEvaluation
{
    private readonly Qrels _qrels;

    private RerankingEvaluation(IReadOnlyList<(string Id, string Text, IReadOnlyList<(string DocId, string Text, float Bm25)> Candidates)> queries, Qrels qrels)
    {
        Queries = queries;
        _qrels = qrels;
    }

    public IReadOnlyList<(string Id, string Text, IReadOnlyList<(string DocId, string Text, float Bm25)> Candidates)> Queries { get; }

    public int CandidateCount => Queries.Sum(q => q.Candidates.Count);

    public static RerankingEvaluation FromBeir(string folder, string split, int topK = 20, int? maxQueries = null)
    {
        var dataset = BeirDataset.Load(folder, split);
        var index = Bm25Index.Build(dataset.Corpus.Select(d => d.FullText).ToList());
        using var bm25 = new Bm25Retriever(index);
        var queries = dataset.Queries.Take(maxQueries ?? int.MaxValue)
            .Select(q => (q.Id, q.Text, (IReadOnlyList<(string, string, float)>)bm25.Search(q.Text, topK)
                .Select(h => (dataset.Corpus[h.Index].Id, dataset.Corpus[h.Index].FullText, h.Score)).ToList()))
            .ToList();
        var qrels = new Qrels();
        foreach (var (id, _, _) in queries)
            foreach (var (doc, grade) in dataset.Qrels.For(id))
                qrels.Add(id, doc, grade);
        return new RerankingEvaluation(queries, qrels);
    }

    /// <summary>An evaluation over given candidates, e.g. a held-out synthetic task.</summary>
    public static RerankingEvaluation FromCandidates(IEnumerable<EvaluationQuery> queries)
    {
        var qrels = new Qrels();
        var list = new List<(string, string, IReadOnlyList<(string, string, float)>)>();
        foreach (var q in queries)
        {
            list.Add((q.Id, q.Text, q.Candidates));
            foreach (var (doc, grade) in q.Relevant)
                qrels.Add(q.Id, doc, grade);
        }
        return new RerankingEvaluation(list, qrels);
    }

    /// <summary>The first stage's own order, for the "before reranking" line.</summary>
    public EvaluationScores FirstStage() => Evaluate((_, docs) => docs.Select(d => d.Bm25).ToArray());

    /// <summary>Scores every query's candidates with <paramref name="score"/> (query, candidate texts) -> scores.</summary>
    public EvaluationScores Rerank(Func<string, IReadOnlyList<string>, float[]> score) =>
        Evaluate((q, docs) => score(q, docs.Select(d => d.Text).ToList()));

    private EvaluationScores Evaluate(Func<string, IReadOnlyList<(string DocId, string Text, float Bm25)>, float[]> score)
    {
        var run = new TrecRun();
        foreach (var (id, text, candidates) in Queries)
        {
            run.AddQuery(id);
            var scores = candidates.Count == 0 ? [] : score(text, candidates);
            for (int i = 0; i < candidates.Count; i++)
                run.Add(id, candidates[i].DocId, scores[i]);
        }
        var result = RetrievalEvaluator.Evaluate(_qrels, run, ["mrr@10", "ndcg@10"]);
        return new EvaluationScores(result["mrr@10"], result["ndcg@10"]);
    }
}
