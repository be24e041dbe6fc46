using RerankKit.Documents;

namespace RerankKit.Tests.Documents;

public sealed class DocumentLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-docs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Folder_of_markdown_and_text_uses_file_names_as_source()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "b.md"), "# B\nbee");
        File.WriteAllText(Path.Combine(_dir, "sub", "a.txt"), "ay");
        File.WriteAllText(Path.Combine(_dir, "skip.json"), "{}");

        var docs = DocumentLoader.Load(_dir);
        Assert.Equal(["b.md", "sub/a.txt"], docs.Select(d => d.Source));
        Assert.Equal("ay", docs[1].Text);
    }

    [Fact]
    public void Jsonl_and_beir_corpus_lines_are_read_with_titles()
    {
        string path = Path.Combine(_dir, "docs.jsonl");
        File.WriteAllLines(path, ["{\"id\": \"x\", \"text\": \"hello\", \"lang\": \"en\"}", "", "{\"_id\": 7, \"title\": \"T\", \"text\": \"body\"}"]);
        var docs = DocumentLoader.Load(path);
        Assert.Equal(("x", "hello", (string?)null), (docs[0].Id, docs[0].Text, docs[0].Title));
        Assert.Equal("7", docs[1].Id);
        Assert.Equal("T\nbody", docs[1].FullText);

        File.WriteAllLines(path, ["{\"text\": \"no id\"}"]);
        Assert.Contains("docs.jsonl:1", Assert.Throws<InvalidDataException>(() => DocumentLoader.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => DocumentLoader.Load(Path.Combine(_dir, "missing.jsonl")));
    }
}
