using System.Globalization;
using System.Net;

namespace RerankKit.Explain;

/// <summary>Small helpers for the self-contained HTML pages: escaping, numbers, embedded images and colour scales.</summary>
internal static class HtmlText
{
    public const string Style = """
        body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:24px;color:#222;max-width:1400px}
        h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .warn{background:#fff4e5;border-left:5px solid #f0a020;padding:10px 14px;margin:16px 0}
        .note{color:#555;font-size:13px}.tok{display:inline-block;padding:2px 4px;margin:1px;border-radius:3px;font-family:monospace}
        .q{border-bottom:3px solid #1f77b4}.d{border-bottom:3px solid #ff7f0e}.s{border-bottom:3px solid #9e9e9e}
        img{max-width:100%;border:1px solid #eee}.fail{color:#b00020}
        """;

    public static string E(string s) => WebUtility.HtmlEncode(s);

    public static string N(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Img(byte[] bytes, string mime, string alt) =>
        $"<img alt=\"{E(alt)}\" src=\"data:{mime};base64,{Convert.ToBase64String(bytes)}\">";

    /// <summary>A background colour for <paramref name="v"/> on a scale whose ends are ±<paramref name="max"/>:
    /// red for positive, blue for negative, white at zero.</summary>
    public static string Heat(double v, double max)
    {
        double a = max > 0 ? Math.Clamp(Math.Abs(v) / max, 0, 1) * 0.85 : 0;
        return v >= 0 ? $"rgba(214,39,40,{N(a, "0.###")})" : $"rgba(31,119,180,{N(a, "0.###")})";
    }

    public static string RoleClass(TokenRole role) => role switch { TokenRole.Query => "q", TokenRole.Document => "d", _ => "s" };
}
