namespace RerankKit.Cli.Commands;

/// <summary>The one place the retrieval commands load models.</summary>
internal static class RetrievalModels
{
    public static ICrossEncoder LoadCrossEncoder(string model) =>
        throw new CliException($"cannot load cross-encoder {model}: model loading is not in this build yet");

    public static IBiEncoder LoadBiEncoder(string model) =>
        throw new CliException($"cannot load bi-encoder {model}: model loading is not in this build yet");
}
