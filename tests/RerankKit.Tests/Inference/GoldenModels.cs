using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>Fixture models wired to <see cref="GoldenTokenizer"/>.</summary>
internal static class GoldenModels
{
    public static CrossEncoder CrossEncoder(string fixture, int maxLength, int? threads = 1, CrossEncoderOptions? options = null)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture), maxLength);
        var tokenizer = new GoldenTokenizer(GoldenFile.Cases(fixture), folder.Config.PadTokenId, !folder.Config.IsRoberta);
        return new CrossEncoder(fixture, folder, tokenizer, OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = threads }), options ?? new CrossEncoderOptions());
    }

    public static BiEncoder BiEncoder(string fixture, BiEncoderOptions? options = null)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture));
        var tokenizer = new GoldenTokenizer(GoldenFile.Cases(fixture), folder.Config.PadTokenId, true);
        return new BiEncoder(fixture, folder, tokenizer, OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 }), options ?? new BiEncoderOptions());
    }
}
