using System.Text.Json;
using System.Text.Json.Serialization;

namespace RerankKit.Training.Checkpoints;

/// <summary>trainer_state.json of a resumable checkpoint: where training stopped, the generator state that ordered the
/// current epoch, and the history so far.</summary>
public sealed record TrainerState
{
    [JsonPropertyName("global_step")]
    public long GlobalStep { get; init; }

    [JsonPropertyName("total_steps")]
    public long TotalSteps { get; init; }

    [JsonPropertyName("epoch")]
    public int Epoch { get; init; }

    [JsonPropertyName("step_in_epoch")]
    public int StepInEpoch { get; init; }

    [JsonPropertyName("epoch_rng_state")]
    public ulong[] EpochRngState { get; init; } = [];

    [JsonPropertyName("best_ndcg_at_10")]
    public double? BestNdcg { get; init; }

    [JsonPropertyName("loss_history")]
    public double[] LossHistory { get; init; } = [];

    [JsonPropertyName("batch_size")]
    public int BatchSize { get; init; }

    [JsonPropertyName("examples")]
    public int Examples { get; init; }

    public const string FileName = "trainer_state.json";

    public void Save(string folder) =>
        CheckpointWriter.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    public static TrainerState Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no {FileName} in {folder}: nothing to resume", path);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
    }
}
