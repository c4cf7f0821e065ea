using System.CommandLine;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// <c>airflowguard serve</c>'s flags, declared once for System.CommandLine (help, completion,
/// errors) and mapped to configuration keys. Only the flags given on the command line become
/// settings, on top of appsettings.json and AIRFLOWGUARD_ env vars, so each source keeps its precedence.
/// </summary>
public static class ServeCommandLine
{
    private sealed record Flag(string Name, string Key, string Description, string? HelpName = null, bool Switch = false);

    private static readonly Flag[] Flags =
    [
        new("--dev", "Dev", "serve a self-signed localhost certificate (trying it out; never in a cluster)", Switch: true),
        new("--tls-cert-file", "Tls:CertFile", "PEM certificate (chain); re-read when it changes", "FILE"),
        new("--tls-key-file", "Tls:KeyFile", "PEM private key; re-read when it changes", "FILE"),
        new("--tls-client-ca-file", "Tls:ClientCaFile", "require client certificates signed by this CA (the API server's) on the admission port", "FILE"),
        new("--tls-reload-seconds", "Tls:ReloadSeconds", "how often the certificate files are checked (10)", "N"),
        new("--tls-handshake-timeout-seconds", "Tls:HandshakeTimeoutSeconds", "how long a client may take to finish the TLS handshake (10)", "N"),
        new("--policies", "Policies", "policy files or folders, comma-separated (default: the bundled pack); watched", "PATHS"),
        new("--allow-empty-policies", "AllowEmptyPolicies", "serve with no AirflowPolicy at all (otherwise an empty set is refused and the webhook stays not ready)", Switch: true),
        new("--policy-reload-seconds", "PolicyReloadSeconds", "how often policy files are re-read to catch missed changes (5)", "N"),
        new("--port", "Port", "HTTPS port of /validate and /mutate (8443); mutual TLS with --tls-client-ca-file", "N"),
        new("--monitoring-port", "MonitoringPort", "HTTPS port of /healthz, /readyz and /metrics (8081); never asks for a client certificate", "N"),
        new("--address", "Address", "where to listen: any, localhost or an IP address (any)", "ADDRESS"),
        new("--max-request-bytes", "MaxRequestBytes", "the largest request body accepted (6291456)", "N"),
        new("--evaluation-budget-ms", "EvaluationBudgetMilliseconds", "how long evaluating one object may take before it is answered per --failure-mode (2000)", "N"),
        new("--max-json-depth", "MaxJsonDepth", "the deepest JSON nesting accepted (64)", "N"),
        new("--max-connections", "MaxConnections", "open connections accepted at once (1000)", "N"),
        new("--max-concurrent-admissions", "MaxConcurrentAdmissions", "admission requests read and evaluated at once (2); others wait", "N"),
        new("--admission-queue-seconds", "AdmissionQueueSeconds", "how long a request waits for a slot before a 429 (2)", "N"),
        new("--body-timeout-seconds", "BodyTimeoutSeconds", "how long a client may take to send its body once admitted (10; then 408)", "N"),
        new("--failure-mode", "FailureMode", "the answer when evaluation fails with an internal error: Allow or Deny (Allow)", "Allow|Deny"),
        new("--shutdown-delay-seconds", "ShutdownDelaySeconds", "after SIGTERM, how long /readyz fails before the listener closes (5)", "N"),
        new("--shutdown-timeout-seconds", "ShutdownTimeoutSeconds", "then how long in-flight requests may take (20)", "N"),
        new("--log-level", "LogLevel", "Verbose, Debug, Information, Warning or Error (Information)", "LEVEL"),
        new("--cluster-cache", "ClusterCache:Mode", "off (default), optional or required: watch claims, volumes, classes, ConfigMaps, ServiceAccounts and pods to resolve what backs a pod's volumes and compare it with the running Airflow components", "off|optional|required"),
        new("--cluster-read-secrets", "ClusterCache:ReadSecrets", "also watch Secrets (settings read through envFrom)", Switch: true),
        new("--kubeconfig", "ClusterCache:Kubeconfig", "kubeconfig file (default: in-cluster configuration, else ~/.kube/config)", "FILE"),
        new("--cluster-server", "ClusterCache:Server", "an unauthenticated API server URL (kubectl proxy; tests)", "URL"),
        new("--reports", "Reports:Enabled", "write PolicyReports of what runs, one replica at a time (needs the cluster cache)", Switch: true),
        new("--reports-period-seconds", "Reports:PeriodSeconds", "seconds between two checks of what runs (300)", "N"),
        new("--reports-max-results", "Reports:MaxResults", "results per PolicyReport, at most (500); the rest are counted", "N"),
        new("--reports-lease-namespace", "Reports:LeaseNamespace", "namespace of the Lease the replicas campaign for (default)", "NAMESPACE"),
        new("--reports-lease-name", "Reports:LeaseName", "name of that Lease (airflowguard-reports)", "NAME"),
        new("--reports-identity", "Reports:Identity", "this replica's name in the Lease (default: the host name)", "NAME"),
    ];

    /// <summary>The configuration key of every flag, for tests that hold the chart's arguments against them.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = Flags.ToDictionary(f => f.Name, f => f.Key, StringComparer.Ordinal);

    /// <summary>The <c>serve</c> command; <paramref name="run"/> gets the settings given on the command line.</summary>
    public static Command Create(Func<IReadOnlyDictionary<string, string?>, int> run)
    {
        var command = new Command("serve", """
            run the admission webhook: POST /validate and /mutate (AdmissionReview v1) over HTTPS on --port;
            GET /healthz, /readyz and /metrics over HTTPS on --monitoring-port. Every option can also be set
            in appsettings.json or as an AIRFLOWGUARD_ env var (AIRFLOWGUARD_TLS__CERTFILE for --tls-cert-file);
            the command line wins over env, env over appsettings.json.
            """);
        var options = new List<(Option Option, Flag Flag)>();
        foreach (var flag in Flags)
        {
            Option option = flag.Switch
                ? new Option<bool>(flag.Name) { Description = flag.Description }
                : new Option<string>(flag.Name) { Description = flag.Description, HelpName = flag.HelpName };
            command.Options.Add(option);
            options.Add((option, flag));
        }
        command.SetAction(parsed => run(Settings(parsed, options)));
        return command;
    }

    /// <summary>Parses serve's flags alone (the arguments after <c>serve</c>).</summary>
    /// <exception cref="WebhookConfigurationException">An unknown flag, a missing value, a stray argument.</exception>
    public static IReadOnlyDictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        IReadOnlyDictionary<string, string?>? settings = null;
        var command = Create(given =>
        {
            settings = given;
            return 0;
        });
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            throw new WebhookConfigurationException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
        }
        parsed.Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null, EnableDefaultExceptionHandler = false });
        return settings ?? new Dictionary<string, string?>();
    }

    private static Dictionary<string, string?> Settings(ParseResult parsed, List<(Option Option, Flag Flag)> options)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, flag) in options)
        {
            if (parsed.GetResult(option) is not { Implicit: false })
            {
                continue;
            }
            settings[flag.Key] = option is Option<bool> switchOption
                ? (parsed.GetValue(switchOption) ? "true" : "false")
                : parsed.GetValue((Option<string>)option);
        }
        return settings;
    }
}
