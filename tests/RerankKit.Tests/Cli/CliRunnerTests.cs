using System.CommandLine;
using RerankKit.Cli;

namespace RerankKit.Tests.Cli;

/// <summary>How the runner classifies failures: user errors exit 2 with one line; anything unexpected is an internal
/// error (exit 70) whose stack only --verbose shows.</summary>
public class CliRunnerTests
{
    private static (int Exit, string Stderr) Run(Exception thrown, params string[] extra)
    {
        var root = new RootCommand("test");
        var fail = new Command("fail");
        fail.SetAction((Func<ParseResult, int>)(_ => throw thrown));
        root.Subcommands.Add(fail);
        var stderr = new StringWriter();
        int exit = CliRunner.Run(root, ["fail", .. extra], stderr);
        return (exit, stderr.ToString());
    }

    [Fact]
    public void An_unexpected_exception_is_an_internal_error_with_a_hint()
    {
        var (exit, stderr) = Run(new InvalidOperationException("the cache is inconsistent"));
        Assert.Equal(70, exit);
        Assert.Equal("internal error: the cache is inconsistent (rerun with --verbose for the stack trace)", stderr.TrimEnd());
    }

    [Fact]
    public void A_library_argument_check_on_a_named_parameter_is_internal_not_a_user_error()
    {
        var (exit, stderr) = Run(new ArgumentOutOfRangeException("index", "index was out of range"));
        Assert.Equal(70, exit);
        Assert.StartsWith("internal error: ", stderr);
    }

    [Fact]
    public void Verbose_shows_the_stack()
    {
        var (exit, stderr) = Run(new InvalidOperationException("boom"), "--verbose");
        Assert.Equal(70, exit);
        Assert.Contains("internal error: boom", stderr);
        Assert.Contains("   at ", stderr);
    }

    [Theory]
    [InlineData(typeof(InvalidDataException))]
    [InlineData(typeof(FileNotFoundException))]
    public void User_errors_are_one_line_with_exit_2(Type type)
    {
        var (exit, stderr) = Run((Exception)Activator.CreateInstance(type, "bad input\nsecond line")!);
        Assert.Equal(2, exit);
        Assert.Equal("error: bad input second line", stderr.TrimEnd());
    }
}
