using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using RerankKit.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RerankKit.Tests.Serving;

/// <summary>Scale-out with real parts: two <c>rerankkit serve</c> replicas sharing a redis-server score cache behind
/// Debian's nginx. One replica is killed with SIGKILL while clients keep sending, and restarted on its port.</summary>
public sealed class ReplicasBehindNginxTests(RedisProcess redis, ITestOutputHelper output) : IClassFixture<RedisProcess>, IAsyncLifetime
{
    private const int Clients = 8;
    private const int MaxRequestsPerClient = 1500;
    // Paced so that the load stays bounded and leaves CPU for the replica that restarts meanwhile.
    private static readonly TimeSpan PauseBetweenRequests = TimeSpan.FromMilliseconds(20);
    private const int RequestsBeforeKill = 60;
    private const int RequestsForRestartedReplica = 100;
    private const int DocumentsPerRequest = 4;

    private static readonly string[] Queries = ["what causes rust on iron", "how do vaccines train immunity", "why is the sky blue"];

    // 16 documents in 4 blocks of 4: with 3 queries, 48 distinct pairs that every client cycles through.
    private static readonly string[] Documents =
    [
        "Iron oxidizes when water and oxygen reach its surface.", "Salt water speeds up corrosion of steel.",
        "Galvanized steel carries a zinc coating.", "Rust is hydrated iron oxide.",
        "Vaccines expose the immune system to an antigen.", "Memory B cells remember a pathogen.",
        "Adjuvants strengthen the immune response.", "mRNA vaccines make cells produce a spike protein.",
        "Rayleigh scattering favours short wavelengths.", "Sunsets look red because light crosses more air.",
        "The ocean reflects the colour of the sky.", "Nitrogen and oxygen molecules scatter sunlight.",
        "A recipe for lemon cake with poppy seeds.", "The train leaves the station at noon.",
        "Cats sleep for most of the day.", "Chess openings reward control of the centre.",
    ];

    private readonly ServeReplica?[] _replicas = new ServeReplica?[2];
    private NginxBalancer? _nginx;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_replica_killed_mid_load_costs_no_request_and_the_shared_cache_answers_repeats_across_replicas()
    {
        string model = SharedData.Fixture("tiny-bert-reranker");
        int[] ports = [LoopbackPort.Free(), LoopbackPort.Free()];
        var started = await Task.WhenAll(ports.Select(p => ServeReplica.StartAsync(model, p, redis.Endpoint)));
        started.CopyTo(_replicas, 0);
        _nginx = await NginxBalancer.StartAsync(ports);
        string killedUpstream = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ports[0]}");
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var client = new HttpClient { BaseAddress = _nginx.Address, Timeout = TimeSpan.FromSeconds(30) };

