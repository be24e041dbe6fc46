using RerankKit.Documents;

namespace RerankKit.Tests.Documents;

public sealed class RecursiveCharacterSplitterTests
{
    private static readonly string Text = string.Join("\n\n", Enumerable.Range(0, 12).Select(p =>
        string.Join(" ", Enumerable.Range(0, 6).Select(s => $"Paragraph {p} sentence {s} talks about topic {p * 7 + s}."))));

    [Fact]
    public void Chunks_are_exact_slices_within_the_size_and_cover_the_text()
    {
        var splitter = new RecursiveCharacterSplitter(200, 50);
        var chunks = splitter.SplitOffsets(Text);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(c.End - c.Start, 1, 200));
        for (int i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Start > chunks[i - 1].Start, $"chunk {i} does not start after chunk {i - 1}");
            // Neighbours overlap or are separated by whitespace only (overlap never crosses a paragraph break).
            if (chunks[i].Start > chunks[i - 1].End)
                Assert.True(string.IsNullOrWhiteSpace(Text[chunks[i - 1].End..chunks[i].Start]));
        }
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(Text.Length, chunks[^1].End);
        // Every non-space character belongs to some chunk.
        var covered = new bool[Text.Length];
        foreach (var (s, e) in chunks)
            for (int i = s; i < e; i++) covered[i] = true;
        Assert.All(Enumerable.Range(0, Text.Length).Where(i => !char.IsWhiteSpace(Text[i])), i => Assert.True(covered[i]));
    }

    [Fact]
    public void Neighbouring_chunks_overlap_and_cuts_fall_on_sentence_ends()
    {
        var chunks = new RecursiveCharacterSplitter(200, 50).SplitOffsets(Text);
        int overlapping = chunks.Zip(chunks.Skip(1)).Count(p => p.Second.Start < p.First.End);
        Assert.True(overlapping > 0);
        Assert.All(chunks, c => Assert.EndsWith(".", Text[c.Start..c.End]));
        Assert.All(chunks.Zip(chunks.Skip(1)), p => Assert.True(p.First.End - p.Second.Start <= 50));
    }

    [Fact]
    public void Paragraphs_that_fit_are_kept_whole()
    {
        string text = "First paragraph is short.\n\nSecond one too.\n\nThird.";
        var chunks = new RecursiveCharacterSplitter(30, 0).SplitOffsets(text);
        Assert.Equal(["First paragraph is short.", "Second one too.\n\nThird."], chunks.Select(c => text[c.Start..c.End]));
    }

    [Fact]
    public void A_word_longer_than_the_chunk_is_cut_by_characters()
    {
        var chunks = new RecursiveCharacterSplitter(4, 1).SplitOffsets("abcdefghij");
        Assert.Equal(["abcd", "defg", "ghij"], chunks.Select(c => "abcdefghij"[c.Start..c.End]));
    }

    [Fact]
    public void Split_documents_carry_source_chunk_number_and_offsets()
    {
        var doc = new Document("gpu.md", Text) { Source = "gpu.md" };
        var chunks = new RecursiveCharacterSplitter().Split([doc, new Document("short", "tiny")]);

        var gpu = chunks.Where(c => c.Source == "gpu.md").ToList();
        Assert.True(gpu.Count > 1);
        Assert.Equal(Enumerable.Range(0, gpu.Count), gpu.Select(c => c.ChunkIndex!.Value));
        Assert.All(gpu, c => Assert.Equal(Text[c.StartOffset!.Value..c.EndOffset!.Value], c.Text));
        Assert.Equal($"gpu.md#{gpu.Count - 1}", gpu[^1].Id);
        Assert.Equal("short", chunks[^1].Id);
        Assert.Throws<ArgumentException>(() => new RecursiveCharacterSplitter(100, 100));
    }
}
