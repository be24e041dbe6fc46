namespace RerankKit.Tokenization.Json;

/// <summary>The input cut into pieces, some already tokenized (added tokens), the others waiting for the
/// pre-tokenizer and the model (the library's <c>PreTokenizedString</c>).</summary>
internal sealed class PreTokenizedString
{
    public PreTokenizedString(NormalizedString whole) => Splits = [new Piece(whole, null)];

    public List<Piece> Splits { get; private set; }

    /// <summary>Replaces every piece not yet tokenized by the pieces <paramref name="split"/> makes of it (empty ones dropped).</summary>
    public void Split(Func<NormalizedString, IEnumerable<Piece>> split)
    {
        var next = new List<Piece>(Splits.Count * 2);
        foreach (var piece in Splits)
        {
            if (piece.Tokens is not null)
            {
                next.Add(piece);
                continue;
            }
            foreach (var part in split(piece.Text))
                if (!part.Text.IsEmpty)
                    next.Add(part);
        }
        Splits = next;
    }

    public void Split(Func<NormalizedString, List<NormalizedString>> split) =>
        Split(text => split(text).Select(t => new Piece(t, null)));

    /// <summary>Applies <paramref name="normalize"/> to every piece not yet tokenized.</summary>
    public void Normalize(Action<NormalizedString> normalize)
    {
        foreach (var piece in Splits)
            if (piece.Tokens is null)
                normalize(piece.Text);
    }

    /// <summary>One piece of the input and, once known, its tokens.</summary>
    internal sealed record Piece(NormalizedString Text, List<Token>? Tokens);
}
