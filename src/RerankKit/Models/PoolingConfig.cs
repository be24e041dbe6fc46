using System.Text.Json;

namespace RerankKit.Models;

/// <summary>A Pooling module's config.json, in either format sentence-transformers writes: the old
/// <c>pooling_mode_*_tokens</c> flags or version 5's <c>"pooling_mode": "cls"</c>.</summary>
public sealed record PoolingConfig(PoolingMode Mode, bool IncludePrompt)
{
    /// <summary>Mean pooling over every token, as sentence-transformers pools a bare transformer.</summary>
    public static PoolingConfig Default { get; } = new(PoolingMode.Mean, true);

    private static readonly (string Flag, string Name, PoolingMode? Mode)[] Modes =
    [
        ("pooling_mode_cls_token", "cls", PoolingMode.Cls),
        ("pooling_mode_mean_tokens", "mean", PoolingMode.Mean),
        ("pooling_mode_max_tokens", "max", PoolingMode.Max),
        ("pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens", null),
        ("pooling_mode_weightedmean_tokens", "weightedmean", null),
        ("pooling_mode_lasttoken", "lasttoken", PoolingMode.LastToken),
    ];

    public static PoolingConfig Read(string configPath)
    {
        if (!File.Exists(configPath))
            throw new ModelLoadException($"modules.json names a Pooling module but {configPath} is missing");
        using var doc = ModelJson.Read(configPath);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException($"{configPath} must be a JSON object");
        var named = root.TryGetProperty("pooling_mode", out var m) ? Names(m, configPath) : Flags(root);
        // Each entry is what the file says (a flag key or a mode name), so an error quotes the file.
        var modes = named.Select(name => Modes.FirstOrDefault(x => x.Name == name || x.Flag == name)).ToList();
        if (modes.FindIndex(x => x.Mode is null) is var bad and >= 0)
            throw new ModelLoadException($"unsupported pooling {named[bad]} in {configPath} (supported: mean, cls, max, lasttoken)");
        bool includePrompt = !(root.TryGetProperty("include_prompt", out var ip) && ip.ValueKind == JsonValueKind.False);
        return modes.Count switch
        {
            1 => new PoolingConfig(modes[0].Mode!.Value, includePrompt),
            0 => throw new ModelLoadException($"{configPath} enables no pooling mode"),
            _ => throw new ModelLoadException($"{configPath} combines several pooling modes, which is not supported"),
        };
    }

    private static List<string> Flags(JsonElement root) =>
        Modes.Where(x => root.TryGetProperty(x.Flag, out var v) && v.ValueKind == JsonValueKind.True).Select(x => x.Flag).ToList();

    /// <summary>Version 5 writes one name or a list of them.</summary>
    private static List<string> Names(JsonElement value, string configPath) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array when value.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String) =>
            value.EnumerateArray().Select(x => x.GetString()!).ToList(),
        _ => throw new ModelLoadException($"{configPath}: pooling_mode must be a name or a list of names"),
    };
}
