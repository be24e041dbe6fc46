namespace RerankKit.Engine;

/// <summary>The two GELU forms of Hugging Face configs: <c>gelu</c> (exact, erf) and <c>gelu_new</c> /
/// <c>gelu_pytorch_tanh</c> (tanh approximation).</summary>
public enum GeluKind
{
    Erf,
    Tanh,
}
