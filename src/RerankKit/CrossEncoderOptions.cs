using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;

namespace RerankKit;

/// <summary>How a <see cref="CrossEncoder"/> loads and runs, named as in sentence-transformers where it has a name.</summary>
public sealed record CrossEncoderOptions
{
    /// <summary>Longest pair in tokens (<c>max_length</c>); null uses the tokenizer's <c>model_max_length</c>,
    /// capped by the model's positions.</summary>
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

    /// <summary>Replaces the config's activation (<c>activation_fn</c>); <see cref="PredictOptions.ActivationFn"/>
    /// overrides it again per call.</summary>
    public ScoreActivation? ActivationFn { get; set; }

    /// <summary>Null (the default) truncates long pairs as sentence-transformers does.</summary>
    public LongDocumentOptions? LongDocuments { get; set; }

    public HubOptions Hub { get; set; } = new();

    public ILogger? Logger { get; set; }

    internal BackendSettings BackendSettings => new()
    {
        OnnxFile = OnnxFile,
        Threads = Threads,
        Device = Device,
        ConfigureSessionOptions = ConfigureSessionOptions,
    };
}
