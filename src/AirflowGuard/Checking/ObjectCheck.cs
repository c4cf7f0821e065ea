using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>
/// One input object as the check pipeline leaves it: the object, the engine's verdict (or the problem that kept it from
/// one), the lookups it was judged against, and its report row when it is an object reports show.
/// </summary>
internal sealed record ObjectCheck(ManifestObject Source, ObjectVerdict? Verdict, IClusterState Scope)
{
    /// <summary>Why there is no verdict: no kind, a field of the wrong type, or a failure inside AirflowGuard.</summary>
    public string? Problem { get; init; }

    /// <summary>What reports show of the object; null for objects AirflowGuard does not check (a Service, a non-Airflow pod).</summary>
    public CheckedObject? Row { get; init; }
}
