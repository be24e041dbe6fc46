namespace RerankKit.Explain;

/// <summary>Writes an animated GIF89a. SkiaSharp decodes GIF but cannot encode it and no GIF package is referenced,
/// so this is a small encoder: one global palette of the most used colours, and LZW-compressed frames.</summary>
internal static class GifEncoder
{
    /// <summary>One frame: straight RGBA bytes, row-major, and how long it shows in hundredths of a second.</summary>
    public sealed record Frame(byte[] Rgba, int DelayCentiseconds);

    public static byte[] Encode(int width, int height, IReadOnlyList<Frame> frames, int loopCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (frames.Count == 0)
            throw new ArgumentException("A GIF needs at least one frame.");
        foreach (var f in frames)
            if (f.Rgba.Length != width * height * 4)
                throw new ArgumentException($"A frame has {f.Rgba.Length} bytes, expected {width} x {height} x 4.");

        var (palette, indexOf) = ExactPalette(frames) ?? BuildPalette(frames);
        using var output = new MemoryStream();
        var w = new BinaryWriter(output);
        w.Write("GIF89a"u8);
        w.Write((ushort)width);
        w.Write((ushort)height);
        w.Write((byte)0xF7); // global colour table of 2^(7+1) = 256 entries, 8 bits per channel
        w.Write((byte)0);
        w.Write((byte)0);
        w.Write(palette);
        w.Write([0x21, 0xFF, 0x0B]);
        w.Write("NETSCAPE2.0"u8);
        w.Write([0x03, 0x01]);
        w.Write((ushort)loopCount);
        w.Write((byte)0);

        var indices = new byte[width * height];
        foreach (var frame in frames)
        {
            w.Write([0x21, 0xF9, 0x04, 0x00]);
            w.Write((ushort)Math.Clamp(frame.DelayCentiseconds, 0, ushort.MaxValue));
            w.Write([0x00, 0x00]);
            w.Write((byte)0x2C);
            w.Write((ushort)0);
            w.Write((ushort)0);
            w.Write((ushort)width);
            w.Write((ushort)height);
            w.Write((byte)0);
            for (int p = 0; p < indices.Length; p++)
            {
                var (r, g, b) = Opaque(frame.Rgba, p * 4);
                indices[p] = indexOf(r << 16 | g << 8 | b);
            }
            w.Write((byte)8);
            WriteSubBlocks(w, Lzw(indices));
        }
        w.Write((byte)0x3B);
        w.Flush();
        return output.ToArray();
    }

    /// <summary>Transparent pixels composite onto white, as the figures' background is.</summary>
    private static (int R, int G, int B) Opaque(byte[] rgba, int offset)
    {
        int a = rgba[offset + 3];
        return ((rgba[offset] * a + 255 * (255 - a)) / 255, (rgba[offset + 1] * a + 255 * (255 - a)) / 255, (rgba[offset + 2] * a + 255 * (255 - a)) / 255);
    }

