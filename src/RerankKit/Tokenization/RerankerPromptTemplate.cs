namespace RerankKit.Tokenization;

/// <summary>The chat prompt an LLM reranker is asked in, and the two answers its score compares: the model card's
/// <c>format_instruction</c>, prefix and suffix.</summary>
public sealed record RerankerPromptTemplate(string Prefix, string Suffix, string Format, string DefaultInstruction, string Yes, string No)
{
    /// <summary>Qwen/Qwen3-Reranker-0.6B's model card ("Transformers Usage"): a system turn asking for "yes" or "no",
    /// the user turn with instruction, query and document, and an assistant turn with an empty think block.</summary>
    public static RerankerPromptTemplate Qwen3 { get; } = new(
        "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. " +
        "Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n",
        "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
        "<Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}",
        "Given a web search query, retrieve relevant passages that answer the query",
        "yes",
        "no");

    /// <summary>The user turn's content for one pair.</summary>
    public string Content(string instruction, string query, string document) =>
        Format.Replace("{instruction}", instruction, StringComparison.Ordinal)
            .Replace("{query}", query, StringComparison.Ordinal)
            .Replace("{doc}", document, StringComparison.Ordinal);
}
