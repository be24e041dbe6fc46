namespace RerankKit.Models;

/// <summary>A call that needs one score per pair (Predict, Rank) was made on a model with several labels, which
/// sentence-transformers refuses too; <see cref="CrossEncoder.PredictLabels"/> gives every label's score.</summary>
public sealed class MultiLabelModelException(string message) : ArgumentException(message);
