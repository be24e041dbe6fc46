using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace RerankKit.Cli;

/// <summary>The one place numeric options are parsed and range-checked: every number on the command line is read
/// with the invariant culture (System.CommandLine would use the current one, so "0.9" became 9 under de-DE) and
/// checked against its range while parsing, before a command starts any work.</summary>
internal static class OptionRules
{
    private const int Million = 1_000_000;

    private static readonly Dictionary<string, NumericRange> Ranges = new()
    {
        // Model and batching
        ["--threads"] = new(1, 1024),
        ["--batch-size"] = new(1, 65_536),
        ["--batch"] = new(1, 65_536),
        ["--max-length"] = new(1, 1_048_576),
        ["--max-tokens-per-run"] = new(0, 64 * Million),
        // The model's own dimension is the real upper bound; the encoder checks it.
        ["--truncate-dim"] = new(1, 65_536),
        ["--tokens"] = new(1, 65_536),
        ["--iterations"] = new(1, 100_000),
        ["--docs"] = new(1, Million),
        ["--texts"] = new(1, Million),
        // Retrieval and evaluation
        ["--top-k"] = new(1, Million),
        ["--duo-top-k"] = new(2, 100_000),
        ["--first-k"] = new(1, Million),
        ["--k"] = new(1, 10_000),
        ["--limit"] = new(1, int.MaxValue),
        ["--speed"] = new(1, Million),
        ["--chunk-size"] = new(1, 10 * Million),
        ["--chunk-overlap"] = new(0, 10 * Million),
        ["--k1"] = new(0, 100),
        ["--b"] = new(0, 1),
        ["--threshold"] = new(0, 1),
        ["--boost-weight"] = NumericRange.AnyFinite,
        // LLM listwise reranking
        ["--llm-window"] = new(2, 1_000),
        ["--llm-step"] = new(1, 1_000),
        ["--llm-max-words"] = new(1, Million),
        ["--llm-timeout"] = new(0, 86_400, MinExclusive: true),
        ["--llm-retries"] = new(0, 100),
        ["--llm-prompt-cost"] = new(0, Million),
        ["--llm-completion-cost"] = new(0, Million),
        // Explanations and figures
        ["--steps"] = new(1, 10_000),
        ["--layer"] = new(1, 10_000),
        ["--trajectory-tokens"] = new(0, 1_048_576),
        ["--points"] = new(1, 10 * Million),
        ["--clusters"] = new(1, 100_000),
        ["--dims"] = new(1, 65_536),
        ["--max-samples"] = new(1, 10 * Million),
        ["--seed"] = NumericRange.AnyInt,
        // Mining and training
        ["--num-negatives"] = new(1, 100_000),
        ["--range-min"] = new(0, Million),
        ["--range-max"] = new(1, Million),
        ["--margin"] = NumericRange.AnyFinite,
        ["--relative-margin"] = new(0, 0.999999),
        ["--max-score"] = NumericRange.AnyFinite,
        ["--min-score"] = NumericRange.AnyFinite,
        ["--epochs"] = new(1, 10_000),
        ["--lr"] = new(0, 1, MinExclusive: true),
        ["--warmup-ratio"] = new(0, 1),
        ["--weight-decay"] = new(0, 1),
        ["--max-grad-norm"] = new(0, Million, MinExclusive: true),
        ["--pos-weight"] = new(0, Million, MinExclusive: true),
        ["--eval-top-k"] = new(1, 100_000),
        ["--eval-max-queries"] = new(1, int.MaxValue),
        ["--eval-steps"] = new(0, int.MaxValue),
        ["--save-steps"] = new(0, int.MaxValue),
        // Serving
        ["--port"] = new(0, 65_535),
        ["--max-batch-tokens"] = new(1, 100 * Million),
        ["--max-wait-ms"] = new(0, 60_000),
        ["--max-queued-pairs"] = new(1, 100 * Million),
        ["--cache-size"] = new(0, 100 * Million),
        ["--max-documents"] = new(1, 10 * Million),
        ["--max-document-chars"] = new(1, 1_000 * Million),
        ["--max-body-bytes"] = new(1, 1L << 40),
    };

    /// <summary>Installs the invariant parser and range check on every numeric option under <paramref name="command"/>;
    /// a numeric option without a range here is a programming error, found the first time the CLI starts.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
            Install(option);
        foreach (var sub in command.Subcommands)
            Apply(sub);
    }

    private static void Install(Option option)
    {
        NumericRange Range() => Ranges.TryGetValue(option.Name, out var range)
            ? range
            : throw new InvalidOperationException($"numeric option {option.Name} has no range in {nameof(OptionRules)}");
        switch (option)
        {
            case Option<int> o: o.CustomParser = r => (int)Integer(r, o.Name, Range()); break;
            case Option<int?> o: o.CustomParser = r => (int)Integer(r, o.Name, Range()); break;
            case Option<long> o: o.CustomParser = r => Integer(r, o.Name, Range()); break;
            case Option<int[]> o: o.CustomParser = r => r.Tokens.Select(t => (int)Integer(r, t.Value, o.Name, Range())).ToArray(); break;
            case Option<float> o: o.CustomParser = r => (float)Real(r, o.Name, Range(), single: true); break;
            case Option<float?> o: o.CustomParser = r => (float)Real(r, o.Name, Range(), single: true); break;
            case Option<double> o: o.CustomParser = r => Real(r, o.Name, Range(), single: false); break;
            case Option<double?> o: o.CustomParser = r => Real(r, o.Name, Range(), single: false); break;
        }
    }

    private static long Integer(ArgumentResult result, string option, NumericRange range) => Integer(result, Last(result), option, range);

    private static long Integer(ArgumentResult result, string text, string option, NumericRange range)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            result.AddError($"{option} must be a whole number, not \"{text}\"");
            return 0;
        }
        return Checked(result, option, range, value) ? value : 0;
    }

    private static double Real(ArgumentResult result, string option, NumericRange range, bool single)
    {
        string text = Last(result);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            result.AddError($"{option} must be a number (with a decimal point), not \"{text}\"");
            return 0;
        }
        // A double beyond float's range becomes infinity as a float: check the value the command will see.
        double seen = single ? (float)value : value;
        return Checked(result, option, range, seen) ? seen : 0;
    }

    private static bool Checked(ArgumentResult result, string option, NumericRange range, double value)
    {
        if (range.Problem(option, value) is not { } problem)
            return true;
        result.AddError(problem);
        return false;
    }

    private static string Last(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
