using System.Text.Json;
using RerankKit.Explain;
using RerankKit.Hub;
using RerankKit.IO;
using RerankKit.LateInteraction;

namespace RerankKit.Cli.Commands;

/// <summary><c>explain</c> for reranker kinds other than cross-encoders: ColBERT's MaxSim alignment as a figure and
/// JSON; T5 refused in one line, since the native engine that computes attention and gradients runs BERT and XLM-R
/// encoders only.</summary>
internal static class ColBertExplain
{
    public const string MaxSimFile = "maxsim.png";
    public const string AlignmentFile = "maxsim.json";

    /// <summary>The kind of reranker <paramref name="model"/> holds (a hub id is resolved to its config first).</summary>
    public static RerankerKind KindOf(string model) =>
        Rerankers.KindOf(ModelOptions.Load(model, hub => ModelLocator.Resolve(model, ModelFiles.ForTokenizer(), hub)));

    /// <summary>Throws the one-line refusal for kinds explain cannot take apart.</summary>
    public static void RefuseT5(RerankerKind kind)
    {
        if (kind == RerankerKind.T5)
            throw new CliException("explain does not support T5 rerankers: attention and gradient saliency come from the native engine, " +
                "which runs BERT and XLM-R encoders, not T5's encoder-decoder (rerank, search, eval and serve do run T5)");
    }

    public static int Run(string model, string query, string document, string folder, bool json)
    {
        using var colbert = RetrievalCommands.LoadColBert(model);
        var alignment = MaxSimAlignment.Of(colbert.EncodeQueries([query])[0], colbert.EncodeDocuments([document])[0]);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, MaxSimFile), MaxSimFigure.Draw(alignment).Bytes);
        var matches = alignment.QueryTokens.Select((token, q) => new
        {
            query_position = q,
            query_token = token,
            document_position = alignment.BestMatch[q],
            document_token = alignment.DocumentTokens[alignment.BestMatch[q]],
            similarity = alignment.Similarities[q, alignment.BestMatch[q]],
        }).ToArray();
        var summary = new { kind = "colbert", model, score = alignment.Score, matches, files = new[] { MaxSimFile, AlignmentFile } };
        AtomicFile.WriteAllText(Path.Combine(folder, AlignmentFile), JsonSerializer.Serialize(summary, CliJson.Options));
        if (json)
            CliJson.WriteLine(summary);
        else
            Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"ColBERT MaxSim {alignment.Score:F4} over {alignment.QueryTokens.Length} query and {alignment.DocumentTokens.Length} document tokens; wrote {Path.Combine(folder, MaxSimFile)} and {AlignmentFile}"));
        return 0;
    }
}
