using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;
using System.Text.Json;

namespace RerankKit.Engine;

/// <summary>One tensor's entry in a safetensors header: byte range relative to the data section.</summary>
internal sealed record SafetensorsEntry(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)
{
    public int ElementCount => NamedTensor.Count(Shape);
}

/// <summary>Reads a <c>.safetensors</c> file (8-byte little-endian header length, JSON header, raw data),
/// memory-mapped, converting F32, F16, BF16 (and F64 or integer) tensors to float32.</summary>
internal sealed class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    public string Path { get; }
    public IReadOnlyList<SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart,
        List<SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"safetensors file not found: {path}", path);
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
            throw new InvalidDataException($"{path} is too short to be a safetensors file");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            long headerLength = view.ReadInt64(0);
            if (headerLength <= 0 || 8 + headerLength > fileLength)
                throw new InvalidDataException($"{path} has an invalid safetensors header length {headerLength}");
            var headerBytes = new byte[headerLength];
            view.ReadArray(8, headerBytes, 0, headerBytes.Length);
            var (entries, metadata) = ParseHeader(headerBytes, path);
            long dataLength = fileLength - 8 - headerLength;
            foreach (var e in entries)
            {
                long expected = (long)e.ElementCount * ElementSize(e.DType);
                if (e.Begin < 0 || e.End > dataLength || e.End - e.Begin != expected)
                    throw new InvalidDataException($"{path}: tensor {e.Name} has offsets [{e.Begin}, {e.End}) that do not fit its shape or the file");
            }
            return new SafetensorsFile(path, map, view, 8 + headerLength, entries, metadata);
        }
        catch
        {
            view.Dispose();
            map.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsEntry Entry(string name) =>
        _byName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Path} has no tensor named {name}");

    public float[] ReadFloat32(string name)
    {
        var entry = Entry(name);
        var result = new float[entry.ElementCount];
        ReadInto(entry, result);
        return result;
    }

    public NamedTensor Read(string name) => new(name, Entry(name).Shape, ReadFloat32(name));

    public IEnumerable<NamedTensor> ReadAll() => Entries.Select(e => Read(e.Name));

    private unsafe void ReadInto(SafetensorsEntry entry, Span<float> destination)
    {
        byte* basePtr = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
        try
        {
            byte* p = basePtr + _view.PointerOffset + _dataStart + entry.Begin;
            int n = entry.ElementCount;
            switch (entry.DType)
            {
                case SafetensorsDType.F32:
                    new ReadOnlySpan<float>(p, n).CopyTo(destination);
                    break;
                case SafetensorsDType.F16:
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(p, n), destination);
                    break;
                case SafetensorsDType.BF16:
                    var bits = new ReadOnlySpan<ushort>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
                    break;
                case SafetensorsDType.F64:
                    var doubles = new ReadOnlySpan<double>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = (float)doubles[i];
                    break;
                case SafetensorsDType.I64:
                    var longs = new ReadOnlySpan<long>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = longs[i];
                    break;
                case SafetensorsDType.I32:
                    var ints = new ReadOnlySpan<int>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = ints[i];
                    break;
                case SafetensorsDType.I16:
                    var shorts = new ReadOnlySpan<short>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = shorts[i];
                    break;
                case SafetensorsDType.I8:
                    var sbytes = new ReadOnlySpan<sbyte>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = sbytes[i];
                    break;
                case SafetensorsDType.U8:
                case SafetensorsDType.BOOL:
                    var bytes = new ReadOnlySpan<byte>(p, n);
                    for (int i = 0; i < n; i++)
                        destination[i] = bytes[i];
                    break;
            }
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.I32 => 4,
        SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private static (List<SafetensorsEntry>, Dictionary<string, string>) ParseHeader(byte[] header, string path)
    {
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: safetensors header is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                string dtypeName = prop.Value.GetProperty("dtype").GetString() ?? "";
                if (!Enum.TryParse<SafetensorsDType>(dtypeName, ignoreCase: false, out var dtype))
                    throw new InvalidDataException($"{path}: tensor {prop.Name} has dtype {dtypeName}; which is not supported");
                int[] shape = prop.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets");
                entries.Add(new SafetensorsEntry(prop.Name, dtype, shape, offsets[0].GetInt64(), offsets[1].GetInt64()));
            }
        }
        return (entries, metadata);
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
