using System.CommandLine;
using System.Numerics.Tensors;
using System.Text.Json;
using RerankKit.Hub;
using RerankKit.Listwise;
using RerankKit.Models;
using RerankKit.Tokenization;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>score</c>, <c>rerank</c>, <c>embed</c> and <c>tokenize</c>: running a model from the command line.</summary>
internal static class ModelCommands
{
    public static IEnumerable<Command> All() => [Score(), Rerank(), Embed(), Tokenize()];

    private static Option<string?> ActivationOption() =>
        new("--activation") { Description = "identity (raw logits) or sigmoid; default: the model's activation_fn" };

    private static Option<string?> InstructionOption() =>
        new("--instruction") { Description = "An LLM reranker's task instruction (Qwen3-Reranker style); default: the model card's" };

    private static ScoreActivation? ActivationOf(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } a ? ActivationRule.Parse(a) : null;

    private static Command Score()
    {
        var common = new ModelOptions();
        var pairs = new Option<string>("--pairs") { Description = "JSON Lines file of {\"query\": ..., \"document\": ...}", Required = true };
        var activation = ActivationOption();
        var instruction = InstructionOption();
        var applySoftmax = new Option<bool>("--apply-softmax") { Description = "For a model with several labels (NLI): print probabilities instead of raw logits" };
        var command = new Command("score", "Score (query, document) pairs with a cross-encoder; prints {\"score\": x} per pair, in order " +
            "({\"scores\": {\"<label>\": x, ...}} for a model with several labels)");
        common.AddTo(command);
        command.Add(pairs);
        command.Add(activation);
        command.Add(instruction);
        command.Add(applySoftmax);
        command.SetAction(parse =>
        {
            string file = parse.GetValue(pairs)!;
            var input = JsonlInput.Read(file, "pairs")
                .Select(line => (JsonlInput.RequiredString(file, line, "query"), JsonlInput.RequiredString(file, line, "document")))
                .ToArray();
            var options = common.CrossEncoderOptions(parse, ActivationOf(parse, activation)) with { Instruction = parse.GetValue(instruction) };
            var predict = new PredictOptions { BatchSize = parse.GetValue(common.BatchSize), ApplySoftmax = parse.GetValue(applySoftmax) };
            string model = parse.GetValue(common.Model)!;
            using var encoder = ModelOptions.LoadCrossEncoder(model, options);
            if (encoder.Labels.Count == 1)
            {
                foreach (float score in encoder.Predict(input, predict))
                    CliJson.WriteLine(new { score });
                return 0;
            }
            foreach (float[] row in encoder.PredictLabels(input, predict))
                CliJson.WriteLine(new { scores = encoder.Labels.Select((label, j) => (label, j)).ToDictionary(x => x.label, x => row[x.j]) });
            return 0;
        });
        return command;
    }

    /// <summary>One reranked document; <see cref="Score"/> is the raw score of the reranker's kind, null where the
    /// kind left a document unscored (duoT5 beyond --duo-top-k).</summary>
    private sealed record RerankResult(int Index, float? Score, string Document, float? Cosine, JsonElement? Metadata);

