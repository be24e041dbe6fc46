using System.Net;
using System.Net.Http.Headers;

namespace RerankKit.Hub;

/// <summary>Fetches files from a hub endpoint (<c>{endpoint}/{repo}/resolve/{revision}/{file}</c>) into the cache
/// layout huggingface_hub uses: the bytes go to <c>blobs/ETAG.incomplete</c> (resumed with an HTTP Range request
/// when a previous attempt left one), are renamed to <c>blobs/ETAG</c> when complete, and are linked into
/// <c>snapshots/COMMIT/</c>.</summary>
internal sealed class HubDownloader : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly string? _token;
    private readonly Action<DownloadProgress>? _progress;

    public HubDownloader(string endpoint, string? token, Action<DownloadProgress>? progress)
    {
        // Redirects are followed by hand: a HEAD must read the hub's own X-Linked-* headers before any CDN
        // redirect, and the token must not travel to another host.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(30),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RerankKit", "1.0"));
        _endpoint = endpoint;
        _token = token;
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
        string blob = Path.Combine(cache.BlobsDir, meta.Etag);
        if (!File.Exists(blob))
        {
            Directory.CreateDirectory(cache.BlobsDir);
            await FetchBlobAsync(meta.Url, blob, file, meta.Size, ct).ConfigureAwait(false);
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
            using var response = await Send(request, url, ct).ConfigureAwait(false);
            string? etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                var next = new Uri(new Uri(current), location);
                // A hub redirect to the CDN already carries the file's identity; a relative one (renamed repo) does not.
                if (etag is not null && next.Host != new Uri(current).Host)
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

    private async Task FetchBlobAsync(string url, string blob, string file, long? size, CancellationToken ct)
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
            using var response = await Send(request, url, ct, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
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
            await using (var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long done = have;
                long lastReport = -1;
                _progress?.Invoke(new DownloadProgress(file, done, total));
                int read;
                while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
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
        File.Move(partial, blob, overwrite: true);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        if (_token is not null && url.StartsWith(_endpoint, StringComparison.Ordinal))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, string url, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HubDownloadException($"{url}: {e.Message}", false, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new HubDownloadException($"{url}: timed out", false, e);
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
