namespace RerankKit.Explain;

/// <summary>Which part of the pair a token belongs to.</summary>
public enum TokenRole
{
    Special,
    Query,
    Document,
}

/// <summary>Reads the roles off a pair encoding: BERT <c>[CLS] q [SEP] d [SEP]</c> or XLM-R <c>&lt;s&gt; q &lt;/s&gt;&lt;/s&gt; d &lt;/s&gt;</c>.</summary>
public static class TokenRoles
{
    private static readonly HashSet<string> SpecialTokens = ["[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>"];

    public static bool IsSpecial(string token) => SpecialTokens.Contains(token);

    public static TokenRole[] Assign(IReadOnlyList<string> tokens)
    {
        var roles = new TokenRole[tokens.Count];
        bool seenSeparator = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (IsSpecial(tokens[i]))
            {
                roles[i] = TokenRole.Special;
                seenSeparator |= i > 0;
            }
            else
                roles[i] = seenSeparator ? TokenRole.Document : TokenRole.Query;
        }
        return roles;
    }
}
