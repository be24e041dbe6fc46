using RerankKit.Tokenization;

namespace RerankKit.Inference.Benchmark;

/// <summary>Encodes a corpus as documents, end to end with <see cref="BiEncoder.EncodeDocument"/> and on a bare ONNX
/// Runtime session fed exactly the batches the encoder builds (document prompt, whole corpus sorted by token length,
/// each batch padded to its longest). The two take turns, each warmed up once on the whole corpus.</summary>
public sealed class EmbedBenchmark(BiEncoder encoder, string onnxPath, int? threads, int batchSize)
{
    public IReadOnlyList<RerankBenchmark.Run> Measure(IReadOnlyList<string> documents)
    {
        var inputs = Tokenize(documents);
        var options = new EncodeOptions { BatchSize = batchSize };
        using var endToEnd = new RerankBenchmark.Variant("end to end (EncodeDocument)", inputs, () => encoder.EncodeDocument(documents, options));
        var batches = TokenBatcher.Plan(inputs, batchSize).Select(indices => TokenBatcher.Pad(inputs, indices, encoder.Tokenizer.PadTokenId)).ToList();
        var session = new BareSession(onnxPath, threads, batches);
        using var bare = new RerankBenchmark.Variant("bare ONNX Runtime session", inputs, session.RunAll, session);
        return RerankBenchmark.Measure([endToEnd, bare], 1, EncoderFlops.Of(encoder.Folder.Config));
    }

    /// <summary>What Encode feeds the model: the document prompt before each text, cut to the model's max length.</summary>
    private List<EncodedInput> Tokenize(IReadOnlyList<string> documents)
    {
        string prompt = encoder.Folder.PromptConfig.DocumentPrompt;
        return documents.Select(d => encoder.Tokenizer.Encode(prompt + d, encoder.MaxLength)).ToList();
    }
}
