using System.CommandLine;
using System.Net;
using AirflowGuard.Cli;
using Microsoft.Extensions.Hosting;

namespace AirflowGuard.Playground;

/// <summary><c>airflowguard playground</c>: a local page to try manifests and policies against the engine.</summary>
internal static class PlaygroundCommand
{
    private static readonly Option<string> ListenOption = new("--listen")
    {
        Description = "where to listen, host:port (default 127.0.0.1:0: the loopback address and a free port, printed at start); plain HTTP, so keep it on the loopback address",
        HelpName = "ADDRESS",
        DefaultValueFactory = _ => "127.0.0.1:0",
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("playground", "a local page (http://127.0.0.1) to try manifests and policies and see the engine's reasoning") { ListenOption };
        command.SetAction(parsed => Run(parsed.GetValue(ListenOption)!, output, error));
        return command;
    }

    private static int Run(string listen, TextWriter output, TextWriter error)
    {
        var endpoint = Listen(listen);
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
