using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Prompts;

/// <summary>A copy of the tiny-bert-embedder fixture in a scratch folder with the prompt and pooling files a test
/// chooses, so the real tokenizer and ONNX graph run with them.</summary>
internal sealed class PromptFixture : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public PromptFixture(string sentenceTransformersConfig, string? poolingConfig = null)
    {
        Copy(SharedData.Fixture("tiny-bert-embedder"), Path);
        File.WriteAllText(System.IO.Path.Combine(Path, "config_sentence_transformers.json"), sentenceTransformersConfig);
        if (poolingConfig is not null)
            File.WriteAllText(System.IO.Path.Combine(Path, "1_Pooling", "config.json"), poolingConfig);
    }

    public string Path => _scratch.Path;

    public BiEncoder Load() => new(Path, new BiEncoderOptions { Threads = 1 });

    private static void Copy(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
    }

    public void Dispose() => _scratch.Dispose();
}
