using RerankKit.Tokenization;

namespace RerankKit.Serving;

/// <summary>What a <see cref="RerankServer"/> serves: a reranker for <c>/rerank</c> and <c>/v1/rerank</c> and an
/// embedder for <c>/embed</c> and <c>/v1/embeddings</c>, with their tokenizers (the reranker's answers
/// <c>/tokenize</c> and counts the batch token budget exactly; the embedder's counts OpenAI <c>usage</c>).
/// The caller keeps ownership and disposes them after the server.</summary>
public sealed record ServedModels(ICrossEncoder? Reranker, IBiEncoder? Embedder = null,
    ITextTokenizer? RerankerTokenizer = null, ITextTokenizer? EmbedderTokenizer = null);
