using Google.Protobuf;
using RerankKit.Export;
using RerankKit.IO;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Quantization;

/// <summary>Dynamic int8 quantization of a BERT-family ONNX export (RerankKit's own, or a Hugging Face / Optimum /
/// sentence-transformers one), like ONNX Runtime's <c>quantize_dynamic</c> with symmetric int8 weights: MatMul and Gemm
/// weights are stored as int8 with their scales, activations are quantized at run time, embeddings and LayerNorm stay
/// in float. The result is written with our own ONNX writer, beside the original, under sentence-transformers' name
/// <see cref="Int8OnnxFile"/>; the original is not touched.</summary>
public static class OnnxQuantizer
{
    public const string DefaultOnnxFile = "onnx/model.onnx";

    /// <summary>The file name sentence-transformers' <c>export_dynamic_quantized_onnx_model(..., "avx512_vnni")</c> writes.</summary>
    public const string Int8OnnxFile = "onnx/model_qint8_avx512_vnni.onnx";

    // DynamicQuantizeLinear entered the default domain in opset 11.
    private const long StandardFormMinOpset = 11;

    private static readonly string[] WeightExtensions = [".onnx", ".onnx_data", ".safetensors", ".bin"];

    /// <summary>Quantizes <paramref name="modelFolder"/>'s export into <c>modelFolder/onnx/model_qint8_avx512_vnni.onnx</c>,
    /// or, with <paramref name="outputFolder"/>, into a new folder holding that file and a copy of the model's other
    /// files except its weights (config, tokenizer, modules), so it loads with the int8 file as its ONNX file.</summary>
    public static QuantizationResult Quantize(string modelFolder, QuantizationOptions? options = null, string? outputFolder = null)
    {
        options ??= new QuantizationOptions();
        if (!Directory.Exists(modelFolder))
            throw new ModelLoadException($"model folder not found: {modelFolder}");
        string source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelFolder));
        string input = Path.Combine(source, options.OnnxFile);
        if (!File.Exists(input))
            throw new ModelLoadException($"{source} has no {options.OnnxFile} to quantize");
        if (outputFolder is null)
            return QuantizeFile(input, Path.Combine(source, Int8OnnxFile), options);

        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder));
        if (string.Equals(source, target, StringComparison.Ordinal))
            throw new ArgumentException($"the output folder {outputFolder} is the model folder; leave --out away to write beside the original");
        if (File.Exists(target))
            throw new ArgumentException($"the output {outputFolder} is a file, not a folder");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new ArgumentException($"the output folder {outputFolder} already exists and is not empty; choose a new folder");
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(source, f))
            .Where(f => !WeightExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        QuantizationResult? result = null;
        AtomicFolder.Write(target, staging =>
        {
            foreach (string relative in files)
            {
                string destination = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(Path.Combine(source, relative), destination);
            }
            result = QuantizeFile(input, Path.Combine(staging, Int8OnnxFile), options);
        });
        return result! with { Path = Path.Combine(target, Int8OnnxFile) };
    }

    /// <summary>Quantizes one ONNX file into another (written atomically: a temporary file, then a rename).</summary>
    public static QuantizationResult QuantizeFile(string inputPath, string outputPath, QuantizationOptions? options = null)
    {
        options ??= new QuantizationOptions();
        string input = Path.GetFullPath(inputPath), output = Path.GetFullPath(outputPath);
        if (string.Equals(input, output, StringComparison.Ordinal))
            throw new ArgumentException($"the quantized model would replace its source {inputPath}; choose another output");
        byte[] bytes = File.ReadAllBytes(input);
        List<ProtoField> model;
        try
        {
            model = ProtoField.ReadAll(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            throw new ModelLoadException($"{inputPath} is not an ONNX model ({e.Message})", e);
        }
        var graph = model.FirstOrDefault(f => f.Number == 7 && f.Type == WireFormat.WireType.LengthDelimited)
            ?? throw new ModelLoadException($"{inputPath} is not an ONNX model (it has no graph)");
        var opsets = model.Where(f => f.Number == 8).Select(OpsetOf).ToList();
        long defaultOpset = opsets.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (options.Form == QuantizedMatMulForm.Standard && defaultOpset < StandardFormMinOpset)
            throw new ModelLoadException($"{inputPath} uses opset {defaultOpset}; the standard form needs DynamicQuantizeLinear (opset {StandardFormMinOpset}); use the fused form");

        var quantizer = new GraphQuantizer(options, inputPath);
        byte[] newGraph;
        try
        {
            newGraph = quantizer.Rewrite(graph.Bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            throw new ModelLoadException($"{inputPath} is not an ONNX model ({e.Message})", e);
        }
        bool addMicrosoftOpset = options.Form == QuantizedMatMulForm.Fused && opsets.All(o => o.Domain != OnnxProto.MicrosoftDomain);
        long written = 0;
        AtomicFile.Write(output, stream =>
        {
            using (var o = new CodedOutputStream(stream, leaveOpen: true))
            {
                foreach (var field in model)
                {
                    if (field == graph)
                        OnnxProto.Bytes(o, 7, newGraph);
                    else
                        field.WriteTo(o);
                }
                if (addMicrosoftOpset)
                    OnnxProto.Bytes(o, 8, OnnxProto.Opset(OnnxProto.MicrosoftDomain, 1));
                o.Flush();
            }
            written = stream.Position;
        });
        return new QuantizationResult(output, input, options.Form, quantizer.Quantized, quantizer.Excluded, quantizer.QuantizedParameters, bytes.Length, written);
    }

    /// <summary>OperatorSetIdProto: domain=1, version=2.</summary>
    private static (string Domain, long Version) OpsetOf(ProtoField opset) =>
        (opset.Text(1), (long)(ProtoField.ReadAll(opset.Bytes.Memory).FirstOrDefault(f => f.Number == 2)?.Scalar ?? 0));
}
