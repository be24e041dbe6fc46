using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.LateInteraction;

/// <summary>PyLate's <c>Dense</c> module (<c>1_Dense</c>): <c>linear.weight</c> [out, in] (and <c>linear.bias</c> when
/// its config has one) from the module's <c>model.safetensors</c>, applied per token. Only the Identity activation
/// PyLate's ColBERT checkpoints use is accepted, so a checkpoint with another fails on load instead of scoring wrong.</summary>
internal sealed class DenseProjection
{
    private readonly float[] _weight;
    private readonly float[]? _bias;

    private DenseProjection(float[] weight, float[]? bias, int inFeatures, int outFeatures)
    {
        _weight = weight;
        _bias = bias;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public static DenseProjection Load(string moduleFolder)
    {
        string configPath = Path.Combine(moduleFolder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{moduleFolder} has no config.json (a PyLate Dense module)");
        int inFeatures, outFeatures;
        bool bias;
        using (var doc = ModelJson.Read(configPath))
        {
            var root = doc.RootElement;
            inFeatures = root.TryGetProperty("in_features", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : throw new ModelLoadException($"{configPath} has no in_features");
            outFeatures = root.TryGetProperty("out_features", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt32() : throw new ModelLoadException($"{configPath} has no out_features");
            bias = root.TryGetProperty("bias", out var b) && b.ValueKind == JsonValueKind.True;
            string activation = root.TryGetProperty("activation_function", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "torch.nn.modules.linear.Identity";
            if (!activation.EndsWith(".Identity", StringComparison.Ordinal))
                throw new ModelLoadException($"{configPath}: activation {activation} is not supported (PyLate ColBERT models use Identity)");
        }
        string weightsPath = Path.Combine(moduleFolder, "model.safetensors");
        var tensors = ReadSafetensors(weightsPath);
        var weight = Take(tensors, weightsPath, "linear.weight", [outFeatures, inFeatures]);
        var biasValues = bias ? Take(tensors, weightsPath, "linear.bias", [outFeatures]) : null;
        return new DenseProjection(weight, biasValues, inFeatures, outFeatures);
    }

    /// <summary>Projects one token's hidden state into <paramref name="destination"/> and L2-normalises it as PyLate
    /// does (<c>x / max(‖x‖, 1e-12)</c>).</summary>
    public void ProjectNormalized(ReadOnlySpan<float> hidden, Span<float> destination)
    {
        for (int o = 0; o < OutFeatures; o++)
            destination[o] = TensorPrimitives.Dot(hidden, _weight.AsSpan(o * InFeatures, InFeatures)) + (_bias?[o] ?? 0f);
        float norm = MathF.Max(TensorPrimitives.Norm(destination[..OutFeatures]), 1e-12f);
        TensorPrimitives.Divide(destination[..OutFeatures], norm, destination);
    }

    private static float[] Take(Dictionary<string, (int[] Shape, float[] Values)> tensors, string path, string name, int[] shape)
    {
        if (!tensors.TryGetValue(name, out var tensor))
            throw new ModelLoadException($"{path} has no tensor {name}");
        if (!tensor.Shape.SequenceEqual(shape))
            throw new ModelLoadException($"{path}: {name} has shape [{string.Join(", ", tensor.Shape)}], its config says [{string.Join(", ", shape)}]");
        return tensor.Values;
    }

    /// <summary>A module file of a few kilobytes: read whole (8-byte little-endian header length, JSON header, data),
    /// F32, F16 and BF16 tensors as float32.</summary>
    private static Dictionary<string, (int[] Shape, float[] Values)> ReadSafetensors(string path)
    {
        if (!File.Exists(path))
            throw new ModelLoadException($"Dense weights not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = bytes.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : -1;
        if (headerLength <= 0 || 8 + headerLength > bytes.Length)
            throw new ModelLoadException($"{path} is not a safetensors file");
        var data = bytes.AsSpan((int)(8 + headerLength));
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                string dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
                int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var offsets = entry.Value.GetProperty("data_offsets");
                int begin = offsets[0].GetInt32(), end = offsets[1].GetInt32();
                int count = shape.Aggregate(1, (a, b) => a * b);
                int size = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw new ModelLoadException($"{path}: tensor {entry.Name} has dtype {dtype}; F32, F16 and BF16 are supported") };
                if (begin < 0 || end > data.Length || end - begin != count * size)
                    throw new ModelLoadException($"{path}: tensor {entry.Name} does not fit the file");
                var raw = data[begin..end];
                var values = new float[count];
                for (int k = 0; k < count; k++)
                {
                    values[k] = dtype switch
                    {
                        "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * k)..]),
                        "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * k)..]),
                        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * k)..]) << 16),
                    };
                }
                result[entry.Name] = (shape, values);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ModelLoadException($"{path} has an invalid safetensors header: {e.Message}", e);
        }
        return result;
    }
}
