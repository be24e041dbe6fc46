namespace RerankKit.Inference;

/// <summary>Runs a transformer encoder on a padded batch. ONNX Runtime and the native engine both implement it.</summary>
public interface IEncoderBackend : IDisposable
{
    /// <summary>Sequence-classification logits, row-major [batch, numLabels]. A cancelled token stops a run in
    /// progress, not only the next one.</summary>
    float[] RunClassifier(TokenBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Last hidden state, row-major [batch, sequence, hidden].</summary>
    float[] RunHiddenStates(TokenBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The last hidden state handed to <paramref name="read"/> before the run's output is released: a caller
    /// that pools it needs no copy of the [batch, sequence, hidden] tensor (12.6 MB for 32 x 256 x 384).</summary>
    void ReadHiddenStates(TokenBatch batch, HiddenStatesReader read, CancellationToken cancellationToken = default) =>
        read(RunHiddenStates(batch, cancellationToken));

    /// <summary>A causal LM's next-token logits at each row's last real token, row-major [batch, vocabulary]: what an
    /// LLM reranker reads its yes/no answer from. Engines without decoders do not implement it.</summary>
    float[] RunLastTokenLogits(TokenBatch batch, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not run causal language models");
}
