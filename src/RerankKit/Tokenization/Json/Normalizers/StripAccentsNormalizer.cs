using System.Text;

namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>StripAccents</c>: removes non-spacing marks (by the library's tables; used after an NFD normalizer).</summary>
internal sealed class StripAccentsNormalizer : INormalizer
{
    public void Normalize(NormalizedString text) => text.Filter(IsKept);

    internal static bool IsKept(Rune r) => !CharClass.IsNonSpacingMark(r);
}
