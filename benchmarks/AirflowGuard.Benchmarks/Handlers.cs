using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.Benchmarks;

/// <summary>The webhook's admission handler as `serve --dev` builds it, with the bundled pack and no cluster, for in-process benchmarks.</summary>
internal static class Handlers
{
    public static (AdmissionHandler Handler, Engine.Policies.PolicySet Pack) Create(WebhookOptions options)
    {
        var metrics = new WebhookMetrics();
        var store = new PolicyStore(options, metrics, NullLogger<PolicyStore>.Instance);
        store.ReloadIfChanged();
        var handler = new AdmissionHandler(store, NoClusterState.Instance, options, metrics, DecisionLog.Off, NullLogger<AdmissionHandler>.Instance);
        return (handler, store.Current!);
    }
}
