namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary>A tokenizer.json <c>post_processor</c>: wraps the encoded sequence(s) with special tokens and sets
/// their token type ids.</summary>
internal interface IPostProcessor
{
    /// <summary>How many tokens <see cref="Process"/> adds to one text or a pair (truncation leaves room for them).</summary>
    int AddedTokens(bool isPair);

    /// <summary>The parts of the final encoding, in order, from the first and (if any) second sequence.</summary>
    List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens);
}