    /// <summary>The frames' own colours when there are at most 256 of them, so simple pictures stay exact.</summary>
    private static (byte[] Palette, Func<int, byte> IndexOf)? ExactPalette(IReadOnlyList<Frame> frames)
    {
        var index = new Dictionary<int, byte>();
        foreach (var frame in frames)
            for (int p = 0; p < frame.Rgba.Length; p += 4)
            {
                var (r, g, b) = Opaque(frame.Rgba, p);
                int rgb = r << 16 | g << 8 | b;
                if (index.ContainsKey(rgb)) continue;
                if (index.Count == 256) return null;
                index[rgb] = (byte)index.Count;
            }
        var palette = new byte[256 * 3];
        foreach (var (rgb, i) in index)
            (palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]) = ((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        return (palette, rgb => index[rgb]);
    }

    /// <summary>The 256 most frequent 15-bit colours over all frames (each the mean of its pixels), and for every
    /// 15-bit colour the nearest palette entry.</summary>
    private static (byte[] Palette, Func<int, byte> IndexOf) BuildPalette(IReadOnlyList<Frame> frames)
    {
        const int bins = 1 << 15;
        var count = new long[bins];
        var sum = new long[bins * 3];
        foreach (var frame in frames)
            for (int p = 0; p < frame.Rgba.Length; p += 4)
            {
                var (r, g, b) = Opaque(frame.Rgba, p);
                int bin = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
                count[bin]++;
                sum[bin * 3] += r;
                sum[bin * 3 + 1] += g;
                sum[bin * 3 + 2] += b;
            }
        var chosen = Enumerable.Range(0, bins).Where(b => count[b] > 0).OrderByDescending(b => count[b]).Take(256).ToArray();
        var palette = new byte[256 * 3];
        for (int i = 0; i < chosen.Length; i++)
            for (int c = 0; c < 3; c++)
                palette[i * 3 + c] = (byte)Math.Clamp((sum[chosen[i] * 3 + c] + count[chosen[i]] / 2) / count[chosen[i]], 0, 255);
        var binToIndex = new byte[bins];
        for (int bin = 0; bin < bins; bin++)
        {
            if (count[bin] == 0) continue;
            int r = (bin >> 10) << 3 | 4, g = ((bin >> 5) & 31) << 3 | 4, b = (bin & 31) << 3 | 4;
            int best = 0, bestDistance = int.MaxValue;
            for (int i = 0; i < chosen.Length; i++)
            {
                int dr = palette[i * 3] - r, dg = palette[i * 3 + 1] - g, db = palette[i * 3 + 2] - b;
                int distance = dr * dr + dg * dg + db * db;
                if (distance < bestDistance) (best, bestDistance) = (i, distance);
            }
            binToIndex[bin] = (byte)best;
        }
        return (palette, rgb => binToIndex[(rgb >> 19) << 10 | ((rgb >> 11) & 31) << 5 | (rgb >> 3) & 31]);
    }

    /// <summary>Variable-width LZW as GIF defines it for 8-bit pixels: codes from 9 to 12 bits, packed LSB first,
    /// and a clear code whenever the 4096-entry table is full.</summary>
    private static byte[] Lzw(byte[] pixels)
    {
        const int clear = 256, end = 257, minimumBits = 9, maxCode = 4095;
        var packer = new BitPacker();
        // table[prefix * 256 + pixel] holds (generation << 12 | code); bumping the generation empties it in O(1).
        var table = new int[(maxCode + 1) * 256];
        int generation = 1;
        int bits = minimumBits, next = end + 1;
        packer.Write(clear, bits);
        int current = pixels[0];
        for (int p = 1; p < pixels.Length; p++)
        {
            int pixel = pixels[p];
            int slot = current << 8 | pixel;
            int entry = table[slot];
            if (entry >> 12 == generation)
            {
                current = entry & maxCode;
                continue;
            }
            packer.Write(current, bits);
            if (next <= maxCode)
            {
                table[slot] = generation << 12 | next++;
                if (next > 1 << bits && bits < 12)
                    bits++;
            }
            else
            {
                packer.Write(clear, bits);
                generation++;
                bits = minimumBits;
                next = end + 1;
            }
            current = pixel;
        }
        packer.Write(current, bits);
        packer.Write(end, bits);
        return packer.ToArray();
    }

    private static void WriteSubBlocks(BinaryWriter w, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int length = Math.Min(255, data.Length - offset);
            w.Write((byte)length);
            w.Write(data, offset, length);
        }
        w.Write((byte)0);
    }

    private sealed class BitPacker
    {
        private readonly List<byte> bytes = [];
        private int buffer, count;

        public void Write(int code, int bits)
        {
            buffer |= code << count;
            count += bits;
            while (count >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (count > 0)
                bytes.Add((byte)buffer);
            return bytes.ToArray();
        }
    }
}
