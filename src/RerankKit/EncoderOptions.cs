using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;

namespace RerankKit;

/// <summary>What <see cref="CrossEncoderOptions"/> and <see cref="BiEncoderOptions"/> share: where the model comes
/// from and what it runs on.</summary>
public abstract record EncoderOptions
{
    /// <summary>Longest input in tokens (<c>max_length</c> / <c>max_seq_length</c>); null uses the model's own
    /// setting, capped by its positions.</summary>
    public int? MaxLength { get; set; }

    /// <summary>The engine: <c>onnx</c> (ONNX Runtime, the default) or another registered with
    /// <see cref="EncoderBackends.Register"/>, such as RerankKit.Engine's <c>native</c>.</summary>
    public string Engine { get; set; } = EncoderBackends.Onnx;

    /// <summary><c>cpu</c> (the default), <c>cuda</c> or <c>cuda:N</c>. A device that cannot be had fails the load;
    /// nothing falls back to the CPU silently.</summary>
    public string Device { get; set; } = Devices.Cpu;

    /// <summary>Receives ONNX Runtime's session options after RerankKit's own settings, for anything else.</summary>
    public Action<Microsoft.ML.OnnxRuntime.SessionOptions>? ConfigureSessionOptions { get; set; }

    /// <summary>ONNX export inside the folder, such as <c>onnx/model_qint8_avx512_vnni.onnx</c>; null is
    /// <c>onnx/model.onnx</c>.</summary>
    public string? OnnxFile { get; set; }

    /// <summary>Intra-op threads; null lets the runtime choose.</summary>
    public int? Threads { get; set; }

    /// <summary>Whether the ONNX engine fuses a BERT-family export's self-attention into ONNX Runtime's
    /// <c>Attention</c> operator at load (in memory; the file is not changed). On by default: the outputs are the same
    /// within float rounding and encoding is faster (docs/performance.md). Off runs the graph as exported.</summary>
    public bool FuseAttention { get; set; } = true;

    /// <summary>On the CPU, the ONNX engine runs each padded batch in slices of at most this many tokens (rows x padded
    /// length, at least one row), so a slice's activations stay in cache: the outputs are the same, the batch size
    /// (how texts are grouped and padded) is unchanged, and encoding is faster (docs/performance.md). 0 runs each batch
    /// whole, as a GPU should.</summary>
    public int MaxTokensPerRun { get; set; } = BackendSettings.DefaultMaxTokensPerRun;

    public HubOptions Hub { get; set; } = new();

    public ILogger? Logger { get; set; }

    internal BackendSettings BackendSettings => new()
    {
        OnnxFile = OnnxFile,
        Threads = Threads,
        Device = Device,
        ConfigureSessionOptions = ConfigureSessionOptions,
        FuseAttention = FuseAttention,
        MaxTokensPerRun = MaxTokensPerRun,
    };
}
