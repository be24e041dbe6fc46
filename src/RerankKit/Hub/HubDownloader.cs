using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RerankKit.IO;

namespace RerankKit.Hub;

/// <summary>Fetches files from a hub endpoint (<c>{endpoint}/{repo}/resolve/{revision}/{file}</c>) into the cache
/// layout huggingface_hub uses: the bytes go to <c>blobs/ETAG.incomplete</c> (resumed with an HTTP Range request
/// when a previous attempt left one), are renamed to <c>blobs/ETAG</c> when complete, and are linked into
/// <c>snapshots/COMMIT/</c>. An LFS blob must hash to the sha256 the hub links it to; a per-blob lock file keeps two
/// processes from writing the same blob; a server that sends nothing for the stall timeout fails the download.</summary>
internal sealed partial class HubDownloader : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly Uri _endpointUri;
    private readonly string? _token;
    private readonly TimeSpan _stallTimeout;
    private readonly Action<DownloadProgress>? _progress;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    public HubDownloader(string endpoint, string? token, TimeSpan stallTimeout, Action<DownloadProgress>? progress)
    {
        // Redirects are followed by hand: a HEAD must read the hub's own X-Linked-* headers before any CDN
        // redirect, and the token must not travel to another origin. The stall timeout replaces HttpClient's overall
        // one, which would cut off a large download that is still making progress.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RerankKit", "1.0"));
        _endpoint = endpoint;
        _endpointUri = new Uri(endpoint);
        _token = token;
        _stallTimeout = stallTimeout;
        _progress = progress;
    }

    public string UrlOf(HubRepoId repo, string revision, string file) =>
        $"{_endpoint}/{repo.Id}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>Downloads one file into the cache and returns the commit it came from.</summary>
    public async Task<string> DownloadAsync(HubCacheRepo cache, HubRepoId repo, string revision, string file, CancellationToken ct)
    {
        string url = UrlOf(repo, revision, file);
        var meta = await HeadAsync(url, ct).ConfigureAwait(false);
        string commit = meta.Commit ?? (HubCacheRepo.IsCommit(revision) ? revision
            : throw new HubDownloadException($"{url} answered without an X-Repo-Commit header, so it is not a Hugging Face hub endpoint", false));
        // The commit names a folder in the cache, so only a commit hash is taken from the hub.
        if (!HubCacheRepo.IsCommit(commit))
            throw new HubDownloadException($"{url}: X-Repo-Commit '{commit}' is not a 40-hex commit", false);
        string blob = Path.Combine(cache.BlobsDir, meta.Etag);
        if (!File.Exists(blob))
        {
            Directory.CreateDirectory(cache.BlobsDir);
            using (await CrossProcessLock.AcquireAsync(cache.LockFile(meta.Etag), ct).ConfigureAwait(false))
            {
                // Another process may have finished the blob while this one waited for the lock.
                if (!File.Exists(blob))
                    await FetchBlobAsync(meta.Url, blob, file, meta.Size, Sha256Hex().IsMatch(meta.Etag) ? meta.Etag : null, ct).ConfigureAwait(false);
            }
        }
        cache.LinkIntoSnapshot(commit, file, blob);
        return commit;
    }

    private sealed record FileMetadata(string Url, string? Commit, string Etag, long? Size);

    private async Task<FileMetadata> HeadAsync(string url, CancellationToken ct)
    {
        string current = url;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = NewRequest(HttpMethod.Head, current);
            using var response = await Send(request, current, ct).ConfigureAwait(false);
            string? etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                var next = new Uri(new Uri(current), location);
                // A hub redirect to the CDN already carries the file's identity; a relative one (renamed repo) does not.
                if (etag is not null && !SameOrigin(next, new Uri(current)))
                    return new FileMetadata(next.ToString(), Header(response, "X-Repo-Commit"), CleanEtag(etag), LinkedSize(response));
                current = next.ToString();
                continue;
            }
            EnsureSuccess(response, url);
            if (etag is null)
                throw new HubDownloadException($"{url} answered without an ETag, so it is not a Hugging Face hub endpoint", false);
            return new FileMetadata(current, Header(response, "X-Repo-Commit"), CleanEtag(etag), LinkedSize(response) ?? response.Content.Headers.ContentLength);
        }
        throw new HubDownloadException($"{url}: more than {MaxRedirects} redirects", false);
    }

    /// <summary>Fetches into <c>BLOB.incomplete</c>, resuming it, and renames it to the blob once it is complete and,
    /// for an LFS file, hashes to <paramref name="sha256"/>.</summary>
    private async Task FetchBlobAsync(string url, string blob, string file, long? size, string? sha256, CancellationToken ct)
    {
        string partial = blob + ".incomplete";
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (size is { } expected && have > expected)
            have = 0;
        string current = url;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = NewRequest(HttpMethod.Get, current);
            if (have > 0)
                request.Headers.Range = new RangeHeaderValue(have, null);
            using var response = await Send(request, current, ct, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                current = new Uri(new Uri(current), location).ToString();
                continue;
            }
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && size is { } s && have == s)
                break;
            EnsureSuccess(response, url);
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (!resumed)
                have = 0;
            long? total = size ?? (response.Content.Headers.ContentLength is { } len ? len + have : null);
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await using (var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long done = have;
                long lastReport = -1;
                _progress?.Invoke(new DownloadProgress(file, done, total));
                int read;
                while ((read = await ReadWithStallTimeout(input, buffer, stall, current, ct).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    done += read;
                    if (done - lastReport >= 1 << 20)
                    {
                        _progress?.Invoke(new DownloadProgress(file, done, total));
                        lastReport = done;
                    }
                }
                _progress?.Invoke(new DownloadProgress(file, done, total ?? done));
            }
            break;
        }
        long final = new FileInfo(partial).Length;
        if (size is { } want && final != want)
            throw new HubDownloadException($"{url}: received {final} bytes, expected {want}; run again to resume", false);
        if (sha256 is not null)
            await VerifySha256Async(partial, sha256, url, ct).ConfigureAwait(false);
        File.Move(partial, blob, overwrite: true);
    }

    /// <summary>Reads with a fresh stall deadline per read, so a slow but steady download never times out.</summary>
    private async Task<int> ReadWithStallTimeout(Stream input, byte[] buffer, CancellationTokenSource stall, string url, CancellationToken ct)
    {
        stall.CancelAfter(_stallTimeout);
        try
        {
            return await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && stall.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw Stalled(url, e);
        }
    }

    /// <summary>Hashes the whole file, the resumed part included, since a partial file left by an earlier run is not
    /// trusted either; a mismatch deletes it so the next run starts afresh.</summary>
    private static async Task VerifySha256Async(string partial, string expected, string url, CancellationToken ct)
    {
        string actual;
        await using (var stream = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
        if (actual == expected)
            return;
        File.Delete(partial);
        throw new HubDownloadException($"{url}: the downloaded file has sha256 {actual} but the hub says {expected}; it was discarded", false);
    }

    private HubDownloadException Stalled(string url, Exception inner) =>
        new($"{url}: no data from the server for {_stallTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; run again to resume", false, inner);

    /// <summary>Same scheme, host and port, the rule huggingface_hub and browsers apply before sending credentials.</summary>
    private static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private HttpRequestMessage NewRequest(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        // Each hop of a redirect builds a new request, so a redirect to another origin never carries the token.
        if (_token is not null && SameOrigin(new Uri(url), _endpointUri))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, string url, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(_stallTimeout);
        try
        {
            return await _http.SendAsync(request, completion, stall.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HubDownloadException($"{url}: {e.Message}", false, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw Stalled(url, e);
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, string url)
    {
        if (response.IsSuccessStatusCode)
            return;
        string reason = Header(response, "X-Error-Message") ?? response.ReasonPhrase ?? "";
        bool notFound = response.StatusCode == HttpStatusCode.NotFound;
        throw new HubDownloadException($"{url}: HTTP {(int)response.StatusCode} {reason}".TrimEnd(), notFound);
    }

    private static bool IsRedirect(HttpStatusCode code) => (int)code is >= 300 and < 400;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.FirstOrDefault() : null;

    private static long? LinkedSize(HttpResponseMessage response) =>
        long.TryParse(Header(response, "X-Linked-Size"), out long n) ? n : null;

    private static string CleanEtag(string etag)
    {
        string e = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        e = e.Trim('"');
        if (e.Length == 0 || e.IndexOfAny(['/', '\\', ':']) >= 0 || e.Contains("..", StringComparison.Ordinal))
            throw new HubDownloadException($"unusable ETag '{etag}'", false);
        return e;
    }

    public void Dispose() => _http.Dispose();
}
