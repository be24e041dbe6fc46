using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>JSON Lines input: one rule for empty files, bad bytes and wrong field types in every command.</summary>
public class JsonlInputErrorTests
{
    private static string Reranker => SharedData.Fixture("tiny-bert-reranker");

    [Fact]
    public void An_empty_pairs_file_is_refused_by_score()
    {
        using var dir = new ScratchFolder();
        CliAssert.UserError(CliProcess.Run("score", "--model", Reranker, "--pairs", dir.Write("pairs.jsonl", "\n")), "pairs.jsonl has no pairs");
    }

    [Fact]
    public void An_empty_input_file_is_refused_by_embed()
    {
        using var dir = new ScratchFolder();
        CliAssert.UserError(CliProcess.Run("embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--input", dir.Write("texts.jsonl", "")),
            "texts.jsonl has no texts");
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        using var dir = new ScratchFolder();
        string file = Path.Combine(dir.Path, "docs.jsonl");
        File.WriteAllBytes(file, [.. "{\"text\":\"fine\"}\n{\"text\":\"bad "u8, 0xC3, 0x28, .. "\"}\n"u8]);
        CliAssert.UserError(CliProcess.Run("rerank", "--model", Reranker, "-q", "q", "--docs", file), "docs.jsonl:2: invalid UTF-8");
    }

    [Fact]
    public void A_field_of_the_wrong_type_must_be_a_string()
    {
        using var dir = new ScratchFolder();
        string file = dir.Write("docs.jsonl", "{\"text\":\"a\"}\n{\"text\":5}\n");
        CliAssert.UserError(CliProcess.Run("rerank", "--model", Reranker, "-q", "q", "--docs", file), "docs.jsonl:2: field \"text\" must be a string");
    }

    [Fact]
    public void An_out_path_under_a_file_is_refused_before_indexing_and_leaves_nothing()
    {
        using var dir = new ScratchFolder();
        string blocker = dir.Write("blocker", "a file, not a folder");
        var run = CliProcess.Run("index", "--corpus", Path.Combine(SharedData.RepoRoot, "samples", "corpus"), "--out", Path.Combine(blocker, "index"));
        CliAssert.UserError(run, "--out");
        Assert.DoesNotContain("Indexed", run.Stdout);
    }

    [Fact]
    public void An_out_folder_that_is_a_file_is_refused()
    {
        using var dir = new ScratchFolder();
        string file = dir.Write("index", "a file");
        CliAssert.UserError(CliProcess.Run("index", "--corpus", Path.Combine(SharedData.RepoRoot, "samples", "corpus"), "--out", file), "--out");
    }

    [Fact]
    public void An_at_sign_argument_is_a_literal_not_a_response_file()
    {
        var run = CliProcess.Run("rerank", "--model", Reranker, "-q", "who posted", "--doc", "@user posted a photo", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("\"document\":\"@user posted a photo\"", run.Stdout);
    }
}
