using RerankKit.Explain;
using SkiaSharp;

namespace RerankKit.Tests.Explain;

public sealed class GifEncoderTests
{
    [Fact]
    public void FramesWithAtMost256ColoursDecodeExactly()
    {
        // Noise over 200 colours defeats LZW's run matching, so the 4096-entry table fills and is cleared many times.
        const int width = 173, height = 111;
        var random = new Random(11);
        var colours = Enumerable.Range(0, 200).Select(_ => (R: (byte)random.Next(256), G: (byte)random.Next(256), B: (byte)random.Next(256))).ToArray();
        var frames = Enumerable.Range(0, 3).Select(f =>
        {
            var rgba = new byte[width * height * 4];
            for (int p = 0; p < width * height; p++)
            {
                var c = colours[f == 2 ? (p / width) % 200 : random.Next(200)];
                (rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2], rgba[p * 4 + 3]) = (c.R, c.G, c.B, 255);
            }
            return new GifEncoder.Frame(rgba, 10 * (f + 1));
        }).ToArray();
        var bytes = GifEncoder.Encode(width, height, frames);

        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        Assert.Equal(3, codec.FrameCount);
        Assert.Equal([100, 200, 300], codec.FrameInfo.Select(f => f.Duration));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int f = 0; f < 3; f++)
        {
            var decoded = new byte[width * height * 4];
            unsafe
            {
                fixed (byte* p = decoded)
                    Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, (IntPtr)p, new SKCodecOptions(f)));
            }
            Assert.Equal(frames[f].Rgba, decoded);
        }
    }
}
