using RerankKit.IO;
using System.Text.Json.Nodes;
using RerankKit.Engine;
using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>Writes a model as a Hugging Face folder: config.json, model.safetensors with Hugging Face names, the base
/// model's tokenizer files and, for an embedder, the sentence-transformers module files. A checkpoint folder is built
/// under a temporary name and swapped in (<see cref="AtomicFolder"/>), so a crash never leaves one step's weights
/// beside another step's optimizer or trainer state.</summary>
public static class CheckpointWriter
{
    private static readonly string[] TokenizerFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "sentencepiece.bpe.model",
        "spiece.model", "vocab.json", "merges.txt", "added_tokens.json",
    ];

    private static readonly string[] SentenceTransformersFiles =
        ["modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"];

    /// <summary>Writes a whole checkpoint folder atomically: the model files, then <paramref name="writeState"/> (optimizer
    /// and trainer state of a resumable checkpoint) into the same staging folder, which then replaces
    /// <paramref name="folder"/>.</summary>
    public static void WriteCheckpoint(string folder, TransformerModel model, JsonObject configJson, string baseFolder, ModelKind kind, int maxLength,
        Action<string>? writeState = null) =>
        AtomicFolder.Write(folder, staging =>
        {
            Write(staging, model, configJson, baseFolder, kind, maxLength);
            writeState?.Invoke(staging);
        });

    /// <summary>Writes the model files into <paramref name="folder"/>, each atomically, leaving other entries (the
    /// checkpoint subfolders of a training output folder) in place.</summary>
    public static void Write(string folder, TransformerModel model, JsonObject configJson, string baseFolder, ModelKind kind, int maxLength)
    {
        Directory.CreateDirectory(folder);
        model.SaveSafetensors(Path.Combine(folder, "model.safetensors"));
        WriteText(Path.Combine(folder, "config.json"), configJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        foreach (var file in TokenizerFiles)
            CopyIfPresent(Path.Combine(baseFolder, file), Path.Combine(folder, file));
        if (kind == ModelKind.BiEncoder)
            WriteSentenceTransformersModules(folder, baseFolder, model.HiddenSize, maxLength);
        else
            WriteTrainedMaxLength(folder, maxLength);
    }

    /// <summary>A cross-encoder reads its longest pair from the tokenizer's <c>model_max_length</c> (as
    /// sentence-transformers' CrossEncoder does), so the trained length is written there: a model trained on 256-token
    /// pairs is then evaluated on 256-token pairs, not on the base's 512.</summary>
    private static void WriteTrainedMaxLength(string folder, int maxLength)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        var config = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        config["model_max_length"] = maxLength;
        WriteText(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WriteSentenceTransformersModules(string folder, string baseFolder, int hidden, int maxLength)
    {
        if (File.Exists(Path.Combine(baseFolder, "modules.json")))
        {
            foreach (var file in SentenceTransformersFiles)
                CopyIfPresent(Path.Combine(baseFolder, file), Path.Combine(folder, file));
            string pooling = Path.Combine(baseFolder, "1_Pooling", "config.json");
            if (File.Exists(pooling))
            {
                Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
                CopyIfPresent(pooling, Path.Combine(folder, "1_Pooling", "config.json"));
                return;
            }
        }
        else
        {
            var modules = new JsonArray(
                new JsonObject { ["idx"] = 0, ["name"] = "0", ["path"] = "", ["type"] = "sentence_transformers.models.Transformer" },
                new JsonObject { ["idx"] = 1, ["name"] = "1", ["path"] = "1_Pooling", ["type"] = "sentence_transformers.models.Pooling" },
                new JsonObject { ["idx"] = 2, ["name"] = "2", ["path"] = "2_Normalize", ["type"] = "sentence_transformers.models.Normalize" });
            WriteText(Path.Combine(folder, "modules.json"), modules.ToJsonString());
            WriteText(Path.Combine(folder, "sentence_bert_config.json"), new JsonObject { ["max_seq_length"] = maxLength, ["do_lower_case"] = false }.ToJsonString());
        }
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        WriteText(Path.Combine(folder, "1_Pooling", "config.json"), new JsonObject
        {
            ["word_embedding_dimension"] = hidden,
            ["pooling_mode_cls_token"] = false,
            ["pooling_mode_mean_tokens"] = true,
            ["pooling_mode_max_tokens"] = false,
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
        }.ToJsonString());
    }

    private static void CopyIfPresent(string from, string to)
    {
        if (File.Exists(from) && !string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal))
            File.Copy(from, to, overwrite: true);
    }

    internal static void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text);
}
