namespace RerankKit.Engine;

/// <summary>One trainable tensor with its Hugging Face name (e.g. <c>bert.encoder.layer.0.attention.self.query.weight</c>),
/// shape and row-major float32 values. An optimizer updates <see cref="Data"/> in place.</summary>
public sealed class Parameter(string name, int[] shape, float[] data)
{
    public string Name { get; } = name;
    public int[] Shape { get; } = shape;
    public float[] Data { get; } = data.Length == NamedTensor.Count(shape)
        ? data
        : throw new ArgumentException($"parameter {name}: {data.Length} values do not fill shape [{string.Join(",", shape)}]");

    public int Length => Data.Length;

    public NamedTensor ToTensor() => new(Name, Shape, Data);
}
