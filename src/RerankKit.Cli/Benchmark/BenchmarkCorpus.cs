namespace RerankKit.Inference.Benchmark;

/// <summary>Synthetic documents of a chosen token length: whole lower-case words from the model's vocab.txt, each
/// of which WordPiece keeps as one token, so a document of N words is N tokens long.</summary>
public static class BenchmarkCorpus
{
    public const string Query = "how many people live in berlin and what is the population of the city";

    public static IReadOnlyList<string> Words(string folder)
    {
        string vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocab))
            throw new Models.ModelLoadException($"the benchmark builds documents from a WordPiece vocab.txt, which {folder} does not have");
        var words = File.ReadLines(vocab).Where(w => w.Length is >= 3 and <= 10 && w.All(c => c is >= 'a' and <= 'z')).ToList();
        if (words.Count < 100)
            throw new Models.ModelLoadException($"{vocab} has too few plain words to build benchmark documents");
        return words;
    }

    public static string[] Documents(IReadOnlyList<string> words, IReadOnlyList<int> lengths, int seed)
    {
        var random = new Random(seed);
        return lengths.Select(n => string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Count)]))).ToArray();
    }

    public static int[] EqualLengths(int count, int tokens) => Enumerable.Repeat(tokens, count).ToArray();

    /// <summary>Lengths spread evenly from <paramref name="min"/> to <paramref name="max"/>, shuffled.</summary>
    public static int[] SpreadLengths(int count, int min, int max, int seed)
    {
        var lengths = Enumerable.Range(0, count).Select(i => min + (int)Math.Round((max - min) * (double)i / Math.Max(1, count - 1))).ToArray();
        new Random(seed).Shuffle(lengths);
        return lengths;
    }
}
