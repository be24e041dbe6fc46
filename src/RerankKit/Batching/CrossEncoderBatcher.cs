using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RerankKit.Caching;

namespace RerankKit.Batching;

/// <summary>Scores (query, document) pairs for many concurrent callers with one model: requests that arrive
/// together are merged into batches bounded by <see cref="BatcherOptions.MaxBatchTokens"/>, identical pairs are
/// scored once whether they repeat within a request or across requests in flight, and an optional
/// <see cref="IScoreCache"/> answers pairs seen before. Scores are raw logits (activation Identity).</summary>
/// <remarks>A caller whose token is cancelled stops waiting at once; its pairs are dropped from the queue, and a
/// running batch whose every pair lost all its callers is cancelled. <see cref="DisposeAsync"/> refuses new
/// requests and finishes the queued ones.</remarks>
public sealed class CrossEncoderBatcher : IAsyncDisposable
{
    private static readonly TimeSpan MinimumRetryAfter = TimeSpan.FromSeconds(1);

    private readonly ICrossEncoder _encoder;
    private readonly IScoreCache? _cache;
    private readonly IBatcherObserver? _observer;
    private readonly ILogger _logger;
    private readonly string _modelKey;
    private readonly Func<string, string, int> _countTokens;
    private readonly Lock _gate = new();
    private readonly Queue<PairJob> _queue = new();
    private readonly Dictionary<(string, string), PairJob> _inFlight = new();
    private readonly SemaphoreSlim _wakeUp = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private readonly HashSet<Task> _cacheWrites = [];
    private int _queuedPairs;
    private long _lastRequestId;
    private double _secondsPerPair;
    private bool _disposed;

