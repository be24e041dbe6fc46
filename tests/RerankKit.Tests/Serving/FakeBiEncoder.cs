using RerankKit.Tokenization;

namespace RerankKit.Tests.Serving;

/// <summary>Embeds a text as (characters, words, vowels), L2-normalised when asked or by default.</summary>
internal sealed class FakeBiEncoder : IBiEncoder, ITokenizedModel
{
    public string ModelName => "fake-embedder";

    public ITextTokenizer Tokenizer { get; } = new FakeTokenizer();

    public int Dimension => 3;

    public static float[] Raw(string text) =>
        [text.Length, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, text.Count("aeiou".Contains)];

    public float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        texts.Select(t => options?.NormalizeEmbeddings == false ? Raw(t) : Normalize(Raw(t))).ToArray();

    public Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Encode(texts, options, cancellationToken));

    /// <summary>The role and prompt name of each role call, so a test sees what the service asked for.</summary>
    public List<(string Role, string? PromptName)> Roles { get; } = [];

    public float[][] EncodeQuery(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Roles)
            Roles.Add(("query", options?.PromptName));
        return Encode(queries, options, cancellationToken);
    }

    public Task<float[][]> EncodeQueryAsync(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(EncodeQuery(queries, options, cancellationToken));

    public float[][] EncodeDocument(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Roles)
            Roles.Add(("document", options?.PromptName));
        return Encode(documents, options, cancellationToken);
    }

    public Task<float[][]> EncodeDocumentAsync(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(EncodeDocument(documents, options, cancellationToken));

    public static float[] Normalize(float[] v)
    {
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }

    public void Dispose()
    {
    }
}