        var load = new LoadState();
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(() => RunClientAsync(client, i, killedUpstream, load))).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        CacheCounts killedBefore, survivorBefore;
        int completedAtKill, completedAtRestart, pairsAtKill;
        try
        {
            await WaitUntilAsync(() => load.Completed >= RequestsBeforeKill, clients, deadline);
            killedBefore = await _replicas[0]!.CacheCountsAsync(direct);
            survivorBefore = await _replicas[1]!.CacheCountsAsync(direct);
            _replicas[0]!.KillHard();
            completedAtKill = load.Completed;
            pairsAtKill = load.Pairs.Count;
            _replicas[0] = await ServeReplica.StartAsync(model, ports[0], redis.Endpoint);
            completedAtRestart = load.Completed;
            load.Restarted = true;
            await WaitUntilAsync(() => load.ServedByRestarted >= RequestsForRestartedReplica, clients, deadline);
        }
        finally
        {
            load.Stop = true;
            await Task.WhenAll(clients);
        }

        var restartedAfter = await _replicas[0]!.CacheCountsAsync(direct);
        var survivorAfter = await _replicas[1]!.CacheCountsAsync(direct);
        long redisKeys;
        using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint))
            redisKeys = await connection.GetServer(redis.Endpoint).DatabaseSizeAsync();
        var beforeKill = killedBefore + survivorBefore;
        var afterRestart = restartedAfter + (survivorAfter - survivorBefore);

        output.WriteLine($"requests {load.Completed} ({load.Failures.Count} failed), {load.Retried} retried by nginx on the other replica; " +
            $"{completedAtKill} done at the kill, {completedAtRestart} when the restarted replica was serving, {load.ServedByRestarted} served by it");
        output.WriteLine($"before the kill: killed replica {killedBefore}; survivor {survivorBefore}; both {beforeKill}");
        output.WriteLine($"after the restart: restarted replica {restartedAfter}; survivor since the kill {survivorAfter - survivorBefore}; both {afterRestart}");
        output.WriteLine($"survivor over the whole run {survivorAfter}; {load.Pairs.Count} distinct pairs ({pairsAtKill} answered before the kill), {redisKeys} keys in Redis");

        Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} of {load.Completed} requests failed, e.g. {string.Join(" | ", load.Failures.Take(3))}");
        Assert.True(load.ServedByRestarted >= RequestsForRestartedReplica,
            $"the restarted replica served {load.ServedByRestarted} requests before the load ended ({load.Completed} requests)");
        // The first request nginx sent to the killed replica failed there and was answered by the other one.
        Assert.True(load.Retried > 0, "nginx never retried a request on the other replica, so the kill went unnoticed");
        Assert.Empty(load.Disagreements);
        // One key per distinct pair: both replicas wrote and read the same entries.
        Assert.Equal(load.Pairs.Count, redisKeys);
        // Every pair had been scored, by one replica or the other, before the restarted replica started with an
        // empty process and no in-process cache: Redis answers all its lookups, so it scores nothing itself.
        Assert.Equal(Queries.Length * Documents.Length, pairsAtKill);
        Assert.True(restartedAfter.Hits > 0 && restartedAfter.Misses == 0, $"the restarted replica scored pairs itself: {restartedAfter}");
        Assert.True(restartedAfter.HitRatio > beforeKill.HitRatio, $"hit ratio did not rise: {beforeKill} before the kill, restarted replica {restartedAfter}");
        Assert.True(afterRestart.HitRatio > beforeKill.HitRatio, $"hit ratio did not rise: {beforeKill} before the kill, {afterRestart} after the restart");
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
            await _nginx.DisposeAsync();
        foreach (var replica in _replicas)
        {
            if (replica is not null)
                await replica.DisposeAsync();
        }
    }

    private static async Task RunClientAsync(HttpClient client, int clientIndex, string killedUpstream, LoadState load)
    {
        for (int j = 0; j < MaxRequestsPerClient && !load.Stop; j++)
        {
            // (client + request) walks the 12 (query, block of 4 documents) combinations, so every client repeats
            // every pair and the clients interleave differently.
            int step = clientIndex + j;
            string query = Queries[step % Queries.Length];
            string[] texts = Documents.Skip(step / Queries.Length % (Documents.Length / DocumentsPerRequest) * DocumentsPerRequest).Take(DocumentsPerRequest).ToArray();
            bool afterRestart = load.Restarted;
            try
            {
                using var response = await client.PostAsJsonAsync("/rerank", new { query, texts, raw_scores = true });
                string upstream = response.Headers.TryGetValues(NginxBalancer.UpstreamHeader, out var values) ? string.Join(",", values) : "";
                if (!response.IsSuccessStatusCode)
                {
                    string body = string.Join(' ', (await response.Content.ReadAsStringAsync()).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    load.Failures.Enqueue($"{(int)response.StatusCode} from '{upstream}': {body[..Math.Min(body.Length, 160)]}");
                    continue;
                }
                var results = (await TestServer.JsonAsync(response)).AsArray();
                if (results.Count != texts.Length)
                {
                    load.Failures.Enqueue($"{results.Count} results for {texts.Length} documents from {upstream}");
                    continue;
                }
                foreach (var result in results)
                {
                    var pair = (query, texts[(int)result!["index"]!]);
                    float score = (float)result["score"]!;
                    float first = load.Pairs.GetOrAdd(pair, score);
                    if (Math.Abs(first - score) > 1e-4f)
                        load.Disagreements.Enqueue($"{pair}: {first} and {score}");
                }
                if (upstream.Contains(',', StringComparison.Ordinal))
                    Interlocked.Increment(ref load.Retried);
                if (afterRestart && upstream.EndsWith(killedUpstream, StringComparison.Ordinal))
                    Interlocked.Increment(ref load.ServedByRestarted);
            }
            catch (HttpRequestException e)
            {
                load.Failures.Enqueue(e.Message);
            }
            catch (TaskCanceledException e)
            {
                load.Failures.Enqueue($"no answer within the client's timeout: {e.Message}");
            }
            finally
            {
                Interlocked.Increment(ref load.Completed);
                await Task.Delay(PauseBetweenRequests);
            }
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, every client has run out of requests, or the
    /// deadline passes; the assertions after it say which.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task[] clients, DateTime deadline)
    {
        while (!condition() && !clients.All(c => c.IsCompleted) && DateTime.UtcNow < deadline)
            await Task.Delay(10);
    }

    private sealed class LoadState
    {
        public int Completed;
        public int Retried;
        public int ServedByRestarted;
        public volatile bool Restarted;
        public volatile bool Stop;

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentQueue<string> Disagreements { get; } = new();

        public ConcurrentDictionary<(string Query, string Document), float> Pairs { get; } = new();
    }
}
