using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;

namespace RerankKit;

/// <summary>How a <see cref="CrossEncoder"/> loads and runs, named as in sentence-transformers where it has a name.</summary>
public sealed record CrossEncoderOptions
{
    /// <summary>Longest pair in tokens (<c>max_length</c>); null uses the tokenizer's <c>model_max_length</c>,
    /// capped by the model's positions.</summary>
    public int? MaxLength { get; init; }

    public EngineKind Engine { get; init; } = EngineKind.Onnx;

    /// <summary>ONNX export inside the folder, such as <c>onnx/model_qint8_avx512_vnni.onnx</c>; null is
    /// <c>onnx/model.onnx</c>.</summary>
    public string? OnnxFile { get; init; }

    /// <summary>Intra-op threads; null lets the runtime choose.</summary>
    public int? Threads { get; init; }

    /// <summary>Replaces the config's activation (<c>activation_fn</c>); <see cref="PredictOptions.ActivationFn"/>
    /// overrides it again per call.</summary>
    public ScoreActivation? ActivationFn { get; init; }

    /// <summary>Null (the default) truncates long pairs as sentence-transformers does.</summary>
    public LongDocumentOptions? LongDocuments { get; init; }

    public HubOptions Hub { get; init; } = new();

    public ILogger? Logger { get; init; }
}
