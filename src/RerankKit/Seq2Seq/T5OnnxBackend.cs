using Microsoft.ML.OnnxRuntime;
using RerankKit.Inference;
using RerankKit.Models;

namespace RerankKit.Seq2Seq;

/// <summary>A T5 encoder-decoder in Hugging Face optimum's ONNX layout (<c>onnx/encoder_model.onnx</c>,
/// <c>onnx/decoder_model.onnx</c>), run for the first decoding step only: rerankers read one step's logits, so the
/// encoder runs once per input and its output goes straight (as the same ONNX Runtime value) into one decoder call
/// on <c>[decoder_start_token_id]</c>. Outputs are picked by name, so exports with <c>present.*</c> outputs load too.</summary>
internal sealed class T5OnnxBackend : IDisposable
{
    public const string EncoderFile = "onnx/encoder_model.onnx";
    public const string DecoderFile = "onnx/decoder_model.onnx";

    private readonly InferenceSession _encoder;
    private readonly InferenceSession _decoder;
    private readonly long _decoderStartTokenId;

    public T5OnnxBackend(string folder, BackendSettings settings, int decoderStartTokenId)
    {
        _encoder = Open(Path.Combine(folder, EncoderFile), settings, ["input_ids", "attention_mask"], "last_hidden_state");
        try
        {
            _decoder = Open(Path.Combine(folder, DecoderFile), settings, ["input_ids", "encoder_hidden_states", "encoder_attention_mask"], "logits");
        }
        catch
        {
            _encoder.Dispose();
            throw;
        }
        _decoderStartTokenId = decoderStartTokenId;
        VocabularySize = (int)_decoder.OutputMetadata["logits"].Dimensions[^1];
    }

    /// <summary>Rows of the LM head, from the decoder's <c>logits</c> output (-1 when the export leaves it dynamic).</summary>
    public int VocabularySize { get; }

    private static InferenceSession Open(string path, BackendSettings settings, string[] inputs, string output)
    {
        if (!File.Exists(path))
            throw new ModelLoadException($"T5 ONNX file not found: {path} (a T5 reranker needs {EncoderFile} and {DecoderFile}, the layout Hugging Face optimum exports)");
        using var options = OnnxEncoderBackend.CreateSessionOptions(settings.Threads);
        OnnxEncoderBackend.AddExecutionProvider(options, settings.Device);
        settings.ConfigureSessionOptions?.Invoke(options);
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        string? missing = inputs.FirstOrDefault(i => !session.InputMetadata.ContainsKey(i));
        if (missing is not null || !session.OutputMetadata.ContainsKey(output))
        {
            string what = missing is not null ? $"input '{missing}'" : $"output '{output}'";
            session.Dispose();
            throw new ModelLoadException($"{path} has no {what}; it is not an optimum T5 export");
        }
        return session;
    }

    /// <summary>The first decoding step's logits of <paramref name="tokenIds"/>, [batch row][token], for one
    /// padded batch (pad 0, attention 0).</summary>
    public float[][] FirstStepLogits(TokenBatch batch, IReadOnlyList<int> tokenIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var decoderIds = new long[batch.BatchSize];
        Array.Fill(decoderIds, _decoderStartTokenId);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var start = OrtValue.CreateTensorValueFromMemory(decoderIds, [batch.BatchSize, 1]);
        try
        {
            using var encoded = _encoder.Run(runOptions, ["input_ids", "attention_mask"], [ids, mask], ["last_hidden_state"]);
            using var decoded = _decoder.Run(runOptions, ["input_ids", "encoder_hidden_states", "encoder_attention_mask"],
                [start, encoded[0], mask], ["logits"]);
            var logits = decoded[0].GetTensorDataAsSpan<float>();
            int vocabulary = logits.Length / batch.BatchSize;
            var result = new float[batch.BatchSize][];
            for (int row = 0; row < batch.BatchSize; row++)
            {
                result[row] = new float[tokenIds.Count];
                for (int t = 0; t < tokenIds.Count; t++)
                    result[row][t] = logits[row * vocabulary + tokenIds[t]];
            }
            return result;
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }
}
