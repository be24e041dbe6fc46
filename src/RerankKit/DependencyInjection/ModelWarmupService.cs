using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RerankKit.DependencyInjection;

/// <summary>Loads every registered model while the host starts, when <see cref="RerankKitOptions.WarmUp"/> asks.</summary>
internal sealed class ModelWarmupService(RerankKitModels models, IOptions<RerankKitOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.WarmUp ? models.LoadAllAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
