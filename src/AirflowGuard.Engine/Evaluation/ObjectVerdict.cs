using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>The verdict on one submitted object, whatever its kind.</summary>
public sealed record ObjectVerdict(string? Kind, PodView? Pod, Decision Decision, IReadOnlyList<InputError> Errors)
{
    public bool Checked => Errors.Count == 0 && (Pod is not null || Kind == "PersistentVolume" || Decision.PoliciesApplied.Count > 0);
}
