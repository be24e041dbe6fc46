using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RerankKit.Hub;
using RerankKit.Quantization;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit quantize MODEL</c>: dynamic int8 quantization of a model's ONNX export into
/// <c>onnx/model_qint8_avx512_vnni.onnx</c>, which every model command then runs with <c>--int8</c>.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model folder or hub id (a hub id is resolved like --model; the file is written into that snapshot)" };
        var output = new Option<string?>("--out") { Description = "New folder for the int8 model (its config and tokenizer files copied); default: beside the original" }.OutputFolder();
        var perTensor = new Option<bool>("--per-tensor") { Description = "One weight scale per tensor (sentence-transformers' avx512_vnni setting) instead of one per output channel; loses more quality" };
        var reduceRange = new Option<bool>("--reduce-range") { Description = "7-bit weights, for CPUs without VNNI (saturating int16 sums)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Regular expression of layers kept in float (layer, node or weight name; repeatable), e.g. classifier" };
        var onnxFile = new Option<string>("--onnx-file") { Description = "The export to quantize, inside the folder", DefaultValueFactory = _ => OnnxQuantizer.DefaultOnnxFile };
        var form = new Option<string>("--form") { Description = "fused (com.microsoft DynamicQuantizeMatMul, ONNX Runtime only; default) or standard (DynamicQuantizeLinear + MatMulInteger)", DefaultValueFactory = _ => "fused" }
            .AcceptOnlyFromAmong("fused", "standard");
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("quantize", $"Quantize a model's ONNX export to int8 ({OnnxQuantizer.Int8OnnxFile}); run it with --int8")
        {
            model, output, perTensor, reduceRange, exclude, onnxFile, form, json,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            var options = new QuantizationOptions
            {
                PerChannel = !parse.GetValue(perTensor),
                ReduceRange = parse.GetValue(reduceRange),
                Exclude = parse.GetValue(exclude) ?? [],
                OnnxFile = parse.GetValue(onnxFile)!,
                Form = parse.GetValue(form) == "standard" ? QuantizedMatMulForm.Standard : QuantizedMatMulForm.Fused,
            };
            string folder = ModelOptions.Load(name, hub => ModelLocator.Resolve(name, ModelFiles.For(options.OnnxFile), hub));
            var result = OnnxQuantizer.Quantize(folder, options, parse.GetValue(output));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    path = result.Path,
                    source = result.Source,
                    form = result.Form.ToString().ToLowerInvariant(),
                    quantized_weights = result.QuantizedWeights,
                    excluded_weights = result.ExcludedWeights,
                    quantized_parameters = result.QuantizedParameters,
                    source_bytes = result.SourceBytes,
                    bytes = result.Bytes,
                }));
                return 0;
            }
            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("written", Markup.Escape(result.Path));
            table.AddRow("from", Markup.Escape(result.Source));
            table.AddRow("form", result.Form.ToString().ToLowerInvariant());
            table.AddRow("int8 weight matrices", result.QuantizedWeights.ToString(CultureInfo.InvariantCulture));
            table.AddRow("kept in float by --exclude", result.ExcludedWeights.ToString(CultureInfo.InvariantCulture));
            table.AddRow("int8 parameters", result.QuantizedParameters.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("size", $"{result.SourceBytes / 1e6:0.0} MB -> {result.Bytes / 1e6:0.0} MB");
            AnsiConsole.Write(table);
            Console.Out.WriteLine("run it with --int8 (or --onnx-file " + OnnxQuantizer.Int8OnnxFile + ")");
            return 0;
        });
        return command;
    }
}
