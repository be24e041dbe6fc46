namespace RerankKit.Training.Mining;

/// <summary>Hard-negative mining as sentence-transformers' <c>mine_hard_negatives</c> does it: for each (query, positive)
/// row, rank the corpus with the first stage, drop every known positive of the query, keep candidates ranked
/// [range_min, range_max) among the rest, drop those outside [min_score, max_score] or within the absolute or relative
/// margin of the row's positive score (likely unlabeled positives), then take the top (or a random) <c>num_negatives</c>.</summary>
public static class HardNegativeMiner
{
    public static MiningResult Mine(IReadOnlyList<MiningQuery> queries, IReadOnlyList<string> corpusTexts, ICorpusScorer scorer,
        MiningOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.NumNegatives <= 0)
            throw new ArgumentException("--num-negatives must be positive");
        if (options.RangeMin < 0 || options.RangeMax <= options.RangeMin)
            throw new ArgumentException("need 0 <= --range-min < --range-max");
        if (options.RelativeMargin is < 0 or >= 1)
            throw new ArgumentException("--relative-margin must be in [0, 1)");
        if (scorer.CorpusSize != corpusTexts.Count)
            throw new ArgumentException("the scorer and the corpus differ in size");
        var random = new SeededRandom(options.Seed);
        var rows = new List<MinedRow>();
        int skippedByMargin = 0, shortRows = 0, done = 0;
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scores = scorer.ScoreAll(query.Text);
            var positives = query.Positives.ToHashSet();
            var window = Ranked(scores, positives, options.RangeMax).Skip(options.RangeMin)
                .Where(i => (options.MaxScore is not { } max || scores[i] <= max) && (options.MinScore is not { } min || scores[i] >= min))
                .ToList();
            foreach (int positive in query.Positives)
            {
                float positiveScore = scores[positive];
                var eligible = window;
                if (options.Margin is not null || options.RelativeMargin is not null)
                {
                    eligible = window.Where(i => (options.Margin is not { } absolute || scores[i] + absolute <= positiveScore)
                        && (options.RelativeMargin is not { } relative || scores[i] <= positiveScore * (1 - relative))).ToList();
                    skippedByMargin += window.Count - eligible.Count;
                }
                var chosen = options.Sampling == SamplingStrategy.Top
                    ? eligible.Take(options.NumNegatives).ToList()
                    : Sample(eligible, options.NumNegatives, random);
                if (chosen.Count < options.NumNegatives)
                    shortRows++;
                rows.Add(new MinedRow(query, positive, positiveScore, chosen.Select(i => (i, scores[i])).ToList()));
            }
            progress?.Report(++done);
        }
        return new MiningResult(rows, corpusTexts, options, scorer.Name, queries.Count, skippedByMargin, shortRows);
    }

    /// <summary>Corpus indices of the best <paramref name="count"/> non-positive documents, best first (ties by index).</summary>
    private static IEnumerable<int> Ranked(float[] scores, HashSet<int> positives, int count) =>
        Enumerable.Range(0, scores.Length)
            .Where(i => !positives.Contains(i) && !float.IsNegativeInfinity(scores[i]))
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Take(count);

    /// <summary>A uniform sample kept in rank order, so a row's negatives still read best first.</summary>
    private static List<int> Sample(List<int> eligible, int count, SeededRandom random)
    {
        var order = Enumerable.Range(0, eligible.Count).ToList();
        random.Shuffle(order);
        return order.Take(count).Order().Select(i => eligible[i]).ToList();
    }
}
