namespace RerankKit.Tokenization.Json;

/// <summary>A token from the model or the added vocabulary: its id, its string and its range in the piece of
/// normalized text it came from.</summary>
internal readonly record struct Token(int Id, string Value, int Start, int End);
