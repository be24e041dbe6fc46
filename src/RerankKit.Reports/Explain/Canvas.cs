using ScottPlot;
using SkiaSharp;

namespace RerankKit.Explain;

/// <summary>A white picture on which ScottPlot plots are placed side by side and captions are written; the
/// figures here combine several plots and text lists, which a single ScottPlot layout does not place freely.</summary>
internal sealed class Canvas : IDisposable
{
    private readonly SKSurface surface;

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot allocate a {width} x {height} picture.");
        surface.Canvas.Clear(SKColors.White);
    }

    public int Width { get; }
    public int Height { get; }

    public void Place(Plot plot, float left, float top, float width, float height)
    {
        surface.Canvas.Save();
        surface.Canvas.ClipRect(new SKRect(left, top, left + width, top + height));
        plot.Render(surface.Canvas, new PixelRect(left, left + width, top + height, top));
        surface.Canvas.Restore();
    }

    public void Text(string text, float x, float y, float size = 14, bool bold = false, SKColor? color = null, SKTextAlign align = SKTextAlign.Left)
    {
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans", bold ? SKFontStyle.Bold : SKFontStyle.Normal);
        using var font = new SKFont(typeface, size);
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        surface.Canvas.DrawText(text, x, y, align, font, paint);
    }

    public byte[] Png()
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Straight (unpremultiplied) RGBA bytes, row-major.</summary>
    public byte[] Rgba()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[Width * Height * 4];
        unsafe
        {
            fixed (byte* p = pixels)
                if (!surface.ReadPixels(info, (IntPtr)p, Width * 4, 0, 0))
                    throw new InvalidOperationException("Cannot read the rendered pixels.");
        }
        return pixels;
    }

    public void Dispose() => surface.Dispose();
}
