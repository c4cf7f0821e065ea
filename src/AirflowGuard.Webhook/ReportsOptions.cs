namespace AirflowGuard.Webhook;

/// <summary>The background PolicyReports: one replica at a time (a Lease decides which) re-checks what runs and writes a report per namespace.</summary>
public sealed class ReportsOptions
{
    /// <summary>Write PolicyReports (needs the cluster cache's API server connection).</summary>
    public bool Enabled { get; set; }

    /// <summary>Seconds between two checks of what runs.</summary>
    public int PeriodSeconds { get; set; } = 300;

    /// <summary>Results per report, at most; the rest are counted in the report's <c>airflowguard.dev/results-omitted</c> annotation.</summary>
    public int MaxResults { get; set; } = 500;

    /// <summary>Namespace of the Lease (the webhook's own; the chart passes it).</summary>
    public string LeaseNamespace { get; set; } = "default";

    /// <summary>Name of the Lease the replicas campaign for.</summary>
    public string LeaseName { get; set; } = "airflowguard-reports";

    /// <summary>This replica's name in the Lease (the pod name; default: the host name).</summary>
    public string? Identity { get; set; }
}
