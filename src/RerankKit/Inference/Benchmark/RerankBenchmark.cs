using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RerankKit.Tokenization;

namespace RerankKit.Inference.Benchmark;

/// <summary>Times reranking one query against a set of documents, end to end (tokenization included) and on a bare
/// ONNX Runtime session fed pre-tokenized tensors of the same shapes.</summary>
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

    private readonly EncoderFlops _flops = EncoderFlops.Of(encoder.Folder.Config);

    /// <summary>CrossEncoder.Rank on the texts: tokenize, sort by length, pad per batch, run, restore order.</summary>
    public Run EndToEnd(string name, string query, IReadOnlyList<string> documents)
    {
        var inputs = Tokenize(query, documents);
        var options = new PredictOptions { BatchSize = batchSize };
        encoder.Rank(query, documents, null, options);
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            encoder.Rank(query, documents, null, options);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Result(name, inputs, times);
    }

    /// <summary>A separate bare session on the same batches, built beforehand: only session.Run is timed.</summary>
    public Run Bare(string name, string query, IReadOnlyList<string> documents, bool padToLongest)
    {
        var inputs = Tokenize(query, documents);
        List<int[]> plan = padToLongest
            ? Enumerable.Range(0, inputs.Count).Chunk(batchSize).ToList()
            : TokenBatcher.Plan(inputs, batchSize);
        int longest = inputs.Max(x => x.Length);
        var batches = plan.Select(indices =>
        {
            var batch = TokenBatcher.Pad(inputs, indices, encoder.Tokenizer.PadTokenId);
            return padToLongest ? PadTo(batch, longest, encoder.Tokenizer.PadTokenId) : batch;
        }).ToList();

        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads is { } t)
            sessionOptions.IntraOpNumThreads = t;
        using var session = new InferenceSession(onnxPath, sessionOptions);
        bool types = session.InputMetadata.ContainsKey("token_type_ids");
        var feeds = batches.Select(b =>
        {
            long[] shape = [b.BatchSize, b.SequenceLength];
            var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(b.InputIds, shape), OrtValue.CreateTensorValueFromMemory(b.AttentionMask, shape) };
            if (types)
                values.Add(OrtValue.CreateTensorValueFromMemory(b.TokenTypeIds, shape));
            return values;
        }).ToList();
        string[] names = types ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        string[] outputs = [session.OutputNames[0]];
        using var runOptions = new RunOptions();
        try
        {
            void RunAll()
            {
                foreach (var feed in feeds)
                {
                    using var result = session.Run(runOptions, names, feed, outputs);
                }
            }
            RunAll();
            var times = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                long start = Stopwatch.GetTimestamp();
                RunAll();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return Result(name, inputs, times);
        }
        finally
        {
            foreach (var v in feeds.SelectMany(f => f))
                v.Dispose();
        }
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

    private Run Result(string name, IReadOnlyList<EncodedInput> inputs, double[] times) =>
        new(name, inputs.Count, times, inputs.Sum(x => _flops.ForSequence(x.Length)), inputs.Average(x => x.Length));

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
