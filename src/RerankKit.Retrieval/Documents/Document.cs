namespace RerankKit.Documents;

/// <summary>A retrievable unit of text: a whole document or one chunk of it. <see cref="Source"/>,
/// <see cref="ChunkIndex"/> and the offsets say where a chunk came from.</summary>
public sealed record Document(string Id, string Text)
{
    /// <summary>BEIR titles; retrieval indexes the title together with the text.</summary>
    public string? Title { get; init; }

    /// <summary>File name or id of the document the text came from.</summary>
    public string? Source { get; init; }

    /// <summary>Zero-based chunk number within <see cref="Source"/>; null for an unsplit document.</summary>
    public int? ChunkIndex { get; init; }

    /// <summary>Character offset of the chunk's first character in the source text.</summary>
    public int? StartOffset { get; init; }

    /// <summary>Character offset just past the chunk's last character in the source text.</summary>
    public int? EndOffset { get; init; }

    /// <summary>Title and text as one field, the way Anserini's flat BEIR index reads a document.</summary>
    public string FullText => string.IsNullOrEmpty(Title) ? Text : Title + "\n" + Text;
}
