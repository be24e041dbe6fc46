namespace RerankKit.Cli;

/// <summary>A user error: printed as one line on stderr and exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
