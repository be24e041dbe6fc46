using RerankKit.Explain;
using SkiaSharp;

namespace RerankKit.Tests.Explain;

public sealed class ExplanationOutputTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rerankkit-explain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static Explanation ExplainToy() =>
        new PairExplainer(new ToyExplainableModel(), new ToyTokenizer(), 64)
            .Explain("how many people live in berlin", "berlin had a population of three million registered inhabitants");

    [Fact]
    public void WritesEveryFileWithDecodableImagesOfTheStatedSize()
    {
        var e = ExplainToy();
        var files = ExplanationWriter.Write(e, folder, modelName: "toy");

        string[] expected = ["attention_heads_layer2.png", "attention_all_layers.png", "saliency.png", "integrated_gradients.png",
            "trajectory.png", "trajectory.gif", "explain.json", "report.html"];
        Assert.Equal(expected.Order(), files.Select(f => Path.GetFileName(f.Path)).Order());
        Assert.Equal(expected.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.All(files, f => Assert.True(new FileInfo(f.Path).Length > 0, f.Path));
        foreach (var file in files.Where(f => f.Width is not null))
        {
            using var codec = SKCodec.Create(file.Path);
            Assert.NotNull(codec);
            Assert.Equal(file.Width, codec.Info.Width);
            Assert.Equal(file.Height, codec.Info.Height);
            Assert.Equal(file.Frames, Math.Max(1, codec.FrameCount));
            using var bitmap = SKBitmap.Decode(file.Path);
            Assert.NotNull(bitmap);
        }
        var gif = files.Single(f => f.Path.EndsWith(".gif"));
        Assert.Equal(e.NumLayers * ExplanationFigures.GifFramesPerLayer + 1, gif.Frames);
        Assert.Equal((640, 480), (gif.Width!.Value, gif.Height!.Value));
        var frames = DecodeGifFrames(gif.Path);
        Assert.Equal(gif.Frames, frames.Count);
        Assert.NotEqual(frames[0].GetPixelSpan().ToArray(), frames[^1].GetPixelSpan().ToArray());
        foreach (var frame in frames) frame.Dispose();
    }

    private static List<SKBitmap> DecodeGifFrames(string path)
    {
        using var codec = SKCodec.Create(path);
        var frames = new List<SKBitmap>();
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int i = 0; i < codec.FrameCount; i++)
        {
            var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(i));
            Assert.Equal(SKCodecResult.Success, result);
            frames.Add(bitmap);
        }
        return frames;
    }
}
