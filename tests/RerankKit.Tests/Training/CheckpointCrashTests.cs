using System.Text.Json;
using RerankKit.Models;
using RerankKit.Tests.Cli;
using RerankKit.Training;

namespace RerankKit.Tests.Training;

/// <summary>A checkpoint is replaced whole: a training run killed with SIGKILL while writing one leaves the previous
/// checkpoint intact, and --resume recovers from a swap a crash interrupted and ignores a half-built folder.</summary>
public sealed class CheckpointCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-checkpoint-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Killed_checkpoint_write_keeps_the_previous_checkpoint_and_resume_cleans_up()
    {
        string model = SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, "base"), ModelKind.CrossEncoder);
        string train = Path.Combine(_dir, "train.jsonl");
        File.WriteAllLines(train, SyntheticRareWordTask.Generate(16, 1, 5, "q").Select(q => JsonSerializer.Serialize(
            new Dictionary<string, string> { ["query"] = q.Text, ["positive"] = q.Positive, ["negative"] = q.Negatives[0] })));
        string output = Path.Combine(_dir, "out");
        string last = Path.Combine(output, Trainer.LastCheckpointFolderName);
        string[] Train(string seed, params string[] extra) =>
            ["train", "reranker", "--base-model", model, "--train", train, "--out", output, "--epochs", "1", "--batch-size", "4",
             "--max-length", "32", "--lr", "1e-3", "--save-steps", "1", "--seed", seed, .. extra];

        var first = CliProcess.Run(Train("1"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        var snapshot = Snapshot(last);

        using (var second = CliProcess.Start(new Dictionary<string, string> { ["RERANKKIT_TEST_PAUSE_BEFORE_SWAP"] = "1" }, Train("2")))
            CliProcess.KillWhenExists(second, Path.Combine(output, $".{Trainer.LastCheckpointFolderName}.new", "trainer_state.json"));
        Assert.Equal(snapshot, Snapshot(last));

        // A crash between the two renames of a swap: the checkpoint renamed aside, the half-built one still there.
        Directory.Move(last, Path.Combine(output, $".{Trainer.LastCheckpointFolderName}.old"));
        var resumed = CliProcess.Run(Train("1", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.True(File.Exists(Path.Combine(last, "trainer_state.json")));
        Assert.Empty(Directory.GetDirectories(output, ".*"));
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
