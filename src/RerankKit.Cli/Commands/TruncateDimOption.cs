namespace RerankKit.Cli.Commands;

/// <summary><c>--truncate-dim N</c>: Matryoshka truncation of a bi-encoder's embeddings to their first N dimensions
/// (normalized afterwards when the model normalizes), shared by embed, index and eval.</summary>
internal sealed class TruncateDimOption : System.CommandLine.Option<int?>
{
    public TruncateDimOption()
        : base("--truncate-dim")
    {
        Description = "Keep the first N embedding dimensions (Matryoshka), then normalize as the model does";
    }
}
