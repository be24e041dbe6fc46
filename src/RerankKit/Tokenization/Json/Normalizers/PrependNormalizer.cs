namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Prepend</c>: puts a fixed string in front of non-empty text.</summary>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    public void Normalize(NormalizedString text) => text.Prepend(prefix);
}
