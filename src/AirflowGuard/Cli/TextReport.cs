namespace AirflowGuard.Cli;

/// <summary>The human-readable report: one block per object with findings, then a summary line.</summary>
internal static class TextReport
{
    public static void Write(CheckResults results, TextWriter output)
    {
        foreach (var obj in results.Objects)
        {
            if (obj.Visible.Count == 0 && obj.Patch.Count == 0)
            {
                continue;
            }
            output.WriteLine($"{obj.Location}  {obj.Name}{(obj.Component.Length == 0 ? "" : $" ({obj.Component})")}");
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
            if (obj.Patch.Count > 0)
            {
                output.WriteLine($"  PATCH {obj.Patch.Count} operation(s): {string.Join(", ", obj.Patch.Select(p => $"{p.Op} {p.Path}"))}");
            }
            output.WriteLine();
        }
        output.WriteLine($"{results.Objects.Count} Airflow object(s) checked: {results.Denied} denied, {results.Warned} warned, {results.Clean} clean");
    }
}
