namespace RerankKit.Tokenization;

/// <summary>One tokenized text or text pair, special tokens included; the attention mask is all ones.</summary>
public sealed record EncodedInput(int[] InputIds, int[] TokenTypeIds, string[] Tokens)
{
    public int Length => InputIds.Length;
}
