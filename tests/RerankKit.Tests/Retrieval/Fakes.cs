using RerankKit.Tests.Infrastructure;
using RerankKit.Documents;

namespace RerankKit.Tests.Retrieval;

/// <summary>A bi-encoder whose vector is a normalized bag of hashed lower-case words, so texts sharing words are
/// close; enough to test retrieval mechanics without a model.</summary>
internal sealed class HashingBiEncoder(int dimension = 64) : RoleRecordingBiEncoder
{
    public override string ModelName => "fake/hashing-encoder";

    public override int Dimension => dimension;

    public int Calls { get; private set; }

    public override float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return texts.Select(Embed).ToArray();
    }

    private float[] Embed(string text)
    {
        var v = new float[dimension];
        foreach (string word in RerankKit.Retrieval.JaccardPrefilter.Words(text))
            v[(int)((uint)StableHash(word) % (uint)dimension)] += 1;
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = 17;
            foreach (char c in s) h = h * 31 + c;
            return h;
        }
    }
}

/// <summary>A cross-encoder that returns a logit chosen by the test for each document text.</summary>
internal sealed class ScriptedCrossEncoder(Func<string, string, float> logit, string name = "fake/cross-encoder", ScoreActivation activation = ScoreActivation.Identity) : ICrossEncoder
{
    public string ModelName => name;

    public ScoreActivation DefaultActivation => activation;

    public int PairsScored { get; private set; }

    public PredictOptions? LastOptions { get; private set; }

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PairsScored += pairs.Count;
        LastOptions = options;
        var logits = pairs.Select(p => logit(p.Query, p.Document)).ToArray();
        return (options?.ActivationFn ?? activation) == ScoreActivation.Sigmoid ? logits.Select(x => 1f / (1f + MathF.Exp(-x))).ToArray() : logits;
    }

    public Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Predict(pairs, options, cancellationToken));

    public void Dispose() { }
}

/// <summary>A first stage that returns a fixed ranking.</summary>
internal sealed class FixedRetriever(params int[] ranking) : RerankKit.Retrieval.IFirstStageRetriever
{
    public string Name => "fixed";

    public IReadOnlyList<RerankKit.Retrieval.RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default) =>
        ranking.Take(k).Select((index, i) => new RerankKit.Retrieval.RetrievalHit(index, 100 - i)).ToList();

    public Task<IReadOnlyList<RerankKit.Retrieval.RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default) =>
        Task.FromResult(Search(query, k, cancellationToken));
}

internal static class SampleDocs
{
    public static IReadOnlyList<Document> Make(params string[] texts) =>
        texts.Select((t, i) => new Document($"d{i}", t)).ToList();
}
