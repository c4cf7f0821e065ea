namespace AirflowGuard.Cluster;

/// <summary>Where claims, volumes, classes and ConfigMaps are looked up.</summary>
public sealed class ClusterCacheOptions
{
    /// <summary>off: nothing is known about the cluster (claims are "unknown"); optional: watch the
    /// cluster, answer "unknown" until synced; required: also fail /readyz until synced.</summary>
    public string Mode { get; set; } = "off";

    /// <summary>Also watch Secrets (settings kept in Secrets read through envFrom).</summary>
    public bool ReadSecrets { get; set; }

    /// <summary>A kubeconfig file; default: in-cluster configuration, else ~/.kube/config.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The API server's URL without authentication (a local proxy such as kubectl proxy, and tests).</summary>
    public string? Server { get; set; }
}
