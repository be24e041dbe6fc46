namespace RerankKit.Retrieval;

/// <summary>How <see cref="SearchIndex.Build"/> indexes documents.</summary>
public sealed record SearchIndexOptions
{
    public Bm25Options Bm25 { get; init; } = new();

    /// <summary>Also keep int8 copies of the vectors for a faster shortlist (only with a bi-encoder).</summary>
    public bool Int8 { get; init; }

    /// <summary>How documents are embedded (<see cref="IBiEncoder.EncodeDocument"/>, so with the model's document
    /// prompt unless this names another); a <see cref="RerankKit.EncodeOptions.TruncateDim"/> sets the index's dimension.</summary>
    public EncodeOptions? EncodeOptions { get; init; }

    /// <summary>Also store every document's ColBERT token vectors (<see cref="SearchIndex.TokenVectors"/>) for
    /// <see cref="FirstStageKind.ColBert"/>.</summary>
    public RerankKit.LateInteraction.ColBert? ColBert { get; init; }

    /// <summary>Recorded in the manifest when the documents are chunks.</summary>
    public int? ChunkSize { get; init; }

    public int? ChunkOverlap { get; init; }
}
