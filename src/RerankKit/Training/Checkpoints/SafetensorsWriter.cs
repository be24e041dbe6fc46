using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using RerankKit.Export;

namespace RerankKit.Training.Checkpoints;

/// <summary>Writes float32 tensors as a safetensors file (8-byte header length, JSON header padded with spaces to
/// 8-byte alignment, then the raw little-endian data), atomically.</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<NamedTensor> tensors)
    {
        var list = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var t in list)
        {
            long expected = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (expected != t.Data.Length)
                throw new ArgumentException($"tensor {t.Name}: shape [{string.Join(", ", t.Shape)}] does not hold {t.Data.Length} values");
            long bytes = 4L * t.Data.Length;
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            stream.Write(BitConverter.GetBytes((ulong)padded));
            stream.Write(json);
            for (int i = json.Length; i < padded; i++)
                stream.WriteByte((byte)' ');
            foreach (var t in list)
                stream.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
        }
        File.Move(temp, path, overwrite: true);
    }
}
