using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>ONNX Runtime runs a batch in slices of <see cref="BackendSettings.MaxTokensPerRun"/> tokens; every output
/// is the one the whole batch gives, row for row, also when the last slice is short.</summary>
public class SlicedRunTests
{
    // Rows are independent: a slice differs from the whole batch only by the GEMM shapes' summation order.
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ClassifierLogitsOfSlicesAreTheWholeBatchs(int rowsPerRun)
    {
        var batch = MixedBatch(rows: 7, length: 11, withTypes: true);
        using var wholeBackend = Backend("tiny-bert-reranker", 0);
        using var slicedBackend = Backend("tiny-bert-reranker", rowsPerRun * batch.SequenceLength);
        AssertClose(wholeBackend.RunClassifier(batch), slicedBackend.RunClassifier(batch));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void HiddenStatesOfSlicesAreTheWholeBatchs(int rowsPerRun)
    {
        var batch = MixedBatch(rows: 5, length: 13, withTypes: true);
        using var wholeBackend = Backend("tiny-bert-embedder", 0);
        using var slicedBackend = Backend("tiny-bert-embedder", rowsPerRun * batch.SequenceLength + batch.SequenceLength / 2);
        var whole = wholeBackend.RunHiddenStates(batch);
        AssertClose(whole, slicedBackend.RunHiddenStates(batch));
        float[]? read = null;
        slicedBackend.ReadHiddenStates(batch, values => read = values.ToArray());
        AssertClose(whole, read!);
    }

    [Fact]
    public void SettingsDefaultToSlicesOfAboutAThousandTokens()
    {
        Assert.Equal(1024, new BackendSettings().MaxTokensPerRun);
        Assert.Equal(1024, new BiEncoderOptions().BackendSettings.MaxTokensPerRun);
    }

    [Fact]
    public void RowsOfABatchKeepTheirPaddingAndTypes()
    {
        var batch = MixedBatch(rows: 4, length: 6, withTypes: true);
        var rows = batch.Rows(1, 2);
        Assert.Equal(2, rows.BatchSize);
        Assert.Equal(batch.InputIds.AsSpan(6, 12).ToArray(), rows.InputIds);
        Assert.Equal(batch.AttentionMask.AsSpan(6, 12).ToArray(), rows.AttentionMask);
        Assert.Equal(batch.TokenTypeIds.AsSpan(6, 12).ToArray(), rows.TokenTypeIds);
        Assert.Empty(MixedBatch(rows: 2, length: 3, withTypes: false).Rows(0, 1).TokenTypeIds);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Rows(3, 2));
    }

    private static OnnxEncoderBackend Backend(string fixture, int maxTokensPerRun) =>
        (OnnxEncoderBackend)OnnxBackendFactory.Instance.Create(ModelFolder.Open(SharedData.Fixture(fixture)),
            new BackendSettings { Threads = 1, MaxTokensPerRun = maxTokensPerRun });

    /// <summary>Rows of lengths 1 to <paramref name="length"/>, right-padded, with sentence B types in the second half.</summary>
    private static TokenBatch MixedBatch(int rows, int length, bool withTypes)
    {
        var ids = new List<IReadOnlyList<int>>();
        var types = new List<IReadOnlyList<int>>();
        for (int r = 0; r < rows; r++)
        {
            int n = 1 + (r * 5 + 3) % length;
            ids.Add(Enumerable.Range(0, n).Select(t => 100 + (r * 37 + t * 11) % 900).ToList());
            types.Add(Enumerable.Range(0, n).Select(t => t >= n / 2 ? 1 : 0).ToList());
        }
        var batch = TokenBatch.Pad(ids, withTypes ? types : null, padTokenId: 0);
        // Pad to the full length so every row count slices the same padded width.
        return batch.SequenceLength == length ? batch : TokenBatch.Pad([.. ids, Enumerable.Repeat(5, length).ToList()], withTypes ? [.. types, new int[length]] : null, 0).Rows(0, rows);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * Math.Max(1f, Math.Abs(expected[i])), $"value {i}: {actual[i]} vs {expected[i]}");
    }
}
