namespace RerankKit.Tokenization.Json;

/// <summary>GPT-2's byte-to-character table: every byte gets a printable character (bytes that are printable
/// Latin-1 stand for themselves, the others take U+0100 onwards), so that byte-level BPE works on strings.</summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] CharOfByte = Build();

    public static readonly Dictionary<char, byte> ByteOfChar = CharOfByte.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    private static char[] Build()
    {
        var table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255;
            table[b] = printable ? (char)b : (char)(256 + next++);
        }
        return table;
    }
}
