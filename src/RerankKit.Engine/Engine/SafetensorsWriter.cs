using RerankKit.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RerankKit.Engine;

/// <summary>Writes float32 tensors as a <c>.safetensors</c> file that Hugging Face transformers loads
/// (metadata <c>format: pt</c>), atomically: a temporary file in the same folder, then a rename.</summary>
internal static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
        {
            if (!names.Add(t.Name))
                throw new ArgumentException($"duplicate tensor name {t.Name}");
            if (NamedTensor.Count(t.Shape) != t.Data.Length)
                throw new ArgumentException($"tensor {t.Name}: shape [{string.Join(",", t.Shape)}] does not match {t.Data.Length} values");
        }

        byte[] header = BuildHeader(list, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BitConverter.TryWriteBytes(len, (long)header.Length);
            stream.Write(len);
            stream.Write(header);
            foreach (var t in list)
                stream.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
        });
    }

    private static byte[] BuildHeader(List<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            var meta = metadata ?? new Dictionary<string, string> { ["format"] = "pt" };
            foreach (var (k, v) in meta)
                json.WriteString(k, v);
            json.WriteEndObject();
            long offset = 0;
            foreach (var t in tensors)
            {
                long size = (long)t.Data.Length * sizeof(float);
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in t.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // The data section must start 8-byte aligned; the format pads the header with spaces.
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        var bytes = new byte[padded];
        buffer.ToArray().CopyTo(bytes, 0);
        for (int i = (int)buffer.Length; i < padded; i++)
            bytes[i] = (byte)' ';
        return bytes;
    }
}
