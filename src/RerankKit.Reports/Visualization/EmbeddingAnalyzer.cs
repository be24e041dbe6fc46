using System.Numerics.Tensors;

namespace RerankKit.Visualization;

/// <summary>Embeds query/positive pairs with a bi-encoder and computes the statistics, the checklist and the
/// t-SNE and UMAP maps. Maps are made of L2-normalised embeddings, so their Euclidean distances follow cosine.</summary>
public static class EmbeddingAnalyzer
{
    public const int TrustworthinessNeighbors = 5;

    public static EmbeddingAnalysis Analyze(IBiEncoder encoder, IReadOnlyList<QueryPositivePair> pairs, EmbeddingAnalysisOptions? options = null,
        IProgress<(string Stage, double Fraction)>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddingAnalysisOptions();
        if (options.MaxSamples < 2)
            throw new ArgumentException($"max_samples must be at least 2; got {options.MaxSamples}.");
        if (options.BatchSize < 1)
            throw new ArgumentException($"batch_size must be at least 1; got {options.BatchSize}.");
        var sample = Sample(pairs, options.MaxSamples, options.Seed);
        if (sample.Count < 2)
            throw new ArgumentException($"At least 2 query/positive pairs are needed; got {sample.Count}.");
        var queries = Encode(encoder.EncodeQuery, encoder.ModelName, sample.Select(p => p.Query).ToList(), options.BatchSize, "Encoding queries", progress, cancellationToken);
        var positives = Encode(encoder.EncodeDocument, encoder.ModelName, sample.Select(p => p.Positive).ToList(), options.BatchSize, "Encoding positives", progress, cancellationToken);
        var statistics = SimilarityStatistics.Compute(queries, positives);
        var all = queries.Concat(positives).ToArray();
        var projections = new List<Projection>();
        if (!options.SkipTsne && all.Length >= 4)
        {
            var tsne = new Tsne(new TsneOptions { Seed = options.Seed });
            var map = tsne.FitTransform(all, Stage(progress, "t-SNE"), cancellationToken);
            string details = $"{(tsne.UsedBarnesHut ? "Barnes-Hut" : "exact")} t-SNE, perplexity {tsne.EffectivePerplexity:0.#}, seed {options.Seed}";
            projections.Add(new Projection("tsne", map, Trust(all, map), details));
        }
        if (!options.SkipUmap && all.Length >= 3)
        {
            var umapOptions = new UmapOptions { Seed = options.Seed };
            var map = new Umap(umapOptions).FitTransform(all, Stage(progress, "UMAP"), cancellationToken);
            string details = $"UMAP, n_neighbors {umapOptions.NNeighbors}, min_dist {umapOptions.MinDist}, exact kNN, spectral init, seed {options.Seed}";
            projections.Add(new Projection("umap", map, Trust(all, map), details));
        }
        return new EmbeddingAnalysis
        {
            ModelName = encoder.ModelName,
            Pairs = sample,
            Statistics = statistics,
            Checklist = DeploymentChecklist.Evaluate(statistics),
            Projections = projections,
        };
    }

    private static double Trust(float[][] all, double[][] map) =>
        all.Length > 2 * TrustworthinessNeighbors ? Trustworthiness.Compute(all, map, TrustworthinessNeighbors) : double.NaN;

    internal static IReadOnlyList<QueryPositivePair> Sample(IReadOnlyList<QueryPositivePair> pairs, int maxSamples, int seed)
    {
        if (pairs.Count <= maxSamples)
            return pairs;
        var rng = new Random(seed);
        var chosen = Enumerable.Range(0, pairs.Count).OrderBy(_ => rng.Next()).Take(maxSamples).Order();
        return chosen.Select(i => pairs[i]).ToList();
    }

    /// <summary>Runs <paramref name="encode"/> (the encoder's query or document side, so with its prompt).</summary>
    private static float[][] Encode(Func<IReadOnlyList<string>, EncodeOptions?, CancellationToken, float[][]> encode, string modelName,
        List<string> texts, int batchSize, string stage,
        IProgress<(string Stage, double Fraction)>? progress, CancellationToken cancellationToken)
    {
        var result = new List<float[]>(texts.Count);
        var options = new EncodeOptions { BatchSize = batchSize };
        // Several batches per call keep the encoder's batching while the progress bar moves.
        int chunk = batchSize * 4;
        for (int start = 0; start < texts.Count; start += chunk)
        {
            var part = texts.GetRange(start, Math.Min(chunk, texts.Count - start));
            var vectors = encode(part, options, cancellationToken);
            if (vectors.Length != part.Count)
                throw new InvalidDataException($"{modelName} returned {vectors.Length} embeddings for {part.Count} texts.");
            result.AddRange(vectors.Select(Normalized));
            progress?.Report((stage, (double)result.Count / texts.Count));
        }
        return [.. result];
    }

    private static float[] Normalized(float[] v)
    {
        float norm = TensorPrimitives.Norm<float>(v);
        var copy = (float[])v.Clone();
        if (norm > 0)
            TensorPrimitives.Divide(copy, norm, copy);
        return copy;
    }

    private static IProgress<double>? Stage(IProgress<(string Stage, double Fraction)>? progress, string stage) =>
        progress is null ? null : new StageProgress(progress, stage);

    private sealed class StageProgress(IProgress<(string Stage, double Fraction)> inner, string stage) : IProgress<double>
    {
        public void Report(double value) => inner.Report((stage, value));
    }
}
