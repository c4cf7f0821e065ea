namespace AirflowGuard.Webhook.Hosting;

/// <summary>The flags of <c>airflowguard serve</c> and the configuration keys they set.</summary>
public static class ServeArguments
{
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--port"] = "Port",
        ["--monitoring-port"] = "MonitoringPort",
        ["--address"] = "Address",
        ["--dev"] = "Dev",
        ["--tls-cert-file"] = "Tls:CertFile",
        ["--tls-key-file"] = "Tls:KeyFile",
        ["--tls-client-ca-file"] = "Tls:ClientCaFile",
        ["--tls-reload-seconds"] = "Tls:ReloadSeconds",
        ["--tls-handshake-timeout-seconds"] = "Tls:HandshakeTimeoutSeconds",
        ["--max-connections"] = "MaxConnections",
        ["--max-concurrent-admissions"] = "MaxConcurrentAdmissions",
        ["--admission-queue-seconds"] = "AdmissionQueueSeconds",
        ["--body-timeout-seconds"] = "BodyTimeoutSeconds",
        ["--policies"] = "Policies",
        ["--policy-reload-seconds"] = "PolicyReloadSeconds",
        ["--max-request-bytes"] = "MaxRequestBytes",
        ["--max-json-depth"] = "MaxJsonDepth",
        ["--failure-mode"] = "FailureMode",
        ["--shutdown-delay-seconds"] = "ShutdownDelaySeconds",
        ["--shutdown-timeout-seconds"] = "ShutdownTimeoutSeconds",
        ["--log-level"] = "LogLevel",
        ["--cluster-cache"] = "ClusterCache:Mode",
        ["--cluster-read-secrets"] = "ClusterCache:ReadSecrets",
        ["--kubeconfig"] = "ClusterCache:Kubeconfig",
        ["--cluster-server"] = "ClusterCache:Server",
    };

    public const string Help = """
        usage: airflowguard serve [options]

        Runs the admission webhook: POST /validate and /mutate (AdmissionReview v1) over HTTPS,
        GET /healthz, /readyz and /metrics. Every option can also be set in appsettings.json or as
        an AIRFLOWGUARD_ env var (AIRFLOWGUARD_TLS__CERTFILE for --tls-cert-file).

          --dev                       serve a self-signed localhost certificate (trying it out; never in a cluster)
          --tls-cert-file FILE        PEM certificate (chain); re-read when it changes
          --tls-key-file FILE         PEM private key; re-read when it changes
          --tls-client-ca-file FILE   require client certificates signed by this CA (the API server's)
          --tls-reload-seconds N      how often the certificate files are checked (10)
          --tls-handshake-timeout-seconds N  how long a client may take to finish the TLS handshake (10)
          --policies PATH[,PATH…]     policy files or folders (default: the bundled pack); watched
          --policy-reload-seconds N   how often policy files are re-read to catch missed changes (5)
          --port N                    HTTPS port of /validate and /mutate (8443); mutual TLS with --tls-client-ca-file
          --monitoring-port N         HTTPS port of /healthz, /readyz and /metrics (8081); never asks for a client certificate
          --address any|localhost|IP  where to listen (any)
          --max-request-bytes N       the largest request body accepted (6291456)
          --max-json-depth N          the deepest JSON nesting accepted (64)
          --max-connections N         open connections accepted at once (1000)
          --max-concurrent-admissions N  admission requests read and evaluated at once (2); others wait
          --admission-queue-seconds N    how long a request waits for a slot before a 429 (2)
          --body-timeout-seconds N    how long a client may take to send its body once admitted (10; then 408)
          --failure-mode Allow|Deny   the answer when evaluation fails with an internal error (Allow)
          --shutdown-delay-seconds N  after SIGTERM, how long /readyz fails before the listener closes (5)
          --shutdown-timeout-seconds N  then how long in-flight requests may take (20)
          --log-level LEVEL           Verbose, Debug, Information, Warning or Error (Information)
          --cluster-cache MODE        off (default), optional or required: watch claims, volumes, classes,
                                      ConfigMaps and git-sync pods to resolve what backs a pod's volumes
          --cluster-read-secrets      also watch Secrets (settings read through envFrom)
          --kubeconfig FILE           default: in-cluster configuration, else ~/.kube/config
          --cluster-server URL        an unauthenticated API server URL (kubectl proxy; tests)
        """;

    /// <summary>
    /// Turns the flags into configuration command-line arguments: <c>--dev</c> needs no value, and
    /// an unknown flag is an error (the configuration system would silently accept it).
    /// </summary>
    public static string[] Normalize(string[] args)
    {
        var normalized = new List<string>(args.Length + 1);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? arg : arg[..equals];
            if (!Flags.ContainsKey(flag))
            {
                var known = string.Join(", ", Flags.Keys);
                throw new ArgumentException(arg.StartsWith("--", StringComparison.Ordinal)
                    ? $"unknown option {flag}; options are {known}"
                    : $"unexpected argument \"{arg}\"; serve takes only options: {known}");
            }
            if (flag is "--dev" or "--cluster-read-secrets" && equals < 0)
            {
                normalized.Add($"{flag}=true");
                continue;
            }
            if (equals < 0)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{flag} needs a value");
                }
                normalized.Add($"{flag}={args[++i]}");
                continue;
            }
            normalized.Add(arg);
        }
        return [.. normalized];
    }
}