    private static Command Rerank()
    {
        var common = new ModelOptions();
        var llm = new LlmOptions();
        var query = new Option<string>("--query", "-q") { Description = "The query", Required = true };
        var doc = new Option<string[]>("--doc") { Description = "A document (repeat for several)" };
        var docs = new Option<string?>("--docs") { Description = "JSON Lines file of {\"text\": ...}; other fields are kept as metadata" };
        var topK = new Option<int?>("--top-k", "-k") { Description = "Keep the best K" };
        var json = new Option<bool>("--json") { Description = "Print {\"kind\", \"results\": [{\"index\", \"score\", \"document\"}]} best first; score is the raw score of the kind (with --llm-endpoint also \"usage\")" };
        var activation = ActivationOption();
        var embedModel = new Option<string?>("--embed-model") { Description = "Also show each document's cosine to the query under this bi-encoder" };
        var longDocs = new Option<bool>("--long-docs") { Description = "Score documents longer than the window as the max over half-overlapping windows" };
        var instruction = InstructionOption();
        var kinds = new RerankerKindOptions();
        var command = new Command("rerank", "Rerank documents for a query, best first, with the reranker the model folder holds (cross-encoder incl. LLM rerankers, T5 (monoT5, RankT5, duoT5) or ColBERT) or with an LLM chat endpoint (--llm-endpoint)");
        common.AddTo(command);
        // An LLM reranker needs no model folder: --model or --llm-endpoint, checked below.
        common.Model.Required = false;
        foreach (Option o in new Option[] { query, doc, docs, topK, json, activation, embedModel, longDocs, instruction })
            command.Add(o);
        kinds.AddTo(command);
        llm.AddTo(command);
        command.SetAction(parse =>
        {
            string q = parse.GetValue(query)!;
            string? model = parse.GetValue(common.Model);
            bool byLlm = llm.IsChosen(parse);
            if (byLlm == (model is not null))
                throw new CliException(byLlm ? "give either --model or --llm-endpoint, not both" : "give --model M (a reranker folder or hub id) or --llm-endpoint URL --llm-model NAME");
            if (byLlm && (parse.GetValue(activation) is not null || parse.GetValue(longDocs) || parse.GetValue(instruction) is not null))
                throw new CliException("--activation, --long-docs and --instruction apply to model folders, not to --llm-endpoint");
            if (byLlm && (parse.GetResult(kinds.Scoring) is { Implicit: false } || parse.GetValue(kinds.DuoTopK) is not null))
                throw new CliException("--scoring and --duo-top-k apply to T5 rerankers, not to --llm-endpoint");
            var (texts, metadata) = ReadDocuments(parse.GetValue(doc) ?? [], parse.GetValue(docs));
            int? k = parse.GetValue(topK);
            int batchSize = parse.GetValue(common.BatchSize);
            var options = byLlm ? null : common.CrossEncoderOptions(parse, ActivationOf(parse, activation), parse.GetValue(longDocs) ? new LongDocumentOptions() : null)
                with { Instruction = parse.GetValue(instruction) };

            float[]? cosines = null;
            if (parse.GetValue(embedModel) is { } embedder)
            {
                using var bi = ModelOptions.LoadBiEncoder(embedder, common.BiEncoderOptions(parse) with { MaxLength = null, OnnxFile = null });
                var encodeOptions = new EncodeOptions { BatchSize = batchSize };
                float[] queryVector = bi.EncodeQuery([q], encodeOptions)[0];
                cosines = bi.EncodeDocument(texts, encodeOptions).Select(v => TensorPrimitives.CosineSimilarity(queryVector, v)).ToArray();
            }
            using var reranker = byLlm ? llm.Create(parse) : kinds.Load(parse, model!, RerankerOptionsOf(options!, batchSize));
            var ranked = reranker.RankAsync(q, texts, k).GetAwaiter().GetResult();
            var usage = (reranker as LlmReranker)?.TotalUsage;
            var results = ranked.Select(r => new RerankResult(r.Index, float.IsNaN(r.Score) ? null : r.Score, r.Document, cosines?[r.Index], metadata[r.Index])).ToList();
            if (parse.GetValue(json))
                CliJson.WriteLine(new { kind = reranker.ScoreKind, results, usage = usage is null ? null : LlmOptions.Json(usage) });
            else
            {
                PrintTable(results, cosines is not null);
                if (usage is not null)
                    Console.WriteLine(LlmOptions.Line(usage));
            }
            return 0;
        });
        return command;
    }

    /// <summary>The cross-encoder options of the shared flags, as options for any reranker kind.</summary>
    internal static RerankerOptions RerankerOptionsOf(CrossEncoderOptions o, int batchSize) => new()
    {
        BatchSize = batchSize, ActivationFn = o.ActivationFn, LongDocuments = o.LongDocuments, MaxLength = o.MaxLength,
        Engine = o.Engine, Device = o.Device, OnnxFile = o.OnnxFile, Threads = o.Threads, Instruction = o.Instruction,
    };

    private static (string[] Texts, JsonElement?[] Metadata) ReadDocuments(string[] inline, string? file)
    {
        if (inline.Length > 0 && file is not null)
            throw new CliException("give documents either with --doc or with --docs, not both");
        if (file is null)
        {
            if (inline.Length == 0)
                throw new CliException("no documents: give --doc TEXT (repeatable) or --docs FILE.jsonl");
            return (inline, new JsonElement?[inline.Length]);
        }
        var lines = JsonlInput.Read(file, "documents");
        var texts = lines.Select(l => JsonlInput.RequiredString(file, l, "text")).ToArray();
        var metadata = lines.Select(l =>
        {
            var others = l.Value.EnumerateObject().Where(p => p.Name != "text").ToDictionary(p => p.Name, p => p.Value);
            return others.Count > 0 ? JsonSerializer.SerializeToElement(others) : (JsonElement?)null;
        }).ToArray();
        return (texts, metadata);
    }

    private static void PrintTable(IReadOnlyList<RerankResult> results, bool withCosine)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var table = new Table().AddColumns("rank", "index", "score");
        if (withCosine)
            table.AddColumn("cosine");
        table.AddColumn("document");
        bool anyMetadata = results.Any(r => r.Metadata is not null);
        if (anyMetadata)
            table.AddColumn("metadata");
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var cells = new List<string> { (i + 1).ToString(), r.Index.ToString(), r.Score?.ToString("0.0000") ?? "-" };
            if (withCosine)
                cells.Add(r.Cosine?.ToString("0.0000") ?? "");
            cells.Add(Markup.Escape(Shorten(r.Document, 80)));
            if (anyMetadata)
                cells.Add(Markup.Escape(Shorten(r.Metadata?.GetRawText() ?? "", 40)));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    private static string Shorten(string text, int max)
    {
        string flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }

