using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>bench tokenize</c>: both tokenizers of a BERT folder over SciFact documents, the same ids from each,
/// and one line with exit 2 for a folder it cannot compare.</summary>
public sealed class TokenizeBenchCommandTests
{
    [Fact]
    public void Compares_the_two_paths_on_the_same_documents()
    {
        var result = CliProcess.Run("bench", "tokenize", "--model", SharedData.Model("ms-marco-MiniLM-L6-v2"),
            "--dataset", SharedData.Dataset("scifact"), "--limit", "50", "--iterations", "1", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(50, root.GetProperty("documents").GetInt32());
        Assert.True(root.GetProperty("tokens").GetInt64() > 50 * 10);
        Assert.Equal(0, root.GetProperty("documents_with_different_ids").GetInt32());
        Assert.Equal(0, root.GetProperty("loaded_documents_differing_from_runtime").GetInt32());
        Assert.True(root.GetProperty("wordpiece_tokens_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("runtime_tokens_per_second").GetDouble() > 0);
    }

    [Fact]
    public void A_folder_without_both_files_is_refused_in_one_line() =>
        CliAssert.UserError(CliProcess.Run("bench", "tokenize", "--model", SharedData.Fixture("tiny-qwen3-reranker"),
            "--dataset", SharedData.Dataset("scifact")), "needs both vocab.txt and tokenizer.json");
}
