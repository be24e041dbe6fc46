namespace RerankKit.Training.Data;

/// <summary>Row layouts of a training JSONL file, named as sentence-transformers' <c>mine_hard_negatives</c> names its
/// <c>output_format</c>: <c>{"query","positive","negative"}</c>, <c>{"query","positive","negative_1".."negative_n"}</c>,
/// <c>{"query","document","label"}</c>.</summary>
public enum TrainingFormat
{
    Triplet,
    NTuple,
    LabeledPair,
}

public static class TrainingFormatNames
{
    public static TrainingFormat Parse(string text) => text.ToLowerInvariant() switch
    {
        "triplet" => TrainingFormat.Triplet,
        "n-tuple" or "ntuple" => TrainingFormat.NTuple,
        "labeled-pair" or "labeled_pair" => TrainingFormat.LabeledPair,
        _ => throw new ArgumentException($"unknown format '{text}' (triplet, n-tuple, labeled-pair)"),
    };

    public static string Name(this TrainingFormat format) => format switch
    {
        TrainingFormat.Triplet => "triplet",
        TrainingFormat.NTuple => "n-tuple",
        _ => "labeled-pair",
    };
}
