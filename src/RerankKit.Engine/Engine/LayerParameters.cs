using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>One encoder layer (<c>encoder.layer.{i}.*</c>): self-attention, output projection with residual
/// LayerNorm, GELU feed-forward with residual LayerNorm (post-LN, as BERT and XLM-R).</summary>
internal sealed class LayerParameters
{
    private readonly Parameter _qW, _qB, _kW, _kB, _vW, _vB, _aoW, _aoB, _ln1W, _ln1B, _iW, _iB, _oW, _oB, _ln2W, _ln2B;

    public LayerParameters(TransformerModel model, string p)
    {
        int h = model.Config.HiddenSize, inter = model.Config.IntermediateSize;
        _qW = model.Get(p + "attention.self.query.weight", h, h);
        _qB = model.Get(p + "attention.self.query.bias", h);
        _kW = model.Get(p + "attention.self.key.weight", h, h);
        _kB = model.Get(p + "attention.self.key.bias", h);
        _vW = model.Get(p + "attention.self.value.weight", h, h);
        _vB = model.Get(p + "attention.self.value.bias", h);
        _aoW = model.Get(p + "attention.output.dense.weight", h, h);
        _aoB = model.Get(p + "attention.output.dense.bias", h);
        _ln1W = model.Get(p + "attention.output.LayerNorm.weight", h);
        _ln1B = model.Get(p + "attention.output.LayerNorm.bias", h);
        _iW = model.Get(p + "intermediate.dense.weight", inter, h);
        _iB = model.Get(p + "intermediate.dense.bias", inter);
        _oW = model.Get(p + "output.dense.weight", h, inter);
        _oB = model.Get(p + "output.dense.bias", h);
        _ln2W = model.Get(p + "output.LayerNorm.weight", h);
        _ln2B = model.Get(p + "output.LayerNorm.bias", h);
    }

    public void Forward(LayerActivations a, int[] mask, int b, int t, int h, int heads, int inter, float eps, GeluKind gelu, int threads)
    {
        int n = b * t, nh = n * h;
        Linear.Forward(a.Input, _qW.Data, _qB.Data, a.Q, n, h, h, threads);
        Linear.Forward(a.Input, _kW.Data, _kB.Data, a.K, n, h, h, threads);
        Linear.Forward(a.Input, _vW.Data, _vB.Data, a.V, n, h, h, threads);
        Attention.Forward(a.Q, a.K, a.V, mask, a.Probs, a.Context, b, t, h, heads, threads);
        Linear.Forward(a.Context, _aoW.Data, _aoB.Data, a.Ln1In, n, h, h, threads);
        TensorPrimitives.Add(a.Ln1In.AsSpan(0, nh), a.Input.AsSpan(0, nh), a.Ln1In.AsSpan(0, nh));
        LayerNorm.Forward(a.Ln1In, _ln1W.Data, _ln1B.Data, a.Ln1Out, a.Ln1Mean, a.Ln1Rstd, n, h, eps);
        Linear.Forward(a.Ln1Out, _iW.Data, _iB.Data, a.FfnPre, n, h, inter, threads);
        Gelu.Forward(a.FfnPre, a.FfnAct, n * inter, gelu, threads);
        Linear.Forward(a.FfnAct, _oW.Data, _oB.Data, a.Ln2In, n, inter, h, threads);
        TensorPrimitives.Add(a.Ln2In.AsSpan(0, nh), a.Ln1Out.AsSpan(0, nh), a.Ln2In.AsSpan(0, nh));
        LayerNorm.Forward(a.Ln2In, _ln2W.Data, _ln2B.Data, a.Output, a.Ln2Mean, a.Ln2Rstd, n, h, eps);
    }

    /// <summary>Returns d loss / d layer input (in <paramref name="s"/>'s <c>DInput</c>) from d loss / d layer output,
    /// accumulating parameter gradients. <paramref name="dOut"/> is read first, so it may be the layer above's DInput.</summary>
    public float[] Backward(LayerActivations a, float[] dOut, ParameterSet? grads, BackwardScratch s, int b, int t, int h, int heads, int inter, GeluKind gelu, int threads)
    {
        int n = b * t, nh = n * h, ni = n * inter;
        var dLn2In = BackwardScratch.Take(s.DLn2In, nh);
        LayerNorm.Backward(dOut, a.Ln2In, _ln2W.Data, a.Ln2Mean, a.Ln2Rstd, dLn2In, G(grads, _ln2W), G(grads, _ln2B), n, h);
        var dLn1Out = s.DLn1Out;
        Array.Copy(dLn2In, dLn1Out, nh);
        var dFfnAct = BackwardScratch.Take(s.DFfnAct, ni);
        Linear.Backward(dLn2In, a.FfnAct, _oW.Data, dFfnAct, G(grads, _oW), G(grads, _oB), n, inter, h, threads);
        var dFfnPre = BackwardScratch.Take(s.DFfnPre, ni);
        Gelu.Backward(a.FfnPre, dFfnAct, dFfnPre, ni, gelu, threads);
        Linear.Backward(dFfnPre, a.Ln1Out, _iW.Data, dLn1Out, G(grads, _iW), G(grads, _iB), n, h, inter, threads);
        var dLn1In = BackwardScratch.Take(s.DLn1In, nh);
        LayerNorm.Backward(dLn1Out, a.Ln1In, _ln1W.Data, a.Ln1Mean, a.Ln1Rstd, dLn1In, G(grads, _ln1W), G(grads, _ln1B), n, h);
        var dInput = s.DInput;
        Array.Copy(dLn1In, dInput, nh);
        var dContext = BackwardScratch.Take(s.DContext, nh);
        Linear.Backward(dLn1In, a.Context, _aoW.Data, dContext, G(grads, _aoW), G(grads, _aoB), n, h, h, threads);
        var dq = BackwardScratch.Take(s.DQ, nh);
        var dk = BackwardScratch.Take(s.DK, nh);
        var dv = BackwardScratch.Take(s.DV, nh);
        Attention.Backward(dContext, a.Q, a.K, a.V, a.Probs!, dq, dk, dv, b, t, h, heads, threads);
        Linear.Backward(dq, a.Input, _qW.Data, dInput, G(grads, _qW), G(grads, _qB), n, h, h, threads);
        Linear.Backward(dk, a.Input, _kW.Data, dInput, G(grads, _kW), G(grads, _kB), n, h, h, threads);
        Linear.Backward(dv, a.Input, _vW.Data, dInput, G(grads, _vW), G(grads, _vB), n, h, h, threads);
        return dInput;
    }

    private static float[]? G(ParameterSet? grads, Parameter p) => grads?[p.Name].Data;
}