    public CrossEncoderBatcher(ICrossEncoder encoder, BatcherOptions? options = null, IScoreCache? cache = null,
        IBatcherObserver? observer = null, ILogger? logger = null)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Options = options ?? new BatcherOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxBatchTokens, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxQueuedPairs, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxPendingCacheWrites, nameof(options));
        if (Options.RequestTimeout <= TimeSpan.Zero && Options.RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), Options.RequestTimeout, "RequestTimeout must be positive or infinite.");
        if (Options.CacheReadTimeout < TimeSpan.Zero && Options.CacheReadTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), Options.CacheReadTimeout, "CacheReadTimeout must not be negative.");
        _cache = cache;
        _observer = observer;
        _logger = logger ?? NullLogger.Instance;
        _modelKey = Options.ModelKey ?? encoder.CacheIdentity;
        int maxLength = Options.MaxLength;
        _countTokens = Options.CountTokens ?? ((q, d) => Math.Min(maxLength, (q.Length + d.Length + 3) / 4 + 3));
        _worker = Task.Run(RunAsync);
    }

    public BatcherOptions Options { get; }

    /// <summary>Pairs waiting for a batch now.</summary>
    public int QueuedPairs => Volatile.Read(ref _queuedPairs);

    /// <summary>Raw scores of <paramref name="pairs"/> in input order.</summary>
    /// <exception cref="BatcherOverloadedException">The queue is full.</exception>
    /// <exception cref="BatcherTimeoutException">The pairs were not scored within <see cref="BatcherOptions.RequestTimeout"/>.</exception>
    public async Task<float[]> ScoreAsync(IReadOnlyList<(string Query, string Document)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var logits = new float[pairs.Count];
        if (pairs.Count == 0)
            return logits;

        var distinct = new Dictionary<(string, string), List<int>>();
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!distinct.TryGetValue(pairs[i], out var positions))
                distinct[pairs[i]] = positions = new List<int>(1);
            positions.Add(i);
        }
        var entries = distinct.ToArray();
        var keys = _cache is null ? null : entries.Select(e => ScoreKey.For(_modelKey, e.Key.Item1, e.Key.Item2)).ToArray();
        var answered = new bool[entries.Length];
        int cacheHits = 0;
        if (_cache is not null)
        {
            var cached = await LookUpAsync(keys!, cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < entries.Length; j++)
            {
                if (cached[j] is not { } score)
                    continue;
                answered[j] = true;
                foreach (int p in entries[j].Value)
                    logits[p] = score;
                cacheHits += entries[j].Value.Count;
            }
        }

        // Counted outside the lock because a tokenizer may do the counting.
        var tokens = new int[entries.Length];
        for (int j = 0; j < entries.Length; j++)
            tokens[j] = answered[j] ? 0 : _countTokens(entries[j].Key.Item1, entries[j].Key.Item2);

        var request = new ScoreRequest(logits);
        int joined = 0, queued = 0, depth;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var existing = new PairJob?[entries.Length];
            for (int j = 0; j < entries.Length; j++)
            {
                if (answered[j])
                    continue;
                existing[j] = Joinable(entries[j].Key);
                if (existing[j] is null)
                    queued++;
            }
            if (_queuedPairs > 0 && _queuedPairs + queued > Options.MaxQueuedPairs)
                throw new BatcherOverloadedException(_queuedPairs, RetryAfter());
            long owner = ++_lastRequestId;
            for (int j = 0; j < entries.Length; j++)
            {
                if (answered[j])
                    continue;
                var job = existing[j] ?? Enqueue(entries[j].Key, keys?[j], tokens[j], owner);
                if (existing[j] is not null)
                    joined += entries[j].Value.Count;
                job.Waiters.Add(new Waiter(request, entries[j].Value));
                if (job.LiveWaiters++ == 0 && job.Batch is { } running)
                    running.LiveJobs++;
                request.Jobs.Add(job);
            }
            request.Remaining = request.Jobs.Count;
            depth = _queuedPairs;
        }
        Observe(o => o.PairsLookedUp(cacheHits, pairs.Count - entries.Length + joined, queued));
        if (request.Jobs.Count == 0)
            return logits;
        Observe(o => o.QueueDepthChanged(depth));
        WakeWorker();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.RequestTimeout);
        try
        {
            using (deadline.Token.Register(() => Abandon(request, deadline.Token)))
                await request.Completion.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            TimeSpan retryAfter;
            lock (_gate)
                retryAfter = RetryAfter();
            throw new BatcherTimeoutException(Options.RequestTimeout, retryAfter);
        }
        return logits;
    }

    /// <summary>Cached scores of <paramref name="keys"/>; a cache slower than <see cref="BatcherOptions.CacheReadTimeout"/>
    /// or failing answers nothing, so the pairs are scored instead.</summary>
    private async Task<float?[]> LookUpAsync(ScoreKey[] keys, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache!.GetManyAsync(keys, cancellationToken).AsTask()
                .WaitAsync(Options.CacheReadTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "The score cache did not answer {Count} keys; scoring them", keys.Length);
            return new float?[keys.Length];
        }
    }

    /// <summary>Reports to the observer; metrics that fail are logged and never fail a request or the worker.</summary>
    private void Observe(Action<IBatcherObserver> report)
    {
        if (_observer is null)
            return;
        try
        {
            report(_observer);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The batcher's observer failed");
        }
    }

    /// <summary>Stops taking requests, scores everything already queued, then stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        _stopping.Cancel();
        await _worker.ConfigureAwait(false);
        Task[] writes;
        lock (_cacheWrites)
            writes = [.. _cacheWrites];
        await Task.WhenAll(writes).ConfigureAwait(false);
        _stopping.Dispose();
        _wakeUp.Dispose();
    }

    private PairJob? Joinable((string, string) pair) =>
        Options.CrossRequestBatching && _inFlight.TryGetValue(pair, out var job) && job.Batch?.Abandoned != true ? job : null;

    private PairJob Enqueue((string Query, string Document) pair, ScoreKey? key, int tokens, long owner)
    {
        var job = new PairJob(pair, key, tokens, owner);
        _queue.Enqueue(job);
        _queuedPairs++;
        if (Options.CrossRequestBatching)
            _inFlight[pair] = job;
        return job;
    }

    private TimeSpan RetryAfter()
    {
        var estimate = TimeSpan.FromSeconds(_queuedPairs * _secondsPerPair);
        return estimate > MinimumRetryAfter ? estimate : MinimumRetryAfter;
    }

    private void WakeWorker()
    {
        try
        {
            if (_wakeUp.CurrentCount == 0)
                _wakeUp.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another caller woke it between the check and the release.
        }
    }

    private void Abandon(ScoreRequest request, CancellationToken cancellationToken)
    {
        List<CancellationTokenSource>? stop = null;
        int depth;
        lock (_gate)
        {
            if (request.Done)
                return;
            request.Done = true;
            foreach (var job in request.Jobs)
            {
                if (job.Finished || --job.LiveWaiters > 0)
                    continue;
                if (job.Batch is null)
                {
                    job.Dead = true;
                    _queuedPairs--;
                    ForgetInFlight(job);
                }
                else if (--job.Batch.LiveJobs == 0)
                {
                    job.Batch.Abandoned = true;
                    (stop ??= []).Add(job.Batch.Cancellation);
                }
            }
            depth = _queuedPairs;
        }
        Observe(o => o.QueueDepthChanged(depth));
        request.Completion.TrySetCanceled(cancellationToken);
        foreach (var source in stop ?? [])
            source.Cancel();
    }

    private void ForgetInFlight(PairJob job)
    {
        if (_inFlight.TryGetValue(job.Pair, out var current) && ReferenceEquals(current, job))
            _inFlight.Remove(job.Pair);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            bool hasWork;
            lock (_gate)
                hasWork = _queuedPairs > 0;
            if (!hasWork)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                try
                {
                    await _wakeUp.WaitAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }
                if (Options.CrossRequestBatching && Options.MaxWait > TimeSpan.Zero && !_stopping.IsCancellationRequested)
                    await Task.Delay(Options.MaxWait).ConfigureAwait(false);
                continue;
            }
            var batch = TakeBatch();
            if (batch is null)
                continue;
            try
            {
                await RunBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The worker serves every later caller: whatever failed here fails this batch's callers, not it.
                _logger.LogError(e, "The batcher failed on a batch of {Pairs} pairs", batch.Jobs.Count);
                Finish([.. batch.Jobs], null, e);
            }
        }
    }

    private Batch? TakeBatch()
    {
        var batch = new Batch();
        int depth;
        lock (_gate)
        {
            long? owner = null;
            while (_queue.TryPeek(out var job))
            {
                if (job.Dead)
                {
                    _queue.Dequeue();
                    continue;
                }
                if (!Options.CrossRequestBatching && owner is not null && job.Owner != owner)
                    break;
                if (batch.Jobs.Count > 0 && batch.Tokens + job.Tokens > Options.MaxBatchTokens)
                    break;
                _queue.Dequeue();
                _queuedPairs--;
                job.Batch = batch;
                batch.Jobs.Add(job);
                batch.Tokens += job.Tokens;
                batch.LiveJobs++;
                owner ??= job.Owner;
            }
            depth = _queuedPairs;
        }
        Observe(o => o.QueueDepthChanged(depth));
        return batch.Jobs.Count == 0 ? null : batch;
    }

    private async Task RunBatchAsync(Batch batch)
    {
        var jobs = Options.KeepRequestOrder ? batch.Jobs.ToArray() : batch.Jobs.OrderBy(j => j.Tokens).ToArray();
        var pairs = jobs.Select(j => j.Pair).ToArray();
        var options = new PredictOptions { BatchSize = Options.BatchSize, ActivationFn = ScoreActivation.Identity };
        long started = Stopwatch.GetTimestamp();
        float[] logits;
        try
        {
            logits = await _encoder.PredictAsync(pairs, options, batch.Cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!batch.Abandoned)
                _logger.LogError(e, "Scoring a batch of {Pairs} pairs failed", pairs.Length);
            Finish(jobs, null, e);
            return;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        _secondsPerPair = elapsed.TotalSeconds / pairs.Length;
        int requests = jobs.SelectMany(j => j.Waiters).Select(w => w.Request).Distinct().Count();
        Observe(o => o.BatchScored(pairs.Length, batch.Tokens, requests, elapsed));
        if (_cache is not null)
            WriteBehind(jobs.Select((j, i) => new KeyValuePair<ScoreKey, float>(j.Key!.Value, logits[i])).ToArray());
        Finish(jobs, logits, null);
    }

    /// <summary>Starts storing a batch's scores without waiting for the store: the write runs synchronously up to its
    /// first wait, so an in-process tier has the scores before the callers hear back, while a slow shared tier
    /// (Redis) finishes behind them. At most <see cref="BatcherOptions.MaxPendingCacheWrites"/> writes run at once.</summary>
    private void WriteBehind(KeyValuePair<ScoreKey, float>[] entries)
    {
        lock (_cacheWrites)
        {
            if (_cacheWrites.Count >= Options.MaxPendingCacheWrites)
            {
                _logger.LogWarning("{Count} scores are not cached: {Pending} cache writes are still running", entries.Length, _cacheWrites.Count);
                return;
            }
        }
        var write = WriteAsync(entries);
        lock (_cacheWrites)
            _cacheWrites.Add(write);
        write.ContinueWith(done =>
        {
            lock (_cacheWrites)
                _cacheWrites.Remove(done);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private async Task WriteAsync(KeyValuePair<ScoreKey, float>[] entries)
    {
        try
        {
            await _cache!.SetManyAsync(entries).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Writing {Count} scores to the cache failed", entries.Length);
        }
    }

    private void Finish(PairJob[] jobs, float[]? logits, Exception? error)
    {
        var completed = new List<ScoreRequest>();
        lock (_gate)
        {
            for (int i = 0; i < jobs.Length; i++)
            {
                var job = jobs[i];
                job.Finished = true;
                ForgetInFlight(job);
                foreach (var waiter in job.Waiters)
                {
                    var request = waiter.Request;
                    if (request.Done)
                        continue;
                    if (logits is null)
                    {
                        request.Done = true;
                        completed.Add(request);
                        continue;
                    }
                    foreach (int p in waiter.Positions)
                        request.Logits[p] = logits[i];
                    if (--request.Remaining == 0)
                    {
                        request.Done = true;
                        completed.Add(request);
                    }
                }
            }
        }
        foreach (var request in completed)
        {
            if (error is null)
                request.Completion.TrySetResult();
            else
                request.Completion.TrySetException(error);
        }
    }

    private sealed class ScoreRequest(float[] logits)
    {
        public float[] Logits { get; } = logits;
        public List<PairJob> Jobs { get; } = [];
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Remaining { get; set; }
        public bool Done { get; set; }
    }

    private sealed record Waiter(ScoreRequest Request, List<int> Positions);

    private sealed class PairJob((string Query, string Document) pair, ScoreKey? key, int tokens, long owner)
    {
        public (string Query, string Document) Pair { get; } = pair;
        public ScoreKey? Key { get; } = key;
        public int Tokens { get; } = tokens;
        public long Owner { get; } = owner;
        public List<Waiter> Waiters { get; } = [];
        public int LiveWaiters { get; set; }
        public Batch? Batch { get; set; }
        public bool Dead { get; set; }
        public bool Finished { get; set; }
    }

    private sealed class Batch
    {
        public List<PairJob> Jobs { get; } = [];
        public int Tokens { get; set; }
        public int LiveJobs { get; set; }
        public bool Abandoned { get; set; }
        public CancellationTokenSource Cancellation { get; } = new();
    }
}
