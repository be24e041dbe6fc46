using System.CommandLine;
using RerankKit.Hub;
using RerankKit.Inference;
using RerankKit.Models;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary>The options every model command shares, and turning them into library options.</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model folder or hub id (e.g. cross-encoder/ms-marco-MiniLM-L6-v2)", Required = true };
    public Option<string> Engine { get; } = new("--engine") { Description = "onnx (default) or native", DefaultValueFactory = _ => "onnx" };
    public OnnxFileOptions OnnxFiles { get; } = new();
    public Option<string> Device { get; } = new("--device") { Description = "cpu (default), cuda or cuda:N; cuda needs the GPU build of ONNX Runtime and fails if it cannot be had", DefaultValueFactory = _ => Devices.Cpu };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Intra-op threads (default: the runtime's choice)" };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Pairs or texts per batch", DefaultValueFactory = _ => 32 };
    public Option<int?> MaxLength { get; } = new("--max-length") { Description = "Longest input in tokens (default from the model's config)" };
    public Option<int?> MaxTokensPerRun { get; } = MaxTokensPerRunOption();

    /// <summary><c>--max-tokens-per-run</c>, shared with the benchmarks.</summary>
    public static Option<int?> MaxTokensPerRunOption() => new("--max-tokens-per-run")
    {
        Description = $"ONNX on the CPU: run each batch in slices of at most N tokens (rows x padded length), so activations stay in cache; 0 runs each batch whole (default {BackendSettings.DefaultMaxTokensPerRun})",
    };

    /// <summary>The <c>--max-tokens-per-run</c> value, or the library default when it is not given.</summary>
    public static int MaxTokensPerRunOf(ParseResult parse, Option<int?> option) =>
        parse.GetValue(option) ?? BackendSettings.DefaultMaxTokensPerRun;

    public void AddTo(Command command, bool engineOptions = true)
    {
        command.Add(Model);
        command.Add(MaxLength);
        if (!engineOptions)
            return;
        command.Add(Engine);
        command.Add(Device);
        OnnxFiles.AddTo(command);
        command.Add(Threads);
        command.Add(BatchSize);
        command.Add(MaxTokensPerRun);
    }

    public CrossEncoderOptions CrossEncoderOptions(ParseResult parse, ScoreActivation? activation = null, LongDocumentOptions? longDocuments = null) => new()
    {
        MaxLength = parse.GetValue(MaxLength),
        Engine = EngineOf(parse),
        Device = DeviceOf(parse),
        OnnxFile = OnnxFiles.For(parse, parse.GetValue(Model)!),
        Threads = parse.GetValue(Threads),
        MaxTokensPerRun = MaxTokensPerRunOf(parse, MaxTokensPerRun),
        ActivationFn = activation,
        LongDocuments = longDocuments,
    };

    /// <summary><paramref name="model"/>: the bi-encoder, when it is not <c>--model</c> (serve's --embed-model).</summary>
    public BiEncoderOptions BiEncoderOptions(ParseResult parse, bool? normalize = null, string? model = null) => new()
    {
        MaxLength = parse.GetValue(MaxLength),
        Engine = EngineOf(parse),
        Device = DeviceOf(parse),
        OnnxFile = OnnxFiles.For(parse, model ?? parse.GetValue(Model)!),
        Threads = parse.GetValue(Threads),
        MaxTokensPerRun = MaxTokensPerRunOf(parse, MaxTokensPerRun),
        Normalize = normalize,
    };

    /// <summary>The <c>--engine</c> value, checked against the registered engines.</summary>
    public string EngineOf(ParseResult parse) => EncoderBackends.Get(parse.GetValue(Engine)!).Name;

    /// <summary>The <c>--device</c> value, checked for its form (whether CUDA can be had shows when the model loads).</summary>
    public string DeviceOf(ParseResult parse)
    {
        string device = parse.GetValue(Device)!;
        Devices.CudaOrdinal(device);
        return device;
    }


    /// <summary>Loads a model, showing a download progress bar on stderr when a hub id has to be fetched and stderr
    /// is a terminal.</summary>
    public static T Load<T>(string model, Func<HubOptions, T> load)
    {
        if (Directory.Exists(model) || Console.IsErrorRedirected)
            return load(new HubOptions());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).Start(context =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            result = load(new HubOptions
            {
                Progress = p =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(p.File, out var task))
                            tasks[p.File] = task = context.AddTask(Markup.Escape(p.File), maxValue: Math.Max(1, p.TotalBytes ?? 1));
                        if (p.TotalBytes is { } total)
                            task.MaxValue = Math.Max(1, total);
                        task.Value = p.DownloadedBytes;
                    }
                },
            });
        });
        return result;
    }

    /// <summary>A cross-encoder for <paramref name="model"/> with the given options.</summary>
    public static CrossEncoder LoadCrossEncoder(string model, CrossEncoderOptions options) =>
        Load(model, hub => new CrossEncoder(model, options with { Hub = hub }));

    public static BiEncoder LoadBiEncoder(string model, BiEncoderOptions options) =>
        Load(model, hub => new BiEncoder(model, options with { Hub = hub }));
}
