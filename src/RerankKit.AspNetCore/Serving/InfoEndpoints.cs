namespace RerankKit.Serving;

/// <summary><c>POST /tokenize</c>, <c>GET /health</c> and <c>GET /info</c>.</summary>
internal static class InfoEndpoints
{
    /// <summary>TEI: <c>{inputs, add_special_tokens}</c> to one token list per input, each token
    /// <c>{id, text, special}</c>. Character offsets are not given.</summary>
    public static Task<object> TokenizeAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        var inputs = body.Texts("inputs", allowSingle: true);
        bool addSpecialTokens = body.OptionalBool("add_special_tokens", true);
        var tokenizer = state.Models.RerankerTokenizer ?? state.Models.EmbedderTokenizer
            ?? throw new ApiException(404, "model", "This server has no tokenizer for its model.");
        var result = inputs.Select(text =>
        {
            var encoded = tokenizer.Encode(text, state.Options.Batching.MaxLength);
            int last = encoded.Length - 1;
            // A single text is encoded as [CLS] text [SEP] (or <s> text </s>): the special tokens are the ends.
            var tokens = encoded.InputIds.Select((id, i) => new TeiToken(id, encoded.Tokens[i], i == 0 || i == last));
            return (addSpecialTokens ? tokens : tokens.Where(t => !t.Special)).ToArray();
        }).ToArray();
        return Task.FromResult<object>(result);
    }

    public static object Health() => new { Status = "ok" };

    public static object Info(ServingState state) => new
    {
        ModelId = state.Models.Reranker?.ModelName,
        EmbedModelId = state.Models.Embedder?.ModelName,
        ModelType = state.Models.Reranker is not null ? "reranker" : "embedding",
        EmbeddingDimension = state.Models.Embedder?.Dimension,
        MaxInputLength = state.Options.Batching.MaxLength,
        MaxBatchTokens = state.Options.Batching.MaxBatchTokens,
        MaxWaitMs = state.Options.Batching.MaxWait.TotalMilliseconds,
        MaxQueuedPairs = state.Options.Batching.MaxQueuedPairs,
        CrossRequestBatching = state.Options.Batching.CrossRequestBatching,
        MaxClientBatchSize = state.Options.MaxDocumentsPerRequest,
        MaxDocumentChars = state.Options.MaxDocumentChars,
        MaxRequestBodyBytes = state.Options.MaxRequestBodyBytes,
        ScoreCacheCapacity = state.Options.ScoreCacheCapacity,
        SharedCache = state.SharedCache,
        Version = typeof(InfoEndpoints).Assembly.GetName().Version?.ToString(),
    };
}
