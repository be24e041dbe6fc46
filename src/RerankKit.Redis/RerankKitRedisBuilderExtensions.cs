using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RerankKit.Caching;

namespace RerankKit.DependencyInjection;

/// <summary>Shares scores through Redis.</summary>
public static class RerankKitRedisBuilderExtensions
{
    /// <summary>Registers a <see cref="RedisScoreCache"/> as the services' <see cref="IScoreCache"/>: hosts such as
    /// <c>MapRerankKit</c> look scores up there after their in-process cache, so replicas share them.</summary>
    /// <param name="configuration"><c>host:port</c> or a StackExchange.Redis configuration string.</param>
    public static RerankKitBuilder AddRedisScoreCache(this RerankKitBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        builder.Services.AddSingleton<IScoreCache>(sp => RedisScoreCache.ConnectAsync(configuration,
            logger: sp.GetService<ILoggerFactory>()?.CreateLogger("RerankKit.Redis")).GetAwaiter().GetResult());
        return builder;
    }
}
