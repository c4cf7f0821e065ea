using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// One checked Airflow object: where it was written, what it is, and what the engine decided —
/// without the object itself, so a long stream of manifests does not pile up in memory.
/// </summary>
internal sealed record CheckedObject(string File, int Line, string Name, string Component, IReadOnlyList<Finding> Visible, IReadOnlyList<PatchOperation> Patch)
{
    /// <summary>Kind, namespace and name of the object checked (for a pod_template_file, of its ConfigMap), for machine readers.</summary>
    public (string? Kind, string? Namespace, string? Name) Identity { get; init; }

    /// <summary>The policies that applied to the object (each passes unless a finding names it).</summary>
    public IReadOnlyList<string> PoliciesApplied { get; init; } = [];

    /// <summary>The object's apiVersion, for references to it.</summary>
    public string? ApiVersion { get; init; }

    public string Location => $"{File}:{Line}";

    public bool Denied => Visible.Any(f => f.Denies);

    public bool Warned => !Denied && Visible.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Warn);

    /// <summary>The word the text reports print before a finding: DENY, WARN, NOTE (not checked) or AUDIT.</summary>
    public static string Label(Finding finding) => finding.Kind == FindingKind.Unresolved ? "NOTE" : finding.Mode switch
    {
        PolicyMode.Enforce => "DENY",
        PolicyMode.Warn => "WARN",
        _ => "AUDIT",
    };

    public static string Level(Finding finding) => finding.Kind == FindingKind.Unresolved ? "note" : finding.Mode switch
    {
        PolicyMode.Enforce => "error",
        PolicyMode.Warn => "warning",
        _ => "note",
    };
}

/// <summary>
/// The verdicts of one <c>check</c> run, in input order, that every output format renders. Kept in memory, or, with a
/// <paramref name="stream"/>, handed to it one by one and only counted, so that a text report of any length holds
/// no verdict once it is written.
/// </summary>
internal sealed class CheckResults(Action<CheckedObject>? stream = null)
{
    private readonly List<CheckedObject> _objects = [];

    /// <summary>Every checked object; empty when the results are streamed.</summary>
    public IReadOnlyList<CheckedObject> Objects => _objects;

    /// <summary>How many objects were checked (kept or streamed), release-wide findings included.</summary>
    public int Count { get; private set; }

    private void Keep(CheckedObject checkedObject)
    {
        Count++;
        if (stream is null)
        {
            _objects.Add(checkedObject);
        }
        else
        {
            stream(checkedObject);
        }
    }

    public int Denied { get; private set; }

    public int Warned { get; private set; }

    /// <summary>Allowed with nothing to warn about, but changed by a mutation (the webhook would repair it).</summary>
    public int Repaired { get; private set; }

    /// <summary>Allowed, nothing to warn about, nothing to change (notes about what could not be checked may remain).</summary>
    public int Clean { get; private set; }

    /// <summary>0 clean, 1 when findings reach <paramref name="failOn"/> (enforce, warn or never).</summary>
    public int ExitCode(string failOn) => failOn switch
    {
        "never" => CommandLine.Clean,
        "warn" when Denied + Warned > 0 => CommandLine.Violations,
        "warn" or "enforce" when Denied > 0 => CommandLine.Violations,
        _ => CommandLine.Clean,
    };

    /// <summary>A finding about the release as a whole, reported at the claim it is about.</summary>
    public void AddRelease(ReleaseFinding finding)
    {
        var checkedObject = new CheckedObject(finding.Location.File, finding.Location.Line, $"{finding.Subject} (across the release)", "", [finding.Finding], []);
        Keep(checkedObject);
        if (checkedObject.Denied)
        {
            Denied++;
        }
        else if (checkedObject.Warned)
        {
            Warned++;
        }
    }

    /// <summary>Keeps the verdict when the object is one AirflowGuard checks: an Airflow pod (template) or a PersistentVolume a policy is about.</summary>
    public void Add(ManifestObject source, ObjectVerdict verdict)
    {
        if (!verdict.Checked || (verdict.Pod is not null && verdict.Decision.Component == AirflowComponent.NotAirflow))
        {
            return;
        }
        if (verdict.Pod is null && verdict.Decision.PoliciesApplied.Count == 0)
        {
            return;
        }
        var name = source.EmbeddedIn is { } container
            ? $"the pod template {container}"
            : verdict.Pod?.DisplayName ??
              $"{verdict.Kind} {(source.Json.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n) ? n.GetString() : "(unnamed)")}";
        var visible = verdict.Decision.Findings.Where(f => f.Mode != PolicyMode.Audit || f.Kind == FindingKind.Violation).ToList();
        var checkedObject = new CheckedObject(source.File, source.Line, name, verdict.Pod is null ? "" : verdict.Decision.Component.ToName(), visible, verdict.Decision.Patch)
        {
            Identity = IdentityOf(source),
            PoliciesApplied = verdict.Decision.PoliciesApplied,
            ApiVersion = source.Noted is { } noted ? noted.ApiVersion
                : source.Json.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueKind == System.Text.Json.JsonValueKind.String ? apiVersion.GetString() : null,
        };
        Keep(checkedObject);
        // every object in exactly one bucket
        if (checkedObject.Denied)
        {
            Denied++;
        }
        else if (checkedObject.Warned)
        {
            Warned++;
        }
        else if (checkedObject.Patch.Count > 0)
        {
            Repaired++;
        }
        else
        {
            Clean++;
        }
    }

    private static (string?, string?, string?) IdentityOf(ManifestObject source)
    {
        if (source.Noted is { } noted && source.EmbeddedIn is null)
        {
            return (source.Kind, noted.Namespace, noted.Name);
        }
        var json = source.Json;
        var meta = json.TryGetProperty("metadata", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Object ? m : default;
        string? Get(string key) => meta.ValueKind == System.Text.Json.JsonValueKind.Object && meta.TryGetProperty(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        if (source.EmbeddedIn is { } embedded)
        {
            return ("ConfigMap", Get("namespace"), embedded.ConfigMap); // the ConfigMap is the object in the input
        }
        return (source.Kind, Get("namespace"), Get("name"));
    }
}
