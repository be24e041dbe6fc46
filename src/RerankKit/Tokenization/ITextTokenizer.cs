namespace RerankKit.Tokenization;

/// <summary>Turns text into model input ids the way the Hugging Face tokenizer of the model does.</summary>
public interface ITextTokenizer
{
    /// <summary>Id used to pad a batch.</summary>
    int PadTokenId { get; }

    /// <summary>Whether the model takes a <c>token_type_ids</c> input (BERT yes, XLM-R no).</summary>
    bool UsesTokenTypeIds { get; }

    /// <summary>Where padding goes in a batch; right unless the tokenizer says <c>padding_side: left</c>.</summary>
    TokenizerPaddingSide PaddingSide => TokenizerPaddingSide.Right;

    /// <summary>Encodes one text with its special tokens, truncated to <paramref name="maxLength"/> tokens in all.</summary>
    EncodedInput Encode(string text, int maxLength);

    /// <summary>Encodes a pair with <c>longest_first</c> truncation to <paramref name="maxLength"/> tokens in all.</summary>
    EncodedInput EncodePair(string first, string second, int maxLength);
}
