namespace RerankKit;

/// <summary>Scores a document longer than the model's window as the maximum over overlapping windows of it, each
/// paired with the whole query. The window is what <c>max_length</c> leaves after the query and special tokens.</summary>
public sealed record LongDocumentOptions
{
    /// <summary>Tokens between window starts; null means half a window, so each document token is seen in two
    /// windows (except near the ends).</summary>
    public int? Stride { get; init; }
}
