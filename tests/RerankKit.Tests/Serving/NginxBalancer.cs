using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RerankKit.Tests.Serving;

/// <summary>Debian's nginx as a child process (one process, in the foreground) balancing loopback replicas, with its
/// config, pid, logs and temp folders in a scratch folder. It retries a POST on the next replica when the first
/// one fails (docs/deploy.md explains why that is safe for scoring).</summary>
internal sealed class NginxBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxBalancer(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
    }

    /// <summary>Response header naming the replica(s) nginx tried for a request: <c>127.0.0.1:A</c>, or
    /// <c>127.0.0.1:A, 127.0.0.1:B</c> when it retried.</summary>
    public const string UpstreamHeader = "X-Upstream";

    public Uri Address { get; }

    public static async Task<NginxBalancer> StartAsync(IReadOnlyList<int> replicaPorts)
    {
        string exe = Executable();
        string prefix = Directory.CreateTempSubdirectory("rerankkit-nginx-").FullName;
        int port = LoopbackPort.Free();
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), Config(prefix, port, replicaPorts));
        var start = new ProcessStartInfo(exe)
        {
            ArgumentList = { "-p", prefix + "/", "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var balancer = new NginxBalancer(Process.Start(start)!, prefix, port);
        balancer._process.OutputDataReceived += (_, _) => { };
        balancer._process.ErrorDataReceived += (_, _) => { };
        balancer._process.BeginOutputReadLine();
        balancer._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AcceptsAsync(port))
        {
            if (balancer._process.HasExited || DateTime.UtcNow > deadline)
            {
                string log = File.Exists(Path.Combine(prefix, "error.log")) ? File.ReadAllText(Path.Combine(prefix, "error.log")) : "(no error.log)";
                await balancer.DisposeAsync();
                Assert.Fail($"nginx did not start on 127.0.0.1:{port}: {log}");
            }
            await Task.Delay(20);
        }
        return balancer;
    }

    /// <summary>The config docs/deploy.md shows, with every path nginx writes to inside <paramref name="prefix"/> so
    /// that it runs unprivileged and leaves nothing behind.</summary>
    public static string Config(string prefix, int port, IReadOnlyList<int> replicaPorts)
    {
        string servers = string.Concat(replicaPorts.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"        server 127.0.0.1:{p} max_fails=1 fail_timeout=1s;\n")));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 512; }
            http {
                log_format upstream '$request $status $upstream_addr $upstream_status $request_time';
                access_log {{prefix}}/access.log upstream;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream rerankkit {
            {{servers}}        keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 8m;
                    location / {
                        proxy_pass http://rerankkit;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_connect_timeout 1s;
                        proxy_read_timeout 30s;
                        proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                        proxy_next_upstream_tries 3;
                        proxy_next_upstream_timeout 10s;
                        add_header {{UpstreamHeader}} $upstream_addr always;
                    }
                }
            }

            """);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }

    private static string Executable()
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "nginx"))
            .FirstOrDefault(File.Exists);
        if (found is null)
            Assert.Fail("nginx is not installed (looked on PATH and in /usr/sbin); .ci/run installs it with apt-get install nginx.");
        return found;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
