namespace RerankKit.Tokenization.Json;

/// <summary>One sequence's tokens while they are truncated and wrapped by post-processors.</summary>
internal sealed class WorkingEncoding
{
    public List<int> Ids { get; } = [];
    public List<int> TypeIds { get; } = [];
    public List<string> Tokens { get; } = [];
    public List<(int Start, int End)> Offsets { get; } = [];
    public List<bool> Special { get; } = [];

    /// <summary>For each token, the index of the pre-tokenized piece (word) it came from; -1 for added specials.</summary>
    public List<int> Words { get; } = [];

    public int Count => Ids.Count;

    public void Add(int id, int typeId, string token, (int, int) offsets, bool special, int word = -1)
    {
        Words.Add(word);
        Ids.Add(id);
        TypeIds.Add(typeId);
        Tokens.Add(token);
        Offsets.Add(offsets);
        Special.Add(special);
    }

    public static WorkingEncoding Specials(IReadOnlyList<int> ids, IReadOnlyList<string> tokens, int typeId)
    {
        var e = new WorkingEncoding();
        for (int i = 0; i < ids.Count; i++)
            e.Add(ids[i], typeId, tokens[i], (0, 0), true);
        return e;
    }

    public void SetTypeIds(int typeId)
    {
        for (int i = 0; i < TypeIds.Count; i++)
            TypeIds[i] = typeId;
    }

    /// <summary>Keeps <paramref name="length"/> tokens, dropping from the right or the left end.</summary>
    public void Truncate(int length, TruncationDirection direction)
    {
        if (length >= Count)
            return;
        int remove = Count - length;
        int at = direction == TruncationDirection.Right ? length : 0;
        Ids.RemoveRange(at, remove);
        TypeIds.RemoveRange(at, remove);
        Tokens.RemoveRange(at, remove);
        Offsets.RemoveRange(at, remove);
        Special.RemoveRange(at, remove);
        Words.RemoveRange(at, remove);
    }

    /// <summary>Tokens in the shortest run of whole words from the start that reaches <paramref name="limit"/> tokens
    /// (all of them if it never does).</summary>
    public int CountWholeWordsReaching(int limit)
    {
        for (int i = limit; i < Count; i++)
            if (Words[i] != Words[i - 1])
                return i;
        return Count;
    }

    public void Append(WorkingEncoding other)
    {
        Ids.AddRange(other.Ids);
        TypeIds.AddRange(other.TypeIds);
        Tokens.AddRange(other.Tokens);
        Offsets.AddRange(other.Offsets);
        Special.AddRange(other.Special);
        Words.AddRange(other.Words);
    }

    public static WorkingEncoding Merge(IEnumerable<WorkingEncoding> parts)
    {
        var merged = new WorkingEncoding();
        foreach (var part in parts)
            merged.Append(part);
        return merged;
    }

    public TokenizerEncoding ToResult() => new([.. Ids], [.. TypeIds], [.. Tokens], [.. Offsets], [.. Special]);
}
