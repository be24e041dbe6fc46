namespace RerankKit.Tokenization;

/// <summary>Lays a (query, document) pair out as an LLM reranker reads it, as the Qwen3-Reranker model card's
/// <c>process_inputs</c> does: encode(prefix) + encode(content truncated to what prefix and suffix leave) +
/// encode(suffix). Prefix and suffix are encoded once; a single text is encoded as the model's tokenizer does.</summary>
public sealed class RerankerPromptTokenizer : ITextTokenizer
{
    private readonly ITextTokenizer _inner;
    private readonly EncodedInput _prefix;
    private readonly EncodedInput _suffix;
    private const int Unlimited = 1 << 30;

    public RerankerPromptTokenizer(ITextTokenizer inner, RerankerPromptTemplate template, string? instruction = null)
    {
        _inner = inner;
        Template = template;
        Instruction = instruction ?? template.DefaultInstruction;
        _prefix = inner.Encode(template.Prefix, Unlimited);
        _suffix = inner.Encode(template.Suffix, Unlimited);
        YesTokenId = SingleToken(template.Yes);
        NoTokenId = SingleToken(template.No);
    }

    public RerankerPromptTemplate Template { get; }

    /// <summary>The task instruction put in every prompt (the template's default unless the caller chose one).</summary>
    public string Instruction { get; }

    /// <summary>The id whose logit counts for relevance ("yes").</summary>
    public int YesTokenId { get; }

    /// <summary>The id whose logit counts against it ("no").</summary>
    public int NoTokenId { get; }

    /// <summary>Prefix and suffix tokens: the least any pair takes.</summary>
    public int TemplateLength => _prefix.Length + _suffix.Length;

    public int PadTokenId => _inner.PadTokenId;

    public bool UsesTokenTypeIds => false;

    public EncodedInput Encode(string text, int maxLength) => _inner.Encode(text, maxLength);

    public EncodedInput EncodePair(string first, string second, int maxLength)
    {
        int budget = maxLength - TemplateLength;
        if (budget < 1)
            throw new ArgumentException($"max length {maxLength} leaves no room for the reranker prompt's {TemplateLength} template tokens");
        var content = _inner.Encode(Template.Content(Instruction, first, second), budget);
        int n = _prefix.Length + content.Length + _suffix.Length;
        var ids = new int[n];
        var tokens = new string[n];
        int at = 0;
        foreach (var part in new[] { _prefix, content, _suffix })
        {
            part.InputIds.CopyTo(ids, at);
            if (part.Tokens.Length == part.Length)
                part.Tokens.CopyTo(tokens, at);
            at += part.Length;
        }
        return new EncodedInput(ids, new int[n], tokens);
    }

    /// <summary>Hugging Face's <c>convert_tokens_to_ids</c> for a word the vocabulary holds whole.</summary>
    private int SingleToken(string word)
    {
        var ids = _inner.Encode(word, Unlimited).InputIds;
        return ids.Length == 1
            ? ids[0]
            : throw new Models.ModelLoadException($"the tokenizer splits the reranker answer '{word}' into {ids.Length} tokens; an LLM reranker needs it as one");
    }
}
