namespace RerankKit.Retrieval;

/// <summary>Finds the tokens Lucene 4.8's StandardTokenizer emits: UAX#29 word boundaries (Unicode 6.3) as its
/// grammar applies them. At each position the longest match among the grammar's rules wins; matches made only of
/// punctuation, symbols, spaces or flags are skipped; a token longer than <see cref="MaxTokenLength"/> UTF-16 units is
/// dropped whole, as 4.8 does (later Lucene versions split it instead). Token types (ALPHANUM, NUM, IDEOGRAPHIC...) are not
/// computed: nothing in the English chain reads them.</summary>
internal ref struct StandardWordScanner(ReadOnlySpan<char> text)
{
    public const int MaxTokenLength = 255;

    private readonly ReadOnlySpan<char> _text = text;
    private int _position;

    /// <summary>The next token's place in the text, or false at the end.</summary>
    public bool TryNext(out int start, out int length)
    {
        while (_position < _text.Length)
        {
            int from = _position;
            var (end, isToken) = Match(from);
            _position = end;
            if (isToken && end - from <= MaxTokenLength)
            {
                (start, length) = (from, end - from);
                return true;
            }
        }
        (start, length) = (0, 0);
        return false;
    }

    /// <summary>The end of the longest match at <paramref name="start"/>, and whether it is a token.</summary>
    private readonly (int End, bool IsToken) Match(int start)
    {
        var (first, width) = Read(start);
        switch (first)
        {
            case WordBreakClass.ALetter or WordBreakClass.HebrewLetter or WordBreakClass.Numeric
                or WordBreakClass.Katakana or WordBreakClass.ExtendNumLet:
                int end = MatchWord(start);
                // Connectors with no letter or digit after them match nothing: skip one code point only.
                return end > start ? (end, true) : (start + width, false);
            case WordBreakClass.ComplexContext or WordBreakClass.ComplexContextExtend:
                // Its rule takes a run of Complex_Context characters and nothing else, not even other marks.
                return (SkipWhile(start, static c => c is WordBreakClass.ComplexContext or WordBreakClass.ComplexContextExtend),
                    true);
            case WordBreakClass.Ideographic or WordBreakClass.Hiragana:
                return (SkipWhile(start + width, IsExtend), true);
            case WordBreakClass.RegionalIndicator:
                return (MatchFlagRun(start, width), false);
            default:
                return (start + width, false);
        }
    }

    /// <summary>Longest word (rules WB5-WB13b, with WB4 gluing marks to the character before): letters, digits and
    /// Katakana joined by ExtendNumLet, letters by MidLetter, digits by MidNum, and the Hebrew quote rules.</summary>
    private readonly int MatchWord(int start)
    {
        var state = WordState.Connectors;
        int position = start, lastAccepted = start;
        while (position < _text.Length)
        {
            var (wordBreakClass, width) = Read(position);
            if (!IsExtend(wordBreakClass))
            {
                var next = Next(state, wordBreakClass);
                if (next is null)
                    break;
                state = next.Value;
            }
            position += width;
            if (IsAccepting(state))
                lastAccepted = position;
        }
        return lastAccepted;
    }

    /// <summary>A run of two or more regional indicators, with their marks, is matched (and skipped) as a whole; a
    /// lone one is a single code point, so a Complex_Context mark after it can still start a token.</summary>
    private readonly int MatchFlagRun(int start, int width)
    {
        int afterFirst = SkipWhile(start + width, IsExtend);
        if (afterFirst >= _text.Length || Read(afterFirst).Class != WordBreakClass.RegionalIndicator)
            return start + width;
        return SkipWhile(afterFirst, static c => c == WordBreakClass.RegionalIndicator || IsExtend(c));
    }

    private readonly int SkipWhile(int position, Func<WordBreakClass, bool> predicate)
    {
        while (position < _text.Length)
        {
            var (wordBreakClass, width) = Read(position);
            if (!predicate(wordBreakClass))
                break;
            position += width;
        }
        return position;
    }

    private readonly (WordBreakClass Class, int Width) Read(int position)
    {
        char c = _text[position];
        if (char.IsHighSurrogate(c) && position + 1 < _text.Length && char.IsLowSurrogate(_text[position + 1]))
            return (WordBreakClassifier.Of(char.ConvertToUtf32(c, _text[position + 1])), 2);
        return (WordBreakClassifier.Of(c), 1);
    }

    private static bool IsExtend(WordBreakClass c) => c is WordBreakClass.ExtendOrFormat or WordBreakClass.ComplexContextExtend;

    private static bool IsAccepting(WordState state) => state is WordState.Letter or WordState.HebrewLetter
        or WordState.Number or WordState.Katakana or WordState.ConnectorAfterWord or WordState.HebrewQuoteUnit;

    private static WordState? Next(WordState state, WordBreakClass c) => (state, c) switch
    {
        // Katakana joins Katakana (WB13), and anything else only through ExtendNumLet (WB13a).
        (WordState.Katakana, WordBreakClass.Katakana) => WordState.Katakana,
        (WordState.Katakana, WordBreakClass.ExtendNumLet) => WordState.ConnectorAfterWord,
        (WordState.Katakana, _) => null,
        // A letter after MidLetter continues that run, so a Hebrew one cannot begin a quote unit (WB7a-c) there.
        (WordState.LetterMid, WordBreakClass.ALetter or WordBreakClass.HebrewLetter) => WordState.Letter,
        (WordState.HebrewDoubleQuote, WordBreakClass.HebrewLetter) => WordState.HebrewQuoteUnit,
        (WordState.NumberMid, WordBreakClass.Numeric) => WordState.Number,
        (WordState.LetterMid or WordState.NumberMid or WordState.HebrewDoubleQuote, _) => null,
        // Every other state sits where a new letter or digit run may begin (WB9, WB10, WB13a, WB13b), and after
        // ExtendNumLet a Katakana run too.
        (_, WordBreakClass.ALetter) => WordState.Letter,
        (_, WordBreakClass.HebrewLetter) => WordState.HebrewLetter,
        (_, WordBreakClass.Numeric) => WordState.Number,
        (_, WordBreakClass.ExtendNumLet) => state == WordState.Connectors ? WordState.Connectors : WordState.ConnectorAfterWord,
        (WordState.Connectors or WordState.ConnectorAfterWord, WordBreakClass.Katakana) => WordState.Katakana,
        // WB6/WB7: letter (MidLetter | MidNumLet | Single_Quote) letter; WB7a: Hebrew letter Single_Quote ends a word.
        (WordState.HebrewLetter, WordBreakClass.SingleQuote) => WordState.HebrewQuoteUnit,
        (WordState.Letter or WordState.HebrewLetter, WordBreakClass.MidLetter or WordBreakClass.MidNumLet or WordBreakClass.SingleQuote)
            => WordState.LetterMid,
        // WB7b/WB7c: Hebrew letter Double_Quote Hebrew letter.
        (WordState.HebrewLetter, WordBreakClass.DoubleQuote) => WordState.HebrewDoubleQuote,
        // WB11/WB12: digit (MidNum | MidNumLet | Single_Quote) digit.
        (WordState.Number, WordBreakClass.MidNum or WordBreakClass.MidNumLet or WordBreakClass.SingleQuote)
            => WordState.NumberMid,
        _ => null,
    };

    private enum WordState : byte
    {
        /// <summary>Only ExtendNumLet so far (or nothing): not yet a token.</summary>
        Connectors,
        /// <summary>After a letter that continues a run (any letter but a Hebrew one that may start a quote unit).</summary>
        Letter,
        /// <summary>After a Hebrew letter that may start a quote unit: Hebrew letter and ', or Hebrew letter, " and
        /// Hebrew letter.</summary>
        HebrewLetter,
        Number,
        Katakana,
        /// <summary>ExtendNumLet after a letter, digit or Katakana: a token, and any of those may follow.</summary>
        ConnectorAfterWord,
        /// <summary>After a whole quote unit: a token, which no MidLetter or quote may extend, only a new run.</summary>
        HebrewQuoteUnit,
        /// <summary>Letter and MidLetter-like punctuation: needs a letter to go on.</summary>
        LetterMid,
        /// <summary>Digit and MidNum-like punctuation: needs a digit to go on.</summary>
        NumberMid,
        /// <summary>Hebrew letter and double quote: needs a Hebrew letter to go on.</summary>
        HebrewDoubleQuote,
    }
}
