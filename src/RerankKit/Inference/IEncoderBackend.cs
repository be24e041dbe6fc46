namespace RerankKit.Inference;

/// <summary>Runs a transformer encoder on a padded batch. ONNX Runtime and the native engine both implement it.</summary>
public interface IEncoderBackend : IDisposable
{
    /// <summary>Sequence-classification logits, row-major [batch, numLabels].</summary>
    float[] RunClassifier(TokenBatch batch);

    /// <summary>Last hidden state, row-major [batch, sequence, hidden].</summary>
    float[] RunHiddenStates(TokenBatch batch);
}
