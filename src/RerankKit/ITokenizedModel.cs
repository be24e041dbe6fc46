using RerankKit.Tokenization;

namespace RerankKit;

/// <summary>A model that can say how it tokenizes, so that hosts can count tokens exactly (batch budgets, usage)
/// and answer tokenize requests. <see cref="CrossEncoder"/> and <see cref="BiEncoder"/> implement it.</summary>
public interface ITokenizedModel
{
    ITextTokenizer Tokenizer { get; }
}
