namespace RerankKit.Tests.Cli;

/// <summary>Every numeric option is range-checked when the command line is parsed, before any work starts.</summary>
public class OptionRangeTests
{
    private static readonly string[] Search = ["search", "--index", "/no/such/index", "-q", "q"];
    private static readonly string[] Mine = ["mine", "--dataset", "/no/such/dataset", "--out", "/tmp/rk-never-written.jsonl"];
    private static readonly string[] Train = ["train", "reranker", "--base-model", "/no/such/model", "--train", "/no/such/train.jsonl", "--out", "/tmp/rk-never-written"];
    private static readonly string[] Score = ["score", "--model", "/no/such/model", "--pairs", "/no/such/pairs.jsonl"];
    private static readonly string[] Explain = ["explain", "--model", "/no/such/model", "--out", "/tmp/rk-never-written", "-q", "q", "-d", "d"];
    private static readonly string[] Serve = ["serve", "--model", "/no/such/model"];

    public static TheoryData<string[], string, string, string> Cases => new()
    {
        { Search, "--boost-weight", "NaN", "--boost-weight must be a finite number, not NaN" },
        { Search, "--threshold", "1.5", "--threshold must be at most 1, not 1.5" },
        { Mine, "--margin", "NaN", "--margin must be a finite number" },
        { Mine, "--max-score", "-Infinity", "--max-score must be a finite number" },
        { Train, "--lr", "NaN", "--lr must be a finite number" },
        { Train, "--lr", "0", "--lr must be greater than 0" },
        { Train, "--weight-decay", "Infinity", "--weight-decay must be a finite number" },
        { Train, "--max-grad-norm", "-1", "--max-grad-norm must be greater than 0" },
        { Train, "--eval-steps", "-1", "--eval-steps must be at least 0" },
        { Train, "--epochs", "2000000000", "--epochs must be at most" },
        { Score, "--threads", "100000", "--threads must be at most 1024, not 100000" },
        { Score, "--max-tokens-per-run", "-1", "--max-tokens-per-run must be at least 0" },
        { Explain, "--steps", "2000000000", "--steps must be at most" },
        { Serve, "--max-wait-ms", "Infinity", "--max-wait-ms must be a finite number" },
        { Serve, "--port", "70000", "--port must be at most 65535" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Out_of_range_values_are_refused_naming_the_option(string[] command, string option, string value, string expected)
    {
        CliAssert.UserError(CliProcess.Run([.. command, option, value]), expected);
    }
}
