namespace RerankKit.Explain;

/// <summary>How integrated gradients approximates the path integral from the baseline to the input.</summary>
public enum IntegrationRule
{
    /// <summary>Trapezoid rule over steps + 1 points including both ends (second-order accurate).</summary>
    Trapezoid,

    /// <summary>Midpoint Riemann sum over steps points.</summary>
    RiemannMiddle,
}
