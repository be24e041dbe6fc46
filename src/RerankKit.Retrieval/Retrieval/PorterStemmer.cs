namespace RerankKit.Retrieval;

/// <summary>The Porter (1980) stemmer exactly as Lucene 4.8's PorterStemFilter applies it, which follows Martin Porter's
/// reference implementation rather than the paper where they differ: "-bli" becomes "-ble" (the paper has "-abli" to
/// "-able"), "-logi" becomes "-log" (not in the paper), and words of one or two characters are left alone. Any char
/// other than a, e, i, o, u, or a y after a consonant, is a consonant, so digits and non-Latin letters are stemmed
/// too ("1990s" becomes "1990"), as in Lucene.</summary>
internal static class PorterStemmer
{
    // Steps 2 and 3 of the paper replace the first listed suffix the word ends with when the rest has measure > 0,
    // and try no other once one has matched.
    private static readonly SuffixTable DoubleSuffixes = new(
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ]);

    private static readonly SuffixTable DerivationalSuffixes = new(
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ]);

    // Step 4 of the paper removes the first listed suffix the word ends with when the rest has measure > 1; "ion" counts
    // only after s or t.
    private static readonly SuffixTable ResidualSuffixes = new(
    [
        ("al", ""), ("ance", ""), ("ence", ""), ("er", ""), ("ic", ""), ("able", ""), ("ible", ""), ("ant", ""),
        ("ement", ""), ("ment", ""), ("ent", ""), ("ion", ""), ("ou", ""), ("ism", ""), ("ate", ""), ("iti", ""),
        ("ous", ""), ("ive", ""), ("ize", ""),
    ]);

    /// <summary>Stems the lower-cased <paramref name="word"/> in place and returns the stem's length.</summary>
    public static int Stem(Span<char> word)
    {
        if (word.Length <= 2)
            return word.Length;
        var stemming = new Stemming(word);
        stemming.RemovePluralAndParticiple();
        stemming.TurnTerminalYToI();
        stemming.ReplaceFirst(DoubleSuffixes);
        stemming.ReplaceFirst(DerivationalSuffixes);
        stemming.RemoveResidualSuffix();
        stemming.TidyEnding();
        return stemming.Length;
    }

    /// <summary>A word being stemmed: the chars up to <see cref="_end"/>, and the stem before the suffix that
    /// <see cref="EndsWith"/> last matched, up to <see cref="_stemEnd"/> (both inclusive; -1 when empty).</summary>
    private ref struct Stemming(Span<char> word)
    {
        private readonly Span<char> _word = word;
        private int _end = word.Length - 1;
        private int _stemEnd;

        public readonly int Length => _end + 1;

        /// <summary>Step 1a (sses, ies, s) and step 1b (eed, ed, ing, then the at/bl/iz, double consonant and cvc fix-ups).</summary>
        public void RemovePluralAndParticiple()
        {
            if (_word[_end] == 's')
            {
                if (EndsWith("sses")) _end -= 2;
                else if (EndsWith("ies")) Replace("i");
                else if (_word[_end - 1] != 's') _end--;
            }
            if (EndsWith("eed"))
            {
                if (Measure() > 0) _end--;
            }
            else if ((EndsWith("ed") || EndsWith("ing")) && StemHasVowel())
            {
                _end = _stemEnd;
                if (EndsWith("at")) Replace("ate");
                else if (EndsWith("bl")) Replace("ble");
                else if (EndsWith("iz")) Replace("ize");
                else if (EndsWithDoubleConsonant(_end))
                {
                    if (_word[_end] is not ('l' or 's' or 'z')) _end--;
                }
                else if (Measure() == 1 && EndsWithCvc(_end)) Replace("e");
            }
        }

        /// <summary>Step 1c: y becomes i when the rest holds a vowel.</summary>
        public void TurnTerminalYToI()
        {
            if (EndsWith("y") && StemHasVowel())
                _word[_end] = 'i';
        }

        /// <summary>Steps 2 and 3.</summary>
        public void ReplaceFirst(SuffixTable rules)
        {
            foreach (var (suffix, replacement) in rules.EndingWith(_word[_end]))
            {
                if (!EndsWith(suffix))
                    continue;
                if (Measure() > 0)
                    Replace(replacement);
                return;
            }
        }

        /// <summary>Step 4.</summary>
        public void RemoveResidualSuffix()
        {
            foreach (var (suffix, _) in ResidualSuffixes.EndingWith(_word[_end]))
            {
                if (!EndsWith(suffix) || suffix == "ion" && (_stemEnd < 0 || _word[_stemEnd] is not ('s' or 't')))
                    continue;
                if (Measure() > 1)
                    _end = _stemEnd;
                return;
            }
        }

        /// <summary>Step 5: drop a final e (measure > 1, or 1 without cvc before it), then ll to l (measure > 1); both
        /// measures count the whole word as it was.</summary>
        public void TidyEnding()
        {
            _stemEnd = _end;
            if (_word[_end] == 'e')
            {
                int measure = Measure();
                if (measure > 1 || measure == 1 && !EndsWithCvc(_end - 1))
                    _end--;
            }
            if (_word[_end] == 'l' && EndsWithDoubleConsonant(_end) && Measure() > 1)
                _end--;
        }

        private bool EndsWith(string suffix)
        {
            if (suffix.Length > _end + 1 || !_word[..(_end + 1)].EndsWith(suffix))
                return false;
            _stemEnd = _end - suffix.Length;
            return true;
        }

        private void Replace(string replacement)
        {
            replacement.CopyTo(_word[(_stemEnd + 1)..]);
            _end = _stemEnd + replacement.Length;
        }

        private readonly bool IsConsonant(int i) => _word[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>Porter's m: the number of vowel-consonant sequences in the stem.</summary>
        private readonly int Measure()
        {
            int i = 0, count = 0;
            while (i <= _stemEnd && IsConsonant(i)) i++;
            while (true)
            {
                while (i <= _stemEnd && !IsConsonant(i)) i++;
                if (i > _stemEnd) return count;
                while (i <= _stemEnd && IsConsonant(i)) i++;
                count++;
            }
        }

        private readonly bool StemHasVowel()
        {
            for (int i = 0; i <= _stemEnd; i++)
                if (!IsConsonant(i)) return true;
            return false;
        }

        private readonly bool EndsWithDoubleConsonant(int i) => i >= 1 && _word[i] == _word[i - 1] && IsConsonant(i);

        /// <summary>Consonant-vowel-consonant ending at <paramref name="i"/>, the last consonant not w, x or y.</summary>
        private readonly bool EndsWithCvc(int i) => i >= 2 && IsConsonant(i) && !IsConsonant(i - 1) && IsConsonant(i - 2)
            && _word[i] is not ('w' or 'x' or 'y');
    }

    /// <summary>Suffix rules grouped by last letter, keeping their order: a word can only end with the suffixes that
    /// end in its own last letter, so only those need trying (first match still wins).</summary>
    private sealed class SuffixTable
    {
        private readonly (string Suffix, string Replacement)[][] _byLastLetter = new (string, string)[26][];

        public SuffixTable((string Suffix, string Replacement)[] rules)
        {
            for (char letter = 'a'; letter <= 'z'; letter++)
                _byLastLetter[letter - 'a'] = rules.Where(rule => rule.Suffix[^1] == letter).ToArray();
        }

        public ReadOnlySpan<(string Suffix, string Replacement)> EndingWith(char last) =>
            last is >= 'a' and <= 'z' ? _byLastLetter[last - 'a'] : [];
    }
}
