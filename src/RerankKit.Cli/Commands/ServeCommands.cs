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
        command.SetAction(parse =>
        {
            using var reranker = ModelOptions.LoadCrossEncoder(parse.GetValue(common.Model)!, common.CrossEncoderOptions(parse));
            using var embedder = parse.GetValue(embedModel) is { } e ? ModelOptions.LoadBiEncoder(e, common.BiEncoderOptions(parse, model: e)) : null;
            var options = new RerankServerOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Redis = parse.GetValue(redis),
                ScoreCacheCapacity = parse.GetValue(cacheSize),
                MaxDocumentsPerRequest = parse.GetValue(maxDocuments),
                MaxDocumentChars = parse.GetValue(maxChars),
                MaxRequestBodyBytes = parse.GetValue(maxBody),
                Batching = new BatcherOptions
                {
                    CrossRequestBatching = !parse.GetValue(noBatching),
                    MaxBatchTokens = parse.GetValue(maxBatchTokens),
                    MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(maxWait)),
                    MaxQueuedPairs = parse.GetValue(maxQueue),
                    BatchSize = parse.GetValue(common.BatchSize),
                    MaxLength = reranker.MaxLength,
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
