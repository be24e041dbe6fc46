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
/// file is a 404 with <c>X-Error-Code: EntryNotFound</c>. Range requests are honoured. The settable properties make
/// it misbehave as a hostile or broken hub would.</summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const long LfsThreshold = 100_000;
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _repos;
    private int _cdnBodies;

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Every Authorization header received, as "{route} {value}".</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The X-Repo-Commit header sent with every answer.</summary>
    public string RepoCommit { get; set; } = Commit;

    /// <summary>Where LFS files are redirected (scheme, authority), instead of <c>http://localhost:PORT</c>.</summary>
    public string? CdnBase { get; set; }

    /// <summary>The CDN serves the LFS bytes with one byte changed (same length), so they do not match the etag.</summary>
    public bool CorruptLfs { get; set; }

    /// <summary>The CDN sends this many bytes of a body and then nothing more until the client goes away.</summary>
    public long? StallAfter { get; set; }

    /// <summary>The first CDN body (of <see cref="HeldFile"/> when set) sends half of its bytes and waits for this
    /// before sending the rest.</summary>
    public TaskCompletionSource? HoldFirstCdnBody { get; set; }

    /// <summary>The repository file whose first CDN body <see cref="HoldFirstCdnBody"/> holds; null: any file.</summary>
    public string? HeldFile { get; set; }

    private FakeHubServer(WebApplication app, Dictionary<string, string> repos)
    {
        _app = app;
        _repos = repos;
    }

    public string Endpoint { get; private set; } = "";

    /// <summary>Starts on <paramref name="port"/>, or on a free port when it is 0.</summary>
    public static async Task<FakeHubServer> StartAsync(Dictionary<string, string> repos, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeHubServer(app, repos);
        app.MapMethods("/{org}/{name}/resolve/{rev}/{**file}", ["GET", "HEAD"], server.Resolve);
        app.MapMethods("/cdn/{org}/{name}/{**file}", ["GET", "HEAD"], server.Cdn);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address.TrimEnd('/');
        return server;
    }

    private IResult Resolve(HttpContext context, string org, string name, string rev, string file)
    {
        Log.Enqueue($"{context.Request.Method} resolve/{rev}/{file} range={context.Request.Headers.Range}");
        NoteAuthorization(context, $"resolve/{file}");
        context.Response.Headers["X-Repo-Commit"] = RepoCommit;
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
            string cdn = CdnBase ?? $"http://localhost:{new Uri(Endpoint).Port}";
            return Results.Redirect($"{cdn}/cdn/{org}/{name}/{file}");
        }
        context.Response.Headers.ETag = $"\"{Hash(path, SHA1.Create())}\"";
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
    }

    private async Task Cdn(HttpContext context, string org, string name, string file)
    {
        Log.Enqueue($"{context.Request.Method} cdn/{file} range={context.Request.Headers.Range}");
        NoteAuthorization(context, $"cdn/{file}");
        string path = Path.Combine(_repos[$"{org}/{name}"], file);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // An object store names its object by an ETag of its own.
            context.Response.Headers.ETag = $"\"{Hash(path, MD5.Create())}\"";
            context.Response.ContentLength = new FileInfo(path).Length;
            return;
        }
        bool first = (HeldFile is null || HeldFile == file) && Interlocked.Increment(ref _cdnBodies) == 1;
        if (!CorruptLfs && StallAfter is null && (HoldFirstCdnBody is null || !first))
        {
            await Results.File(path, "application/octet-stream", enableRangeProcessing: true).ExecuteAsync(context);
            return;
        }
        byte[] bytes = await File.ReadAllBytesAsync(path);
        if (CorruptLfs)
            bytes[bytes.Length / 2] ^= 0xFF;
        context.Response.ContentLength = bytes.Length;
        var aborted = context.RequestAborted;
        int cut = StallAfter is { } stall ? (int)Math.Min(stall, bytes.Length) : bytes.Length / 2;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, cut), aborted);
        await context.Response.Body.FlushAsync(aborted);
        if (StallAfter is not null)
        {
            await Task.Delay(Timeout.Infinite, aborted);
            return;
        }
        if (HoldFirstCdnBody is { } hold && first)
            await hold.Task.WaitAsync(aborted);
        await context.Response.Body.WriteAsync(bytes.AsMemory(cut), aborted);
    }

    private void NoteAuthorization(HttpContext context, string route)
    {
        if (context.Request.Headers.Authorization is { Count: > 0 } auth)
            Authorizations.Enqueue($"{route} {auth}");
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
