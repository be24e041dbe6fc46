namespace RerankKit.Serving;

/// <summary><c>POST /embed</c> (Hugging Face TEI) and <c>POST /v1/embeddings</c> (OpenAI).</summary>
internal static class EmbedEndpoints
{
    /// <summary>TEI: <c>{inputs, normalize, truncate}</c> to <c>[[float]]</c>; <c>normalize</c> defaults to true and
    /// inputs are always truncated to the model's max_length.</summary>
    public static async Task<object> TeiAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        var inputs = body.Texts("inputs", allowSingle: true);
        bool normalize = body.OptionalBool("normalize", true);
        body.OptionalBool("truncate", false);
        return await EncodeAsync(state, inputs, normalize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>OpenAI: <c>{input, model, encoding_format, dimensions}</c>. Embeddings come as the model gives them
    /// (a Normalize module normalizes); <c>dimensions</c> must equal the model's, as there is no truncation.</summary>
    public static async Task<object> OpenAiAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        var inputs = body.Texts("input", allowSingle: true);
        body.OptionalString("model");
        body.OptionalString("user");
        string format = body.OptionalString("encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.Invalid("encoding_format", $"`encoding_format` must be \"float\" or \"base64\", not \"{format}\".");
        var embedder = state.Models.Embedder ?? throw NoModel();
        if (body.OptionalPositiveInt("dimensions") is { } dimensions && dimensions != embedder.Dimension)
            throw ApiException.Invalid("dimensions", $"`dimensions` must be {embedder.Dimension}, the model's dimension.");
        float[][] vectors = await EncodeAsync(state, inputs, normalize: null, cancellationToken).ConfigureAwait(false);
        var data = vectors.Select((v, i) => new OpenAiEmbedding(i, format == "float" ? v : ToBase64(v))).ToArray();
        int tokens = state.Models.EmbedderTokenizer is { } tokenizer
            ? inputs.Sum(t => tokenizer.Encode(t, state.Options.Batching.MaxLength).Length)
            : 0;
        return new OpenAiEmbeddingList(data, embedder.ModelName, new Usage(tokens, tokens));
    }

    private static async Task<float[][]> EncodeAsync(ServingState state, IReadOnlyList<string> inputs, bool? normalize, CancellationToken cancellationToken)
    {
        var queue = state.Embeddings ?? throw NoModel();
        if (inputs.Count == 0)
            return [];
        return await queue.EncodeAsync(inputs, normalize, cancellationToken).ConfigureAwait(false);
    }

    private static string ToBase64(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return Convert.ToBase64String(bytes);
    }

    private static ApiException NoModel() =>
        new(404, "model", "This server has no embedding model; start it with --embed-model.");
}
