namespace RerankKit.Retrieval;

/// <summary>What a character contributes to Lucene 4.8's StandardTokenizer grammar: its UAX#29 Word_Break value
/// (Unicode 6.3), refined by the three extra properties that grammar also reads (Script=Han, Script=Hiragana and
/// Line_Break=Complex_Context). Values the grammar treats alike are merged.</summary>
internal enum WordBreakClass : byte
{
    /// <summary>Starts no token: spaces, CR/LF/Newline, symbols, most punctuation, unassigned code points.</summary>
    Other,
    ALetter,
    HebrewLetter,
    Numeric,
    Katakana,
    ExtendNumLet,
    MidLetter,
    MidNum,
    MidNumLet,
    SingleQuote,
    DoubleQuote,

    /// <summary>Word_Break Extend or Format: glued to the character before it (rule WB4).</summary>
    ExtendOrFormat,

    /// <summary>Line_Break=Complex_Context letters (Thai, Lao, Myanmar, Khmer, Tai scripts): runs form one token.</summary>
    ComplexContext,

    /// <summary>Complex_Context combining marks: glued like Extend, and also part of a Complex_Context run.</summary>
    ComplexContextExtend,

    /// <summary>Script=Han characters that are not ALetter: each one is a token.</summary>
    Ideographic,

    /// <summary>Script=Hiragana: each character is a token.</summary>
    Hiragana,

    /// <summary>Flag halves: never a token, but a run of them swallows the marks that follow.</summary>
    RegionalIndicator,
}
