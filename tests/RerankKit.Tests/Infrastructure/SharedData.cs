namespace RerankKit.Tests.Infrastructure;

/// <summary>Finds <c>../shared</c> beside the repository root. A test that needs a file that is absent fails
/// with a message naming it, never passes silently.</summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => FindRepoRoot();

    /// <summary>Absolute path of <paramref name="relative"/> inside shared/, which must exist.</summary>
    public static string Get(string relative) => Require(System.IO.Path.Combine(Root.Value, relative));

    public static string Fixture(string name) => Get(System.IO.Path.Combine("fixtures", name));

    public static string Model(string name) => Get(System.IO.Path.Combine("models", name));

    public static string Dataset(string name) => Get(System.IO.Path.Combine("datasets", name));

    private static string Require(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"Required shared test data is missing: {path}. Put the project's shared/ folder beside the repository.");
        return path;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "RerankKit.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"RerankKit.sln not found above {AppContext.BaseDirectory}");
    }

    private static string FindRoot()
    {
        string repo = FindRepoRoot();
        string shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared"));
        if (!Directory.Exists(shared))
            Assert.Fail($"The shared/ folder was not found at {shared} (expected beside the repository root {repo}).");
        return shared;
    }
}
