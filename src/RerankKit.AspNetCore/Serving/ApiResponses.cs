namespace RerankKit.Serving;

/// <summary>TEI <c>/rerank</c> result.</summary>
internal sealed record TeiRank(int Index, float Score, string? Text);

/// <summary>Cohere/Jina <c>/v1/rerank</c> response.</summary>
internal sealed record CohereRerankResponse(string Id, IReadOnlyList<CohereRerankResult> Results, CohereMeta Meta, string Model);

internal sealed record CohereRerankResult(int Index, float RelevanceScore, CohereDocument? Document);

internal sealed record CohereDocument(string Text);

internal sealed record CohereMeta(CohereApiVersion ApiVersion, CohereBilledUnits BilledUnits);

internal sealed record CohereApiVersion(string Version);

internal sealed record CohereBilledUnits(int SearchUnits);

internal sealed record Usage(int PromptTokens, int TotalTokens);

/// <summary>OpenAI <c>/v1/embeddings</c> response; an embedding is a float array or, with
/// <c>encoding_format: base64</c>, little-endian float32 bytes in base64.</summary>
internal sealed record OpenAiEmbeddingList(IReadOnlyList<OpenAiEmbedding> Data, string Model, Usage Usage)
{
    public string Object => "list";
}

internal sealed record OpenAiEmbedding(int Index, object Embedding)
{
    public string Object => "embedding";
}

/// <summary>TEI <c>/tokenize</c> token.</summary>
internal sealed record TeiToken(int Id, string Text, bool Special);

internal sealed record ApiError(string Error, string ErrorType, string? Field);
