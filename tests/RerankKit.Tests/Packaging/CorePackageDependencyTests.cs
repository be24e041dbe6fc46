using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Packaging;

/// <summary>What each library package brings into an application that references it: the package's transitive
/// closure, read from the restore output of its project (<c>src/&lt;project&gt;/obj/project.assets.json</c>: every
/// package and project of the resolved graph, and the shared frameworks they reference). The core package must stay
/// small; ASP.NET Core, drawing, Redis and metric exporters belong to the packages built for them, and no package needs
/// Lucene.Net (RerankKit.Retrieval has its own English analyzer).</summary>
public class CorePackageDependencyTests
{
    private const string AspNetCore = "ASP.NET Core";
    private const string Drawing = "SkiaSharp/ScottPlot";
    private const string Lucene = "Lucene.Net";
    private const string Redis = "StackExchange.Redis";
    private const string Prometheus = "Prometheus exporters";

    /// <summary>Package ids of each group: an id matches a prefix when it equals it or continues it after a dot.</summary>
    private static readonly Dictionary<string, string[]> PackagePrefixes = new()
    {
        [AspNetCore] = ["Microsoft.AspNetCore"],
        [Drawing] = ["SkiaSharp", "ScottPlot"],
        [Lucene] = ["Lucene.Net"],
        [Redis] = ["StackExchange.Redis"],
        [Prometheus] = ["prometheus-net", "OpenTelemetry.Exporter.Prometheus"],
    };

    private const string ManagedOnnxRuntime = "Microsoft.ML.OnnxRuntime.Managed";

    [Theory]
    [InlineData("RerankKit", AspNetCore, Drawing, Lucene, Redis, Prometheus)]
    [InlineData("RerankKit.Retrieval", AspNetCore, Drawing, Lucene, Redis, Prometheus)]
    [InlineData("RerankKit.Engine", AspNetCore, Drawing, Lucene, Redis, Prometheus)]
    [InlineData("RerankKit.Reports", AspNetCore, Lucene, Redis, Prometheus)]
    [InlineData("RerankKit.AspNetCore", Drawing, Lucene, Redis, Prometheus)]
    [InlineData("RerankKit.Redis", AspNetCore, Drawing, Lucene, Prometheus)]
    [InlineData("RerankKit.Models.Bundled", AspNetCore, Drawing, Lucene, Redis, Prometheus)]
    public void Library_package_does_not_pull_in_heavy_dependencies(string project, params string[] forbidden)
    {
        var closure = Closure.Read(project);

        var found = forbidden
            .SelectMany(group => closure.Packages.Where(id => PackagePrefixes[group].Any(prefix => Matches(id, prefix)))
                .Select(id => $"{id} ({group})"))
            .ToList();
        // ASP.NET Core comes as a shared framework, not as packages; any package in the graph may reference it.
        if (forbidden.Contains(AspNetCore))
            found.AddRange(closure.FrameworkReferences.Where(f => f.Equals("Microsoft.AspNetCore.App", StringComparison.OrdinalIgnoreCase)));

        Assert.True(found.Count == 0, $"{project} pulls in {string.Join(", ", found)}.\n{closure}");
    }

    [Theory]
    [InlineData("RerankKit")]
    [InlineData("RerankKit.Retrieval")]
    [InlineData("RerankKit.Engine")]
    [InlineData("RerankKit.Reports")]
    [InlineData("RerankKit.AspNetCore")]
    [InlineData("RerankKit.Redis")]
    [InlineData("RerankKit.Models.Bundled")]
    public void Library_package_uses_the_managed_onnx_runtime_and_leaves_the_native_one_to_the_application(string project)
    {
        var closure = Closure.Read(project);

        Assert.True(closure.Packages.Contains(ManagedOnnxRuntime, StringComparer.OrdinalIgnoreCase),
            $"{project} does not depend on {ManagedOnnxRuntime}.\n{closure}");
        // Every other ONNX Runtime package (Microsoft.ML.OnnxRuntime, .Gpu, .Gpu.Linux, .DirectML, ...) carries
        // native binaries for one kind of hardware, which only the application can choose.
        var native = closure.Packages
            .Where(id => Matches(id, "Microsoft.ML.OnnxRuntime") && !id.Equals(ManagedOnnxRuntime, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(native.Count == 0, $"{project} pulls in the native ONNX Runtime {string.Join(", ", native)}.\n{closure}");
    }

    private static bool Matches(string id, string prefix) =>
        id.Equals(prefix, StringComparison.OrdinalIgnoreCase) || id.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase);

    private sealed record Closure(string AssetsFile, IReadOnlyList<string> Libraries, IReadOnlyList<string> FrameworkReferences)
    {
        /// <summary>Ids of the packages and projects of the closure.</summary>
        public IEnumerable<string> Packages => Libraries.Select(library => library.Split('/')[0]);

        public static Closure Read(string project)
        {
            string path = Path.Combine(SharedData.RepoRoot, "src", project, "obj", "project.assets.json");
            Assert.True(File.Exists(path), $"{path} is missing: restore the solution first (dotnet restore RerankKit.sln).");
            using var assets = JsonDocument.Parse(File.ReadAllText(path));
            var root = assets.RootElement;
            // "targets" holds the resolved graph per framework: "Id/Version" entries for every package and
            // project reference, direct or transitive, each with the shared frameworks it references.
            var graph = root.GetProperty("targets").GetProperty("net10.0");
            var libraries = graph.EnumerateObject().Select(library => library.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();

            var frameworks = root.GetProperty("project").GetProperty("frameworks").GetProperty("net10.0")
                .TryGetProperty("frameworkReferences", out var own)
                ? own.EnumerateObject().Select(f => f.Name).ToList()
                : [];
            foreach (var library in graph.EnumerateObject())
                if (library.Value.TryGetProperty("frameworkReferences", out var referenced))
                    frameworks.AddRange(referenced.EnumerateArray().Select(f => f.GetString()!));

            return new Closure(path, libraries, frameworks.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList());
        }

        public override string ToString() =>
            $"Closure from {AssetsFile}:\n  packages and projects: {string.Join(", ", Libraries)}\n  framework references: {string.Join(", ", FrameworkReferences)}";
    }
}
