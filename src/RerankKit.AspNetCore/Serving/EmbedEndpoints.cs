using RerankKit.Models;

namespace RerankKit.Serving;

/// <summary><c>POST /embed</c> (Hugging Face TEI) and <c>POST /v1/embeddings</c> (OpenAI).</summary>
internal static class EmbedEndpoints
{
    /// <summary>TEI: <c>{inputs, normalize, truncate, prompt_name}</c> to <c>[[float]]</c>; <c>normalize</c> defaults to
    /// true and inputs are always truncated to the model's max_length. Inputs are embedded as documents (the model's
    /// document prompt) unless <c>prompt_name</c> names another of its prompts, such as "query".</summary>
    public static async Task<object> TeiAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        var inputs = body.Texts("inputs", allowSingle: true);
        bool normalize = body.OptionalBool("normalize", true);
        body.OptionalBool("truncate", false);
        var options = new EncodeOptions { NormalizeEmbeddings = normalize, PromptName = body.OptionalString("prompt_name") };
        return await EncodeAsync(state, inputs, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>OpenAI: <c>{input, model, encoding_format, dimensions, prompt_name}</c>. Embeddings come as the model
    /// gives them (a Normalize module normalizes); <c>dimensions</c> keeps the first N (Matryoshka truncation, then
    /// normalized as the model is). Inputs are embedded as documents unless <c>prompt_name</c> says otherwise.</summary>
    public static async Task<object> OpenAiAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        var inputs = body.Texts("input", allowSingle: true);
        body.OptionalString("model");
        body.OptionalString("user");
        string format = body.OptionalString("encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.Invalid("encoding_format", $"`encoding_format` must be \"float\" or \"base64\", not \"{format}\".");
        var embedder = state.Models.Embedder ?? throw NoModel();
        int? dimensions = body.OptionalPositiveInt("dimensions");
        if (dimensions > embedder.Dimension)
            throw ApiException.Invalid("dimensions", $"`dimensions` must be at most {embedder.Dimension}, the model's dimension, not {dimensions}.");
        var options = new EncodeOptions { TruncateDim = dimensions, PromptName = body.OptionalString("prompt_name") };
        float[][] vectors = await EncodeAsync(state, inputs, options, cancellationToken).ConfigureAwait(false);
        var data = vectors.Select((v, i) => new OpenAiEmbedding(i, format == "float" ? v : ToBase64(v))).ToArray();
        int tokens = state.Models.EmbedderTokenizer is { } tokenizer
            ? inputs.Sum(t => tokenizer.Encode(t, state.Options.Batching.MaxLength).Length)
            : 0;
        return new OpenAiEmbeddingList(data, embedder.ModelName, new Usage(tokens, tokens));
    }

    private static async Task<float[][]> EncodeAsync(ServingState state, IReadOnlyList<string> inputs, EncodeOptions options, CancellationToken cancellationToken)
    {
        var queue = state.Embeddings ?? throw NoModel();
        if (inputs.Count == 0)
            return [];
        try
        {
            return await queue.EncodeAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        }
        // The model knows its prompts; a name it does not have is the client's mistake.
        catch (UnknownPromptException e)
        {
            throw ApiException.Invalid("prompt_name", e.Message);
        }
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
