using Microsoft.ML.OnnxRuntime;

namespace RerankKit.Inference;

/// <summary>What every engine is told about where and how to run: the part of <see cref="CrossEncoderOptions"/>
/// and <see cref="BiEncoderOptions"/> that is not about the model's text handling.</summary>
public sealed record BackendSettings
{
    /// <summary>ONNX export inside the folder, such as <c>onnx/model_qint8_avx512_vnni.onnx</c>; null is
    /// <c>onnx/model.onnx</c>.</summary>
    public string? OnnxFile { get; init; }

    /// <summary>Intra-op threads; null lets the runtime choose.</summary>
    public int? Threads { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c> (optionally <c>cuda:N</c> for device N).</summary>
    public string Device { get; init; } = Devices.Cpu;

    /// <summary>Receives ONNX Runtime's session options after RerankKit has set its own, for anything else
    /// (another execution provider, profiling, graph dumps).</summary>
    public Action<SessionOptions>? ConfigureSessionOptions { get; init; }

    /// <summary>Whether an ONNX session fuses the graph's self-attention into ONNX Runtime's <c>Attention</c>
    /// operator at load (see <see cref="EncoderOptions.FuseAttention"/>).</summary>
    public bool FuseAttention { get; init; } = true;

    /// <summary>On the CPU, ONNX Runtime runs a padded batch in slices of at most this many tokens (rows x padded
    /// length, at least one row); 0 runs every batch whole (see <see cref="EncoderOptions.MaxTokensPerRun"/>).</summary>
    public int MaxTokensPerRun { get; init; } = DefaultMaxTokensPerRun;

    /// <summary>About 1,000 tokens of activations (a 1,536-wide FFN output is 6 MB) stay in the caches of a CPU core
    /// pair; 32 x 256 tokens (50 MB) do not. Measured on all-MiniLM-L6-v2, 2 cores, 256 tokens: 32 rows per run 1.60-1.67 s
    /// per 32 rows, 4 rows per run 1.36-1.38 s (docs/performance.md).</summary>
    public const int DefaultMaxTokensPerRun = 1024;
}
