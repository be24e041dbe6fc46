using ScottPlot;

namespace RerankKit.Explain;

/// <summary>Colours and token labels shared by the explanation figures and the HTML report.</summary>
internal static class FigureStyle
{
    public static readonly Color QueryColor = Color.FromHex("#1f77b4");
    public static readonly Color DocumentColor = Color.FromHex("#ff7f0e");
    public static readonly Color SpecialColor = Color.FromHex("#9e9e9e");

    public static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    public static Color RoleColor(TokenRole role) => role switch
    {
        TokenRole.Query => QueryColor,
        TokenRole.Document => DocumentColor,
        _ => SpecialColor,
    };

    /// <summary>A token as a label: position-qualified so repeated tokens stay distinguishable, and shortened.</summary>
    public static string Label(string token, int position)
    {
        string shown = token.Length > 14 ? token[..13] + "…" : token;
        return $"{shown} ({position})";
    }

    /// <summary>Every n-th label when cells are too narrow to print them all.</summary>
    public static int LabelStride(float cellPixels, float minimumPixels = 11) =>
        Math.Max(1, (int)Math.Ceiling(minimumPixels / Math.Max(cellPixels, 0.01f)));
}
