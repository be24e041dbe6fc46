using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RerankKit.DependencyInjection;

/// <summary>Healthy when every registered model is loaded, degraded while some are not loaded yet (lazy loading),
/// unhealthy when a load failed. The data has each model's state.</summary>
internal sealed class ModelHealthCheck(RerankKitModels models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var failed = new List<string>();
        int pending = 0;
        foreach (var model in models.Registrations)
        {
            if (models.LoadError(model.Name) is { } error)
            {
                data[model.Name] = "failed: " + error.Message;
                failed.Add(model.Name);
            }
            else if (models.IsLoaded(model.Name))
            {
                data[model.Name] = "loaded";
            }
            else
            {
                data[model.Name] = "not loaded";
                pending++;
            }
        }
        var result = failed.Count > 0
            ? new HealthCheckResult(context.Registration.FailureStatus, $"failed to load: {string.Join(", ", failed)}", data: data)
            : pending > 0
                ? HealthCheckResult.Degraded($"{pending} of {models.Registrations.Count} models not loaded yet", data: data)
                : HealthCheckResult.Healthy($"{models.Registrations.Count} models loaded", data);
        return Task.FromResult(result);
    }
}
