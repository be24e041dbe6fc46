namespace RerankKit;

/// <summary>Options of <see cref="IBiEncoder.Encode"/>, named as in sentence-transformers.</summary>
public sealed record EncodeOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Null follows the model (a Normalize module normalizes); true or false forces it.</summary>
    public bool? NormalizeEmbeddings { get; init; }
}
