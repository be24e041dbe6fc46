using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RerankKit.Engine;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit convert --to safetensors MODEL OUT</c>: writes a model folder's weights (an ONNX-only export
/// included) as an F32 <c>model.safetensors</c> folder.</summary>
internal static class ConvertCommands
{
    public static Command Convert()
    {
        var to = new Option<string>("--to") { Description = "Target format", Required = true }.AcceptOnlyFromAmong("safetensors");
        var model = new Argument<string>("MODEL") { Description = "Model folder (model.safetensors or onnx/model.onnx, config.json, tokenizer files)" };
        var output = new Argument<string>("OUT") { Description = "New folder to write: model.safetensors plus a copy of every other file" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("convert", "Convert a model folder's weights, e.g. an ONNX-only model to model.safetensors") { to, model, output, json };
        command.SetAction(parse =>
        {
            var result = SafetensorsConversion.Convert(parse.GetValue(model)!, parse.GetValue(output)!);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    folder = result.Folder,
                    source = result.Source,
                    tensors = result.Tensors,
                    parameters = result.Parameters,
                }));
                return 0;
            }
            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("written", Markup.Escape(Path.Combine(result.Folder, NativeWeights.Safetensors)));
            table.AddRow("from", Markup.Escape(result.Source));
            table.AddRow("tensors", result.Tensors.ToString(CultureInfo.InvariantCulture));
            table.AddRow("parameters", result.Parameters.ToString("N0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
