using System.Text;
using RerankKit.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Written_tensors_read_back_bit_identical_with_names_shapes_and_metadata()
    {
        var tensors = new[]
        {
            new NamedTensor("bert.embeddings.word_embeddings.weight", [7, 3], GradientCheck.Random(21, 1)),
            new NamedTensor("classifier.bias", [1], [0.25f]),
            new NamedTensor("x.scalar_like", [2, 1, 2], [float.MaxValue, float.Epsilon, -0f, 1e-30f]),
        };
        string path = Path.Combine(_dir, "model.safetensors");
        SafetensorsWriter.Write(path, tensors);
        Assert.Single(Directory.GetFiles(_dir));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(tensors.Select(t => t.Name), file.Entries.Select(e => e.Name));
        foreach (var t in tensors)
        {
            var read = file.Read(t.Name);
            Assert.Equal(t.Shape, read.Shape);
            Assert.Equal(t.Data.Select(BitConverter.SingleToInt32Bits), read.Data.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(SafetensorsDType.F32, file.Entry(t.Name).DType);
        }
        // The header length is a multiple of 8, so the data section is aligned.
        Assert.Equal(0, BitConverter.ToInt64(File.ReadAllBytes(path), 0) % 8);
    }

    [Fact]
    public void F16_and_BF16_tensors_convert_to_float32()
    {
        // Hand-built file: F16 [1.0, -2.5, 0.333251953125] and BF16 [1.0, -3.0, 0.15625].
        ushort[] f16 = [0x3C00, 0xC100, 0x3555];
        ushort[] bf16 = [0x3F80, 0xC040, 0x3E20];
        string header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]}}";
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((long)header.Length));
        bytes.AddRange(Encoding.UTF8.GetBytes(header));
        foreach (var v in f16.Concat(bf16))
            bytes.AddRange(BitConverter.GetBytes(v));
        string path = Path.Combine(_dir, "half.safetensors");
        File.WriteAllBytes(path, bytes.ToArray());
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1f, -2.5f, 0.333251953125f], file.ReadFloat32("a"));
        Assert.Equal([1f, -3f, 0.15625f], file.ReadFloat32("b"));
    }

    [Fact]
    public void Truncated_files_are_rejected_with_a_message()
    {
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        var bytes = BitConverter.GetBytes((long)header.Length).Concat(Encoding.UTF8.GetBytes(header)).Concat(new byte[8]).ToArray();
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("a", e.Message);
    }

    [Fact]
    public void A_saved_model_reloads_with_identical_scores()
    {
        string source = SharedData.Fixture("tiny-xlmr-reranker");
        var model = GoldenForwardTests.Model("tiny-xlmr-reranker");
        string copy = Path.Combine(_dir, "copy");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(copy, "config.json"));
        model.SaveSafetensors(Path.Combine(copy, "model.safetensors"));
        var reloaded = TransformerModel.Load(copy);
        Assert.Equal(model.Parameters.Select(p => p.Name), reloaded.Parameters.Select(p => p.Name));
        var input = EncoderInput.Single([0, 473, 90, 14, 400, 2, 2, 30, 2]);
        Assert.Equal(model.Forward(input).Logits, reloaded.Forward(input).Logits);
    }
}
