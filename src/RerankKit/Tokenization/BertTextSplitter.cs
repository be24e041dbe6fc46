using System.Collections.Concurrent;
using System.Text;
using RerankKit.Tokenization.Json;

namespace RerankKit.Tokenization;

/// <summary>BERT's normalizer and pre-tokenizer in one pass: drops NUL, U+FFFD and control/format characters,
/// treats whitespace as a separator, isolates CJK ideographs and punctuation, strips accents (NFD without
/// non-spacing marks) and lower-cases. Words land in a reusable buffer, so plain text allocates nothing. Character
/// classes come from the tokenizers library's tables (<see cref="CharClass"/>), not .NET's Unicode version.</summary>
/// <remarks>Hand-written because Microsoft.ML.Tokenizers' BertTokenizer drops symbols such as ™ and © and treats
/// control characters and &lt;c&gt; differently from Hugging Face, which changes the golden ids.</remarks>
internal sealed class BertTextSplitter(bool lowerCase, bool stripAccents, bool tokenizeChineseChars)
{
    private readonly string?[] _bmpCache = new string?[0x10000];
    private readonly ConcurrentDictionary<int, string> _astralCache = new();

    /// <summary>Normalizes <paramref name="text"/> into <paramref name="words"/>.</summary>
    public void Split(ReadOnlySpan<char> text, WordBuffer words)
    {
        words.Clear();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80)
            {
                i++;
                if (char.IsAsciiLetterOrDigit(c))
                    words.Append(lowerCase && char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
                else if (c is ' ' or '\t' or '\n' or '\r')
                    words.EndWord();
                else if (c >= 0x21 && c <= 0x7E)
                    words.AddSingle(c);
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                i += consumed;
                continue;
            }
            i += consumed;
            if (rune.Value == 0xFFFD || CharClass.IsOther(rune))
                continue;
            if (Rune.IsWhiteSpace(rune))
            {
                words.EndWord();
                continue;
            }

            bool cjk = tokenizeChineseChars && IsCjk(rune.Value);
            if (cjk)
                words.EndWord();
            AppendNormalized(Transform(rune), words);
            if (cjk)
                words.EndWord();
        }
        words.EndWord();
    }

    private static void AppendNormalized(string s, WordBuffer words)
    {
        for (int k = 0; k < s.Length;)
        {
            Rune.DecodeFromUtf16(s.AsSpan(k), out Rune r, out int n);
            if (Rune.IsWhiteSpace(r))
                words.EndWord();
            else if (CharClass.IsPunctuation(r))
                words.AddSingle(s.AsSpan(k, n));
            else
                words.Append(s.AsSpan(k, n));
            k += n;
        }
    }

    private string Transform(Rune rune)
    {
        int cp = rune.Value;
        if (cp < 0x10000)
            return _bmpCache[cp] ??= Compute(rune);
        return _astralCache.GetOrAdd(cp, static (_, state) => state.Self.Compute(state.Rune), (Self: this, Rune: rune));
    }

    private string Compute(Rune rune)
    {
        string s = rune.ToString();
        if (!lowerCase && !stripAccents)
            return s;
        if (lowerCase && !stripAccents && rune.Value == 0x130)
            return "i\u0307";
        // ICU refuses noncharacters (U+FFFE, U+FDD0…), which normalization leaves as they are.
        if (stripAccents && !IsNoncharacter(rune.Value))
            s = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(s.Length);
        foreach (Rune r in s.EnumerateRunes())
        {
            if (stripAccents && CharClass.IsNonSpacingMark(r))
                continue;
            sb.Append((lowerCase ? Rune.ToLowerInvariant(r) : r).ToString());
        }
        return sb.ToString();
    }

    private static bool IsNoncharacter(int cp) => (cp & 0xFFFE) == 0xFFFE || cp is >= 0xFDD0 and <= 0xFDEF;

    // The tokenizers library's ranges, including its 0x2B920 start where the Python BertTokenizer has 0x2B820.
    private static bool IsCjk(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF
        or >= 0x2F800 and <= 0x2FA1F;
}
