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
    public static CheckReport Run(PolicySet policies, IReadOnlyList<ManifestObject> snapshot, Action<CheckProblem>? onProblem = null) =>
        new ManifestCheck(policies, "default")
        {
            Evaluates = obj => obj.Kind == "Pod",
            ReleaseRules = false,
            OnProblem = onProblem,
        }.Run(snapshot);
}
