namespace RerankKit.Inference;

/// <summary>Which runtime executes the transformer.</summary>
public enum EngineKind
{
    /// <summary>ONNX Runtime on the folder's ONNX export (<c>onnx/model.onnx</c> by default).</summary>
    Onnx,

    /// <summary>RerankKit's own engine on <c>model.safetensors</c>.</summary>
    Native,
}
