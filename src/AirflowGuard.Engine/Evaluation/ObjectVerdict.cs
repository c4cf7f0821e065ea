using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>The verdict on one submitted object, whatever its kind.</summary>
public sealed record ObjectVerdict(string? Kind, PodView? Pod, Decision Decision, IReadOnlyList<InputError> Errors)
{
    /// <summary>For an object read as pods: its apiVersion, kind and own metadata as written, so reports name it without parsing it again.</summary>
    public ObjectHeader? Header { get; init; }

    public bool Checked => Errors.Count == 0 && (Pod is not null || Kind == "PersistentVolume" || Decision.PoliciesApplied.Count > 0);
}
