namespace RerankKit.Tokenization.Json;

/// <summary>The result of <see cref="HuggingFaceTokenizer.Encode(string, string?, bool, TruncationOptions?)"/>:
/// ids, token type ids, token strings, offsets (UTF-16 ranges in the text each token came from; (0, 0) for added
/// special tokens) and which tokens the post-processor added.</summary>
public sealed record TokenizerEncoding(int[] Ids, int[] TypeIds, string[] Tokens, (int Start, int End)[] Offsets, bool[] SpecialTokensMask)
{
    public int Length => Ids.Length;

    public EncodedInput ToEncodedInput() => new(Ids, TypeIds, Tokens);
}
