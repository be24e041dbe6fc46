namespace RerankKit.DependencyInjection;

/// <summary>Options of every model registered with <c>AddRerankKit()</c>.</summary>
public sealed class RerankKitOptions
{
    /// <summary>True loads every registered model while the host starts (a hosted service), so the first request
    /// does not pay for it and a bad model fails the start; false (the default) loads each on first use.</summary>
    public bool WarmUp { get; set; }
}
