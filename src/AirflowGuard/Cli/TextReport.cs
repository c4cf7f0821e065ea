using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>The human-readable report: one block per object with findings, then a summary line.</summary>
internal sealed class TextReport(TextWriter output)
{
    private int _checked;
    private int _clean;

    public int Denied { get; private set; }
    public int Warned { get; private set; }

    public void Add(ManifestObject obj, ObjectVerdict verdict)
    {
        if (!verdict.Checked || (verdict.Pod is not null && verdict.Decision.Component == AirflowComponent.NotAirflow))
        {
            return;
        }
        _checked++;
        var decision = verdict.Decision;
        var visible = decision.Findings.Where(f => f.Mode != PolicyMode.Audit || f.Kind == FindingKind.Violation).ToList();
        if (visible.Count == 0 && decision.Patch.Count == 0)
        {
            _clean++;
            return;
        }
        var name = verdict.Pod?.DisplayName ?? $"PersistentVolume {obj.Json.GetProperty("metadata").GetProperty("name").GetString()}";
        var component = verdict.Pod is null ? "" : $" ({decision.Component.ToName()})";
        output.WriteLine($"{obj.Location}  {name}{component}");
        foreach (var finding in visible)
        {
            var label = finding.Kind == FindingKind.Unresolved ? "NOTE" : finding.Mode switch
            {
                PolicyMode.Enforce => "DENY",
                PolicyMode.Warn => "WARN",
                _ => "AUDIT",
            };
            output.WriteLine($"  {label,-5} {finding.Policy}/{finding.Rule}{(finding.Path is null ? "" : "  at " + finding.Path)}");
            output.WriteLine($"        {finding.Message}");
            if (finding.Fix is not null)
            {
                output.WriteLine($"        fix: {finding.Fix}");
            }
        }
        if (decision.Patch.Count > 0)
        {
            output.WriteLine($"  PATCH {decision.Patch.Count} operation(s): {string.Join(", ", decision.Patch.Select(p => $"{p.Op} {p.Path}"))}");
        }
        if (decision.Findings.Any(f => f.Denies))
        {
            Denied++;
        }
        else if (decision.Findings.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Warn))
        {
            Warned++;
        }
        output.WriteLine();
    }

    public void WriteSummary() =>
        output.WriteLine($"{_checked} Airflow object(s) checked: {Denied} denied, {Warned} warned, {_clean} clean");
}
