using AirflowGuard.Cluster;

namespace AirflowGuard.Webhook;

/// <summary>
/// Settings of <c>airflowguard serve</c>, from appsettings.json, <c>AIRFLOWGUARD_</c> env vars
/// (<c>AIRFLOWGUARD_TLS__CERTFILE</c>) and command-line flags (<c>--tls-cert-file</c>), in that
/// order of precedence, lowest first.
/// </summary>
public sealed class WebhookOptions
{
    public const int DefaultMaxRequestBytes = 6 * 1024 * 1024;

    /// <summary>HTTPS port of the admission endpoints (mutual TLS when Tls.ClientCaFile is set). 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 8443;

    /// <summary>
    /// HTTPS port of /healthz, /readyz and /metrics, with the same serving certificate but never a
    /// client certificate asked for: the kubelet's probes and Prometheus present none. 0 picks a free port (tests).
    /// </summary>
    public int MonitoringPort { get; set; } = 8081;

    /// <summary>Address to listen on: "any", "localhost" or an IP address.</summary>
    public string Address { get; set; } = "any";

    /// <summary>Generate a self-signed localhost certificate instead of reading Tls files.</summary>
    public bool Dev { get; set; }

    public TlsOptions Tls { get; set; } = new();

    public ClusterCacheOptions ClusterCache { get; set; } = new();

    public ReportsOptions Reports { get; set; } = new();

    /// <summary>Policy files or folders, comma-separated; empty means the bundled default pack.</summary>
    public string? Policies { get; set; }

    /// <summary>Serve with no AirflowPolicy at all (admit everything) instead of refusing an empty set: never by accident.</summary>
    public bool AllowEmptyPolicies { get; set; }

    /// <summary>How often the policy files are re-read to catch changes a file watcher misses (ConfigMap symlink swaps).</summary>
    public double PolicyReloadSeconds { get; set; } = 5;

    /// <summary>The largest AdmissionReview body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>How long evaluating one object may take before it is answered per <see cref="FailureMode"/> (the API server waits 10 s at most).</summary>
    public int EvaluationBudgetMilliseconds { get; set; } = 2000;

    /// <summary>Admission requests read and evaluated at once; sized so that this many bodies of max-request-bytes fit the memory limit.</summary>
    public int MaxConcurrentAdmissions { get; set; } = 2;

    /// <summary>How long a request waits for a free admission slot before it is answered 429.</summary>
    public double AdmissionQueueSeconds { get; set; } = 2;

    /// <summary>How long a client may take to send a whole request body once it has a slot (408 past it).</summary>
    public double BodyTimeoutSeconds { get; set; } = 10;

    /// <summary>Open connections accepted at once; more wait in the listen backlog.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>The deepest JSON nesting accepted in an AdmissionReview.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    public FailureMode FailureMode { get; set; } = FailureMode.Allow;

    /// <summary>After SIGTERM, how long /readyz fails while requests are still served, so endpoints drop the pod first.</summary>
    public double ShutdownDelaySeconds { get; set; } = 5;

    /// <summary>After the delay, how long in-flight requests may take to finish.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Minimum level of logs: Verbose, Debug, Information, Warning, Error.</summary>
    public string LogLevel { get; set; } = "Information";
}
