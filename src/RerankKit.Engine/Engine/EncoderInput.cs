using RerankKit.Inference;
using RerankKit.Tokenization;

namespace RerankKit.Engine;

/// <summary>A padded batch for the engine, row-major [BatchSize, SequenceLength]. <see cref="InputEmbeddings"/>
/// ([B·T·H]), when set, replaces the word-embedding lookup (position and token-type embeddings are still added,
/// and XLM-R positions still come from <see cref="InputIds"/>), as integrated gradients needs.</summary>
public sealed record EncoderInput
{
    public int BatchSize { get; }
    public int SequenceLength { get; }
    public int[] InputIds { get; }
    public int[] AttentionMask { get; }
    public int[]? TokenTypeIds { get; }
    public float[]? InputEmbeddings { get; init; }

    public EncoderInput(int[] inputIds, int batchSize, int sequenceLength, int[]? attentionMask = null, int[]? tokenTypeIds = null)
    {
        int n = checked(batchSize * sequenceLength);
        if (batchSize <= 0 || sequenceLength <= 0)
            throw new ArgumentException("batch size and sequence length must be positive");
        if (inputIds.Length != n)
            throw new ArgumentException($"input_ids has {inputIds.Length} values, expected {batchSize}x{sequenceLength}");
        if (attentionMask is not null && attentionMask.Length != n)
            throw new ArgumentException($"attention_mask has {attentionMask.Length} values, expected {n}");
        if (tokenTypeIds is not null && tokenTypeIds.Length != n)
            throw new ArgumentException($"token_type_ids has {tokenTypeIds.Length} values, expected {n}");
        InputIds = inputIds;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        AttentionMask = attentionMask ?? Enumerable.Repeat(1, n).ToArray();
        TokenTypeIds = tokenTypeIds;
    }

    /// <summary>One unpadded sequence.</summary>
    public static EncoderInput Single(IReadOnlyList<int> inputIds, IReadOnlyList<int>? tokenTypeIds = null) =>
        new(inputIds.ToArray(), 1, inputIds.Count, null, tokenTypeIds?.ToArray());

    /// <summary>Right-pads sequences of different lengths with <paramref name="padTokenId"/> and mask 0, by
    /// <see cref="TokenBatch.Pad"/>.</summary>
    public static EncoderInput Pad(IReadOnlyList<IReadOnlyList<int>> inputIds, int padTokenId, IReadOnlyList<IReadOnlyList<int>>? tokenTypeIds = null) =>
        FromTokenBatch(TokenBatch.Pad(inputIds, tokenTypeIds, padTokenId));

    /// <summary>Pads tokenized texts with the tokenizer's pad token, with token types only if it uses them.</summary>
    public static EncoderInput Pad(IReadOnlyList<EncodedInput> encoded, ITextTokenizer tokenizer) =>
        Pad(encoded.Select(e => (IReadOnlyList<int>)e.InputIds).ToList(), tokenizer.PadTokenId,
            tokenizer.UsesTokenTypeIds ? encoded.Select(e => (IReadOnlyList<int>)e.TokenTypeIds).ToList() : null);

    public static EncoderInput FromTokenBatch(TokenBatch batch)
    {
        bool hasTypes = batch.TokenTypeIds is { Length: > 0 };
        return new EncoderInput(
            batch.InputIds.Select(x => checked((int)x)).ToArray(), batch.BatchSize, batch.SequenceLength,
            batch.AttentionMask is { Length: > 0 } ? batch.AttentionMask.Select(x => (int)x).ToArray() : null,
            hasTypes ? batch.TokenTypeIds.Select(x => (int)x).ToArray() : null);
    }
}
