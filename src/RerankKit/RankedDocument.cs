namespace RerankKit;

/// <summary>One result of <see cref="CrossEncoderExtensions.Rank"/>: the document's index in the input, its score and text.</summary>
public sealed record RankedDocument(int Index, float Score, string Document);
