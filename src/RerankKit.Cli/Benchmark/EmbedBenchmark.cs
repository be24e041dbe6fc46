using RerankKit.Tokenization;

namespace RerankKit.Inference.Benchmark;

/// <summary>Encodes a corpus as documents, end to end with <see cref="BiEncoder.EncodeDocument"/> and on a bare ONNX
/// Runtime session fed exactly the batches the encoder builds (document prompt, whole corpus sorted by token length,
/// each batch padded to its longest). The runs take turns, each warmed up once on the whole corpus. With
/// <c>ablate</c> the encoding path also runs with each of its steps switched off, to show what each gives, and each of
/// <paramref name="loadedWithout"/> (the same model loaded with one load-time step off: attention fusion, sliced runs)
/// runs end to end too. The bare session runs the export as it is: unfused, each batch in one run.</summary>
public sealed class EmbedBenchmark(BiEncoder encoder, string onnxPath, int? threads, int batchSize, int iterations = 1,
    IReadOnlyList<(string Name, BiEncoder Encoder)>? loadedWithout = null)
{
    /// <summary>The end-to-end run first and the bare session last.</summary>
    public IReadOnlyList<RerankBenchmark.Run> Measure(IReadOnlyList<string> documents, bool ablate = false)
    {
        var inputs = Tokenize(documents);
        var options = new EncodeOptions { BatchSize = batchSize };
        var variants = new List<RerankBenchmark.Variant>
        {
            new("end to end (EncodeDocument)", inputs, () => encoder.EncodeDocument(documents, options)),
        };
        if (ablate)
        {
            var document = options with { PromptName = encoder.Folder.PromptConfig.DocumentPromptName };
            foreach (var (name, steps) in Ablations)
                variants.Add(new RerankBenchmark.Variant(name, inputs, () => encoder.EncodeWith(documents, document, steps, CancellationToken.None)));
            foreach (var (name, other) in loadedWithout ?? [])
                variants.Add(new RerankBenchmark.Variant(name, inputs, () => other.EncodeDocument(documents, options)));
        }
        var batches = TokenBatcher.Plan(inputs, batchSize).Select(indices => TokenBatcher.Pad(inputs, indices, encoder.Tokenizer.PadTokenId)).ToList();
        var session = new BareSession(onnxPath, threads, batches);
        variants.Add(new RerankBenchmark.Variant("bare ONNX Runtime session", inputs, session.RunAll, session));
        try
        {
            return RerankBenchmark.Measure(variants, iterations, EncoderFlops.Of(encoder.Folder.Config));
        }
        finally
        {
            foreach (var v in variants)
                v.Dispose();
        }
    }

    /// <summary>The encoding path less one step each, and the path before any of them but the whole sort.</summary>
    private static readonly (string Name, EncodeSteps Steps)[] Ablations =
    [
        ("  without overlapped padding", EncodeSteps.All & ~EncodeSteps.Overlap),
        ("  without in-place read of the output", EncodeSteps.All & ~EncodeSteps.ReadInPlace),
        ("  without the whole-input sort (input order)", EncodeSteps.All & ~EncodeSteps.SortWhole),
        ("  previous path (sorted; copied, serial)", EncodeSteps.SortWhole),
    ];

    /// <summary>What Encode feeds the model: the document prompt before each text, cut to the model's max length.</summary>
    private List<EncodedInput> Tokenize(IReadOnlyList<string> documents)
    {
        string prompt = encoder.Folder.PromptConfig.DocumentPrompt;
        return documents.Select(d => encoder.Tokenizer.Encode(prompt + d, encoder.MaxLength)).ToList();
    }
}
