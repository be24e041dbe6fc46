using System.Text.Json;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization.Json;

namespace RerankKit.Tests.Tokenization.Json;

/// <summary>The fixtures' own tokenizer goldens (fixtures/tokenizers/*/golden.json and tiny-qwen3-reranker's
/// tokenizer_golden.json, written by the official tokenizers library): 300 texts with and without special tokens
/// and 300 pairs truncated longest_first to 64 and 512, every id and type id equal.</summary>
public sealed class FixtureGoldenTests
{
    public static TheoryData<string> Folders => new(
        "tokenizers/ModernBERT-large", "tokenizers/all-mpnet-base-v2", "tokenizers/bge-small-en-v1.5", "tokenizers/e5-small-v2",
        "tokenizers/electra-small-seqcls-qut", "tokenizers/modernbert-base-seqcls-p9", "tokenizers/ms-marco-MiniLM-L6-v2",
        "tokenizers/t5-small", "tokenizers/xlm-roberta-250k", "tiny-qwen3-reranker");

    [Theory]
    [MemberData(nameof(Folders))]
    public void Tokenizer_json_runtime_reproduces_the_fixture_goldens(string folder)
    {
        string dir = SharedData.Fixture(folder);
        var tokenizer = HuggingFaceTokenizer.FromFile(Path.Combine(dir, "tokenizer.json"));
        string golden = File.Exists(Path.Combine(dir, "golden.json")) && folder.StartsWith("tokenizers/", StringComparison.Ordinal)
            ? Path.Combine(dir, "golden.json")
            : Path.Combine(dir, "tokenizer_golden.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(golden));
        var failures = new List<string>();
        int checkedCount = 0;
        foreach (var c in doc.RootElement.GetProperty("single").EnumerateArray())
        {
            string text = c.GetProperty("text").GetString()!;
            Check(failures, $"single {Show(text)}", Ints(c, "ids"), tokenizer.Encode(text).Ids);
            Check(failures, $"no-special {Show(text)}", Ints(c, "ids_no_special"), tokenizer.Encode(text, addSpecialTokens: false).Ids);
            checkedCount += 2;
        }
        foreach (var c in doc.RootElement.GetProperty("pairs").EnumerateArray())
        {
            string a = c.GetProperty("a").GetString()!, b = c.GetProperty("b").GetString()!;
            foreach (int max in new[] { 64, 512 })
            {
                var encoded = tokenizer.Encode(a, b, true, new TruncationOptions(max));
                Check(failures, $"pair@{max} {Show(a)} | {Show(b)}", Ints(c, $"ids_{max}"), encoded.Ids);
                Check(failures, $"pair types@{max} {Show(a)}", Ints(c, $"type_ids_{max}"), encoded.TypeIds);
                checkedCount += 2;
            }
        }
        Assert.True(checkedCount >= 1200, $"only {checkedCount} checks");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} differ:\n" + string.Join("\n", failures.Take(10)));
    }

    private static void Check(List<string> failures, string what, int[] expected, int[] actual)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
            failures.Add($"{what}: expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
    }

    private static string Show(string s) => JsonSerializer.Serialize(s.Length > 40 ? s[..40] : s);

    private static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
