using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Cli;

/// <summary><c>airflowguard serve</c>: the admission webhook.</summary>
internal static class ServeCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            output.WriteLine(ServeArguments.Help);
            return CommandLine.Clean;
        }
        return WebhookServer.RunAsync(args, error).GetAwaiter().GetResult();
    }
}
