namespace RerankKit.Models;

/// <summary>A prompt name the model's config_sentence_transformers.json does not define; the message lists those it
/// does. An <see cref="ArgumentException"/> without a parameter name, so the CLI reports it as a user error.</summary>
public sealed class UnknownPromptException(string message) : ArgumentException(message);
