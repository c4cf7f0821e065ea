using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Admission;

/// <summary>The parts of an <c>admission.k8s.io/v1</c> AdmissionReview request AirflowGuard uses, as <see cref="AdmissionReviewReader"/> read them.</summary>
/// <param name="Object">The object being admitted, as its bytes (null for DELETE and CONNECT): parsed only if something reads it.</param>
/// <param name="OldObject">The object before an UPDATE.</param>
public sealed record AdmissionRequest(
    string Uid,
    string Operation,
    string Kind,
    string? Namespace,
    string? Name,
    bool DryRun,
    JsonSource? Object,
    JsonElement? OldObject)
{
    /// <summary>The pod (or workload's pod template) when it was read in the same pass as the review; null when it is still to be read from <see cref="Object"/>.</summary>
    public PodView? Pod { get; init; }

    /// <summary>What is wrong with the pod read in the same pass, each with its JSON path.</summary>
    public IReadOnlyList<InputError> PodErrors { get; init; } = [];

    /// <summary>With <see cref="Pod"/>: the object's own name (or generateName), as written.</summary>
    public string? ObjectName { get; init; }

    /// <summary>True when the pass read the object as pods, rightly or with errors.</summary>
    public bool PodRead => Pod is not null || PodErrors.Count > 0;
}
