using System.Text;

namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Lowercase</c>: Unicode lower-casing of each character, as Rust's <c>char::to_lowercase</c> (İ becomes
/// "i̇", the one unconditional multi-character mapping).</summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    public void Normalize(NormalizedString text) => text.MapRunes(Lower);

    internal static string? Lower(Rune r)
    {
        if (r.Value < 0x80)
            return r.Value is >= 'A' and <= 'Z' ? ((char)(r.Value | 0x20)).ToString() : null;
        if (r.Value == 0x130)
            return "i\u0307";
        Rune lower = Rune.ToLowerInvariant(r);
        return lower == r ? null : lower.ToString();
    }
}
