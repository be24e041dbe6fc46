using RerankKit.Export;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Training;
using RerankKit.Training.Checkpoints;

namespace RerankKit.Tests.Training;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("tiny-bert-embedder")]
    public void LayoutNamesAndShapesMatchTheHuggingFaceCheckpoint(string fixture)
    {
        string folder = SharedData.Fixture(fixture);
        var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        var expected = SafetensorsReader.ReadAll(Path.Combine(folder, "model.safetensors"));
        var layout = ParameterLayout.For(config);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), layout.Select(l => l.Name).Order(StringComparer.Ordinal));
        foreach (var (name, shape) in layout)
            Assert.Equal(expected[name].Shape, shape);
    }

    [Fact]
    public void WrittenSafetensorsReadBackExactly()
    {
        var config = ModelConfig.Load(Path.Combine(SharedData.Fixture("tiny-bert-reranker"), "config.json"));
        var tensors = RandomInitializer.Initialize(config, 0.02, new SeededRandom(1));
        string path = Path.Combine(_dir, "model.safetensors");
        SafetensorsWriter.Write(path, tensors);
        var read = SafetensorsReader.ReadAll(path);
        Assert.Equal(tensors.Count, read.Count);
        foreach (var t in tensors)
        {
            Assert.Equal(t.Shape, read[t.Name].Shape);
            Assert.Equal(t.Data, read[t.Name].Data);
        }
        // The header length field plus header is 8-byte aligned, as the safetensors format requires.
        long headerLength = BitConverter.ToInt64(File.ReadAllBytes(path), 0);
        Assert.Equal(0, headerLength % 8);
    }

    [Fact]
    public void RandomInitializationFollowsHuggingFaceRules()
    {
        var config = ModelConfig.Load(Path.Combine(SharedData.Fixture("tiny-xlmr-reranker"), "config.json"));
        var a = RandomInitializer.Initialize(config, 0.02, new SeededRandom(5)).ToDictionary(t => t.Name);
        var b = RandomInitializer.Initialize(config, 0.02, new SeededRandom(5)).ToDictionary(t => t.Name);
        Assert.Equal(a["roberta.encoder.layer.0.attention.self.query.weight"].Data, b["roberta.encoder.layer.0.attention.self.query.weight"].Data);
        Assert.All(a["roberta.embeddings.LayerNorm.weight"].Data, v => Assert.Equal(1f, v));
        Assert.All(a["classifier.out_proj.bias"].Data, v => Assert.Equal(0f, v));
        var words = a["roberta.embeddings.word_embeddings.weight"].Data;
        Assert.All(words.AsSpan(config.PadTokenId * config.HiddenSize, config.HiddenSize).ToArray(), v => Assert.Equal(0f, v));
        double std = Math.Sqrt(words.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.019, 0.021);
    }
}
