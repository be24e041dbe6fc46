using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RerankKit.Tokenization;

namespace RerankKit.Inference.Benchmark;

/// <summary>Times reranking one query against a set of documents, end to end (tokenization included) and on a bare
/// ONNX Runtime session fed pre-tokenized tensors of the same shapes. The variants of a comparison take turns query
/// by query, so load from other processes on a shared machine falls on all of them alike.</summary>
public sealed class RerankBenchmark(CrossEncoder encoder, string onnxPath, int? threads, int batchSize, int iterations)
{
    /// <summary>Milliseconds per query and the useful work: the FLOPs of the unpadded pairs.</summary>
    public sealed record Run(string Name, int Pairs, double[] QueryMilliseconds, double UsefulFlopsPerQuery, double MeanPairTokens)
    {
        public double PairsPerSecond => Pairs * QueryMilliseconds.Length / (QueryMilliseconds.Sum() / 1000);
        public double P50 => Percentile(0.50);
        public double P95 => Percentile(0.95);
        public double GflopsPerSecond => UsefulFlopsPerQuery * QueryMilliseconds.Length / (QueryMilliseconds.Sum() / 1000) / 1e9;

        private double Percentile(double p)
        {
            var sorted = QueryMilliseconds.Order().ToArray();
            double rank = p * (sorted.Length - 1);
            int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
        }
    }

    /// <summary>One way of answering a query: what it runs, on which inputs, and what it holds until disposed.</summary>
    public sealed class Variant(string name, IReadOnlyList<EncodedInput> inputs, Action runQuery, IDisposable? resources = null) : IDisposable
    {
        public string Name { get; } = name;
        public IReadOnlyList<EncodedInput> Inputs { get; } = inputs;
        public Action RunQuery { get; } = runQuery;

        public void Dispose() => resources?.Dispose();
    }

    private readonly EncoderFlops _flops = EncoderFlops.Of(encoder.Folder.Config);

    /// <summary>Warms every variant up once, then times them in turn for each of the iterations.</summary>
    public IReadOnlyList<Run> Measure(IReadOnlyList<Variant> variants) => Measure(variants, iterations, _flops);

    public static IReadOnlyList<Run> Measure(IReadOnlyList<Variant> variants, int iterations, EncoderFlops flops)
    {
        foreach (var v in variants)
            v.RunQuery();
        var times = variants.Select(_ => new double[iterations]).ToArray();
        for (int i = 0; i < iterations; i++)
        {
            for (int v = 0; v < variants.Count; v++)
            {
                long start = Stopwatch.GetTimestamp();
                variants[v].RunQuery();
                times[v][i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        return variants.Select((v, i) => new Run(v.Name, v.Inputs.Count, times[i], v.Inputs.Sum(x => flops.ForSequence(x.Length)), v.Inputs.Average(x => x.Length))).ToList();
    }

    /// <summary>CrossEncoder.Rank on the texts: tokenize, sort by length, pad per batch, run, restore order.</summary>
    public Variant EndToEnd(string name, string query, IReadOnlyList<string> documents)
    {
        var options = new PredictOptions { BatchSize = batchSize };
        return new Variant(name, Tokenize(query, documents), () => encoder.Rank(query, documents, null, options));
    }

    /// <summary>A separate bare session on batches built beforehand, so only session.Run is timed: the same
    /// length-sorted batches as end to end, or batches in input order all padded to the longest pair.</summary>
    public Variant Bare(string name, string query, IReadOnlyList<string> documents, bool padToLongest)
    {
        var session = new BareSession(onnxPath, threads, Batches(query, documents, padToLongest));
        return new Variant(name, Tokenize(query, documents), session.RunAll, session);
    }

    /// <summary>The padded batches a bare session runs for one query.</summary>
    public List<TokenBatch> Batches(string query, IReadOnlyList<string> documents, bool padToLongest = false)
    {
        var inputs = Tokenize(query, documents);
        List<int[]> plan = padToLongest
            ? Enumerable.Range(0, inputs.Count).Chunk(batchSize).ToList()
            : TokenBatcher.Plan(inputs, batchSize);
        int longest = inputs.Max(x => x.Length);
        return plan.Select(indices =>
        {
            var batch = TokenBatcher.Pad(inputs, indices, encoder.Tokenizer.PadTokenId);
            return padToLongest ? PadTo(batch, longest, encoder.Tokenizer.PadTokenId) : batch;
        }).ToList();
    }

    /// <summary>Mean milliseconds to tokenize the pairs of one query, the part of end to end a bare session skips.</summary>
    public double TokenizationMilliseconds(string query, IReadOnlyList<string> documents)
    {
        Tokenize(query, documents);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
            Tokenize(query, documents);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / iterations;
    }

    private List<EncodedInput> Tokenize(string query, IReadOnlyList<string> documents) =>
        documents.Select(d => encoder.Tokenize(query, d)).ToList();

    private static TokenBatch PadTo(TokenBatch batch, int length, int padTokenId)
    {
        var ids = new long[batch.BatchSize * length];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        Array.Fill(ids, padTokenId);
        for (int row = 0; row < batch.BatchSize; row++)
        {
            Array.Copy(batch.InputIds, row * batch.SequenceLength, ids, row * length, batch.SequenceLength);
            Array.Copy(batch.AttentionMask, row * batch.SequenceLength, mask, row * length, batch.SequenceLength);
            Array.Copy(batch.TokenTypeIds, row * batch.SequenceLength, types, row * length, batch.SequenceLength);
        }
        return new TokenBatch(ids, mask, types, batch.BatchSize, length);
    }
}
