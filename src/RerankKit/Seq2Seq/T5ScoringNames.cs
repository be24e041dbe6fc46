namespace RerankKit.Seq2Seq;

/// <summary>The names <see cref="T5Scoring"/> goes by on the command line, in JSON and in <see cref="IReranker.ScoreKind"/>.</summary>
public static class T5ScoringNames
{
    public static string Name(T5Scoring scoring) => scoring switch
    {
        T5Scoring.MonoT5 => "monot5",
        T5Scoring.RankT5 => "rankt5",
        T5Scoring.DuoT5 => "duot5",
        _ => throw new ArgumentOutOfRangeException(nameof(scoring)),
    };

    public static T5Scoring Parse(string name) => name.ToLowerInvariant() switch
    {
        "monot5" => T5Scoring.MonoT5,
        "rankt5" => T5Scoring.RankT5,
        "duot5" => T5Scoring.DuoT5,
        _ => throw new ArgumentException($"unknown T5 scoring '{name}' (use monot5, rankt5 or duot5)"),
    };
}
