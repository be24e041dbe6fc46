namespace RerankKit.Training.Optimization;

/// <summary>torch.nn.utils.clip_grad_norm_: scales all gradients together so their global L2 norm is at most the limit.</summary>
public static class GradientClipping
{
    /// <returns>The global norm before clipping.</returns>
    public static double ClipGlobalNorm(IEnumerable<TrainableParameter> parameters, double maxNorm)
    {
        var list = parameters as IReadOnlyList<TrainableParameter> ?? parameters.ToList();
        double sumSquares = 0;
        foreach (var p in list)
            foreach (float g in p.Gradient)
                sumSquares += (double)g * g;
        double norm = Math.Sqrt(sumSquares);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
            foreach (var p in list)
                for (int i = 0; i < p.Gradient.Length; i++)
                    p.Gradient[i] = (float)(p.Gradient[i] * coefficient);
        return norm;
    }
}
