// Prints, as C# tuples for src/Unicode63.cs, the maximal runs of code points that Unicode 6.3 left unassigned but in which this .NET runtime's
// Unicode data has a character that a category-based Word_Break classifier would treat as a word character
// (letter, mark, decimal digit, letter number, format, connector). Input: tools/assigned63.txt.
using System.Globalization;

var assigned = new bool[0x110000];
foreach (var line in File.ReadLines(args[0]))
{
    var parts = line.Split(' ');
    int from = Convert.ToInt32(parts[0], 16), to = Convert.ToInt32(parts[1], 16);
    for (int cp = from; cp <= to; cp++) assigned[cp] = true;
}
for (int cp = 0xD800; cp <= 0xDFFF; cp++) assigned[cp] = true;

var runs = new List<(int From, int To)>();
for (int cp = 0; cp < 0x110000;)
{
    if (assigned[cp]) { cp++; continue; }
    int start = cp;
    bool relevant = false;
    for (; cp < 0x110000 && !assigned[cp]; cp++)
        relevant |= IsWordCategory(CharUnicodeInfo.GetUnicodeCategory(cp));
    if (relevant) runs.Add((start, cp - 1));
}
Console.WriteLine($"// {runs.Count} ranges");
for (int i = 0; i < runs.Count; i += 6)
    Console.WriteLine("        " + string.Join(" ", runs.Skip(i).Take(6).Select(r => $"(0x{r.From:X4}, 0x{r.To:X4}),")));

static bool IsWordCategory(UnicodeCategory c) => c switch
{
    UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.Format or UnicodeCategory.ConnectorPunctuation => true,
    _ => false,
};
