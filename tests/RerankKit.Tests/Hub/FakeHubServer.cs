using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RerankKit.Tests.Hub;

/// <summary>Serves folders on 127.0.0.1 the way the Hugging Face hub does: <c>/{org}/{name}/resolve/{rev}/{file}</c>
/// answers small files with a git-style ETag and large ones (LFS) with a 302 carrying <c>X-Linked-Etag</c> (sha256)
/// and <c>X-Linked-Size</c> to a CDN address on another host name; every answer has <c>X-Repo-Commit</c>; a missing
/// file is a 404 with <c>X-Error-Code: EntryNotFound</c>. Range requests are honoured.</summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const long LfsThreshold = 100_000;
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _repos;

    public ConcurrentQueue<string> Log { get; } = new();

    private FakeHubServer(WebApplication app, Dictionary<string, string> repos)
    {
        _app = app;
        _repos = repos;
    }

    public string Endpoint { get; private set; } = "";

    public static async Task<FakeHubServer> StartAsync(Dictionary<string, string> repos)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeHubServer(app, repos);
        app.MapMethods("/{org}/{name}/resolve/{rev}/{**file}", ["GET", "HEAD"], server.Resolve);
        app.MapGet("/cdn/{org}/{name}/{**file}", server.Cdn);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address.TrimEnd('/');
        return server;
    }

    private IResult Resolve(HttpContext context, string org, string name, string rev, string file)
    {
        Log.Enqueue($"{context.Request.Method} resolve/{rev}/{file} range={context.Request.Headers.Range}");
        context.Response.Headers["X-Repo-Commit"] = Commit;
        if (!_repos.TryGetValue($"{org}/{name}", out string? root))
        {
            context.Response.Headers["X-Error-Code"] = "RepositoryNotFound";
            context.Response.Headers["X-Error-Message"] = "Repository not found";
            return Results.StatusCode(401);
        }
        string path = Path.Combine(root, file);
        if (!File.Exists(path))
        {
            context.Response.Headers["X-Error-Code"] = "EntryNotFound";
            context.Response.Headers["X-Error-Message"] = "Entry not found";
            return Results.NotFound();
        }
        var info = new FileInfo(path);
        if (info.Length >= LfsThreshold)
        {
            context.Response.Headers["X-Linked-Etag"] = $"\"{Hash(path, SHA256.Create())}\"";
            context.Response.Headers["X-Linked-Size"] = info.Length.ToString();
            // "localhost" is another host name for the same loopback server, as a CDN is another host.
            var port = new Uri(Endpoint).Port;
            return Results.Redirect($"http://localhost:{port}/cdn/{org}/{name}/{file}");
        }
        context.Response.Headers.ETag = $"\"{Hash(path, SHA1.Create())}\"";
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
    }

    private IResult Cdn(HttpContext context, string org, string name, string file)
    {
        Log.Enqueue($"{context.Request.Method} cdn/{file} range={context.Request.Headers.Range}");
        return Results.File(Path.Combine(_repos[$"{org}/{name}"], file), "application/octet-stream", enableRangeProcessing: true);
    }

    public static string Hash(string path, HashAlgorithm algorithm)
    {
        using (algorithm)
        using (var stream = File.OpenRead(path))
            return Convert.ToHexStringLower(algorithm.ComputeHash(stream));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
