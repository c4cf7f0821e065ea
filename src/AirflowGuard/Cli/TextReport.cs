namespace AirflowGuard.Cli;

/// <summary>The human-readable report: one block per object with findings, then a summary line.</summary>
internal static class TextReport
{
    public static void Write(CheckResults results, TextWriter output)
    {
        foreach (var obj in results.Objects)
        {
            var decision = obj.Verdict.Decision;
            if (obj.Visible.Count == 0 && decision.Patch.Count == 0)
            {
                continue;
            }
            output.WriteLine($"{obj.Source.Location}  {obj.Name}{(obj.Component.Length == 0 ? "" : $" ({obj.Component})")}");
            foreach (var finding in obj.Visible)
            {
                var label = CheckedObject.Level(finding) switch
                {
                    "error" => "DENY",
                    "warning" => "WARN",
                    _ => finding.Kind == Engine.Evaluation.FindingKind.Unresolved ? "NOTE" : "AUDIT",
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
            output.WriteLine();
        }
        output.WriteLine($"{results.Objects.Count} Airflow object(s) checked: {results.Denied} denied, {results.Warned} warned, {results.Clean} clean");
    }
}
