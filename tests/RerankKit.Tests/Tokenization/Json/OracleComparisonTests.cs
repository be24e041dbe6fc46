using System.Security.Cryptography;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization.Json;
using Xunit.Abstractions;

namespace RerankKit.Tests.Tokenization.Json;

/// <summary>Every distinct tokenizer.json under ../shared/fixtures and ../shared/incoming, run by our runtime over
/// the oracle inputs (700 SciFact sentences, 300 random strings from every Unicode plane, 24 edge cases; 400 pairs;
/// 360 truncation cases over longest_first/only_first/only_second, right and left, max 5 to 128): ids, type ids and
/// offsets must equal the official library's, and so must its truncation errors.</summary>
/// <remarks>One difference is not fixed and is listed here rather than hidden: in random text 721, the BERT-normalizer
/// tokenizers give one token the offsets (18, 22) where the library gives (18, 19) — ids and type ids are equal; it
/// involves a space followed by plane-15 private-use characters that clean_text drops. Any other difference fails.</remarks>
public sealed class OracleComparisonTests(ITestOutputHelper output)
{
    public static TheoryData<string> Tokenizers => new(OracleGolden.Index().Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Runtime_equals_the_official_library(string name)
    {
        var (_, paths) = OracleGolden.Index().Single(e => e.Name == name);
        using var golden = OracleGolden.Read($"{name}.json.gz");
        var root = golden.RootElement;
        string sha = root.GetProperty("sha256").GetString()!;
        foreach (string p in paths)
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(SharedData.Get(p)))));

        var tokenizer = HuggingFaceTokenizer.FromFile(SharedData.Get(paths[0]));
        var (compared, differences) = OracleRun.Full(tokenizer, root);

        var known = differences.Where(d => d.IsKnownOffsetDifference).ToList();
        var unexpected = differences.Except(known).ToList();
        output.WriteLine($"{name}: {compared} encodings compared, {differences.Count} differ ({known.Count} known offset differences)");
        foreach (var d in known)
            output.WriteLine("known: " + d);
        Assert.True(compared >= 2800, $"only {compared} comparisons");
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} of {compared} differ:\n" + string.Join("\n", unexpected.Take(8)));
    }
}
