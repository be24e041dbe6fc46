using System.Numerics.Tensors;
using Xunit.Abstractions;
using RerankKit.Evaluation;
using RerankKit.Hub;
using RerankKit.Models.Bundled;
using RerankKit.Quantization;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Bundled;

/// <summary>The real all-MiniLM-L6-v2 quantized by our command: its int8 embeddings of real text (SciFact abstracts)
/// point where the float ones do. The full-corpus nDCG comparison belongs to <c>eval --int8</c> (docs/performance.md).</summary>
public class Int8BundledModelTests(ITestOutputHelper output)
{
    private const int Documents = 200;

    // Measured (per-channel weights, the default): 60 abstracts min 0.9904, mean 0.9946; one scale per tensor gave
    // min 0.900, mean 0.933, and 7-bit per tensor 0.634 / 0.754. The bounds leave room for other CPUs' int8 kernels,
    // not for per-tensor scales or a broken graph.
    private const double MinCosine = 0.98;
    private const double MinMeanCosine = 0.99;

    static Int8BundledModelTests() => BundledModelCatalog.Register();

    [Fact]
    public void Int8MiniLMEmbeddingsOfSciFactAbstractsStayCloseToFloat()
    {
        using var cache = new ScratchFolder();
        var hub = new HubOptions { CacheDir = cache.Path, Offline = true };
        string snapshot = ModelLocator.Resolve(BundledModelCatalog.MiniLM, ModelFiles.For(OnnxQuantizer.DefaultOnnxFile), hub);
        var result = OnnxQuantizer.Quantize(snapshot);
        Assert.Equal(37, result.QuantizedWeights);

        var texts = BeirDataset.Load(SharedData.Dataset("scifact")).Corpus.Take(Documents).Select(d => d.Title + " " + d.Text).ToList();
        using var fp32 = new BiEncoder(BundledModelCatalog.MiniLM, new BiEncoderOptions { Hub = hub });
        using var int8 = new BiEncoder(BundledModelCatalog.MiniLM, new BiEncoderOptions { Hub = hub, OnnxFile = OnnxQuantizer.Int8OnnxFile });
        var a = fp32.Encode(texts);
        var b = int8.Encode(texts);
        var cosines = a.Zip(b, (x, y) => (double)TensorPrimitives.CosineSimilarity(x, y)).ToList();

        output.WriteLine($"{texts.Count} SciFact abstracts: cosine int8 vs fp32 mean {cosines.Average():F4}, min {cosines.Min():F4}");
        Assert.True(cosines.Min() >= MinCosine, $"min cosine {cosines.Min():F4}");
        Assert.True(cosines.Average() >= MinMeanCosine, $"mean cosine {cosines.Average():F4}");
    }
}
