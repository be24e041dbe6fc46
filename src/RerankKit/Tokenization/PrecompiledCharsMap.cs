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
        int bestLength = 0;
        int bestValue = 0;
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
                bestLength = i + 1;
                bestValue = (int)(_units[position] & ((1u << 31) - 1));
            }
        }
        if (bestLength == 0 || bestValue >= _replacements.Length)
        {
            replacement = default;
            return 0;
        }
        var tail = _replacements.AsSpan(bestValue);
        int end = tail.IndexOf((byte)0);
        replacement = end < 0 ? tail : tail[..end];
        return bestLength;
    }

    /// <summary>The replacement of the shortest rule matching a prefix of <paramref name="input"/>, which is what the
    /// tokenizers library's Precompiled normalizer uses.</summary>
    public bool ShortestMatch(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
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
                int value = (int)(_units[position] & ((1u << 31) - 1));
                if (value >= _replacements.Length)
                    break;
                var tail = _replacements.AsSpan(value);
                int end = tail.IndexOf((byte)0);
                replacement = end < 0 ? tail : tail[..end];
                return true;
            }
        }
        replacement = default;
        return false;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
