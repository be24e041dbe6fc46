using System.Text.RegularExpressions;

namespace RerankKit.Documents;

/// <summary>Splits text into chunks of at most <see cref="ChunkSize"/> characters with about
/// <see cref="ChunkOverlap"/> characters shared between neighbours, preferring to cut between paragraphs, then
/// lines, sentences, words and finally characters: LangChain's RecursiveCharacterTextSplitter, with separators
/// kept at the end of the piece they close so every chunk is an exact slice of the source and carries its offsets.</summary>
public sealed partial class RecursiveCharacterSplitter
{
    public const int DefaultChunkSize = 500;
    public const int DefaultChunkOverlap = 100;

    private static readonly Regex[] Separators =
    [
        ParagraphBreak(),
        LineBreak(),
        SentenceEnd(),
        WordBreak(),
    ];

    public RecursiveCharacterSplitter(int chunkSize = DefaultChunkSize, int chunkOverlap = DefaultChunkOverlap)
    {
        if (chunkSize < 1)
            throw new ArgumentException($"Chunk size must be at least 1 (got {chunkSize}).", nameof(chunkSize));
        if (chunkOverlap < 0 || chunkOverlap >= chunkSize)
            throw new ArgumentException($"Chunk overlap must be at least 0 and below the chunk size {chunkSize} (got {chunkOverlap}).", nameof(chunkOverlap));
        ChunkSize = chunkSize;
        ChunkOverlap = chunkOverlap;
    }

    public int ChunkSize { get; }

    public int ChunkOverlap { get; }

    /// <summary>Chunks of <paramref name="text"/> as (start, end) character offsets, whitespace trimmed, in order.</summary>
    public IReadOnlyList<(int Start, int End)> SplitOffsets(string text)
    {
        var chunks = new List<(int Start, int End)>();
        SplitRange(text, 0, text.Length, 0, chunks);
        return chunks;
    }

    /// <summary>Each document split into chunks whose id is <c>{id}#{chunk}</c>; source, chunk number and offsets
    /// go into the chunk's metadata. A document that fits in one chunk keeps its id.</summary>
    public IReadOnlyList<Document> Split(IEnumerable<Document> documents)
    {
        var result = new List<Document>();
        foreach (var document in documents)
        {
            var offsets = SplitOffsets(document.Text);
            for (int i = 0; i < offsets.Count; i++)
            {
                var (start, end) = offsets[i];
                string id = offsets.Count == 1 ? document.Id : $"{document.Id}#{i}";
                result.Add(document with
                {
                    Id = id,
                    Text = document.Text[start..end],
                    Source = document.Source ?? document.Id,
                    ChunkIndex = i,
                    StartOffset = start,
                    EndOffset = end,
                });
            }
        }
        return result;
    }

    private void SplitRange(string text, int start, int end, int level, List<(int, int)> output)
    {
        var pieces = Pieces(text, start, end, ref level);
        var fitting = new List<(int Start, int End)>();
        foreach (var piece in pieces)
        {
            if (piece.End - piece.Start <= ChunkSize)
            {
                fitting.Add(piece);
                continue;
            }
            Merge(text, fitting, output);
            fitting.Clear();
            SplitRange(text, piece.Start, piece.End, level + 1, output);
        }
        Merge(text, fitting, output);
    }

    /// <summary>Cuts [start, end) at the coarsest separator that occurs in it; at the character level every
    /// character is a piece. <paramref name="level"/> becomes the level actually used.</summary>
    private static List<(int Start, int End)> Pieces(string text, int start, int end, ref int level)
    {
        var pieces = new List<(int, int)>();
        for (; level < Separators.Length; level++)
        {
            int pieceStart = start;
            foreach (var match in Separators[level].EnumerateMatches(text.AsSpan(start, end - start)))
            {
                int cut = start + match.Index + match.Length;
                if (cut > pieceStart && cut < end)
                {
                    pieces.Add((pieceStart, cut));
                    pieceStart = cut;
                }
            }
            if (pieces.Count > 0)
            {
                pieces.Add((pieceStart, end));
                return pieces;
            }
        }
        for (int i = start; i < end; i++)
            pieces.Add((i, i + 1));
        return pieces;
    }

    /// <summary>Greedily packs consecutive pieces into chunks, carrying the last pieces of a chunk (up to the overlap)
    /// into the next one.</summary>
    private void Merge(string text, List<(int Start, int End)> pieces, List<(int, int)> output)
    {
        var window = new Queue<(int Start, int End)>();
        int total = 0;
        foreach (var piece in pieces)
        {
            int length = piece.End - piece.Start;
            if (total + length > ChunkSize && window.Count > 0)
            {
                Emit(text, window.Peek().Start, window.Last().End, output);
                while (window.Count > 0 && (total > ChunkOverlap || total + length > ChunkSize))
                {
                    var dropped = window.Dequeue();
                    total -= dropped.End - dropped.Start;
                }
            }
            window.Enqueue(piece);
            total += length;
        }
        if (window.Count > 0)
            Emit(text, window.Peek().Start, window.Last().End, output);
    }

    private static void Emit(string text, int start, int end, List<(int, int)> output)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (end > start && (output.Count == 0 || output[^1] != (start, end)))
            output.Add((start, end));
    }

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"\n")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WordBreak();
}
