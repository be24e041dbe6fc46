namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary>One step of a tokenizer.json <c>pre_tokenizer</c>: cuts (and may rewrite) the pieces not yet tokenized.</summary>
internal interface IPreTokenizer
{
    void PreTokenize(PreTokenizedString text);
}
