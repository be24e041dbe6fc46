namespace RerankKit;

/// <summary>Embeds texts independently. <see cref="BiEncoder"/> is the implementation.</summary>
public interface IBiEncoder : IDisposable
{
    string ModelName { get; }

    int Dimension { get; }

    /// <summary>One vector per text, in input order.</summary>
    float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default);
}
