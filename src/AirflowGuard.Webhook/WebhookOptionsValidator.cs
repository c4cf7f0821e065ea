using Microsoft.Extensions.Options;

namespace AirflowGuard.Webhook;

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
        if (options.Reports.Enabled && options.ClusterCache.Mode == "off")
        {
            problems.Add("reports need the cluster's API server: set cluster-cache to optional or required");
        }
        if (options.Reports.PeriodSeconds < 10)
        {
            problems.Add($"reports-period-seconds must be at least 10, found {options.Reports.PeriodSeconds}");
        }
        if (options.Reports.MaxResults < 1)
        {
            problems.Add($"reports-max-results must be at least 1, found {options.Reports.MaxResults}");
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
