namespace RerankKit.Listwise;

/// <summary>The chat endpoint could not rank a window: it kept failing (timeouts, HTTP 429/5xx, connection errors)
/// through every retry, or it refused the request (any other HTTP error). The message is one line naming what
/// happened on the last attempt.</summary>
public sealed class LlmRerankException(string message, Exception? inner = null) : Exception(message, inner);
