using System.Net;
using System.Net.Sockets;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve</c> refuses what it cannot do as asked (listen on a host name, reach a Redis given
/// as nonsense, take a busy port) with one line and exit 2, never a .NET stack or a silent change of plan.</summary>
public sealed class ServeStartupErrorTests
{
    private static void AssertOneLineError(CliProcess.Result result, string expected)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(expected, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_host_name_other_than_localhost_is_refused_rather_than_bound_to_every_interface()
    {
        var result = CliProcess.Run("serve", "--model", SharedData.Fixture("tiny-bert-reranker"), "--port", "0", "--host", "myhost.example");
        AssertOneLineError(result, "--host");
    }

    [Fact]
    public void A_redis_address_that_is_not_host_and_port_is_one_line()
    {
        var result = CliProcess.Run("serve", "--model", SharedData.Fixture("tiny-bert-reranker"), "--port", "0", "--redis", "nohost:notaport");
        AssertOneLineError(result, "nohost:notaport");
    }

    [Fact]
    public void A_port_in_use_is_one_line()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        string port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = CliProcess.Run("serve", "--model", SharedData.Fixture("tiny-bert-reranker"), "--port", port);
        AssertOneLineError(result, "already in use");
    }
}
