using AirflowGuard.Cluster;
using Microsoft.Extensions.Options;

namespace AirflowGuard.Webhook;

/// <summary>What to do with a request when evaluating it fails (a bug, not a policy verdict).</summary>
public enum FailureMode
{
    /// <summary>Admit the object with a warning; the failure is logged and counted.</summary>
    Allow,

    /// <summary>Refuse the object; the failure is logged and counted.</summary>
    Deny,
}

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

public sealed class TlsOptions
{
    /// <summary>PEM certificate (chain) file.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA bundle; when set, clients (the API server) must present a certificate it signed.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>How often the files are checked for rotation.</summary>
    public double ReloadSeconds { get; set; } = 10;

    /// <summary>How long a client may take to finish the TLS handshake before the connection is closed.</summary>
    public double HandshakeTimeoutSeconds { get; set; } = 10;
}


/// <summary>Fails start-up with every problem in the settings at once, each naming the setting.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"port must be between 1 and 65535, found {options.Port}");
        }
        if (options.MonitoringPort is < 0 or > 65535)
        {
            problems.Add($"monitoring-port must be between 1 and 65535, found {options.MonitoringPort}");
        }
        else if (options.MonitoringPort != 0 && options.MonitoringPort == options.Port)
        {
            problems.Add($"monitoring-port must differ from port: the admission port asks for client certificates with tls client-ca-file, the monitoring port never does (both are {options.Port})");
        }
        if (options.Address is not ("any" or "localhost") && !System.Net.IPAddress.TryParse(options.Address, out _))
        {
            problems.Add($"address must be any, localhost or an IP address, found \"{options.Address}\"");
        }
        if (options.Dev && (options.Tls.CertFile is not null || options.Tls.KeyFile is not null))
        {
            problems.Add("dev generates its own certificate: give either dev or tls cert-file / key-file, not both");
        }
        if (!options.Dev)
        {
            if (string.IsNullOrEmpty(options.Tls.CertFile) || string.IsNullOrEmpty(options.Tls.KeyFile))
            {
                problems.Add("a TLS certificate is required: set tls cert-file and key-file (--tls-cert-file, --tls-key-file or AIRFLOWGUARD_TLS__CERTFILE / AIRFLOWGUARD_TLS__KEYFILE), or use --dev for a self-signed localhost certificate");
            }
            else
            {
                RequireFile(problems, "tls cert-file", options.Tls.CertFile);
                RequireFile(problems, "tls key-file", options.Tls.KeyFile);
            }
        }
        if (options.Tls.ClientCaFile is not null)
        {
            RequireFile(problems, "tls client-ca-file", options.Tls.ClientCaFile);
        }
        if (options.Policies is not null)
        {
            foreach (var path in SplitPaths(options.Policies))
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    problems.Add($"policies: no such file or folder: {path}");
                }
            }
        }
        Positive(problems, "policy-reload-seconds", options.PolicyReloadSeconds);
        Positive(problems, "tls reload-seconds", options.Tls.ReloadSeconds);
        Positive(problems, "tls handshake-timeout-seconds", options.Tls.HandshakeTimeoutSeconds);
        Positive(problems, "max-connections", options.MaxConnections);
        Positive(problems, "max-concurrent-admissions", options.MaxConcurrentAdmissions);
        Positive(problems, "admission-queue-seconds", options.AdmissionQueueSeconds);
        Positive(problems, "body-timeout-seconds", options.BodyTimeoutSeconds);
        if (options.EvaluationBudgetMilliseconds is < 10 or > 30_000)
        {
            problems.Add($"evaluation-budget-ms must be between 10 and 30000, found {options.EvaluationBudgetMilliseconds}");
        }
        if (options.MaxRequestBytes is < 4096)
        {
            problems.Add($"max-request-bytes must be at least 4096, found {options.MaxRequestBytes}");
        }
        if (options.MaxJsonDepth is < 16 or > 1000)
        {
            problems.Add($"max-json-depth must be between 16 and 1000, found {options.MaxJsonDepth}");
        }
        if (options.ShutdownDelaySeconds < 0 || options.ShutdownTimeoutSeconds < 0)
        {
            problems.Add("shutdown-delay-seconds and shutdown-timeout-seconds must not be negative");
        }
        if (options.ClusterCache.Mode is not ("off" or "optional" or "required"))
        {
            problems.Add($"cluster-cache must be off, optional or required, found \"{options.ClusterCache.Mode}\"");
        }
        if (options.ClusterCache.Server is { } server && !Uri.TryCreate(server, UriKind.Absolute, out _))
        {
            problems.Add($"cluster-server must be an absolute URL, found \"{server}\"");
        }
        if (options.ClusterCache.Kubeconfig is { } kubeconfig)
        {
            RequireFile(problems, "kubeconfig", kubeconfig);
        }
        if (!Enum.TryParse<Serilog.Events.LogEventLevel>(options.LogLevel, ignoreCase: true, out _))
        {
            problems.Add($"log-level must be Verbose, Debug, Information, Warning or Error, found \"{options.LogLevel}\"");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IReadOnlyList<string> SplitPaths(string paths) =>
        paths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void RequireFile(List<string> problems, string setting, string path)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{setting}: no such file: {path}");
        }
    }

    private static void Positive(List<string> problems, string setting, double value)
    {
        if (value <= 0)
        {
            problems.Add($"{setting} must be positive, found {value}");
        }
    }
}
