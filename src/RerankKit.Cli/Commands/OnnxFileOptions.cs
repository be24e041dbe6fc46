using System.CommandLine;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Quantization;

namespace RerankKit.Cli.Commands;

/// <summary><c>--onnx-file</c> and its shortcut for the int8 export <c>rerankkit quantize</c> writes. The shortcut is
/// <c>--int8</c>, except where a command already used that name for something else (index: int8 vectors).</summary>
internal sealed class OnnxFileOptions(string int8Name = "--int8", string models = "the model")
{
    public Option<string?> OnnxFile { get; } = new("--onnx-file") { Description = $"ONNX export inside {models}' folder (default onnx/model.onnx), e.g. {OnnxQuantizer.Int8OnnxFile}" };

    public Option<bool> Int8 { get; } = new(int8Name) { Description = $"Run {models} int8: --onnx-file {OnnxQuantizer.Int8OnnxFile} (made by `rerankkit quantize`)" };

    public void AddTo(Command command)
    {
        command.Add(OnnxFile);
        command.Add(Int8);
    }

    /// <summary>The ONNX file to run for <paramref name="model"/>, or null for the default. With the shortcut, a model
    /// that has no int8 export (a folder without the file, a hub id whose cached snapshot lacks it) fails here with one
    /// line naming the command that makes it, instead of downloading anything.</summary>
    public string? For(ParseResult parse, string model)
    {
        string? file = parse.GetValue(OnnxFile);
        if (!parse.GetValue(Int8))
            return file;
        if (file is not null)
            throw new CliException($"give --onnx-file or {Int8.Name}, not both");
        if (!HasInt8Export(model))
            throw new CliException($"{model} has no {OnnxQuantizer.Int8OnnxFile}; make it with `rerankkit quantize {model}`");
        return OnnxQuantizer.Int8OnnxFile;
    }

    private static bool HasInt8Export(string model)
    {
        if (Directory.Exists(model))
            return File.Exists(Path.Combine(model, OnnxQuantizer.Int8OnnxFile));
        try
        {
            ModelLocator.Resolve(model, ModelFiles.For(OnnxQuantizer.Int8OnnxFile), new HubOptions { Offline = true });
            return true;
        }
        catch (ModelLoadException)
        {
            return false;
        }
    }
}
