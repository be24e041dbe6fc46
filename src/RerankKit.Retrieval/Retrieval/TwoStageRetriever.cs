using System.Diagnostics;
using RerankKit.Documents;

namespace RerankKit.Retrieval;

/// <summary>A cheap first stage gathers <c>firstStageK</c> candidates, a cross-encoder rescores them and the best
/// <c>k</c> are returned with both ranks, the rank change and each stage's latency.</summary>
public sealed class TwoStageRetriever
{
    private readonly IFirstStageRetriever _firstStage;
    private readonly IReadOnlyList<Document> _documents;
    private readonly ICrossEncoder? _reranker;
    private readonly TwoStageOptions _options;
    private readonly KeywordMatcher? _boostKeywords;
    private readonly (RerankerRoute Route, KeywordMatcher Matcher)[] _routes;

    /// <summary>A null <paramref name="reranker"/> allows only <see cref="SearchWithoutReranking"/> and queries a route takes.</summary>
    public TwoStageRetriever(IFirstStageRetriever firstStage, IReadOnlyList<Document> documents, ICrossEncoder? reranker, TwoStageOptions? options = null)
    {
        _firstStage = firstStage;
        _documents = documents;
        _reranker = reranker;
        _options = options ?? new TwoStageOptions();
        if (_options.ScoreThreshold is { } t && !(t >= 0 && t <= 1))
            throw new ArgumentException($"The score threshold applies to calibrated scores in [0, 1] (got {t}).");
        if (_options.Prefilter is { Keep: < 1 } p)
            throw new ArgumentException($"The Jaccard prefilter must keep at least one candidate (got {p.Keep}).");
        _boostKeywords = _options.DomainBoost is { } boost ? new KeywordMatcher(boost.Keywords) : null;
        _routes = _options.Routes.Select(r => (r, new KeywordMatcher(r.Keywords))).ToArray();
    }

    /// <summary>Convenience over an index: the first stage of the given kind and its documents.</summary>
    public TwoStageRetriever(SearchIndex index, FirstStageKind firstStage, ICrossEncoder reranker, IBiEncoder? encoder = null, TwoStageOptions? options = null)
        : this(index.CreateRetriever(firstStage, encoder), index.Documents, reranker, options)
    {
    }

    public IFirstStageRetriever FirstStage => _firstStage;

    /// <summary>The reranker a query goes to: the first route whose keywords it mentions, else the default.</summary>
    public ICrossEncoder RerankerFor(string query) =>
        _routes.FirstOrDefault(r => r.Matcher.AnyMatch(query)).Route?.Reranker ?? _reranker
        ?? throw new InvalidOperationException("This retriever has no reranker; use SearchWithoutReranking.");

    public TwoStageResult Search(string query, int k = 5, int firstStageK = 50, CancellationToken cancellationToken = default)
    {
        Validate(k, firstStageK);
        var clock = Stopwatch.StartNew();
        var candidates = _firstStage.Search(query, firstStageK, cancellationToken);
        double stage1 = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var reranker = RerankerFor(query);
        var shortlist = Prefilter(query, candidates);
        var logits = shortlist.Count == 0 ? [] : reranker.Predict(Pairs(query, shortlist), LogitOptions(), cancellationToken);
        var hits = Rank(query, shortlist, logits, reranker, k);
        return new TwoStageResult(hits, candidates, stage1, clock.Elapsed.TotalMilliseconds, reranker.ModelName, shortlist.Count);
    }

    public async Task<TwoStageResult> SearchAsync(string query, int k = 5, int firstStageK = 50, CancellationToken cancellationToken = default)
    {
        Validate(k, firstStageK);
        var clock = Stopwatch.StartNew();
        var candidates = await _firstStage.SearchAsync(query, firstStageK, cancellationToken).ConfigureAwait(false);
        double stage1 = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var reranker = RerankerFor(query);
        var shortlist = Prefilter(query, candidates);
        var logits = shortlist.Count == 0 ? [] : await reranker.PredictAsync(Pairs(query, shortlist), LogitOptions(), cancellationToken).ConfigureAwait(false);
        var hits = Rank(query, shortlist, logits, reranker, k);
        return new TwoStageResult(hits, candidates, stage1, clock.Elapsed.TotalMilliseconds, reranker.ModelName, shortlist.Count);
    }

