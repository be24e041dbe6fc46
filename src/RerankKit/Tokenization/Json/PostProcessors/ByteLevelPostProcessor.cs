namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary><c>ByteLevel</c> as a post-processor: adds no tokens; with <c>trim_offsets</c> the offsets of a token
/// stop covering its leading and trailing spaces (Ġ or real whitespace), as the library's <c>process_offsets</c>.</summary>
internal sealed class ByteLevelPostProcessor(bool trimOffsets, bool addPrefixSpace) : IPostProcessor
{
    public int AddedTokens(bool isPair) => 0;

    public List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens)
    {
        if (trimOffsets)
            foreach (var sequence in sequences)
                TrimOffsets(sequence, addPrefixSpace);
        return sequences;
    }

    internal static void TrimOffsets(WorkingEncoding encoding, bool addPrefixSpace)
    {
        char space = ByteLevelAlphabet.CharOfByte[' '];
        for (int i = 0; i < encoding.Count; i++)
        {
            string token = encoding.Tokens[i];
            int leading = 0;
            while (leading < token.Length && (token[leading] == space || char.IsWhiteSpace(token[leading])))
                leading++;
            int trailing = 0;
            while (trailing < token.Length && (token[token.Length - 1 - trailing] == space || char.IsWhiteSpace(token[token.Length - 1 - trailing])))
                trailing++;
            if (leading == 0 && trailing == 0)
                continue;
            var (start, end) = encoding.Offsets[i];
            if (leading > 0)
            {
                bool isFirst = i == 0 || start == 0;
                if (isFirst && addPrefixSpace && leading == 1)
                    leading = 0;
                start = Math.Min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing)
                end = Math.Max(end - trailing, start);
            encoding.Offsets[i] = (start, end);
        }
    }
}
