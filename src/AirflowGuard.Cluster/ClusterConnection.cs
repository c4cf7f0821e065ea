using System.Security.Cryptography;
using k8s.Exceptions;

namespace AirflowGuard.Cluster;

/// <summary>
/// The API server the cluster cache reads, or why there is none: no in-cluster service account and
/// no kubeconfig is a state of the webhook (backing "unknown", and not ready in mode required),
/// never a crash.
/// </summary>
public sealed record ClusterConnection(HttpClient? Api, string? Problem)
{
    public static ClusterConnection Open(ClusterCacheOptions options)
    {
        try
        {
            return new ClusterConnection(KubeApi.Create(options), null);
        }
        catch (KubeConfigException ex)
        {
            return new ClusterConnection(null, $"no cluster configuration (no in-cluster service account, no usable kubeconfig): {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
        {
            return new ClusterConnection(null, $"cannot read the cluster configuration: {ex.Message}");
        }
    }
}
