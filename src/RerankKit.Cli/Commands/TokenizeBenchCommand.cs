using System.CommandLine;
using System.Text.Json;
using RerankKit.Inference.Benchmark;
using RerankKit.Tokenization;
using RerankKit.Tokenization.Json;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit bench tokenize</c>: tokens/s of the hand-written WordPiece tokenizer (vocab.txt) against the
/// tokenizer.json runtime on the same folder and the same documents, in one run.</summary>
internal static class TokenizeBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Folder with both vocab.txt and a WordPiece tokenizer.json", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "BEIR dataset folder; its corpus.jsonl (title + \" \" + text) is tokenized", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Tokenize only the first N documents" };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per document at most, special tokens included", DefaultValueFactory = _ => 512 };
        var iterations = new Option<int>("--iterations") { Description = "Timed passes over the documents per tokenizer, taking turns", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("tokenize", "Tokens/s of the hand-written WordPiece path and of the tokenizer.json runtime, side by side")
        {
            model, dataset, limit, maxLength, iterations, json,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(model)!;
            string tokenizerJson = Path.Combine(folder, "tokenizer.json");
            if (!File.Exists(Path.Combine(folder, "vocab.txt")) || !File.Exists(tokenizerJson))
                throw new CliException($"{folder} needs both vocab.txt and tokenizer.json to compare the two tokenizers");
            var config = TokenizerConfig.Load(folder);
            ITextTokenizer wordPiece = WordPieceTokenizer.FromFolder(folder);
            ITextTokenizer runtime = HuggingFaceTokenizer.FromFile(tokenizerJson, config.PadToken);
            var documents = BeirCorpusTexts.Load(parse.GetValue(dataset)!, parse.GetValue(limit));
            int max = parse.GetValue(maxLength);
            var bench = new TokenizerBenchmark(documents, max);
            // What a model loads: the fast path, with the file's pipeline for texts that may hold added tokens.
            var loaded = TokenizerFactory.FromFolder(folder);
            var runs = bench.Measure([("hand-written WordPiece (vocab.txt)", wordPiece), ("tokenizer.json runtime", runtime),
                ("as loaded (fast path + pipeline for added tokens)", loaded)], parse.GetValue(iterations));
            int differ = bench.Disagreements(wordPiece, runtime);
            int loadedDiffer = bench.Disagreements(loaded, runtime);
            double ratio = runs[1].TokensPerSecond / runs[0].TokensPerSecond;
            double loadedRatio = runs[2].TokensPerSecond / runs[0].TokensPerSecond;
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = folder,
                    documents = documents.Count,
                    tokens = runs[0].Tokens,
                    max_length = max,
                    wordpiece_tokens_per_second = runs[0].TokensPerSecond,
                    runtime_tokens_per_second = runs[1].TokensPerSecond,
                    loaded_tokens_per_second = runs[2].TokensPerSecond,
                    ratio,
                    loaded_ratio = loadedRatio,
                    documents_with_different_ids = differ,
                    loaded_documents_differing_from_runtime = loadedDiffer,
                }));
                return 0;
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            console.Profile.Width = Math.Max(console.Profile.Width, 120);
            console.WriteLine($"{folder}: {documents.Count} documents, {runs[0].Tokens} tokens (max length {max}); one thread; " +
                              "one warm-up pass each, then passes taking turns; median pass");
            var table = new Table().AddColumns("tokenizer", "tokens/s", "median pass s");
            foreach (var r in runs)
                table.AddRow(Markup.Escape(r.Name), r.TokensPerSecond.ToString("0"), (r.Tokens / r.TokensPerSecond).ToString("0.000"));
            console.Write(table);
            console.WriteLine($"tokenizer.json runtime / hand-written WordPiece: {ratio:0.00}x tokens/s; {differ} documents tokenized differently");
            console.WriteLine($"as loaded / hand-written WordPiece: {loadedRatio:0.00}x tokens/s; {loadedDiffer} documents differ from the runtime");
            return 0;
        });
        return command;
    }
}
