using System.CommandLine;
using RerankKit.Seq2Seq;

namespace RerankKit.Cli.Commands;

/// <summary>The options that choose how a T5 reranker scores (<c>--scoring</c>, <c>--duo-top-k</c>), shared by
/// <c>rerank</c>, <c>search</c>, <c>eval</c> and <c>serve</c>, and loading any reranker kind from a model folder.</summary>
internal sealed class RerankerKindOptions
{
    public Option<string> Scoring { get; } = new("--scoring")
    {
        Description = "T5 models: monot5 (log P(true), default), rankt5 (the <extra_id_10> logit) or duot5 (pairwise sym-sum)",
        DefaultValueFactory = _ => "monot5",
    };

    public Option<int?> DuoTopK { get; } = new("--duo-top-k") { Description = "duoT5: compare only the first K documents pairwise (K*(K-1) pairs); the rest follow unscored" };

    public void AddTo(Command command)
    {
        command.Add(Scoring);
        command.Add(DuoTopK);
    }

    /// <summary>The reranker the folder or hub id holds, whatever its kind; <paramref name="options"/> carries the
    /// shared settings and this command's <c>--scoring</c>/<c>--duo-top-k</c> are added to it. A spec's
    /// <c>SCORING:</c> prefix (see <see cref="ParseSpec"/>) chooses the T5 scoring instead of <c>--scoring</c>.</summary>
    public IReranker Load(ParseResult parse, string model, RerankerOptions options)
    {
        var (name, prefix) = ParseSpec(model);
        model = name;
        options.Scoring = prefix ?? ParseScoring(parse.GetValue(Scoring)!);
        options.DuoTopK = parse.GetValue(DuoTopK);
        if (options.DuoTopK is not null && options.Scoring != T5Scoring.DuoT5)
            throw new CliException("--duo-top-k bounds duoT5's pairs; use it with --scoring duot5");
        var reranker = ModelOptions.Load(model, hub =>
        {
            options.Hub = hub;
            return Rerankers.LoadAsync(model, options).GetAwaiter().GetResult();
        });
        if (reranker is not Seq2SeqReranker && (prefix is not null || parse.GetResult(Scoring) is { Implicit: false }))
        {
            reranker.Dispose();
            string given = prefix is { } p ? $"{T5ScoringNames.Name(p)}:" : "--scoring";
            throw new CliException($"{given} applies to T5 rerankers; {model} is a {reranker.ScoreKind} model");
        }
        return reranker;
    }

    /// <summary><c>MODEL</c>, or <c>SCORING:MODEL</c> for a T5 model scored as <c>monot5</c>, <c>rankt5</c> or
    /// <c>duot5</c> (e.g. <c>rankt5:Soyoung97/RankT5-base</c>), so that one command can name several T5 rerankers
    /// each with its scoring. Only those three names are read as a prefix: any other colon belongs to the path.</summary>
    public static (string Model, T5Scoring? Scoring) ParseSpec(string spec)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && spec[..colon].ToLowerInvariant() is "monot5" or "rankt5" or "duot5")
            return (spec[(colon + 1)..], T5ScoringNames.Parse(spec[..colon]));
        return (spec, null);
    }

    /// <summary>The kind a pipeline's reranker scores as: <c>cross-encoder</c>, or the wrapped kind's
    /// <see cref="IReranker.ScoreKind"/>.</summary>
    public static string KindOf(ICrossEncoder reranker) =>
        reranker is RerankerCrossEncoder wrapped ? wrapped.Reranker.ScoreKind : "cross-encoder";

    /// <summary>The reranker where a pipeline takes an <see cref="ICrossEncoder"/> (search, eval, serve): a
    /// cross-encoder as itself, so its activation and calibration stay, any other kind through
    /// <see cref="RerankerCrossEncoder"/>.</summary>
    public ICrossEncoder LoadForPipeline(ParseResult parse, string model, RerankerOptions options) =>
        Load(parse, model, options) switch
        {
            CrossEncoderReranker cross => cross.Encoder,
            var other => new RerankerCrossEncoder(other),
        };

    private static T5Scoring ParseScoring(string value)
    {
        try
        {
            return T5ScoringNames.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }
}
