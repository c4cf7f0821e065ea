using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Admission;

/// <summary>The parts of an <c>admission.k8s.io/v1</c> AdmissionReview request AirflowGuard uses.</summary>
public sealed record AdmissionRequest(
    string Uid,
    string Operation,
    string Kind,
    string? Namespace,
    string? Name,
    bool DryRun,
    JsonElement Object,
    JsonElement? OldObject)
{
    /// <summary>
    /// The pod, already read by <see cref="AdmissionStreamReader"/> (then <see cref="Object"/> is
    /// <c>default</c> and <see cref="ObjectSource"/> holds its bytes); null when the object is to be read from <see cref="Object"/>.
    /// </summary>
    public PodView? Pod { get; init; }

    /// <summary>With <see cref="Pod"/>: the object's JSON, parsed only if an expression rule reads <c>object</c>.</summary>
    public JsonSource? ObjectSource { get; init; }
}
