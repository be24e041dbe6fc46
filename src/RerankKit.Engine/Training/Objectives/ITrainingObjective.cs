using RerankKit.Engine;

namespace RerankKit.Training.Objectives;

/// <summary>A model, its training examples and its loss: one step computes the loss of a batch of examples and adds
/// its parameter gradients into a buffer; scoring serves evaluation.</summary>
public interface ITrainingObjective
{
    TransformerModel Model { get; }

    int ExampleCount { get; }

    /// <summary>Loss of the examples at <paramref name="indices"/>; gradients are added into <paramref name="gradients"/>.
    /// Returns the loss and how many (query, document) pairs were scored.</summary>
    (double Loss, int Pairs) Step(IReadOnlyList<int> indices, ParameterSet gradients);

    /// <summary>Relevance scores of <paramref name="documents"/> for <paramref name="query"/> with the current weights.</summary>
    float[] Score(string query, IReadOnlyList<string> documents);

    /// <summary>Texts of example <paramref name="index"/> that must not appear twice in one batch (losses with in-batch
    /// negatives); empty when batches may repeat texts.</summary>
    IEnumerable<string> DistinctTexts(int index) => [];
}
