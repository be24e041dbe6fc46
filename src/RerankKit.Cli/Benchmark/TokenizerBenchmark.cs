using System.Diagnostics;
using RerankKit.Tokenization;

namespace RerankKit.Inference.Benchmark;

/// <summary>Tokens per second of several tokenizers over the same texts, each encoded alone with its special tokens
/// and cut to a maximum length, as a model encodes them. The tokenizers take turns pass by pass (after one warm-up
/// pass each) on one thread, so machine load falls on all of them alike; the figure of each is its median pass.</summary>
public sealed class TokenizerBenchmark(IReadOnlyList<string> texts, int maxLength)
{
    public sealed record Run(string Name, long Tokens, IReadOnlyList<double> PassSeconds)
    {
        public double TokensPerSecond => Tokens / Median(PassSeconds);
    }

    public IReadOnlyList<Run> Measure(IReadOnlyList<(string Name, ITextTokenizer Tokenizer)> tokenizers, int passes)
    {
        var tokens = tokenizers.Select(t => Pass(t.Tokenizer)).ToArray();
        var seconds = tokenizers.Select(_ => new List<double>()).ToArray();
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < tokenizers.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Pass(tokenizers[i].Tokenizer);
                seconds[i].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        return tokenizers.Select((t, i) => new Run(t.Name, tokens[i], seconds[i])).ToList();
    }

    /// <summary>How many texts two tokenizers give different ids.</summary>
    public int Disagreements(ITextTokenizer a, ITextTokenizer b) =>
        texts.Count(t => !a.Encode(t, maxLength).InputIds.AsSpan().SequenceEqual(b.Encode(t, maxLength).InputIds));

    private long Pass(ITextTokenizer tokenizer)
    {
        long count = 0;
        foreach (string text in texts)
            count += tokenizer.Encode(text, maxLength).Length;
        return count;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
