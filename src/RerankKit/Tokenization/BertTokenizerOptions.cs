namespace RerankKit.Tokenization;

/// <summary>Settings of a BERT WordPiece tokenizer, named after Hugging Face's BertTokenizer arguments.</summary>
public sealed record BertTokenizerOptions
{
    public bool LowerCase { get; init; } = true;

    /// <summary>Null follows <see cref="LowerCase"/>, as <c>strip_accents=None</c> does.</summary>
    public bool? StripAccents { get; init; }
    public bool TokenizeChineseChars { get; init; } = true;
    public int MaxInputCharsPerWord { get; init; } = 100;
    public string ClsToken { get; init; } = "[CLS]";
    public string SepToken { get; init; } = "[SEP]";
    public string PadToken { get; init; } = "[PAD]";
    public string UnkToken { get; init; } = "[UNK]";

    /// <summary>MPNet's pair layout <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> without token types,
    /// instead of BERT's <c>[CLS] A [SEP] B [SEP]</c> with token types 0 then 1.</summary>
    public bool DoubleSeparatorInPair { get; init; }

    public bool EffectiveStripAccents => StripAccents ?? LowerCase;

    public static BertTokenizerOptions From(TokenizerConfig config) => new()
    {
        LowerCase = config.DoLowerCase ?? true,
        StripAccents = config.StripAccents,
        TokenizeChineseChars = config.TokenizeChineseChars ?? true,
        ClsToken = config.ClsToken ?? "[CLS]",
        SepToken = config.SepToken ?? "[SEP]",
        PadToken = config.PadToken ?? "[PAD]",
        UnkToken = config.UnkToken ?? "[UNK]",
    };
}
