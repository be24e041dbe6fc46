using RerankKit.Tokenization;

namespace RerankKit.Serving;

/// <summary>The models the endpoints use, with their tokenizers (the reranker's answers <c>/tokenize</c> and counts
/// the batch token budget exactly; the embedder's counts OpenAI <c>usage</c>).</summary>
internal sealed record EndpointModels(ICrossEncoder? Reranker, IBiEncoder? Embedder)
{
    public ITextTokenizer? RerankerTokenizer => (Reranker as ITokenizedModel)?.Tokenizer;

    public ITextTokenizer? EmbedderTokenizer => (Embedder as ITokenizedModel)?.Tokenizer;
}
