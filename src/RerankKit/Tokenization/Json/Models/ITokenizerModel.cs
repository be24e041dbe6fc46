namespace RerankKit.Tokenization.Json.Models;

/// <summary>A tokenizer.json <c>model</c>: turns one pre-tokenized piece into tokens.</summary>
internal interface ITokenizerModel
{
    /// <summary>Tokens of <paramref name="piece"/>, with offsets in UTF-16 units of the piece.</summary>
    List<Token> Tokenize(string piece);

    bool TryGetId(string token, out int id);

    string? TokenOf(int id);
}
