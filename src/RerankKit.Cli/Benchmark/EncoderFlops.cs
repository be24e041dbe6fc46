using RerankKit.Models;

namespace RerankKit.Inference.Benchmark;

/// <summary>Floating-point operations of one encoder forward pass, counting a multiply-add as two.</summary>
public sealed record EncoderFlops(int Layers, int Hidden, int Intermediate)
{
    public const string Formula = "FLOPs(L) = layers * (8*L*H^2 + 4*L*H*F + 4*L^2*H)  [QKV+output projections, FFN, attention scores and mix; embeddings, norms, softmax and head ignored]";

    public static EncoderFlops Of(ModelConfig config) => new(config.NumHiddenLayers, config.HiddenSize, config.IntermediateSize);

    public double ForSequence(int length)
    {
        double l = length, h = Hidden, f = Intermediate;
        return Layers * (8 * l * h * h + 4 * l * h * f + 4 * l * l * h);
    }
}
