using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace RerankKit.Caching;

/// <summary>A score cache in Redis, shared by every replica that points at the same server. Bound its size on the
/// Redis side (<c>maxmemory</c> with <c>maxmemory-policy allkeys-lru</c>) or give entries a <see cref="TimeToLive"/>.
/// Redis errors are logged and read as misses, so a replica keeps serving when Redis is away.</summary>
public sealed class RedisScoreCache : IScoreCache, IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _prefix;
    private readonly ILogger _logger;

    private RedisScoreCache(ConnectionMultiplexer connection, string prefix, TimeSpan? timeToLive, ILogger logger)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _prefix = prefix;
        TimeToLive = timeToLive;
        _logger = logger;
    }

    public TimeSpan? TimeToLive { get; }

    /// <summary>Connects to <paramref name="configuration"/> (<c>host:port</c> or any StackExchange.Redis
    /// configuration string). Keys are <paramref name="keyPrefix"/> followed by the hex <see cref="ScoreKey"/>.</summary>
    public static async Task<RedisScoreCache> ConnectAsync(string configuration, string keyPrefix = "rerankkit:score:",
        TimeSpan? timeToLive = null, ILogger? logger = null)
    {
        var options = Parse(configuration);
        options.AbortOnConnectFail = false;
        // A cache must not hold requests while Redis is unreachable: fail at once and read a miss.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisScoreCache(connection, keyPrefix, timeToLive, logger ?? NullLogger.Instance);
    }

    /// <summary>The configuration, or one line saying it is not a Redis address (StackExchange.Redis would name its
    /// own parameters instead).</summary>
    private static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            options = new ConfigurationOptions();
        }
        return options.EndPoints.Count > 0
            ? options
            : throw new ArgumentException($"'{configuration}' is not a Redis address: give host:port (such as localhost:6379) or a StackExchange.Redis configuration string");
    }

    public async ValueTask<float?[]> GetManyAsync(IReadOnlyList<ScoreKey> keys, CancellationToken cancellationToken = default)
    {
        var scores = new float?[keys.Count];
        if (keys.Count == 0)
            return scores;
        RedisValue[] values;
        try
        {
            values = await _database.StringGetAsync(keys.Select(ToRedisKey).ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Redis score cache read failed; scoring without it");
            return scores;
        }
        for (int i = 0; i < values.Length; i++)
        {
            byte[]? bytes = values[i];
            if (bytes is { Length: 4 })
                scores[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes);
        }
        return scores;
    }

    public async ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<ScoreKey, float>> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
            return;
        var batch = _database.CreateBatch();
        var writes = new Task[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, entries[i].Value);
            var key = ToRedisKey(entries[i].Key);
            writes[i] = TimeToLive is { } ttl ? batch.StringSetAsync(key, bytes, ttl) : batch.StringSetAsync(key, bytes);
        }
        try
        {
            batch.Execute();
            await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Redis score cache write failed");
        }
    }

    public void Dispose() => _connection.Dispose();

    private RedisKey ToRedisKey(ScoreKey key) => _prefix + key.ToString();
}
