using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RerankKit.Documents;
using RerankKit.Retrieval;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>index</c> (documents to a search index folder) and <c>search</c> (two-stage retrieval over it).</summary>
internal static class RetrievalCommands
{
    public static IEnumerable<Command> All() => [Index(), Search()];

    internal static FirstStageKind ParseFirstStage(string value) => value.ToLowerInvariant() switch
    {
        "bm25" => FirstStageKind.Bm25,
        "dense" => FirstStageKind.Dense,
        "hybrid" => FirstStageKind.Hybrid,
        "colbert" => FirstStageKind.ColBert,
        _ => throw new CliException($"--first-stage must be bm25, dense, hybrid or colbert, not \"{value}\""),
    };

    /// <summary>The first stage over an index: ColBERT needs its model (the one named in the manifest unless
    /// <paramref name="colbertModel"/> says otherwise), the others the bi-encoder.</summary>
    internal static IFirstStageRetriever CreateRetriever(SearchIndex index, FirstStageKind kind, IBiEncoder? encoder, LateInteraction.ColBert? colbert) =>
        kind == FirstStageKind.ColBert
            ? index.CreateColBertRetriever(colbert ?? throw new CliException("--first-stage colbert needs --colbert-model"))
            : index.CreateRetriever(kind, encoder);

    internal static LateInteraction.ColBert LoadColBert(string model) =>
        ModelOptions.Load(model, hub => LateInteraction.ColBert.LoadAsync(model, new LateInteraction.ColBertOptions { Hub = hub }).GetAwaiter().GetResult());


