using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;

namespace RerankKit;

/// <summary>How a <see cref="BiEncoder"/> loads and runs, named as in sentence-transformers where it has a name.</summary>
public sealed record BiEncoderOptions
{
    /// <summary>Longest text in tokens (<c>max_seq_length</c>); null uses sentence_bert_config.json, capped by
    /// the model's positions.</summary>
    public int? MaxLength { get; set; }

    /// <summary>The engine: <c>onnx</c> (ONNX Runtime, the default) or another registered with
    /// <see cref="EncoderBackends.Register"/>, such as RerankKit.Engine's <c>native</c>.</summary>
    public string Engine { get; set; } = EncoderBackends.Onnx;

    /// <summary><c>cpu</c> (the default), <c>cuda</c> or <c>cuda:N</c>. A device that cannot be had fails the load;
    /// nothing falls back to the CPU silently.</summary>
    public string Device { get; set; } = Devices.Cpu;

    /// <summary>Receives ONNX Runtime's session options after RerankKit's own settings, for anything else.</summary>
    public Action<Microsoft.ML.OnnxRuntime.SessionOptions>? ConfigureSessionOptions { get; set; }

    /// <summary>ONNX export inside the folder; null is <c>onnx/model.onnx</c>.</summary>
    public string? OnnxFile { get; set; }

    public int? Threads { get; set; }

    /// <summary>Null follows the model (a Normalize module normalizes); <see cref="EncodeOptions.NormalizeEmbeddings"/>
    /// overrides it again per call.</summary>
    public bool? Normalize { get; set; }

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
