using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

public class LongDocumentTests
{
    private static readonly string Query = "where is the museum";
    private static readonly string LongDocument = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));

    [Fact]
    public void ShortPairIsOneUntruncatedEncoding()
    {
        var tokenizer = new WordTokenizer();
        var windows = DocumentWindows.Encode(tokenizer, Query, "a short text", 32, null);
        var single = Assert.Single(windows);
        Assert.Equal(tokenizer.EncodePair(Query, "a short text", 32).InputIds, single.InputIds);
    }

    [Fact]
    public void LongDocumentIsCutIntoHalfOverlappingWindowsLaidOutLikeThePair()
    {
        var tokenizer = new WordTokenizer();
        var windows = DocumentWindows.Encode(tokenizer, Query, LongDocument, 32, null);
        // [CLS] + 4 query words + [SEP] = 6 before the document and [SEP] after: windows of 25 words, stride 12.
        int[] starts = [0, 12, 24, 36, 48, 60, 72, 84];
        Assert.Equal(starts.Length, windows.Count);
        for (int w = 0; w < windows.Count; w++)
        {
            var win = windows[w];
            int end = Math.Min(starts[w] + 25, 100);
            int[] expected = [101, .. Query.Split(' ').Select(WordTokenizer.IdOf), 102,
                .. Enumerable.Range(starts[w], end - starts[w]).Select(i => WordTokenizer.IdOf($"w{i}")), 102];
            Assert.Equal(expected, win.InputIds);
            Assert.True(win.Length <= 32);
            Assert.Equal([.. Enumerable.Repeat(0, 6), .. Enumerable.Repeat(1, win.Length - 6)], win.TokenTypeIds);
            Assert.Equal($"w{starts[w]}", win.Tokens[6]);
        }
        Assert.Equal("w99", windows[^1].Tokens[^2]);
    }

    [Fact]
    public void ExplicitStrideIsUsed()
    {
        var windows = DocumentWindows.Encode(new WordTokenizer(), Query, LongDocument, 32, 25);
        Assert.Equal(4, windows.Count);
        Assert.Equal("w75", windows[^1].Tokens[6]);
    }

    [Fact]
    public void LongDocumentScoreIsTheMaxOverItsWindowsAndOffByDefaultItIsTheTruncatedPair()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-bert-reranker"), 32);
        var tokenizer = new WordTokenizer();
        using var windowed = new CrossEncoder("t", folder, tokenizer, OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 }),
            new CrossEncoderOptions { LongDocuments = new LongDocumentOptions() });
        using var plain = new CrossEncoder("t", folder, tokenizer, OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 }), new CrossEncoderOptions());
        using var backend = OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 });

        var windows = DocumentWindows.Encode(tokenizer, Query, LongDocument, 32, null);
        float expectedMax = windows.Max(w => Single(backend, w));
        float truncated = Single(backend, tokenizer.EncodePair(Query, LongDocument, 32));
        var scores = windowed.Predict([(Query, LongDocument), (Query, "w1 w2")], new PredictOptions { ActivationFn = ScoreActivation.Identity });
        Assert.Equal(expectedMax, scores[0], 1e-4);
        Assert.Equal(Single(backend, tokenizer.EncodePair(Query, "w1 w2", 32)), scores[1], 1e-4);
        Assert.Equal(truncated, plain.Predict([(Query, LongDocument)], new PredictOptions { ActivationFn = ScoreActivation.Identity })[0], 1e-4);
        Assert.NotEqual(expectedMax, truncated);
    }

    private static float Single(IEncoderBackend backend, RerankKit.Tokenization.EncodedInput input) =>
        backend.RunClassifier(TokenBatcher.Pad([input], [0], 0))[0];
}
