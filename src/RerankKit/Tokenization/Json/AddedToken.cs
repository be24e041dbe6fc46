namespace RerankKit.Tokenization.Json;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>: matched in the text before the model runs, on the
/// original text or (<c>normalized</c>) on the normalized one; <c>single_word</c> only between non-word characters;
/// <c>lstrip</c>/<c>rstrip</c> swallow the whitespace beside it.</summary>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LStrip = false,
    bool RStrip = false, bool Normalized = false);
