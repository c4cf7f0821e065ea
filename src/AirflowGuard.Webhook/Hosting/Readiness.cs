using AirflowGuard.Webhook.Policies;
using AirflowGuard.Webhook.Tls;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>What /readyz checks: a policy set and a certificate in force, and not shutting down.</summary>
public sealed class Readiness(PolicyStore policies, CertificateStore certificates, WebhookOptions options, IServiceProvider services)
{
    private volatile bool _shuttingDown;

    public bool ShuttingDown
    {
        get => _shuttingDown;
        set => _shuttingDown = value;
    }

    public IReadOnlyList<string> Check()
    {
        var reasons = new List<string>();
        if (ShuttingDown)
        {
            reasons.Add("shutting down");
        }
        if (policies.Current is null)
        {
            var errors = policies.LastErrors;
            reasons.Add(errors.Count == 0
                ? "no policy set loaded yet"
                : $"no valid policy set loaded: {errors.Count} error(s), first {errors[0]}");
        }
        if (certificates.Current is null)
        {
            reasons.Add("no serving certificate loaded");
        }
        if (options.ClusterCache.Mode == "required" && services.GetService(typeof(AirflowGuard.Cluster.ClusterConnection)) is AirflowGuard.Cluster.ClusterConnection { Problem: { } problem })
        {
            reasons.Add("the cluster cache cannot start: " + problem);
        }
        if (options.ClusterCache.Mode == "required" && services.GetService(typeof(Cluster.ClusterCache)) is Cluster.ClusterCache { Synced: false } cache)
        {
            reasons.Add("the cluster cache has not synced: " + string.Join(", ",
                cache.Status.Where(s => !s.Synced).Select(s => s.Error is null ? s.Resource : $"{s.Resource} ({s.Error})")));
        }
        return reasons;
    }
}
