using RerankKit.Engine;
using RerankKit.Training.Optimization;

namespace RerankKit.Training.Checkpoints;

/// <summary>AdamW's moments saved as <c>optimizer.safetensors</c> (<c>exp_avg.NAME</c>, <c>exp_avg_sq.NAME</c>, torch's names).</summary>
public static class OptimizerState
{
    public const string FileName = "optimizer.safetensors";

    public static void Save(string folder, AdamW optimizer, TransformerModel model)
    {
        var tensors = new List<NamedTensor>();
        for (int i = 0; i < optimizer.Parameters.Count; i++)
        {
            var (m, v) = optimizer.Moments(i);
            var shape = model.Parameters[optimizer.Parameters[i].Name].Shape;
            tensors.Add(new NamedTensor("exp_avg." + optimizer.Parameters[i].Name, shape, m));
            tensors.Add(new NamedTensor("exp_avg_sq." + optimizer.Parameters[i].Name, shape, v));
        }
        SafetensorsWriter.Write(Path.Combine(folder, FileName), tensors);
    }

    public static void Restore(string folder, AdamW optimizer, long step)
    {
        using var file = SafetensorsFile.Open(Path.Combine(folder, FileName));
        var names = optimizer.Parameters.Select(p => p.Name).ToList();
        optimizer.Restore(step,
            names.Select(n => file.ReadFloat32("exp_avg." + n)).ToList(),
            names.Select(n => file.ReadFloat32("exp_avg_sq." + n)).ToList());
    }
}
