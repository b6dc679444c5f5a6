using System.Net;
using System.Net.Sockets;

namespace Detect.Engine.Tests;

public static class TestPorts
{
    /// <summary>A loopback TCP port nothing listens on (just now).</summary>
    public static int Unused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
