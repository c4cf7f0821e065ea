using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>One checked Airflow object: where it was written, what it is, and the engine's verdict.</summary>
internal sealed record CheckedObject(ManifestObject Source, ObjectVerdict Verdict)
{
    public string Name => Source.EmbeddedIn is { } container
        ? $"the pod template {container}"
        : Verdict.Pod?.DisplayName ??
          $"{Verdict.Kind} {(Source.Json.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n) ? n.GetString() : "(unnamed)")}";

    public string Component => Verdict.Pod is null ? "" : Verdict.Decision.Component.ToName();

    /// <summary>Findings a user sees: everything but Audit-mode notes.</summary>
    public IReadOnlyList<Finding> Visible { get; } =
        Verdict.Decision.Findings.Where(f => f.Mode != PolicyMode.Audit || f.Kind == FindingKind.Violation).ToList();

    public bool Denied => Verdict.Decision.Findings.Any(f => f.Denies);

    public bool Warned => !Denied && Verdict.Decision.Findings.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Warn);

    public static string Level(Finding finding) => finding.Kind == FindingKind.Unresolved ? "note" : finding.Mode switch
    {
        PolicyMode.Enforce => "error",
        PolicyMode.Warn => "warning",
        _ => "note",
    };
}

/// <summary>The verdicts of one <c>check</c> run, in input order, that every output format renders.</summary>
internal sealed class CheckResults
{
    private readonly List<CheckedObject> _objects = [];

    public IReadOnlyList<CheckedObject> Objects => _objects;

    public int Denied => _objects.Count(o => o.Denied);

    public int Warned => _objects.Count(o => o.Warned);

    public int Clean => _objects.Count(o => o.Visible.Count == 0 && o.Verdict.Decision.Patch.Count == 0);

    /// <summary>Keeps the verdict when the object is one AirflowGuard checks: an Airflow pod (template) or a PersistentVolume.</summary>
    public void Add(ManifestObject source, ObjectVerdict verdict)
    {
        if (!verdict.Checked || (verdict.Pod is not null && verdict.Decision.Component == AirflowComponent.NotAirflow))
        {
            return;
        }
        if (verdict.Pod is null && verdict.Decision.PoliciesApplied.Count == 0)
        {
            return; // a PersistentVolume no policy is about
        }
        _objects.Add(new CheckedObject(source, verdict));
    }
}
