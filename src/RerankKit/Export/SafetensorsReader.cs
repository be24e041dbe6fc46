using System.Buffers.Binary;
using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Export;

/// <summary>Reads every tensor of a <c>model.safetensors</c> file as float32 (F32, F16 and BF16 are widened).</summary>
internal static class SafetensorsReader
{
    public static Dictionary<string, NamedTensor> ReadAll(string path)
    {
        if (!File.Exists(path))
            throw new ModelLoadException($"{path} does not exist");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
            throw new ModelLoadException($"{path} is not a safetensors file (too short)");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength <= 0 || 8 + headerLength > bytes.Length)
            throw new ModelLoadException($"{path} is not a safetensors file (bad header length)");
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        int dataStart = 8 + (int)headerLength;
        var tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            string dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets");
            int begin = dataStart + (int)offsets[0].GetInt64();
            int end = dataStart + (int)offsets[1].GetInt64();
            var raw = bytes.AsSpan(begin, end - begin);
            tensors[entry.Name] = new NamedTensor(entry.Name, shape, Widen(raw, dtype, path, entry.Name));
        }
        return tensors;
    }

    private static float[] Widen(ReadOnlySpan<byte> raw, string dtype, string path, string name)
    {
        switch (dtype)
        {
            case "F32":
                {
                    var values = new float[raw.Length / 4];
                    for (int i = 0; i < values.Length; i++)
                        values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                    return values;
                }
            case "F16":
                {
                    var values = new float[raw.Length / 2];
                    for (int i = 0; i < values.Length; i++)
                        values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]);
                    return values;
                }
            case "BF16":
                {
                    var values = new float[raw.Length / 2];
                    for (int i = 0; i < values.Length; i++)
                        values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]) << 16);
                    return values;
                }
            case "F64":
                {
                    var values = new float[raw.Length / 8];
                    for (int i = 0; i < values.Length; i++)
                        values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]);
                    return values;
                }
            default:
                throw new ModelLoadException($"{path}: tensor {name} has dtype {dtype}; only F32, F16, BF16 and F64 are supported");
        }
    }
}