    private static Command Index()
    {
        var corpus = new Option<string>("--corpus") { Description = "Folder of .md/.txt files, a JSONL file of {\"id\",\"text\"}, or a BEIR folder/corpus.jsonl", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Index folder to write", Required = true }.OutputFolder();
        var embedModel = new Option<string?>("--embed-model") { Description = "Bi-encoder (folder or hub id) for dense and hybrid search" };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Characters per chunk", DefaultValueFactory = _ => RecursiveCharacterSplitter.DefaultChunkSize };
        var chunkOverlap = new Option<int>("--chunk-overlap") { Description = "Characters shared by neighbouring chunks", DefaultValueFactory = _ => RecursiveCharacterSplitter.DefaultChunkOverlap };
        var noChunking = new Option<bool>("--no-chunking") { Description = "Index whole documents" };
        var int8 = new Option<bool>("--int8") { Description = "Also store int8 vectors for a faster dense shortlist" };
        var k1 = new Option<float>("--k1") { Description = "BM25 k1", DefaultValueFactory = _ => 0.9f };
        var b = new Option<float>("--b") { Description = "BM25 b", DefaultValueFactory = _ => 0.4f };
        var truncateDim = new TruncateDimOption();
        var onnxFiles = new OnnxFileOptions("--int8-model", "--embed-model");
        var colbertModel = new Option<string?>("--colbert-model") { Description = "PyLate ColBERT (folder or hub id): also store every chunk's token vectors for --first-stage colbert" };
        var command = new Command("index", "Chunk documents and build a BM25 (and optionally dense and ColBERT) index folder");
        foreach (Option o in new Option[] { corpus, output, embedModel, chunkSize, chunkOverlap, noChunking, int8, k1, b, truncateDim, colbertModel })
            command.Add(o);
        onnxFiles.AddTo(command);
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var documents = DocumentLoader.Load(parse.GetValue(corpus)!);
            bool chunk = !parse.GetValue(noChunking);
            int size = parse.GetValue(chunkSize);
            int overlap = parse.GetValue(chunkOverlap);
            var chunks = chunk ? new RecursiveCharacterSplitter(size, overlap).Split(documents) : documents;
            var options = new SearchIndexOptions
            {
                Bm25 = new Bm25Options { K1 = parse.GetValue(k1), B = parse.GetValue(b) },
                Int8 = parse.GetValue(int8),
                ChunkSize = chunk ? size : null,
                ChunkOverlap = chunk ? overlap : null,
                EncodeOptions = new EncodeOptions { TruncateDim = parse.GetValue(truncateDim) },
            };
            using var encoder = parse.GetValue(embedModel) is { } m ? RetrievalModels.LoadBiEncoder(m, onnxFiles.For(parse, m)) : null;
            using var colbert = parse.GetValue(colbertModel) is { } cm ? LoadColBert(cm) : null;
            options = options with { ColBert = colbert };
            if (options.Int8 && encoder is null)
                throw new CliException("--int8 quantizes dense vectors; give --embed-model too");
            if (options.EncodeOptions.TruncateDim is not null && encoder is null)
                throw new CliException("--truncate-dim shortens dense vectors; give --embed-model too");
            using var index = RetrievalModels.WithProgress(true, progress => SearchIndex.Build(chunks, encoder, options, progress));
            string folder = parse.GetValue(output)!;
            index.Save(folder);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Indexed {documents.Count} documents as {chunks.Count} chunks ({index.Bm25.TermCount} terms{(index.Vectors is { } v ? $", {v.Dimension}-d vectors from {encoder!.ModelName}" : "")}{(index.TokenVectors is { } t ? $", {t.TokenCount} ColBERT token vectors" : "")}) into {folder} in {clock.Elapsed.TotalSeconds:F2} s"));
            return 0;
        });
        return command;
    }

    private static Command Search()
    {
        var indexDir = new Option<string>("--index") { Description = "Index folder written by `rerankkit index`", Required = true };
        var query = new Option<string>("--query", "-q") { Description = "The query", Required = true };
        var firstStage = new Option<string>("--first-stage") { Description = "bm25, dense, hybrid or colbert", DefaultValueFactory = _ => "bm25" };
        var rerankModel = new Option<string?>("--rerank-model") { Description = "Reranker (folder or hub id): cross-encoder, T5 (see --scoring) or ColBERT; without it only the first stage runs" };
        var embedModel = new Option<string?>("--embed-model") { Description = "Bi-encoder for dense/hybrid (default: the one the index was built with)" };
        var firstK = new Option<int>("--first-k") { Description = "Candidates from the first stage", DefaultValueFactory = _ => 50 };
        var topK = new Option<int>("--top-k", "-k") { Description = "Results to show", DefaultValueFactory = _ => 5 };
        var threshold = new Option<float?>("--threshold") { Description = "Drop results whose calibrated score is below this (0-1)" };
        var boost = new Option<string[]>("--boost") { Description = "Domain keyword that adds --boost-weight per match (repeatable)" };
        var boostWeight = new Option<float>("--boost-weight") { Description = "Score added per matched domain keyword", DefaultValueFactory = _ => 0.1f };
        var speed = new Option<int?>("--speed") { Description = "Speed mode: rerank only the N candidates with the highest query word overlap (Jaccard)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var llm = new LlmOptions();
        var command = new Command("search", "Two-stage search: first stage, then cross-encoder (or --llm-endpoint LLM) reranking; shows both ranks and the change");
        var colbertModel = new Option<string?>("--colbert-model") { Description = "ColBERT for --first-stage colbert (default: the model the index was built with)" };
        foreach (Option o in new Option[] { indexDir, query, firstStage, rerankModel, embedModel, firstK, topK, threshold, boost, boostWeight, speed, json, colbertModel })
            command.Add(o);
        var kinds = new RerankerKindOptions();
        kinds.AddTo(command);
        llm.AddTo(command);
        var onnxFiles = new OnnxFileOptions(models: "every model (--embed-model, --rerank-model)");
        onnxFiles.AddTo(command);
        command.SetAction(parse =>
        {
            var kind = ParseFirstStage(parse.GetValue(firstStage)!);
            int k = parse.GetValue(topK);
            int first = parse.GetValue(firstK);
            if (first < k)
                throw new CliException($"--first-k ({first}) must be at least --top-k ({k})");
            if (llm.IsChosen(parse) && parse.GetValue(rerankModel) is not null)
                throw new CliException("give either --rerank-model or --llm-endpoint, not both");
            using var index = SearchIndex.Load(parse.GetValue(indexDir)!);
            bool dense = kind is FirstStageKind.Dense or FirstStageKind.Hybrid;
            string? embedName = parse.GetValue(embedModel) ?? (dense ? index.Manifest.EmbedModel : null);
            if (dense && embedName is null)
                throw new CliException($"the index has no vectors, so --first-stage {kind.ToString().ToLowerInvariant()} is unavailable; rebuild it with --embed-model");
            string? colbertName = kind == FirstStageKind.ColBert
                ? parse.GetValue(colbertModel) ?? index.Manifest.ColBertModel ?? throw new CliException("the index has no ColBERT token vectors; rebuild it with --colbert-model")
                : null;
            using var encoder = embedName is null ? null : RetrievalModels.LoadBiEncoder(embedName, onnxFiles.For(parse, embedName));
            using var colbert = colbertName is null ? null : LoadColBert(colbertName);
            var retriever = CreateRetriever(index, kind, encoder, colbert);
            string q = parse.GetValue(query)!;
            using var llmReranker = llm.IsChosen(parse) ? llm.Create(parse) : null;
            using var reranker = parse.GetValue(rerankModel) is { } rm ? kinds.LoadForPipeline(parse, rm, new RerankerOptions { OnnxFile = onnxFiles.For(parse, rm) })
                : llmReranker is not null ? new RerankerCrossEncoder(llmReranker) : null;
            var options = new TwoStageOptions
            {
                ScoreThreshold = parse.GetValue(threshold),
                DomainBoost = parse.GetValue(boost) is { Length: > 0 } words ? new DomainBoost(words, parse.GetValue(boostWeight)) : null,
                Prefilter = parse.GetValue(speed) is { } keep ? new JaccardPrefilter(keep) : null,
            };
            if (reranker is null && (options.ScoreThreshold is not null || options.DomainBoost is not null || options.Prefilter is not null))
                throw new CliException("--threshold, --boost and --speed act on reranking; give --rerank-model too");
            var twoStage = new TwoStageRetriever(retriever, index.Documents, reranker, options);
            var result = reranker is null ? twoStage.SearchWithoutReranking(q, k) : twoStage.Search(q, k, first);
            if (parse.GetValue(json))
            {
                var output = ToJson(q, retriever.Name, result);
                if (llmReranker is not null)
                    output["usage"] = JsonSerializer.SerializeToNode(LlmOptions.Json(llmReranker.TotalUsage), CliJson.Options);
                Console.Out.WriteLine(output.ToJsonString(JsonOptions));
            }
            else
            {
                PrintTable(q, retriever.Name, result);
                if (llmReranker is not null)
                    Console.Out.WriteLine(LlmOptions.Line(llmReranker.TotalUsage));
            }
            return 0;
        });
        return command;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject ToJson(string query, string firstStage, TwoStageResult result) => new()
    {
        ["query"] = query,
        ["first_stage"] = firstStage,
        ["reranker"] = result.Reranker,
        ["stage1_ms"] = result.Stage1Milliseconds,
        ["stage2_ms"] = result.Stage2Milliseconds,
        ["candidates"] = result.Candidates.Count,
        ["reranked"] = result.CandidatesReranked,
        ["results"] = new JsonArray(result.Select(h => (JsonNode)new JsonObject
        {
            ["rank"] = h.Rank,
            ["id"] = h.Document.Id,
            ["source"] = h.Document.Source,
            ["chunk"] = h.Document.ChunkIndex,
            ["start"] = h.Document.StartOffset,
            ["end"] = h.Document.EndOffset,
            ["rerank_score"] = h.RerankScore,
            ["logit"] = h.Logit,
            ["calibrated_score"] = h.CalibratedScore,
            ["confidence"] = h.Confidence?.ToString().ToLowerInvariant(),
            ["boost"] = h.Boost,
            ["first_stage_score"] = h.FirstStageScore,
            ["first_stage_rank"] = h.FirstStageRank,
            ["rank_change"] = h.RankChange,
            ["text"] = h.Document.Text,
        }).ToArray()),
    };

    private static void PrintTable(string query, string firstStage, TwoStageResult result)
    {
        var console = WideConsole();
        bool reranked = result.Reranker is not null;
        var table = new Table().Title(Markup.Escape($"\"{query}\""));
        table.AddColumns("rank", $"{firstStage} rank", "change");
        if (reranked)
            table.AddColumns("calibrated", "confidence");
        table.AddColumns($"{firstStage} score", "source", "text");
        foreach (var hit in result)
        {
            var cells = new List<string> { hit.Rank.ToString(CultureInfo.InvariantCulture), hit.FirstStageRank.ToString(CultureInfo.InvariantCulture), Change(hit.RankChange) };
            if (reranked)
                cells.AddRange([F(hit.CalibratedScore!.Value), hit.Confidence!.Value.ToString().ToLowerInvariant()]);
            string source = hit.Document.Source is { } s ? (hit.Document.ChunkIndex is { } chunk ? $"{s} #{chunk}" : s) : hit.Document.Id;
            cells.AddRange([F(hit.FirstStageScore), source, Snippet(hit.Document.Text)]);
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(reranked
            ? string.Create(c, $"stage 1 ({firstStage}, {result.Candidates.Count} candidates): {result.Stage1Milliseconds:F1} ms; stage 2 ({result.Reranker}, {result.CandidatesReranked} pairs): {result.Stage2Milliseconds:F1} ms")
            : string.Create(c, $"stage 1 ({firstStage}): {result.Stage1Milliseconds:F1} ms; no reranking (give --rerank-model)"));
    }

    /// <summary>Stdout as Spectre.Console sees it; redirected output gets 140 columns instead of 80 so the score
    /// columns do not wrap in logs and pipes.</summary>
    internal static IAnsiConsole WideConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
            console.Profile.Width = 140;
        return console;
    }

    private static string Change(int change) => change > 0 ? $"↑{change}" : change < 0 ? $"↓{-change}" : "=";

    private static string F(float value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Snippet(string text)
    {
        string flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 80 ? flat : flat[..77] + "...";
    }
}
