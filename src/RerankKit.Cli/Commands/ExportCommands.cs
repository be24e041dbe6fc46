using System.CommandLine;
using System.Text.Json;
using RerankKit.Export;
using RerankKit.Quantization;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit export-onnx</c>: writes a Hugging Face folder as an ONNX model with our own exporter.</summary>
internal static class ExportCommands
{
    public static Command ExportOnnx()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face folder with config.json and model.safetensors (or only onnx/model.onnx)", Required = true };
        var output = new Option<string?>("--out") { Description = "ONNX file to write (default: MODEL/onnx/model.onnx)" }.OutputFile();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var int8 = new Option<bool>("--int8") { Description = "Also write the int8 model beside it (model_qint8_avx512_vnni.onnx, as `rerankkit quantize` does)" };
        var command = new Command("export-onnx", "Export a BERT or XLM-RoBERTa cross-encoder / bi-encoder to ONNX (opset 17)") { model, output, json, int8 };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(model)!;
            if (!Directory.Exists(folder))
                throw new CliException($"model folder not found: {folder}");
            var result = OnnxExporter.Export(folder, parse.GetValue(output));
            string? int8Path = parse.GetValue(int8)
                ? OnnxQuantizer.QuantizeFile(result.Path, Path.Combine(Path.GetDirectoryName(result.Path)!, Path.GetFileName(OnnxQuantizer.Int8OnnxFile))).Path
                : null;
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    path = result.Path,
                    int8_path = int8Path,
                    inputs = result.InputNames,
                    output = result.OutputName,
                    layers = result.Layers,
                    parameters = result.Parameters,
                }));
                return 0;
            }
            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("written", Markup.Escape(result.Path));
            if (int8Path is not null)
                table.AddRow("int8", Markup.Escape(int8Path));
            table.AddRow("inputs", Markup.Escape(string.Join(", ", result.InputNames) + " (int64 [batch, sequence])"));
            table.AddRow("output", result.OutputName);
            table.AddRow("layers", result.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("parameters", result.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
