using System.CommandLine;
using AirflowGuard.Checking;
using AirflowGuard.Cluster;
using AirflowGuard.Reports;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard audit</c>: the Airflow pods already running in a cluster, checked by the same pipeline
/// (<see cref="ManifestCheck"/>) and reported in the same formats as <c>check</c>. Read-only: it lists, never writes.
/// </summary>
internal static class AuditCommand
{
    private static readonly Option<string?> NamespaceOption = CommonOptions.Namespace("audit one namespace (default: all the kubeconfig user may list)");
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string> OutputOption = CommonOptions.Output("text", "json", "sarif", "junit", "policyreport");
    private static readonly Option<string> FailOnOption = CommonOptions.FailOn();
    private static readonly Option<string?> KubeconfigOption = CommonOptions.Kubeconfig();
    private static readonly Option<string?> ServerOption = CommonOptions.Server();
    private static readonly Option<bool> ReadSecretsOption = new("--read-secrets") { Description = "also read Secrets, to resolve settings kept in them" };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("audit", "check the Airflow pods running in a cluster (kubeconfig), read-only; exit 0 clean, 1 violations at or above --fail-on, 2 usage, policy or cluster errors")
        {
            NamespaceOption, PoliciesOption, OutputOption, FailOnOption, KubeconfigOption, ServerOption, ReadSecretsOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var format = parsed.GetValue(OutputOption)!;
        var failOn = parsed.GetValue(FailOnOption)!;
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        List<Engine.Yaml.ManifestObject> objects;
        try
        {
            using var api = KubeApi.Create(new ClusterCacheOptions { Kubeconfig = parsed.GetValue(KubeconfigOption), Server = parsed.GetValue(ServerOption) });
            objects = ClusterSnapshot.LoadAsync(api, parsed.GetValue(NamespaceOption), includePods: true, readSecrets: parsed.GetValue(ReadSecretsOption), CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
        {
            error.WriteLine($"airflowguard audit: cannot read the cluster: {ex.Message}");
            return CommandLine.UsageError;
        }
        var results = RunningPodsCheck.Run(policies, objects, problem => error.WriteLine(problem.Text));
        ReportFormats.Write(results, format, output, Terminal.Colour("auto", output));
        return results.ExitCode(failOn);
    }
}
