using System.CommandLine;
using Microsoft.Extensions.Logging;
using RerankKit.Batching;
using RerankKit.Serving;

namespace RerankKit.Cli.Commands;

/// <summary><c>serve</c>: the HTTP service (TEI, Cohere/Jina and OpenAI APIs) until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommands
{
    public static Command Serve()
    {
        var common = new ModelOptions();
        var embedModel = new Option<string?>("--embed-model") { Description = "Bi-encoder for /embed and /v1/embeddings" };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: a free one)", DefaultValueFactory = _ => 8080 };
        var redis = new Option<string?>("--redis") { Description = "host:port of a Redis shared by replicas as a score cache" };
        var noBatching = new Option<bool>("--no-batching") { Description = "Score each request on its own (no merging across requests)" };
        var maxBatchTokens = new Option<int>("--max-batch-tokens") { Description = "Tokens in one merged batch at most", DefaultValueFactory = _ => new BatcherOptions().MaxBatchTokens };
        var maxWait = new Option<double>("--max-wait-ms") { Description = "How long an idle batcher waits for more requests", DefaultValueFactory = _ => new BatcherOptions().MaxWait.TotalMilliseconds };
        var maxQueue = new Option<int>("--max-queued-pairs") { Description = "Pairs waiting at most before 503", DefaultValueFactory = _ => new BatcherOptions().MaxQueuedPairs };
        var cacheSize = new Option<int>("--cache-size") { Description = "Scores kept in the in-process LRU cache (0: off)", DefaultValueFactory = _ => new RerankServerOptions().ScoreCacheCapacity };
        var maxDocuments = new Option<int>("--max-documents") { Description = "Documents per request at most", DefaultValueFactory = _ => new RerankServerOptions().MaxDocumentsPerRequest };
        var maxChars = new Option<int>("--max-document-chars") { Description = "Characters per document at most", DefaultValueFactory = _ => new RerankServerOptions().MaxDocumentChars };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Request body size at most", DefaultValueFactory = _ => new RerankServerOptions().MaxRequestBodyBytes };
        var command = new Command("serve", "Serve a reranker (and an embedder) over HTTP: POST /rerank, /v1/rerank, /embed, /v1/embeddings, /tokenize; GET /health, /info, /metrics");
        common.AddTo(command);
        foreach (Option o in new Option[] { embedModel, host, port, redis, noBatching, maxBatchTokens, maxWait, maxQueue, cacheSize, maxDocuments, maxChars, maxBody })
            command.Add(o);
        var kinds = new RerankerKindOptions();
        kinds.AddTo(command);
        var llm = new LlmOptions();
        llm.AddTo(command);
        // An LLM reranker needs no model folder: --model or --llm-endpoint, checked below.
        common.Model.Required = false;
        command.SetAction(parse =>
        {
            string? model = parse.GetValue(common.Model);
            if (llm.IsChosen(parse) == (model is not null))
                throw new CliException(model is null ? "give --model M (a reranker folder or hub id) or --llm-endpoint URL --llm-model NAME" : "give either --model or --llm-endpoint, not both");
            // LLM scores depend on the other documents of the request, so a shared score cache would answer wrongly.
            if (llm.IsChosen(parse) && parse.GetValue(redis) is not null)
                throw new CliException("--redis shares a score cache, which an LLM's listwise scores cannot use; leave it out with --llm-endpoint");
            using var reranker = llm.IsChosen(parse) ? new RerankerCrossEncoder(llm.Create(parse)) : kinds.LoadForPipeline(parse, model!,
                ModelCommands.RerankerOptionsOf(common.CrossEncoderOptions(parse), parse.GetValue(common.BatchSize)));
            // T5 and ColBERT rank each request's documents as one list (duoT5's scores depend on the whole list), so
            // their requests are neither merged across requests nor answered from a score cache.
            bool pairwise = reranker is CrossEncoder;
            using var embedder = parse.GetValue(embedModel) is { } e ? ModelOptions.LoadBiEncoder(e, common.BiEncoderOptions(parse, model: e)) : null;
            var options = new RerankServerOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Redis = parse.GetValue(redis),
                ScoreCacheCapacity = pairwise ? parse.GetValue(cacheSize) : 0,
                MaxDocumentsPerRequest = parse.GetValue(maxDocuments),
                MaxDocumentChars = parse.GetValue(maxChars),
                MaxRequestBodyBytes = parse.GetValue(maxBody),
                Batching = new BatcherOptions
                {
                    CrossRequestBatching = pairwise && !parse.GetValue(noBatching),
                    // A list reranker must see a request's documents in one batch, or each part would be ranked on its own.
                    MaxBatchTokens = pairwise ? parse.GetValue(maxBatchTokens) : int.MaxValue,
                    KeepRequestOrder = !pairwise,
                    MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(maxWait)),
                    MaxQueuedPairs = parse.GetValue(maxQueue),
                    BatchSize = parse.GetValue(common.BatchSize),
                    MaxLength = (reranker as CrossEncoder)?.MaxLength ?? Seq2Seq.Seq2SeqReranker.DefaultMaxLength,
                },
                ConfigureLogging = logging => logging
                    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                    .AddSimpleConsole(o => o.SingleLine = true)
                    .AddFilter("Microsoft", LogLevel.Warning)
                    // A host that fails to start is reported as one line by the command, not as a logged stack.
                    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
                    .SetMinimumLevel(LogLevel.Information),
            };
            var models = new ServedModels(reranker, embedder);
            var server = RerankServer.StartAsync(models, options).GetAwaiter().GetResult();
            Console.Error.WriteLine($"Serving {reranker.ModelName}{(embedder is null ? "" : $" and {embedder.ModelName}")} on {server.Address} " +
                $"(cross-request batching {(options.Batching.CrossRequestBatching ? "on" : "off")}); Ctrl+C stops after requests in flight.");
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        });
        return command;
    }
}
