using Xunit.Abstractions;
using Microsoft.ML.OnnxRuntime;
using RerankKit.Documents;
using RerankKit.Evaluation;
using RerankKit.Hub;
using RerankKit.Models.Bundled;
using RerankKit.Retrieval;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Bundled;

/// <summary>Dense retrieval with the bundled all-MiniLM-L6-v2 on a small SciFact subset (every judged document of the
/// first test queries plus other documents as distractors), small enough for CI; the full figure belongs to
/// <c>eval</c>. The library path (SearchIndex, DenseRetriever, RetrievalEvaluator) must agree with one written here
/// from the raw ONNX session: one unpadded text per run, mean pooling, L2 normalization, nDCG@10 by its formula.</summary>
public class SciFactSubsetTests(ITestOutputHelper output)
{
    private const int Queries = 30;
    private const int Distractors = 300;

    static SciFactSubsetTests() => BundledModelCatalog.Register();

    [Fact]
    public void MiniLMDenseNdcgAt10OnASciFactSubsetMatchesTheRawOnnxSession()
    {
        var dataset = BeirDataset.Load(SharedData.Dataset("scifact")).WithFirstQueries(Queries);
        var judged = dataset.Queries.SelectMany(q => dataset.Qrels.For(q.Id).Keys).ToHashSet(StringComparer.Ordinal);
        var corpus = dataset.Corpus.Where(d => judged.Contains(d.Id))
            .Concat(dataset.Corpus.Where(d => !judged.Contains(d.Id)).Take(Distractors)).ToList();
        using var cache = new ScratchFolder();
        using var model = new BiEncoder(BundledModelCatalog.MiniLM, new BiEncoderOptions { Hub = new HubOptions { CacheDir = cache.Path, Offline = true } });

        double library = LibraryNdcg(dataset, corpus, model);
        double raw = RawSessionNdcg(dataset, corpus, model);

        output.WriteLine($"{corpus.Count} documents, {dataset.Queries.Count} queries: nDCG@10 library {library:F5}, raw session {raw:F5}");
        Assert.InRange(library, 0.5, 1.0);
        Assert.Equal(raw, library, 1e-3);
    }

    private static double LibraryNdcg(BeirDataset dataset, IReadOnlyList<Document> corpus, BiEncoder model)
    {
        using var index = SearchIndex.Build(corpus, model);
        var retriever = index.CreateRetriever(FirstStageKind.Dense, model);
        var run = new TrecRun();
        foreach (var (id, text) in dataset.Queries)
        {
            foreach (var hit in retriever.Search(text, 10))
                run.Add(id, corpus[hit.Index].Id, hit.Score);
        }
        return RetrievalEvaluator.Evaluate(dataset.Qrels, run, ["ndcg@10"])["ndcg@10"];
    }

    private static double RawSessionNdcg(BeirDataset dataset, IReadOnlyList<Document> corpus, BiEncoder model)
    {
        using var session = new InferenceSession(model.Folder.File("onnx/model.onnx"));
        float[] Embed(string text)
        {
            var ids = model.Tokenizer.Encode(text, model.MaxLength).InputIds;
            long[] shape = [1, ids.Length];
            using var inputIds = OrtValue.CreateTensorValueFromMemory(ids.Select(x => (long)x).ToArray(), shape);
            using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
            using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [inputIds, mask, types], ["last_hidden_state"]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            int dim = hidden.Length / ids.Length;
            var mean = new double[dim];
            for (int t = 0; t < ids.Length; t++)
            {
                for (int j = 0; j < dim; j++)
                    mean[j] += hidden[t * dim + j];
            }
            double norm = Math.Sqrt(mean.Sum(x => x * x));
            return mean.Select(x => (float)(x / norm)).ToArray();
        }

        var documents = corpus.Select(d => Embed(d.FullText)).ToList();
        var perQuery = new List<double>();
        foreach (var (id, text) in dataset.Queries)
        {
            float[] q = Embed(text);
            var relevant = dataset.Qrels.For(id).Where(p => p.Value >= 1).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var top = Enumerable.Range(0, corpus.Count)
                .Select(i => (corpus[i].Id, Score: documents[i].Zip(q, (a, b) => (double)a * b).Sum()))
                .OrderByDescending(x => x.Score).Take(10).ToList();
            // SciFact's judgments are all grade 1, so the gain is 1 per relevant document.
            double dcg = top.Select((x, rank) => relevant.Contains(x.Id) ? 1 / Math.Log2(rank + 2) : 0).Sum();
            double ideal = Enumerable.Range(0, Math.Min(10, relevant.Count)).Sum(rank => 1 / Math.Log2(rank + 2));
            perQuery.Add(dcg / ideal);
        }
        return perQuery.Average();
    }
}
