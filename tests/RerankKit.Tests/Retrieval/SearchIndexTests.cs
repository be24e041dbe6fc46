using RerankKit.Documents;
using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

public sealed class SearchIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-index-").FullName;

    private static readonly IReadOnlyList<Document> Docs =
    [
        new("a", "GPU memory holds weights, activations and the KV cache.") { Source = "gpu.md", ChunkIndex = 0, StartOffset = 0, EndOffset = 55 },
        new("b", "LoRA trains low-rank adapters instead of all weights.") { Source = "lora.md" },
        new("c", "Attention compares every token with every other token.") { Title = "Attention" },
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Saved_index_reloads_with_memory_mapped_vectors_and_identical_results()
    {
        var encoder = new HashingBiEncoder();
        string folder = Path.Combine(_dir, "idx");
        using (var built = SearchIndex.Build(Docs, encoder, new SearchIndexOptions { Int8 = true }))
            built.Save(folder);

        using var index = SearchIndex.Load(folder);
        Assert.Equal(Docs, index.Documents);
        Assert.True(index.Vectors!.IsMemoryMapped);
        Assert.Equal(encoder.Encode([Docs[1].FullText])[0], index.Vectors.Row(1).ToArray());
        Assert.Equal("b", index.Documents[index.CreateRetriever(FirstStageKind.Bm25).Search("low-rank adapters", 1)[0].Index].Id);
        Assert.Equal("b", index.Documents[index.CreateRetriever(FirstStageKind.Dense, encoder).Search("low-rank adapters", 1)[0].Index].Id);
        Assert.Equal("b", index.Documents[index.CreateRetriever(FirstStageKind.Hybrid, encoder).Search("low-rank adapters", 1)[0].Index].Id);
        Assert.Equal(IndexManifest.CurrentVersion, index.Manifest.Version);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void Bm25_only_index_refuses_dense_search_with_a_clear_message()
    {
        string folder = Path.Combine(_dir, "bm25");
        SearchIndex.Build(Docs).Save(folder);
        using var index = SearchIndex.Load(folder);
        var e = Assert.Throws<InvalidOperationException>(() => index.CreateRetriever(FirstStageKind.Dense, new HashingBiEncoder()));
        Assert.Contains("--embed-model", e.Message);
    }

    [Fact]
    public void Foreign_truncated_or_future_folders_give_one_line_errors()
    {
        string foreign = Path.Combine(_dir, "foreign");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "hello");
        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(foreign)), "not a RerankKit index");
        Assert.Throws<IOException>(() => SearchIndex.Build(Docs).Save(foreign));

        string folder = Path.Combine(_dir, "idx");
        SearchIndex.Build(Docs, new HashingBiEncoder()).Save(folder);
        string vectors = Path.Combine(folder, "vectors.f32");
        File.WriteAllBytes(vectors, File.ReadAllBytes(vectors)[..12]);
        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder)), "vectors.f32 has 12 bytes");

        string manifest = Path.Combine(folder, IndexManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"version\": {IndexManifest.CurrentVersion}", "\"version\": 99"));
        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder)), "version 99");
        File.WriteAllText(manifest, "{ not json");
        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder)), "corrupt");
        Assert.Throws<DirectoryNotFoundException>(() => SearchIndex.Load(Path.Combine(_dir, "missing")));
    }

    [Theory]
    [InlineData("vectors.f32")]
    [InlineData("vectors.i8")]
    [InlineData("vectors.scales.f32")]
    [InlineData("bm25.bin")]
    public void Same_size_corruption_of_a_data_file_is_refused_on_load(string file)
    {
        string folder = Path.Combine(_dir, "idx");
        using (var built = SearchIndex.Build(Docs, new HashingBiEncoder(), new SearchIndexOptions { Int8 = true }))
            built.Save(folder);
        string path = Path.Combine(folder, file);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder)), $"{file} does not match its SHA-256");
    }

    [Fact]
    public void Swapped_document_lines_are_refused_on_load()
    {
        string folder = Path.Combine(_dir, "idx");
        SearchIndex.Build(Docs).Save(folder);
        string path = Path.Combine(folder, "documents.jsonl");
        var lines = File.ReadAllLines(path);
        (lines[0], lines[1]) = (lines[1], lines[0]);
        File.WriteAllLines(path, lines);

        AssertOneLine(Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder)), "documents.jsonl does not match its SHA-256");
    }

    [Fact]
    public void Rebuild_into_the_same_folder_replaces_it_whole_and_drops_stale_temporary_files()
    {
        string folder = Path.Combine(_dir, "idx");
        SearchIndex.Build(Docs).Save(folder);
        // What a build killed by the previous version's file-by-file writes left behind.
        string stale = Path.Combine(folder, ".bm25.bin.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(stale, "half a file");

        SearchIndex.Build(Docs.Take(2).ToList()).Save(folder);

        using var index = SearchIndex.Load(folder);
        Assert.Equal(2, index.Documents.Count);
        Assert.False(File.Exists(stale));
        Assert.Equal(["idx"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_restores_the_old_index_when_a_crash_interrupted_the_swap()
    {
        string folder = Path.Combine(_dir, "idx");
        SearchIndex.Build(Docs).Save(folder);
        // A crash between the two renames of a rebuild: the old index renamed aside, the new one not yet in place.
        Directory.Move(folder, Path.Combine(_dir, ".idx.old"));
        Directory.CreateDirectory(Path.Combine(_dir, ".idx.new"));

        using (var index = SearchIndex.Load(folder))
            Assert.Equal(Docs, index.Documents);
        Assert.False(Directory.Exists(Path.Combine(_dir, ".idx.old")));

        SearchIndex.Build(Docs.Take(1).ToList()).Save(folder);
        Assert.Equal(["idx"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => SearchIndex.Build([new Document("x", "one"), new Document("x", "two")]));
    }

    private static void AssertOneLine(Exception e, string expected)
    {
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
