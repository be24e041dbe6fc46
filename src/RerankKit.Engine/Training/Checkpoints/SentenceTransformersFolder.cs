using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>Reads the sentence-transformers module files of a bi-encoder folder.</summary>
public static class SentenceTransformersFolder
{
    /// <summary>Whether the folder's Pooling module selects CLS pooling, in either config format (mean pooling
    /// otherwise, the common default).</summary>
    public static bool UsesClsPooling(string folder) => ModelFolder.Open(folder).Pooling == PoolingMode.Cls;
}
