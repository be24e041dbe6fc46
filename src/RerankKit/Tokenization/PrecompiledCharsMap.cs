using System.Buffers.Binary;
using RerankKit.Models;

namespace RerankKit.Tokenization;

/// <summary>SentencePiece's precompiled normalization rules (for XLM-R, NFKC plus its "nmt" tweaks): a Darts
/// double-array trie over UTF-8 byte sequences whose values point into a blob of NUL-terminated replacements.</summary>
/// <remarks>Hand-written because no available .NET library reads this format; the lookup follows darts-clone's
/// commonPrefixSearch and SentencePiece's longest-match rule.</remarks>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _replacements;

    public PrecompiledCharsMap(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4)
            throw new ModelLoadException("the SentencePiece precompiled_charsmap is truncated");
        uint trieBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieBytes % 4 != 0 || trieBytes > (uint)(blob.Length - 4) || trieBytes == 0)
            throw new ModelLoadException("the SentencePiece precompiled_charsmap has an invalid trie size");
        _units = new uint[trieBytes / 4];
        for (int i = 0; i < _units.Length; i++)
            _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4 + 4 * i));
        _replacements = blob[(4 + (int)trieBytes)..].ToArray();
    }

    /// <summary>Length in bytes of the longest rule matching the start of <paramref name="input"/> (0 for none)
    /// and the bytes it is replaced with.</summary>
    public int LongestMatch(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        int length = Match(input, shortest: false, out int value);
        return TryReplacement(length, value, out replacement) ? length : 0;
    }

    /// <summary>The replacement of the shortest rule matching a prefix of <paramref name="input"/>, which is what the
    /// tokenizers library's Precompiled normalizer uses.</summary>
    public bool ShortestMatch(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement) =>
        TryReplacement(Match(input, shortest: true, out int value), value, out replacement);

    /// <summary>Walks the double-array trie over <paramref name="input"/>: the length in bytes of the first (or the
    /// last) prefix that ends a rule, 0 for none, and that rule's offset into the replacements.</summary>
    private int Match(ReadOnlySpan<byte> input, bool shortest, out int value)
    {
        int length = 0;
        value = 0;
        uint position = Offset(_units[0]);
        for (int i = 0; i < input.Length; i++)
        {
            byte b = input[i];
            position ^= b;
            if (position >= (uint)_units.Length)
                break;
            uint unit = _units[position];
            if ((unit & ((1u << 31) | 0xFF)) != b)
                break;
            position ^= Offset(unit);
            if (((unit >> 8) & 1) == 1 && position < (uint)_units.Length)
            {
                length = i + 1;
                value = (int)(_units[position] & ((1u << 31) - 1));
                if (shortest)
                    break;
            }
        }
        return length;
    }

    /// <summary>The NUL-terminated replacement at <paramref name="value"/>, when a rule matched and the offset is valid.</summary>
    private bool TryReplacement(int length, int value, out ReadOnlySpan<byte> replacement)
    {
        if (length == 0 || value >= _replacements.Length)
        {
            replacement = default;
            return false;
        }
        var tail = _replacements.AsSpan(value);
        int end = tail.IndexOf((byte)0);
        replacement = end < 0 ? tail : tail[..end];
        return true;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
