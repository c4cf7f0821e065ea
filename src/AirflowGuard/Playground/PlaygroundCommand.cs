using System.Net;
using AirflowGuard.Cli;
using Microsoft.Extensions.Hosting;

namespace AirflowGuard.Playground;

/// <summary><c>airflowguard playground</c>: a local page to try manifests and policies against the engine.</summary>
internal static class PlaygroundCommand
{
    private const string Help = """
        usage: airflowguard playground [options]

          --listen ADDRESS     where to listen, host:port (default 127.0.0.1:0: the loopback address and a free
                               port, printed at start); plain HTTP, so keep it on the loopback address
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = Options.Parse(args, "playground", "listen");
        if (options.Help)
        {
            output.WriteLine(Help);
            return CommandLine.Clean;
        }
        if (options.Arguments.Count > 0)
        {
            throw new UsageException($"playground: unexpected argument \"{options.Arguments[0]}\"");
        }
        var endpoint = Listen(options.Get("listen") ?? "127.0.0.1:0");
        var app = PlaygroundServer.Build(endpoint);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            error.WriteLine($"airflowguard playground: cannot listen on {endpoint}: {ex.Message}");
            return CommandLine.UsageError;
        }
        output.WriteLine($"AirflowGuard playground on {PlaygroundServer.Address(app)}/ (Ctrl+C to stop)");
        output.Flush();
        app.WaitForShutdownAsync().GetAwaiter().GetResult();
        return CommandLine.Clean;
    }

    internal static IPEndPoint Listen(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new UsageException($"playground: --listen must be host:port (127.0.0.1:8080, [::1]:0), found \"{value}\"");
        }
        var host = value[..colon].Trim('[', ']');
        if (host is "localhost" or "")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new UsageException($"playground: --listen needs an IP address, found \"{host}\"");
    }
}
