using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Explain;

/// <summary>A cross-encoder whose insides can be read: hidden states, attention probabilities and the gradient of
/// its raw score with respect to the word-embedding vectors it is fed. The explanation methods need only this.</summary>
public interface IExplainableModel
{
    ModelConfig Config { get; }

    /// <summary>The word-embedding rows of <paramref name="inputIds"/>, row-major [T, H].</summary>
    float[] WordEmbeddings(IReadOnlyList<int> inputIds);

    /// <summary>Runs one unpadded sequence. <paramref name="wordEmbeddings"/> ([T, H]) replaces the word-embedding
    /// lookup when given; positions and token types still come from <paramref name="input"/>.
    /// <paramref name="keepAll"/> false may skip hidden states and attentions.</summary>
    ForwardTrace Forward(EncodedInput input, float[]? wordEmbeddings = null, bool keepAll = true);

    /// <summary>The raw score (logit of label 0) and d score / d word-embedding vectors, [T, H].</summary>
    ScoreGradient Gradient(EncodedInput input, float[]? wordEmbeddings = null);
}
