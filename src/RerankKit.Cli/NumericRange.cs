using System.Globalization;

namespace RerankKit.Cli;

/// <summary>The values a numeric option accepts: finite, between <see cref="Min"/> (exclusive when
/// <see cref="MinExclusive"/>) and <see cref="Max"/>.</summary>
internal sealed record NumericRange(double Min, double Max, bool MinExclusive = false)
{
    public static NumericRange AnyFinite { get; } = new(double.MinValue, double.MaxValue);

    public static NumericRange AnyInt { get; } = new(int.MinValue, int.MaxValue);

    /// <summary>Why <paramref name="value"/> is refused for <paramref name="option"/>, or null when it is accepted.</summary>
    public string? Problem(string option, double value) => value switch
    {
        _ when !double.IsFinite(value) => $"{option} must be a finite number, not {Show(value)}",
        _ when MinExclusive && value <= Min => $"{option} must be greater than {Show(Min)}, not {Show(value)}",
        _ when value < Min => $"{option} must be at least {Show(Min)}, not {Show(value)}",
        _ when value > Max => $"{option} must be at most {Show(Max)}, not {Show(value)}",
        _ => null,
    };

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
