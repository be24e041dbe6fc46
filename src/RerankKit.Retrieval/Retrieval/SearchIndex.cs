using RerankKit.Documents;
using RerankKit.IO;

namespace RerankKit.Retrieval;

/// <summary>Documents with a BM25 index and, when built with a bi-encoder, their embeddings (optionally int8 too).
/// Persists to a folder: documents.jsonl, bm25.bin, vectors.f32 (memory-mapped on load), vectors.i8 and
/// vectors.scales.f32, ColBERT token vectors (colbert.f32, colbert.offsets.i64), and manifest.json (sizes and SHA-256 of every file) written last; the folder is swapped in whole.</summary>
public sealed class SearchIndex : IDisposable
{
    private const string DocumentsFile = "documents.jsonl";
    private const string Bm25File = "bm25.bin";
    private const string VectorsFile = "vectors.f32";
    private const string Int8File = "vectors.i8";
    private const string Int8ScalesFile = "vectors.scales.f32";

    private SearchIndex(IReadOnlyList<Document> documents, Bm25Index bm25, VectorMatrix? vectors, Int8Vectors? int8, IndexManifest manifest,
        TokenVectorStore? tokenVectors = null)
    {
        TokenVectors = tokenVectors;
        Documents = documents;
        Bm25 = bm25;
        Vectors = vectors;
        Int8 = int8;
        Manifest = manifest;
    }

    public IReadOnlyList<Document> Documents { get; }

    public Bm25Index Bm25 { get; }

    public VectorMatrix? Vectors { get; }

    public Int8Vectors? Int8 { get; }

    public IndexManifest Manifest { get; }

    public bool HasVectors => Vectors is not null;

    /// <summary>The documents' ColBERT token vectors, when built with <see cref="SearchIndexOptions.ColBert"/>.</summary>
    public TokenVectorStore? TokenVectors { get; }

    public static SearchIndex Build(IReadOnlyList<Document> documents, IBiEncoder? encoder = null, SearchIndexOptions? options = null,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new SearchIndexOptions();
        if (documents.Count == 0)
            throw new ArgumentException("Nothing to index: the corpus has no documents.");
        var duplicate = documents.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"Document id \"{duplicate.Key}\" occurs {duplicate.Count()} times; ids must be unique.");

        var texts = documents.Select(d => d.FullText).ToList();
        var bm25 = Bm25Index.Build(texts, options.Bm25, progress is null ? null : new CallbackProgress<int>(n => progress.Report(new IndexProgress("bm25", n, texts.Count))), cancellationToken);
        progress?.Report(new IndexProgress("bm25", texts.Count, texts.Count));

