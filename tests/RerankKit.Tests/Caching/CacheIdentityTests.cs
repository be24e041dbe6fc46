using RerankKit.Batching;
using RerankKit.Caching;
using RerankKit.Tests.Batching;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Caching;

/// <summary>Score-cache keys name everything a score depends on, so encoders (or replicas) that score differently
/// never share a cached score, and identical ones do.</summary>
public sealed class CacheIdentityTests
{
    private static CrossEncoder Load(int maxLength, string? onnxFile = null) =>
        new(SharedData.Fixture("tiny-bert-reranker"), new CrossEncoderOptions { MaxLength = maxLength, OnnxFile = onnxFile });

    private static string Id(ICrossEncoder encoder) => encoder.CacheIdentity;

    [Fact]
    public void The_identity_names_the_revision_weights_file_engine_and_max_length()
    {
        using var a = Load(64);
        using var same = Load(64);
        using var shorter = Load(32);

        Assert.Equal(Id(a), Id(same));
        Assert.NotEqual(Id(a), Id(shorter));
        Assert.Contains("onnx/model.onnx", Id(a));
        Assert.Contains("engine=onnx", Id(a));
        Assert.Contains("max_length=64", Id(a));
        Assert.Contains("revision=", Id(a));
    }

    [Fact]
    public void A_copied_model_folder_with_another_config_is_another_revision()
    {
        string copy = Directory.CreateTempSubdirectory("rerankkit-identity-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(SharedData.Fixture("tiny-bert-reranker"), "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(SharedData.Fixture("tiny-bert-reranker"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            string Identity()
            {
                using var encoder = new CrossEncoder(copy, new CrossEncoderOptions { MaxLength = 64 });
                return Id(encoder);
            }
            string before = Identity();
            File.AppendAllText(Path.Combine(copy, "config.json"), "\n");

            Assert.NotEqual(before, Identity());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void The_caching_cross_encoder_keeps_its_inner_identity()
    {
        using var inner = Load(64);
        using var cached = new CachingCrossEncoder(Load(64));

        Assert.Equal(Id(inner), Id(cached));
    }

    [Fact]
    public async Task Batchers_of_encoders_that_score_differently_do_not_share_cached_scores()
    {
        using var long64 = Load(64);
        using var short8 = Load(8);
        var shared = new LruScoreCache(100);
        (string, string)[] pairs = [("what is a cat", string.Join(' ', Enumerable.Repeat("cats are small furry animals", 10)))];
        await using var first = new CrossEncoderBatcher(long64, new BatcherOptions { MaxLength = 64 }, shared);
        await using var second = new CrossEncoderBatcher(short8, new BatcherOptions { MaxLength = 8 }, shared);

        float[] full = await first.ScoreAsync(pairs);
        float[] truncated = await second.ScoreAsync(pairs);

        Assert.Equal(long64.Predict(pairs, new PredictOptions { ActivationFn = ScoreActivation.Identity }), full);
        Assert.Equal(short8.Predict(pairs, new PredictOptions { ActivationFn = ScoreActivation.Identity }), truncated);
        Assert.NotEqual(full, truncated);
    }
}
