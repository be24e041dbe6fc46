using RerankKit.Models;
using RerankKit.Training;
using RerankKit.Training.Data;

namespace RerankKit.Tests.Training;

/// <summary>A retrieval task with a known answer: a document is relevant when it contains the query's rare word;
/// hard negatives share the query's common words but carry another rare word. Every word is one WordPiece token.</summary>
internal static class SyntheticRareWordTask
{
    private static readonly string[] Rare =
    [
        "apple", "banana", "cherry", "grape", "lemon", "mango", "melon", "peach", "pear", "plum",
        "tiger", "lion", "zebra", "horse", "camel", "eagle", "shark", "whale", "snake", "mouse",
        "piano", "guitar", "violin", "drum", "flute", "red", "blue", "green", "yellow", "purple",
        "iron", "copper", "silver", "gold", "steel", "paris", "london", "tokyo", "berlin", "madrid",
    ];

    private static readonly string[] Common =
        ["the", "report", "about", "new", "data", "shows", "that", "many", "people", "like", "this", "thing", "very", "good", "day", "time"];

    /// <summary>Writes a config-only BERT folder (no weights) whose WordPiece vocabulary is just the task's words, so
    /// a from-scratch run spends its time on the encoder rather than on a 30,522-row embedding table.</summary>
    public static string WriteTinyModelFolder(string folder, ModelKind kind, int hidden = 32, int layers = 2, double initializerRange = 0.02)
    {
        Directory.CreateDirectory(folder);
        var vocab = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Rare).Concat(Common).ToList();
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), vocab);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"tokenizer_class": "BertTokenizer", "do_lower_case": true}""");
        string architecture = kind == ModelKind.CrossEncoder ? "BertForSequenceClassification" : "BertModel";
        File.WriteAllText(Path.Combine(folder, "config.json"), $$"""
            {"architectures": ["{{architecture}}"], "model_type": "bert", "hidden_size": {{hidden}}, "num_hidden_layers": {{layers}},
             "num_attention_heads": 4, "intermediate_size": {{2 * hidden}}, "vocab_size": {{vocab.Count}}, "max_position_embeddings": 64,
             "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu", "pad_token_id": 0, "initializer_range": {{initializerRange.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "num_labels": 1}
            """);
        return folder;
    }

    public sealed record Query(string Id, string Text, string Positive, IReadOnlyList<string> Negatives);

    public static IReadOnlyList<Query> Generate(int count, int negatives, ulong seed, string idPrefix)
    {
        var random = new SeededRandom(seed);
        var queries = new List<Query>();
        for (int q = 0; q < count; q++)
        {
            string rare = Rare[random.Next(Rare.Length)];
            var commons = Enumerable.Range(0, 5).Select(_ => Common[random.Next(Common.Length)]).ToArray();
            string Document(string word)
            {
                var words = new List<string> { commons[0], commons[1], word, commons[3], commons[4] };
                random.Shuffle(words);
                return string.Join(' ', words);
            }
            var others = Rare.Where(r => r != rare).ToList();
            random.Shuffle(others);
            queries.Add(new Query($"{idPrefix}{q}", $"{rare} {commons[0]} {commons[1]} {commons[2]}", Document(rare),
                others.Take(negatives).Select(Document).ToList()));
        }
        return queries;
    }

    public static TrainingDataset Training(IReadOnlyList<Query> queries) =>
        TrainingDataset.FromRanking(queries.Select(q => new RankingExample(q.Text, q.Positive, q.Negatives)).ToList());

    public static RerankingEvaluation Evaluation(IReadOnlyList<Query> queries) =>
        RerankingEvaluation.FromCandidates(queries.Select(q =>
        {
            // Candidates in a fixed order with the positive last, so the untrained order gives no credit.
            var candidates = q.Negatives.Select((n, i) => ($"{q.Id}-n{i}", n, 0f)).Append(($"{q.Id}-p", q.Positive, 0f)).ToList();
            return new EvaluationQuery(q.Id, q.Text, candidates, new Dictionary<string, int> { [$"{q.Id}-p"] = 1 });
        }));
}