        VectorMatrix? vectors = null;
        Int8Vectors? int8 = null;
        if (encoder is not null)
        {
            vectors = Embed(encoder, texts, options, progress, cancellationToken);
            if (options.Int8)
                int8 = Int8Vectors.Quantize(vectors);
        }
        TokenVectorStore? tokenVectors = null;
        if (options.ColBert is { } colbert)
        {
            progress?.Report(new IndexProgress("colbert", 0, texts.Count));
            tokenVectors = TokenVectorStore.FromDocuments(colbert.EncodeDocuments(texts, cancellationToken), colbert.Dimension);
            progress?.Report(new IndexProgress("colbert", texts.Count, texts.Count));
        }
        var manifest = new IndexManifest
        {
            ColBertModel = options.ColBert?.ModelName,
            ColBertDimension = tokenVectors?.Dimension,
            ColBertTokens = tokenVectors?.TokenCount,
            CreatedUtc = DateTime.UtcNow,
            DocumentCount = documents.Count,
            ChunkSize = options.ChunkSize,
            ChunkOverlap = options.ChunkOverlap,
            Bm25K1 = options.Bm25.K1,
            Bm25B = options.Bm25.B,
            EmbedModel = encoder?.ModelName,
            Dimension = vectors?.Dimension,
            Int8 = int8 is not null,
        };
        return new SearchIndex(documents, bm25, vectors, int8, manifest, tokenVectors);
    }

    /// <summary>ColBERT over the stored token vectors; <paramref name="model"/> encodes the queries and must be the
    /// model the index was built with (its dimension is checked; the name is the caller's to compare).</summary>
    public IFirstStageRetriever CreateColBertRetriever(RerankKit.LateInteraction.ColBert model)
    {
        if (TokenVectors is null)
            throw new InvalidOperationException("The index has no ColBERT token vectors; rebuild it with a ColBERT model (--colbert-model).");
        if (model.Dimension != TokenVectors.Dimension)
            throw new ArgumentException($"The ColBERT model {model.ModelName} gives {model.Dimension}-dimensional token vectors; the index holds {TokenVectors.Dimension}-dimensional ones from {Manifest.ColBertModel}.");
        return new ColBertRetriever(model, TokenVectors);
    }

    /// <summary>A first stage over this index; dense and hybrid need the bi-encoder the index was built with.</summary>
    public IFirstStageRetriever CreateRetriever(FirstStageKind kind, IBiEncoder? encoder = null, EncodeOptions? encodeOptions = null)
    {
        if (kind == FirstStageKind.Bm25)
            return new Bm25Retriever(Bm25);
        if (kind == FirstStageKind.ColBert)
            throw new ArgumentException("ColBERT retrieval needs its model: use CreateColBertRetriever.");
        if (Vectors is null)
            throw new InvalidOperationException($"The index has no vectors, so {kind.ToString().ToLowerInvariant()} retrieval is unavailable; rebuild it with an embedding model (--embed-model).");
        if (encoder is null)
            throw new ArgumentException($"{kind} retrieval needs the bi-encoder the index was built with ({Manifest.EmbedModel}).");
        if (encoder.Dimension < Vectors.Dimension)
            throw new ArgumentException($"The bi-encoder {encoder.ModelName} gives {encoder.Dimension}-dimensional vectors; the index holds {Vectors.Dimension}-dimensional vectors from {Manifest.EmbedModel}.");
        // An index built with a Matryoshka truncate_dim holds fewer dimensions than the model gives; queries are
        // truncated (and renormalized) the same way.
        if (encoder.Dimension > Vectors.Dimension)
            encodeOptions = (encodeOptions ?? new EncodeOptions()) with { TruncateDim = Vectors.Dimension };
        var dense = new DenseRetriever(encoder, Vectors, Int8, encodeOptions);
        return kind == FirstStageKind.Dense ? dense : new HybridRetriever(new Bm25Retriever(Bm25), dense);
    }

    /// <summary>Writes the index into <paramref name="folder"/> (created if needed). The files are written into a
    /// sibling folder that then replaces <paramref name="folder"/> by renames (<see cref="AtomicFolder"/>), so a crash
    /// mid-build leaves the previous index intact and a reader never sees a mix. A non-empty folder that is not a
    /// RerankKit index is refused rather than overwritten.</summary>
    public void Save(string folder)
    {
        AtomicFolder.Recover(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, IndexManifest.FileName)))
            throw new IOException($"{folder} is not empty and is not a RerankKit index; choose an empty or new folder.");
        AtomicFolder.Write(folder, WriteFiles);
    }

    private void WriteFiles(string folder)
    {
        var files = new Dictionary<string, long>();
        var checksums = new Dictionary<string, string>();
        void Track(string name)
        {
            string path = Path.Combine(folder, name);
            files[name] = new FileInfo(path).Length;
            checksums[name] = IndexManifest.Checksum(path);
        }

        DocumentStore.Write(Path.Combine(folder, DocumentsFile), Documents);
        Track(DocumentsFile);
        Bm25.Save(Path.Combine(folder, Bm25File));
        Track(Bm25File);
        if (Vectors is not null)
        {
            Vectors.Save(Path.Combine(folder, VectorsFile));
            Track(VectorsFile);
        }
        if (Int8 is not null)
        {
            Int8.Save(Path.Combine(folder, Int8File), Path.Combine(folder, Int8ScalesFile));
            Track(Int8File);
            Track(Int8ScalesFile);
        }
        if (TokenVectors is not null)
        {
            TokenVectors.Save(Path.Combine(folder, TokenVectorStore.VectorsFile), Path.Combine(folder, TokenVectorStore.OffsetsFile));
            Track(TokenVectorStore.VectorsFile);
            Track(TokenVectorStore.OffsetsFile);
        }
        (Manifest with { Files = files, Sha256 = checksums }).Write(folder);
    }

    /// <summary>Loads a folder written by <see cref="Save"/>, first completing a swap a crash interrupted. A missing,
    /// foreign, truncated, corrupt or inconsistent folder throws <see cref="InvalidDataException"/> (or
    /// <see cref="DirectoryNotFoundException"/>) with a one-line message.</summary>
    public static SearchIndex Load(string folder)
    {
        AtomicFolder.Recover(folder);
        var manifest = IndexManifest.Read(folder);
        if (!manifest.Files.ContainsKey(DocumentsFile) || !manifest.Files.ContainsKey(Bm25File))
            throw new InvalidDataException($"{folder} is an incomplete RerankKit index: the manifest lists no {DocumentsFile} or {Bm25File}");
        var documents = DocumentStore.Read(Path.Combine(folder, DocumentsFile));
        var bm25 = Bm25Index.Load(Path.Combine(folder, Bm25File));
        if (documents.Count != manifest.DocumentCount || bm25.DocumentCount != manifest.DocumentCount)
            throw new InvalidDataException($"{folder} is a corrupt RerankKit index: {documents.Count} documents and {bm25.DocumentCount} BM25 rows, the manifest says {manifest.DocumentCount}");
        VectorMatrix? vectors = null;
        Int8Vectors? int8 = null;
        if (manifest.Files.ContainsKey(VectorsFile))
        {
            if (manifest.Dimension is not > 0)
                throw new InvalidDataException($"{folder} is a corrupt RerankKit index: vectors without a dimension");
            vectors = VectorMatrix.Map(Path.Combine(folder, VectorsFile), manifest.DocumentCount, manifest.Dimension.Value);
            if (manifest.Int8)
                int8 = Int8Vectors.Load(Path.Combine(folder, Int8File), Path.Combine(folder, Int8ScalesFile), manifest.DocumentCount, manifest.Dimension.Value);
        }
        TokenVectorStore? tokenVectors = null;
        if (manifest.Files.ContainsKey(TokenVectorStore.VectorsFile))
        {
            if (manifest.ColBertDimension is not > 0 || !manifest.Files.ContainsKey(TokenVectorStore.OffsetsFile))
                throw new InvalidDataException($"{folder} is a corrupt RerankKit index: ColBERT vectors without a dimension or offsets");
            tokenVectors = TokenVectorStore.Load(Path.Combine(folder, TokenVectorStore.VectorsFile), Path.Combine(folder, TokenVectorStore.OffsetsFile),
                manifest.DocumentCount, manifest.ColBertDimension.Value);
        }
        return new SearchIndex(documents, bm25, vectors, int8, manifest, tokenVectors);
    }

    public void Dispose() => Vectors?.Dispose();

    /// <summary>One call over the whole corpus, so the encoder sorts all of it by token length before batching (far
    /// less padding than sorting slice by slice); progress comes back per batch.</summary>
    private static VectorMatrix Embed(IBiEncoder encoder, List<string> texts, SearchIndexOptions options, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new IndexProgress("embed", 0, texts.Count));
        var encodeOptions = (options.EncodeOptions ?? new EncodeOptions()) with
        {
            Progress = progress is null ? null : new CallbackProgress<int>(done => progress.Report(new IndexProgress("embed", done, texts.Count))),
        };
        var rows = encoder.EncodeDocument(texts, encodeOptions, cancellationToken);
        if (rows.Length != texts.Count)
            throw new InvalidOperationException($"The bi-encoder returned {rows.Length} vectors for {texts.Count} texts.");
        // An encoder that reports no progress of its own still completes the phase.
        progress?.Report(new IndexProgress("embed", texts.Count, texts.Count));
        return VectorMatrix.FromRows(rows, options.EncodeOptions?.TruncateDim ?? encoder.Dimension);
    }
}
