namespace RerankKit.Engine;

/// <summary>A float32 tensor with its Hugging Face parameter name, row-major.</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data)
{
    public static int Count(IReadOnlyList<int> shape)
    {
        int n = 1;
        foreach (int d in shape)
            n = checked(n * d);
        return n;
    }
}
