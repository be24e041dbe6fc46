using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;

namespace RerankKit;

/// <summary>How a <see cref="BiEncoder"/> loads and runs, named as in sentence-transformers where it has a name.</summary>
public sealed record BiEncoderOptions
{
    /// <summary>Longest text in tokens (<c>max_seq_length</c>); null uses sentence_bert_config.json, capped by
    /// the model's positions.</summary>
    public int? MaxLength { get; init; }

    public EngineKind Engine { get; init; } = EngineKind.Onnx;

    /// <summary>ONNX export inside the folder; null is <c>onnx/model.onnx</c>.</summary>
    public string? OnnxFile { get; init; }

    public int? Threads { get; init; }

    /// <summary>Null follows the model (a Normalize module normalizes); <see cref="EncodeOptions.NormalizeEmbeddings"/>
    /// overrides it again per call.</summary>
    public bool? Normalize { get; init; }

    public HubOptions Hub { get; init; } = new();

    public ILogger? Logger { get; init; }
}
