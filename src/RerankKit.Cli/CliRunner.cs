using System.CommandLine;
using RerankKit.Listwise;
using RerankKit.Models;

namespace RerankKit.Cli;

/// <summary>Parses and runs a command. A user error is one line on stderr and exit code 2; anything unexpected is an
/// internal error, one line and exit code 70 (EX_SOFTWARE), whose stack trace <c>--verbose</c> adds.</summary>
internal static class CliRunner
{
    public const int UserError = 2;
    public const int InternalError = 70;

    public static int Run(RootCommand root, string[] args, TextWriter stderr)
    {
        var verbose = new Option<bool>("--verbose") { Description = "On an internal error, print the stack trace", Recursive = true };
        root.Add(verbose);
        OptionRules.Apply(root);
        // No response files: an argument such as --doc "@user posted a photo" is text, not a file to expand.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && !IsHelpRequest(args))
        {
            stderr.WriteLine($"error: {OneLine(parse.Errors[0].Message)}");
            return UserError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return UserError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error: {OneLine(e.Message)}{(parse.GetValue(verbose) ? "" : " (rerun with --verbose for the stack trace)")}");
            if (parse.GetValue(verbose))
                stderr.WriteLine(e);
            return InternalError;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    /// <summary>Errors about what the user gave: bad files, missing paths, refused values. An ArgumentException counts
    /// only without a parameter name: RerankKit's checks of user-facing values (engine, device, max length, chunking)
    /// speak in option terms, while a guard naming a parameter (ArgumentNullException, an index out of range) is a bug.
    /// A chat endpoint that fails or refuses (<see cref="LlmRerankException"/>) is the user's server, not our bug.</summary>
    private static bool IsUserError(Exception e) => e is CliException or ModelLoadException or InvalidDataException or LlmRerankException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or OperationCanceledException
        or ArgumentException { ParamName: null };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
