using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Policies;
using AirflowGuard.Webhook.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>The webhook's services: options, metrics, policies, certificates, the admission handler and the cluster cache.</summary>
internal static class WebhookServices
{
    /// <param name="cluster">The API server connection when the cluster cache is on (its problem, if it cannot start, is logged).</param>
    public static IServiceCollection AddWebhook(this IServiceCollection services, WebhookOptions options, AirflowGuard.Cluster.ClusterConnection? cluster)
    {
        services.AddSingleton(options);
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<AdmissionHandler>();
        services.AddSingleton<AdmissionLimiter>();
        services.AddClusterCache(options, cluster);
        services.AddHostedService<PolicyWatcher>();
        services.AddHostedService<CertificateWatcher>();
        services.AddHostedService<ShutdownDelay>();
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownDelaySeconds + options.ShutdownTimeoutSeconds));
        return services;
    }

    /// <summary>What the engine asks of the cluster: the watch-backed cache when there is an API server, else "unknown" for everything.</summary>
    private static void AddClusterCache(this IServiceCollection services, WebhookOptions options, AirflowGuard.Cluster.ClusterConnection? cluster)
    {
        if (cluster is not null)
        {
            services.AddSingleton(cluster);
        }
        if (cluster?.Api is { } api)
        {
            services.AddSingleton(sp => new Cluster.ClusterCache(api, options,
                sp.GetRequiredService<PolicyStore>(), sp.GetRequiredService<WebhookMetrics>(), sp.GetRequiredService<ILogger<Cluster.ClusterCache>>()));
            services.AddHostedService(sp => sp.GetRequiredService<Cluster.ClusterCache>());
            services.TryAddSingleton<IClusterState>(sp => sp.GetRequiredService<Cluster.ClusterCache>());
        }
        services.TryAddSingleton<IClusterState>(NoClusterState.Instance);
    }
}
