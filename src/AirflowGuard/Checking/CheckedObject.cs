using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>
/// One row of a check's report: where the object was written, what it is, and what the engine decided — without the
/// object itself, so a long stream of manifests does not pile up in memory. Every output format renders these rows.
/// </summary>
internal sealed record CheckedObject(string File, int Line, string Name, string Component, IReadOnlyList<Finding> Visible, IReadOnlyList<PatchOperation> Patch)
{
    /// <summary>Kind, namespace and name of the object checked (for a pod_template_file, of its ConfigMap), for machine readers.</summary>
    public (string? Kind, string? Namespace, string? Name) Identity { get; init; }

    /// <summary>The policies that applied to the object (each passes unless a finding names it).</summary>
    public IReadOnlyList<string> PoliciesApplied { get; init; } = [];

    /// <summary>What AirflowPolicyException objects waived on this object: reports say so, since the waived rules report nothing.</summary>
    public IReadOnlyList<AppliedExemption> Waived { get; init; } = [];

    /// <summary>The object's apiVersion, for references to it.</summary>
    public string? ApiVersion { get; init; }

    public string Location => $"{File}:{Line}";

    public bool Denied => Visible.Any(f => f.Denies);

    public bool Warned => !Denied && Visible.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Warn);

    /// <summary>The verdict in one word, as the playground shows it: deny, warn, repaired or clean.</summary>
    public string Verdict => Denied ? "deny" : Warned ? "warn" : Patch.Count > 0 ? "repaired" : "clean";

    /// <summary>The word the text reports print before a finding: DENY, WARN, NOTE (not checked) or AUDIT.</summary>
    public static string Label(Finding finding) => finding.Kind == FindingKind.Unresolved ? "NOTE" : finding.Mode switch
    {
        PolicyMode.Enforce => "DENY",
        PolicyMode.Warn => "WARN",
        _ => "AUDIT",
    };

    /// <summary>The finding's level as SARIF and the JSON report name it: error, warning or note.</summary>
    public static string Level(Finding finding) => finding.Kind == FindingKind.Unresolved ? "note" : finding.Mode switch
    {
        PolicyMode.Enforce => "error",
        PolicyMode.Warn => "warning",
        _ => "note",
    };

    /// <summary>
    /// The row of an object AirflowGuard checks — an Airflow pod (template), or another object a policy applied to (a
    /// PersistentVolume, a ConfigMap) — and null for the rest.
    /// </summary>
    public static CheckedObject? For(ManifestObject source, ObjectVerdict verdict)
    {
        if (!verdict.Checked || (verdict.Pod is not null && verdict.Decision.Component == AirflowComponent.NotAirflow))
        {
            return null;
        }
        if (verdict.Pod is null && verdict.Decision.PoliciesApplied.Count == 0)
        {
            return null;
        }
        var name = source.EmbeddedIn is { } container
            ? $"the pod template {container}"
            : verdict.Pod?.DisplayName ??
              $"{verdict.Kind} {(source.Json.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n) ? n.GetString() : "(unnamed)")}";
        return new CheckedObject(source.File, source.Line, name, verdict.Pod is null ? "" : verdict.Decision.Component.ToName(), VisibleIn(verdict.Decision), verdict.Decision.Patch)
        {
            Identity = IdentityOf(source),
            PoliciesApplied = verdict.Decision.PoliciesApplied,
            Waived = WaivedIn(verdict.Decision),
            ApiVersion = source.Noted is { } noted ? noted.ApiVersion
                : source.Json.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueKind == JsonValueKind.String ? apiVersion.GetString() : null,
        };
    }

    /// <summary>The row of a claim the release-wide rules found something about, located where the claim is declared (or first used); null when they found nothing.</summary>
    public static CheckedObject? For(ReleaseDecision release)
    {
        var visible = VisibleIn(release.Decision);
        if (visible.Count == 0)
        {
            return null;
        }
        return new CheckedObject(release.Location.File, release.Location.Line, $"{release.Subject} (across the release)", "", visible, [])
        {
            Identity = ("PersistentVolumeClaim", release.Namespace, release.Claim),
            PoliciesApplied = release.Decision.PoliciesApplied,
            Waived = WaivedIn(release.Decision),
            ApiVersion = "v1",
        };
    }

    private static IReadOnlyList<AppliedExemption> WaivedIn(Decision decision) =>
        decision.Exceptions.Count == 0 ? [] : [.. decision.Exceptions.Where(e => e.Source is not null)];

    /// <summary>What reports show of a decision: every finding but an audit policy's notes.</summary>
    private static List<Finding> VisibleIn(Decision decision) => decision.Findings.Where(f => f.Mode != PolicyMode.Audit || f.Kind == FindingKind.Violation).ToList();

    private static (string?, string?, string?) IdentityOf(ManifestObject source)
    {
        if (source.Noted is { } noted && source.EmbeddedIn is null)
        {
            return (source.Kind, noted.Namespace, noted.Name);
        }
        var json = source.Json;
        var meta = json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? Get(string key) => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (source.EmbeddedIn is { } embedded)
        {
            return ("ConfigMap", Get("namespace"), embedded.ConfigMap); // the ConfigMap is the object in the input
        }
        return (source.Kind, Get("namespace"), Get("name"));
    }
}
