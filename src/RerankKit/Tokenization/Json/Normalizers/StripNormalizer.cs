namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Strip</c>: removes whitespace at the left and/or right end.</summary>
internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public void Normalize(NormalizedString text) => text.Strip(left, right);
}
