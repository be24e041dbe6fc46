namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary>One step of a tokenizer.json <c>normalizer</c>.</summary>
internal interface INormalizer
{
    void Normalize(NormalizedString text);
}
