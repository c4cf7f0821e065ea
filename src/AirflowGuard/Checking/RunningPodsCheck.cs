using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>
/// What runs, checked: the running pods of a cluster snapshot, each against the claims, volumes, classes and ConfigMaps of
/// the cluster. The release-wide rules are about a release's workloads, which running pods are not. <c>audit</c> and the
/// webhook's PolicyReports loop both run it, so a report and an audit of the same cluster agree.
/// </summary>
internal static class RunningPodsCheck
{
    /// <param name="snapshot">The running pods, with (for <c>audit</c>) the objects that resolve them.</param>
    /// <param name="live">What resolves them when <paramref name="snapshot"/> holds only the pods: the webhook's cluster cache.</param>
    public static CheckReport Run(PolicySet policies, IReadOnlyList<ManifestObject> snapshot, Action<CheckProblem>? onProblem = null, IClusterState? live = null) =>
        new ManifestCheck(policies, "default")
        {
            Evaluates = obj => obj.Kind == "Pod",
            ReleaseRules = false,
            OnProblem = onProblem,
            Live = live,
        }.Run(snapshot);
}
