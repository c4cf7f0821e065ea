using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Cluster;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard audit</c>: the Airflow pods already running in a cluster, checked by the same
/// engine and reported in the same formats as <c>check</c>. Read-only: it lists, never writes.
/// </summary>
internal static class AuditCommand
{
    private const string Help = """
        usage: airflowguard audit [options]

          --namespace NS       audit one namespace (default: all the kubeconfig user may list)
          --policies PATHS     comma-separated policy files or folders (default: the bundled pack)
          --output FORMAT      text (default), json, sarif or junit
          --fail-on LEVEL      enforce (default), warn or never
          --kubeconfig FILE    default: in-cluster configuration, else ~/.kube/config
          --server URL         an unauthenticated API server URL (kubectl proxy)
          --read-secrets       also read Secrets, to resolve settings kept in them

        exit codes: 0 clean, 1 violations at or above --fail-on, 2 usage, policy or cluster errors
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = Options.Parse(args, "audit", "namespace", "policies", "output", "fail-on", "kubeconfig", "server", "read-secrets");
        if (options.Help)
        {
            output.WriteLine(Help);
            return CommandLine.Clean;
        }
        var format = options.Choice("output", "text", "text", "json", "sarif", "junit");
        var failOn = options.Choice("fail-on", "enforce", "enforce", "warn", "never");
        var policies = PolicySource.Load(options.Get("policies"), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        List<Engine.Yaml.ManifestObject> objects;
        try
        {
            using var api = KubeApi.Create(new ClusterCacheOptions { Kubeconfig = options.Get("kubeconfig"), Server = options.Get("server") });
            objects = ClusterSnapshot.LoadAsync(api, options.Get("namespace"), includePods: true, readSecrets: options.Get("read-secrets") == "true", CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
        {
            error.WriteLine($"airflowguard audit: cannot read the cluster: {ex.Message}");
            return CommandLine.UsageError;
        }
        var cluster = new ManifestClusterState(objects, "default", policies.Recognition);
        var results = new CheckResults();
        foreach (var pod in objects.Where(o => o.Kind == "Pod"))
        {
            var verdict = ObjectEvaluator.Evaluate(pod.Json, "", policies, cluster);
            results.Add(pod, verdict);
        }
        CheckCommand.Render(results, format, output, Terminal.Colour("auto", output));
        return results.ExitCode(failOn);
    }
}
