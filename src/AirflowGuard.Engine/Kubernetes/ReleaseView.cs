using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A long-running Airflow workload of a namespace (scheduler, webserver, api-server, worker, triggerer, dag-processor).</summary>
/// <param name="Workload">"Deployment airflow/airflow-scheduler", for messages.</param>
/// <param name="Pod">Its pod template (or one of its pods, in the webhook's cache).</param>
public sealed record AirflowPeer(string Workload, AirflowComponent Component, PodView Pod)
{
    /// <summary>The peer <paramref name="pod"/> is, when the engine recognises it as a long-running Airflow component (site recognition rules included); null otherwise.</summary>
    public static AirflowPeer? Of(PodView pod, string workload, RecognitionRules recognition) =>
        ComponentRecognizer.Recognize(pod, recognition).Component is var component && IsLongRunning(component)
            ? new AirflowPeer(workload, component, pod)
            : null;

    /// <summary>Whether the engine recognises <paramref name="pod"/> as part of an Airflow release (any component, task pods included).</summary>
    public static bool IsAirflow(PodView pod, RecognitionRules recognition) => ComponentRecognizer.Recognize(pod, recognition).IsAirflow;

    /// <summary>Whether <paramref name="component"/> runs all the time (so its settings are what the release runs with), not one pod per task.</summary>
    public static bool IsLongRunning(AirflowComponent component) => component is AirflowComponent.Scheduler or AirflowComponent.Webserver or
        AirflowComponent.ApiServer or AirflowComponent.Worker or AirflowComponent.Triggerer or AirflowComponent.DagProcessor;
}

/// <summary>
/// The other Airflow workloads a pod is compared with. <see cref="Complete"/> when every workload of the namespace is in
/// view (<c>check</c> of a release): only then may a rule conclude that something is missing. The webhook's cache shows
/// what runs now, which a release being installed has not started yet: rules compare with it, but never conclude absence.
/// </summary>
public sealed record ReleaseView(IReadOnlyList<AirflowPeer> Peers, bool Complete)
{
    /// <summary>Whether a workload of <paramref name="component"/> is among the peers (asked on every pod of a release: no enumerator or closure).</summary>
    public bool Has(AirflowComponent component)
    {
        for (var i = 0; i < Peers.Count; i++)
        {
            if (Peers[i].Component == component)
            {
                return true;
            }
        }
        return false;
    }
}
