using System.Globalization;

namespace RerankKit.Inference;

/// <summary>Parses device names as PyTorch writes them: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>.</summary>
public static class Devices
{
    public const string Cpu = "cpu";

    public const string Cuda = "cuda";

    /// <summary>The CUDA device ordinal of <paramref name="device"/>, or null for the CPU.</summary>
    /// <exception cref="ArgumentException">Neither cpu nor cuda[:N].</exception>
    public static int? CudaOrdinal(string device)
    {
        string d = device.Trim().ToLowerInvariant();
        if (d == Cpu)
            return null;
        if (d == Cuda)
            return 0;
        if (d.StartsWith(Cuda + ":", StringComparison.Ordinal)
            && int.TryParse(d.AsSpan(Cuda.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal))
            return ordinal;
        throw new ArgumentException($"unknown device '{device}' (use cpu, cuda or cuda:N)");
    }
}
