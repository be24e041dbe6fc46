using System.CommandLine;
using RerankKit.Models;

namespace RerankKit.Cli;

/// <summary>Parses, runs and turns every user error into one line on stderr with exit code 2.</summary>
internal static class CliRunner
{
    public const int UserError = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !IsHelpRequest(args))
        {
            Console.Error.WriteLine($"error: {parse.Errors[0].Message}");
            return UserError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return UserError;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static bool IsUserError(Exception e) => e is CliException or ModelLoadException or FileNotFoundException
        or DirectoryNotFoundException or InvalidDataException or FormatException or ArgumentException
        or UnauthorizedAccessException or IOException or OperationCanceledException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
