using System.Text;

namespace RerankKit.Tokenization;

/// <summary>SentencePiece's normalizer: the model's precompiled character map applied by longest match over
/// UTF-8, leading/trailing/repeated spaces removed, a dummy "▁" prefix, and spaces written as "▁" (U+2581).</summary>
/// <remarks>Hand-written because Microsoft.ML.Tokenizers' SentencePiece tokenizer does not apply the precompiled
/// charsmap (full-width and CJK punctuation came out differently from the golden ids).</remarks>
internal sealed class SentencePieceNormalizer(SentencePieceModel model)
{
    private static ReadOnlySpan<byte> SpaceSymbol => "\u2581"u8;

    [ThreadStatic] private static byte[]? t_input;
    [ThreadStatic] private static byte[]? t_output;

    private readonly PrecompiledCharsMap? _charsMap =
        model.PrecompiledCharsMap.Length > 0 ? new PrecompiledCharsMap(model.PrecompiledCharsMap) : null;

    public string Normalize(string text)
    {
        if (text.Length == 0)
            return "";
        int byteCount = Encoding.UTF8.GetMaxByteCount(text.Length);
        var input = Rent(ref t_input, byteCount);
        int length = Encoding.UTF8.GetBytes(text, input);
        var output = Rent(ref t_output, length * 4 + 8);
        int written = Normalize(input.AsSpan(0, length), ref output);
        t_output = output;
        return Encoding.UTF8.GetString(output, 0, written);
    }

    private int Normalize(ReadOnlySpan<byte> input, ref byte[] output)
    {
        int pos = 0;
        if (model.RemoveExtraWhitespaces)
        {
            while (pos < input.Length)
            {
                int consumed = Prefix(input[pos..], out var piece);
                if (!(piece.Length == 1 && piece[0] == (byte)' '))
                    break;
                pos += consumed;
            }
        }
        if (pos == input.Length)
            return 0;

        int written = 0;
        if (model.AddDummyPrefix)
            AppendSpace(ref output, ref written);
        bool previousIsSpace = model.RemoveExtraWhitespaces;
        while (pos < input.Length)
        {
            int consumed = Prefix(input[pos..], out var piece);
            while (previousIsSpace && piece.Length > 0 && piece[0] == (byte)' ')
                piece = piece[1..];
            if (piece.Length > 0)
            {
                foreach (byte b in piece)
                {
                    if (b == (byte)' ')
                    {
                        AppendSpace(ref output, ref written);
                    }
                    else
                    {
                        Ensure(ref output, written + 1);
                        output[written++] = b;
                    }
                }
                previousIsSpace = piece[^1] == (byte)' ';
            }
            pos += consumed;
            if (!model.RemoveExtraWhitespaces)
                previousIsSpace = false;
        }

        if (model.RemoveExtraWhitespaces)
        {
            ReadOnlySpan<byte> space = model.EscapeWhitespaces ? SpaceSymbol : " "u8;
            while (written >= space.Length && output.AsSpan(written - space.Length, space.Length).SequenceEqual(space))
                written -= space.Length;
        }
        return written;
    }

    private void AppendSpace(ref byte[] output, ref int written)
    {
        Ensure(ref output, written + 3);
        if (model.EscapeWhitespaces)
        {
            SpaceSymbol.CopyTo(output.AsSpan(written));
            written += SpaceSymbol.Length;
        }
        else
        {
            output[written++] = (byte)' ';
        }
    }

    private int Prefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> piece)
    {
        if (_charsMap is not null)
        {
            int matched = _charsMap.LongestMatch(input, out piece);
            if (matched > 0)
                return matched;
        }
        byte lead = input[0];
        int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        length = Math.Min(length, input.Length);
        piece = input[..length];
        return length;
    }

    private static byte[] Rent(ref byte[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size)
            buffer = new byte[Math.Max(size, 256)];
        return buffer;
    }

    private static void Ensure(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
            Array.Resize(ref buffer, Math.Max(size, buffer.Length * 2));
    }
}