    private static Command Embed()
    {
        var common = new ModelOptions();
        var text = new Option<string[]>("--text", "-t") { Description = "A text (repeat for several)" };
        var input = new Option<string?>("--input") { Description = "JSON Lines file of {\"text\": ...}" };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Skip L2 normalization even if the model has a Normalize module" };
        var promptName = new Option<string?>("--prompt-name") { Description = "One of the model's prompts (config_sentence_transformers.json), e.g. query; default: its default_prompt_name, if any" };
        var prompt = new Option<string?>("--prompt") { Description = "A prompt text put before each text; wins over --prompt-name" };
        var truncateDim = new TruncateDimOption();
        var command = new Command("embed", "Embed texts with a bi-encoder; prints {\"embedding\": [...]} per text, in order");
        common.AddTo(command);
        foreach (Option o in new Option[] { text, input, noNormalize, promptName, prompt, truncateDim })
            command.Add(o);
        command.SetAction(parse =>
        {
            var texts = ReadTexts(parse.GetValue(text) ?? [], parse.GetValue(input));
            var options = common.BiEncoderOptions(parse, parse.GetValue(noNormalize) ? false : null);
            var encodeOptions = new EncodeOptions
            {
                BatchSize = parse.GetValue(common.BatchSize),
                PromptName = parse.GetValue(promptName),
                Prompt = parse.GetValue(prompt),
                TruncateDim = parse.GetValue(truncateDim),
            };
            using var encoder = ModelOptions.LoadBiEncoder(parse.GetValue(common.Model)!, options);
            foreach (var embedding in encoder.Encode(texts, encodeOptions))
                CliJson.WriteLine(new { embedding });
            return 0;
        });
        return command;
    }

    private static string[] ReadTexts(string[] inline, string? file)
    {
        if (inline.Length > 0 && file is not null)
            throw new CliException("give texts either with --text or with --input, not both");
        if (file is null)
            return inline.Length > 0 ? inline : throw new CliException("no texts: give --text TEXT (repeatable) or --input FILE.jsonl");
        return JsonlInput.Read(file, "texts").Select(l => JsonlInput.RequiredString(file, l, "text")).ToArray();
    }

    private static Command Tokenize()
    {
        var common = new ModelOptions();
        var text = new Option<string>("--text") { Description = "The (first) text", Required = true };
        var pair = new Option<string?>("--pair") { Description = "A second text, encoded as a pair" };
        var command = new Command("tokenize", "Show the tokens and ids a model is fed; prints {\"tokens\", \"input_ids\", \"token_type_ids\"}");
        common.AddTo(command, engineOptions: false);
        command.Add(text);
        command.Add(pair);
        command.SetAction(parse =>
        {
            string model = parse.GetValue(common.Model)!;
            string folderPath = ModelOptions.Load(model, hub => ModelLocator.Resolve(model, ModelFiles.ForTokenizer(), hub));
            var (tokenizer, maxLength) = TokenizerOf(folderPath, parse.GetValue(common.MaxLength));
            var encoded = parse.GetValue(pair) is { } second
                ? tokenizer.EncodePair(parse.GetValue(text)!, second, maxLength)
                : tokenizer.Encode(parse.GetValue(text)!, maxLength);
            CliJson.WriteLine(new { tokens = encoded.Tokens, input_ids = encoded.InputIds, token_type_ids = encoded.TokenTypeIds });
            return 0;
        });
        return command;
    }

    /// <summary>A model folder's tokenizer as the model is fed (an LLM reranker's pairs inside its prompt), or, for a
    /// folder of tokenizer files only, the tokenizer alone with <c>model_max_length</c> (else 512).</summary>
    private static (ITextTokenizer Tokenizer, int MaxLength) TokenizerOf(string path, int? maxLength)
    {
        if (!File.Exists(Path.Combine(path, "config.json")))
        {
            if (maxLength is < 1)
                throw new CliException($"--max-length must be at least 1, not {maxLength}");
            return (TokenizerFactory.FromFolder(path), maxLength ?? TokenizerConfig.Load(path).ModelMaxLength ?? 512);
        }
        var folder = ModelFolder.Open(path, maxLength);
        var tokenizer = TokenizerFactory.FromFolder(folder.Path);
        return folder.ScoreRule == ScoreRule.YesNoLastToken
            ? (new RerankerPromptTokenizer(tokenizer, RerankerPromptTemplate.Qwen3), folder.MaxLength)
            : (tokenizer, folder.MaxLength);
    }
}
