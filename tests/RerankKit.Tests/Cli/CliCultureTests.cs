using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>The CLI under a German locale (decimal comma): numbers on the command line still parse invariantly.</summary>
public class CliCultureTests
{
    private static readonly Dictionary<string, string> German = new()
    {
        ["LANG"] = "de_DE.UTF-8",
        ["LC_ALL"] = "de_DE.UTF-8",
        ["DOTNET_CLI_UI_LANGUAGE"] = "de",
    };

    private static double Ndcg10(CliProcess.Result run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        return json.RootElement.GetProperty("metrics").GetProperty("first_stage").GetProperty("ndcg@10").GetDouble();
    }

    [Fact]
    public void Bm25_k1_under_a_german_locale_gives_the_english_locale_result()
    {
        string scifact = SharedData.Dataset("scifact");
        double german = Ndcg10(CliProcess.RunWithEnvironment(German, "eval", "--dataset", scifact, "--k1", "0.9", "--b", "0.4", "--json"));
        double english = Ndcg10(CliProcess.RunWithEnvironment(new Dictionary<string, string> { ["LANG"] = "en_US.UTF-8", ["LC_ALL"] = "en_US.UTF-8" },
            "eval", "--dataset", scifact, "--k1", "0.9", "--b", "0.4", "--json"));
        Assert.Equal(0.6777, german, 4);
        Assert.Equal(english, german);
    }

    [Theory]
    [InlineData("eval", "--k1", "0,9")]
    [InlineData("search", "--threshold", "0,5")]
    public void A_decimal_comma_is_refused_in_every_locale(string command, string option, string value)
    {
        string[] args = command == "eval"
            ? ["eval", "--dataset", "/no/such/dataset", option, value]
            : ["search", "--index", "/no/such/index", "-q", "q", option, value];
        CliAssert.UserError(CliProcess.RunWithEnvironment(German, args), $"{option} must be a number");
    }

    [Fact]
    public void Rerank_prints_the_same_scores_under_a_german_locale()
    {
        string[] args = ["rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "-q", "what is bm25", "--doc", "a ranking function", "--doc", "a fish", "--json"];
        var german = CliProcess.RunWithEnvironment(German, args);
        var english = CliProcess.Run(args);
        Assert.True(german.ExitCode == 0, german.Stderr);
        Assert.Equal(english.Stdout, german.Stdout);
    }
}
