namespace RerankKit.Training.Optimization;

/// <summary>AdamW as torch.optim.AdamW computes it: decoupled weight decay <c>p -= lr·wd·p</c> (skipped for biases and
/// LayerNorm weights), then the bias-corrected Adam step. The moments are exposed so a checkpoint can save them.</summary>
public sealed class AdamW
{
    private readonly IReadOnlyList<TrainableParameter> _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;

    public AdamW(IReadOnlyList<TrainableParameter> parameters, AdamWOptions? options = null)
    {
        _parameters = parameters;
        Options = options ?? new AdamWOptions();
        _m = parameters.Select(p => new float[p.Value.Length]).ToArray();
        _v = parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    public AdamWOptions Options { get; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; private set; }

    public IReadOnlyList<TrainableParameter> Parameters => _parameters;

    /// <summary>First and second moment of parameter <paramref name="index"/> (same order as the parameters).</summary>
    public (float[] FirstMoment, float[] SecondMoment) Moments(int index) => (_m[index], _v[index]);

    /// <summary>Restores moments and step count saved from an optimizer over the same parameters.</summary>
    public void Restore(long step, IReadOnlyList<float[]> firstMoments, IReadOnlyList<float[]> secondMoments)
    {
        if (firstMoments.Count != _m.Length || secondMoments.Count != _v.Length)
            throw new InvalidDataException("optimizer state does not match the model's parameters");
        for (int i = 0; i < _m.Length; i++)
        {
            if (firstMoments[i].Length != _m[i].Length || secondMoments[i].Length != _v[i].Length)
                throw new InvalidDataException($"optimizer state for {_parameters[i].Name} has the wrong size");
            firstMoments[i].CopyTo(_m[i], 0);
            secondMoments[i].CopyTo(_v[i], 0);
        }
        Step = step;
    }

    /// <summary>Applies one update at <paramref name="learningRate"/> using the parameters' current gradients.</summary>
    public void Update(double learningRate)
    {
        Step++;
        double b1 = Options.Beta1, b2 = Options.Beta2;
        double correction1 = 1 - Math.Pow(b1, Step);
        double correction2 = 1 - Math.Pow(b2, Step);
        double stepSize = learningRate / correction1;
        double sqrtCorrection2 = Math.Sqrt(correction2);
        for (int p = 0; p < _parameters.Count; p++)
        {
            var param = _parameters[p];
            float[] w = param.Value, g = param.Gradient, m = _m[p], v = _v[p];
            double decay = param.DecaysWeight ? 1 - learningRate * Options.WeightDecay : 1;
            for (int i = 0; i < w.Length; i++)
            {
                double grad = g[i];
                double mi = b1 * m[i] + (1 - b1) * grad;
                double vi = b2 * v[i] + (1 - b2) * grad * grad;
                m[i] = (float)mi;
                v[i] = (float)vi;
                double denom = Math.Sqrt(vi) / sqrtCorrection2 + Options.Epsilon;
                w[i] = (float)(w[i] * decay - stepSize * mi / denom);
            }
        }
    }

    public void ZeroGradients()
    {
        foreach (var p in _parameters)
            Array.Clear(p.Gradient);
    }
}
