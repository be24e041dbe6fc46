namespace RerankKit.Engine;

/// <summary>Named tensors in a fixed order: a model's parameters, or gradient buffers of the same names and
/// shapes (<see cref="ZerosLike"/>), so an optimizer can walk both side by side.</summary>
public sealed class ParameterSet : IReadOnlyList<Parameter>
{
    private readonly List<Parameter> _items;
    private readonly Dictionary<string, Parameter> _byName;

    public ParameterSet(IEnumerable<Parameter> parameters)
    {
        _items = parameters.ToList();
        _byName = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var p in _items)
            if (!_byName.TryAdd(p.Name, p))
                throw new ArgumentException($"duplicate parameter {p.Name}");
    }

    public int Count => _items.Count;

    public Parameter this[int index] => _items[index];

    public Parameter this[string name] =>
        _byName.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"no parameter named {name}");

    public bool TryGet(string name, out Parameter parameter) => _byName.TryGetValue(name, out parameter!);

    public bool Contains(string name) => _byName.ContainsKey(name);

    public long TotalElements => _items.Sum(p => (long)p.Length);

    /// <summary>New zero buffers with the same names and shapes, for gradients or optimizer moments.</summary>
    public ParameterSet ZerosLike() => new(_items.Select(p => new Parameter(p.Name, (int[])p.Shape.Clone(), new float[p.Length])));

    /// <summary>A deep copy (values included).</summary>
    public ParameterSet Clone() => new(_items.Select(p => new Parameter(p.Name, (int[])p.Shape.Clone(), (float[])p.Data.Clone())));

    public void Clear()
    {
        foreach (var p in _items)
            Array.Clear(p.Data);
    }

    public IEnumerator<Parameter> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
