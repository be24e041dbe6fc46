namespace RerankKit.Inference;

/// <summary>Reads a batch's last hidden state, row-major [batch, sequence, hidden], while the backend still owns it.</summary>
public delegate void HiddenStatesReader(ReadOnlySpan<float> hidden);
