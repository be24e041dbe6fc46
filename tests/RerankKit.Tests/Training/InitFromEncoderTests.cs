using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Training.Checkpoints;

namespace RerankKit.Tests.Training;

/// <summary>A cross-encoder initialised from an encoder checkpoint: every encoder tensor equals the checkpoint's, the
/// pooler comes from the checkpoint when it has one and is drawn fresh when it has not, the head is new with one label.</summary>
public sealed class InitFromEncoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Encoder_and_pooler_come_from_a_bert_model_checkpoint_and_only_the_classifier_is_new()
    {
        string folder = SharedData.Fixture("tiny-bert-embedder");
        var encoder = TransformerModel.Load(folder);
        var result = BaseModel.Load(folder, ModelKind.CrossEncoder, seed: 1, initFromEncoder: true);

        Assert.Equal(EncoderHead.BertClassifier, result.Model.Head);
        Assert.Equal(1, result.Model.NumLabels);
        Assert.Equal(["classifier.bias", "classifier.weight"], result.NewTensors.Order());
        foreach (var p in encoder.Parameters)
            Assert.Equal(p.Data, result.Model.Parameters["bert." + p.Name].Data);
        Assert.Contains(result.Model.Parameters["classifier.weight"].Data, x => x != 0);
    }

    [Fact]
    public void A_checkpoint_without_a_pooler_gets_a_fresh_seeded_one()
    {
        string source = SharedData.Fixture("tiny-bert-embedder");
        string folder = Path.Combine(_dir, "no-pooler");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var encoder = TransformerModel.Load(source);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"),
            encoder.Parameters.Where(p => !p.Name.StartsWith("pooler.", StringComparison.Ordinal)).Select(p => p.ToTensor()));

        var a = BaseModel.Load(folder, ModelKind.CrossEncoder, seed: 1, initFromEncoder: true);
        var b = BaseModel.Load(folder, ModelKind.CrossEncoder, seed: 1, initFromEncoder: true);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias", "classifier.weight"], a.NewTensors.Order());
        Assert.Equal(a.Model.Parameters["bert.pooler.dense.weight"].Data, b.Model.Parameters["bert.pooler.dense.weight"].Data);
        Assert.NotEqual(encoder.Parameters["pooler.dense.weight"].Data, a.Model.Parameters["bert.pooler.dense.weight"].Data);
        Assert.Equal(encoder.Parameters["encoder.layer.1.output.dense.weight"].Data, a.Model.Parameters["bert.encoder.layer.1.output.dense.weight"].Data);
    }

    [Fact]
    public void From_a_cross_encoder_it_keeps_the_encoder_and_replaces_the_head()
    {
        string folder = SharedData.Fixture("tiny-bert-reranker");
        var original = TransformerModel.Load(folder);
        var kept = BaseModel.Load(folder, ModelKind.CrossEncoder, seed: 1);
        var reset = BaseModel.Load(folder, ModelKind.CrossEncoder, seed: 1, initFromEncoder: true);

        Assert.Empty(kept.NewTensors);
        Assert.Equal(original.Parameters["classifier.weight"].Data, kept.Model.Parameters["classifier.weight"].Data);
        Assert.Equal(["classifier.bias", "classifier.weight"], reset.NewTensors.Order());
        Assert.NotEqual(original.Parameters["classifier.weight"].Data, reset.Model.Parameters["classifier.weight"].Data);
        Assert.Equal(original.Parameters["bert.pooler.dense.weight"].Data, reset.Model.Parameters["bert.pooler.dense.weight"].Data);
        Assert.Equal(original.Parameters["bert.encoder.layer.0.attention.self.query.weight"].Data, reset.Model.Parameters["bert.encoder.layer.0.attention.self.query.weight"].Data);
    }

    [Fact]
    public void An_embedder_cannot_be_initialised_from_an_encoder_with_a_new_head()
    {
        var error = Assert.Throws<ArgumentException>(() => BaseModel.Load(SharedData.Fixture("tiny-bert-embedder"), ModelKind.BiEncoder, seed: 1, initFromEncoder: true));
        Assert.Contains("reranker", error.Message);
    }
}
