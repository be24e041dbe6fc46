using RerankKit.IO;
using System.Text;

namespace RerankKit.Retrieval;

/// <summary>An inverted index scored with Okapi BM25 over <see cref="EnglishTextAnalyzer"/> terms.
/// Scoring is written here over Lucene-equal analysis rather than done by a Lucene index with BM25Similarity because
/// Lucene.Net 4.8 stores each document length as a one-byte lossy norm (BM25 then sees rounded lengths) and keeps
/// its own file format; exact lengths and a versioned format of ours, persisted next to the vectors, are worth the
/// few lines of scoring. The formula is Lucene's: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf weight =
/// tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)), a query term repeated n times counts n times (Anserini's
/// bag-of-words query).</summary>
public sealed class Bm25Index
{
    private const string Magic = "RKBM25";
    private const int FormatVersion = 1;

    private readonly Dictionary<string, int> _termIds;
    private readonly int[] _postingStart;   // term t's postings are [_postingStart[t], _postingStart[t + 1])
    private readonly int[] _postingDocs;
    private readonly int[] _postingFreqs;
    private readonly int[] _docLengths;
    private float[] _lengthNorms = [];

    private Bm25Index(Dictionary<string, int> termIds, int[] postingStart, int[] postingDocs, int[] postingFreqs, int[] docLengths, Bm25Options options)
    {
        _termIds = termIds;
        _postingStart = postingStart;
        _postingDocs = postingDocs;
        _postingFreqs = postingFreqs;
        _docLengths = docLengths;
        Options = options;
    }

    public Bm25Options Options { get; private set; }

    public int DocumentCount => _docLengths.Length;

    public int TermCount => _termIds.Count;

    public double AverageDocumentLength { get; private set; }

    /// <summary>Indexes <paramref name="texts"/>; document i of the index is texts[i].</summary>
    public static Bm25Index Build(IReadOnlyList<string> texts, Bm25Options? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new Bm25Options();
        options.Validate();
        using var analyzer = new EnglishTextAnalyzer();
        var analyzed = new List<string>[texts.Count];
        int done = 0;
        Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            analyzed[i] = analyzer.Analyze(texts[i]);
            int n = Interlocked.Increment(ref done);
            if (n % 256 == 0 || n == texts.Count)
                progress?.Report(n);
        });

        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var postings = new List<List<(int Doc, int Freq)>>();
        var docLengths = new int[texts.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int doc = 0; doc < analyzed.Length; doc++)
        {
            docLengths[doc] = analyzed[doc].Count;
            counts.Clear();
            foreach (string term in analyzed[doc])
                counts[term] = counts.GetValueOrDefault(term) + 1;
            foreach (var (term, freq) in counts)
            {
                if (!termIds.TryGetValue(term, out int id))
                {
                    id = termIds.Count;
                    termIds.Add(term, id);
                    postings.Add([]);
                }
                postings[id].Add((doc, freq));
            }
        }

        var start = new int[postings.Count + 1];
        for (int t = 0; t < postings.Count; t++)
            start[t + 1] = start[t] + postings[t].Count;
        var docs = new int[start[^1]];
        var freqs = new int[start[^1]];
        for (int t = 0; t < postings.Count; t++)
        {
            for (int j = 0; j < postings[t].Count; j++)
            {
                docs[start[t] + j] = postings[t][j].Doc;
                freqs[start[t] + j] = postings[t][j].Freq;
            }
        }
        var index = new Bm25Index(termIds, start, docs, freqs, docLengths, options);
        index.PrepareScoring();
        return index;
    }

    /// <summary>The same postings scored with other parameters (no re-indexing).</summary>
    public Bm25Index WithOptions(Bm25Options options)
    {
        options.Validate();
        var copy = new Bm25Index(_termIds, _postingStart, _postingDocs, _postingFreqs, _docLengths, options);
        copy.PrepareScoring();
        return copy;
    }

    /// <summary>The <paramref name="k"/> best-scoring documents that share at least one term with the query.</summary>
    public RetrievalHit[] Search(IReadOnlyList<string> queryTerms, int k)
    {
        var scores = new float[DocumentCount];
        Score(queryTerms, scores);
        return TopK.Select(scores, k, skipZero: true);
    }

    /// <summary>Adds the BM25 score of every document for <paramref name="queryTerms"/> into <paramref name="scores"/>.</summary>
    public void Score(IReadOnlyList<string> queryTerms, Span<float> scores)
    {
        float k1 = Options.K1;
        int n = DocumentCount;
        foreach (var group in queryTerms.GroupBy(t => t, StringComparer.Ordinal))
        {
            if (!_termIds.TryGetValue(group.Key, out int id))
                continue;
            int from = _postingStart[id], to = _postingStart[id + 1];
            int df = to - from;
            float idf = (float)Math.Log(1 + (n - df + 0.5) / (df + 0.5));
            float weight = idf * (k1 + 1) * group.Count();
            for (int p = from; p < to; p++)
            {
                float tf = _postingFreqs[p];
                int doc = _postingDocs[p];
                scores[doc] += weight * tf / (tf + _lengthNorms[doc]);
            }
        }
    }

    public void Save(string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Options.K1);
            w.Write(Options.B);
            WriteInts(w, _docLengths);
            var terms = new string[_termIds.Count];
            foreach (var (term, id) in _termIds)
                terms[id] = term;
            w.Write(terms.Length);
            foreach (string term in terms)
                w.Write(term);
            WriteInts(w, _postingStart);
            WriteInts(w, _postingDocs);
            WriteInts(w, _postingFreqs);
        });
    }

    /// <summary>Reads an index written by <see cref="Save"/>; anything else is an <see cref="InvalidDataException"/>.</summary>
    public static Bm25Index Load(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (r.ReadString() != Magic)
                throw new InvalidDataException($"{path} is not a RerankKit BM25 index");
            int version = r.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"{path} has BM25 format version {version}; this build reads version {FormatVersion}");
            var options = new Bm25Options { K1 = r.ReadSingle(), B = r.ReadSingle() };
            int[] docLengths = ReadInts(r);
            int termCount = r.ReadInt32();
            var termIds = new Dictionary<string, int>(termCount, StringComparer.Ordinal);
            for (int t = 0; t < termCount; t++)
                termIds.Add(r.ReadString(), t);
            int[] start = ReadInts(r);
            int[] docs = ReadInts(r);
            int[] freqs = ReadInts(r);
            if (start.Length != termCount + 1 || start[^1] != docs.Length || docs.Length != freqs.Length
                || docs.Any(d => (uint)d >= (uint)docLengths.Length) || stream.Position != stream.Length)
                throw new InvalidDataException($"{path} is corrupt (inconsistent postings)");
            var index = new Bm25Index(termIds, start, docs, freqs, docLengths, options);
            index.PrepareScoring();
            return index;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException and not FileNotFoundException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{path} is corrupt or truncated ({e.GetType().Name})", e);
        }
    }

    private void PrepareScoring()
    {
        AverageDocumentLength = DocumentCount == 0 ? 0 : _docLengths.Average();
        float k1 = Options.K1, b = Options.B;
        double avg = Math.Max(AverageDocumentLength, 1e-9);
        _lengthNorms = _docLengths.Select(dl => (float)(k1 * (1 - b + b * dl / avg))).ToArray();
    }

    private static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static int[] ReadInts(BinaryReader r)
    {
        int length = r.ReadInt32();
        if (length < 0 || length > (r.BaseStream.Length - r.BaseStream.Position) / sizeof(int))
            throw new InvalidDataException("array length out of range");
        var values = new int[length];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length)
            throw new EndOfStreamException();
        return values;
    }
}
