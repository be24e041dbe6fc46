using System.Net;
using System.Net.Sockets;

namespace RerankKit.Tests.Serving;

/// <summary>Free TCP ports on 127.0.0.1 for child processes that must be told their port up front (nginx's
/// upstreams, a replica restarted on the port it had).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
