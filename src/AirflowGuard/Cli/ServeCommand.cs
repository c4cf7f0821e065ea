using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Cli;

/// <summary><c>airflowguard serve</c>: the admission webhook, with the settings its flags gave (<see cref="ServeCommandLine"/>).</summary>
internal static class ServeCommand
{
    public static int Run(IReadOnlyDictionary<string, string?> commandLine, TextWriter error) =>
        WebhookServer.RunAsync(commandLine, error).GetAwaiter().GetResult();
}
