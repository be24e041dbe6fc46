using System.Globalization;
using System.Text.RegularExpressions;

namespace RerankKit.Listwise;

/// <summary>Reads a ranking such as <c>[2] &gt; [3] &gt; [1]</c> from a model's answer and repairs it into a full
/// permutation, so a window never loses or duplicates a document whatever the model wrote.</summary>
public static partial class PermutationParser
{
    /// <summary>The permutation of <paramref name="count"/> passages in <paramref name="answer"/>. Identifiers are
    /// taken from brackets (<c>[2]</c>) when the answer has any, so numbers in surrounding prose ("the 3 passages
    /// ranked: ...") are not read as identifiers; failing that from the longest <c>2 &gt; 1 &gt; 3</c> chain; failing
    /// that from every number. A reasoning model's <c>&lt;think&gt;...&lt;/think&gt;</c> part is skipped. Repeats
    /// keep their first place, unknown identifiers are dropped, and passages left out follow in their window
    /// order (as RankGPT does), so an empty or unreadable answer keeps the window as it was.</summary>
    public static ParsedPermutation Parse(string? answer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new List<int>(count);
        var seen = new bool[count];
        int duplicates = 0, unknown = 0;
        foreach (string id in Identifiers(AfterThinking(answer ?? "")))
        {
            // Digits only, so the parse fails only on overflow: such an identifier is out of range too.
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || number > count)
                unknown++;
            else if (seen[number - 1])
                duplicates++;
            else
            {
                seen[number - 1] = true;
                order.Add(number - 1);
            }
        }
        int missing = count - order.Count;
        for (int i = 0; i < count; i++)
            if (!seen[i])
                order.Add(i);
        return new ParsedPermutation(order, duplicates, unknown, missing);
    }

    private static string AfterThinking(string answer)
    {
        int close = answer.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        return close < 0 ? answer : answer[(close + "</think>".Length)..];
    }

    private static IEnumerable<string> Identifiers(string answer)
    {
        var bracketed = Bracketed().Matches(answer);
        if (bracketed.Count > 0)
            return bracketed.Select(m => m.Groups[1].Value);
        var chain = Chain().Matches(answer).MaxBy(m => m.Length);
        return Number().Matches(chain?.Value ?? answer).Select(m => m.Value);
    }

    [GeneratedRegex(@"\[\s*([0-9]+)\s*\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"[0-9]+(?:\s*>\s*[0-9]+)+")]
    private static partial Regex Chain();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Number();
}
