using AirflowGuard.Reports;
using AirflowGuard.Webhook.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Cli;

/// <summary><c>airflowguard serve</c>: the admission webhook, with the settings its flags gave (<see cref="ServeCommandLine"/>).</summary>
internal static class ServeCommand
{
    public static int Run(IReadOnlyDictionary<string, string?> commandLine, TextWriter error) =>
        WebhookServer.RunAsync(commandLine, error, AddReports).GetAwaiter().GetResult();

    /// <summary>The PolicyReports loop (it idles unless --reports is given): it runs the CLI's check pipeline, so the CLI adds it.</summary>
    internal static void AddReports(IServiceCollection services) => services.AddHostedService<PolicyReportsLoop>();
}