    /// <summary>The first stage alone, in the same shape, for comparison.</summary>
    public TwoStageResult SearchWithoutReranking(string query, int k = 5, CancellationToken cancellationToken = default)
    {
        Validate(k, k);
        var clock = Stopwatch.StartNew();
        var candidates = _firstStage.Search(query, k, cancellationToken);
        return FirstStageOnly(candidates, clock.Elapsed.TotalMilliseconds);
    }

    public async Task<TwoStageResult> SearchWithoutRerankingAsync(string query, int k = 5, CancellationToken cancellationToken = default)
    {
        Validate(k, k);
        var clock = Stopwatch.StartNew();
        var candidates = await _firstStage.SearchAsync(query, k, cancellationToken).ConfigureAwait(false);
        return FirstStageOnly(candidates, clock.Elapsed.TotalMilliseconds);
    }

    private TwoStageResult FirstStageOnly(IReadOnlyList<RetrievalHit> candidates, double stage1)
    {
        var hits = candidates.Select((h, i) => new RerankedHit
        {
            Rank = i + 1,
            Index = h.Index,
            Document = _documents[h.Index],
            FirstStageScore = h.Score,
            FirstStageRank = i + 1,
        }).ToList();
        return new TwoStageResult(hits, candidates, stage1, 0, null, 0);
    }

    private static void Validate(int k, int firstStageK)
    {
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (firstStageK < k)
            throw new ArgumentOutOfRangeException(nameof(firstStageK), firstStageK, $"firstStageK must be at least k ({k}).");
    }

    /// <summary>Candidates (with their first-stage rank) that go to the cross-encoder.</summary>
    private List<(RetrievalHit Hit, int FirstRank)> Prefilter(string query, IReadOnlyList<RetrievalHit> candidates)
    {
        var ranked = candidates.Select((h, i) => (Hit: h, FirstRank: i + 1)).ToList();
        if (_options.Prefilter is not { } prefilter || ranked.Count <= prefilter.Keep)
            return ranked;
        var queryWords = JaccardPrefilter.Words(query);
        return ranked
            .Select(c => (Candidate: c, Similarity: JaccardPrefilter.Similarity(queryWords, JaccardPrefilter.Words(_documents[c.Hit.Index].FullText))))
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Candidate.FirstRank)
            .Take(prefilter.Keep)
            .Select(x => x.Candidate)
            .ToList();
    }

    private List<(string, string)> Pairs(string query, List<(RetrievalHit Hit, int FirstRank)> shortlist) =>
        shortlist.Select(c => (query, _documents[c.Hit.Index].FullText)).ToList();

    /// <summary>Raw logits are requested so the calibrated score is always the reranker's relevance score of the
    /// logit (a cross-encoder's sigmoid, another kind's own rule), whatever activation the model reports with.</summary>
    private PredictOptions LogitOptions() =>
        (_options.PredictOptions ?? new PredictOptions()) with { ActivationFn = ScoreActivation.Identity };

    private List<RerankedHit> Rank(string query, List<(RetrievalHit Hit, int FirstRank)> shortlist, float[] logits, ICrossEncoder reranker, int k)
    {
        if (logits.Length != shortlist.Count)
            throw new InvalidOperationException($"The reranker returned {logits.Length} scores for {shortlist.Count} pairs.");
        var activation = _options.PredictOptions?.ActivationFn ?? reranker.DefaultActivation;
        float[] relevance = reranker.RelevanceScores(query, logits);
        var scored = new List<RerankedHit>(shortlist.Count);
        for (int i = 0; i < shortlist.Count; i++)
        {
            var (hit, firstRank) = shortlist[i];
            var document = _documents[hit.Index];
            float calibrated = relevance[i];
            if (_options.ScoreThreshold is { } threshold && calibrated < threshold)
                continue;
            float score = activation == ScoreActivation.Sigmoid ? calibrated : logits[i];
            float boost = _boostKeywords is null ? 0 : _options.DomainBoost!.Weight * _boostKeywords.Matches(document.FullText).Count;
            scored.Add(new RerankedHit
            {
                Rank = 0,
                Index = hit.Index,
                Document = document,
                RerankScore = score + boost,
                Logit = logits[i],
                CalibratedScore = calibrated,
                Confidence = Confidence.Of(calibrated),
                Boost = boost,
                FirstStageScore = hit.Score,
                FirstStageRank = firstRank,
            });
        }
        return scored
            .OrderByDescending(h => h.RerankScore).ThenBy(h => h.FirstStageRank)
            .Take(k)
            .Select((h, i) => h with { Rank = i + 1 })
            .ToList();
    }
}
