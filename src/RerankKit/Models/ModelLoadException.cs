namespace RerankKit.Models;

/// <summary>A model folder, hub id or file that cannot be used; the message is one line meant for a user.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
