using AirflowGuard.Checking;

namespace AirflowGuard.Reports;

/// <summary>The human-readable report: one block per object with findings, then a summary line; <c>check</c> writes the blocks as objects are checked.</summary>
internal static class TextReport
{
    public static void Write(CheckReport results, TextWriter output, bool colour = false)
    {
        foreach (var obj in results.Rows)
        {
            WriteObject(obj, output, colour);
        }
        WriteSummary(results, output);
    }

    /// <summary>One object's block; nothing for an object with no finding and no patch.</summary>
    public static void WriteObject(CheckedObject obj, TextWriter output, bool colour = false)
    {
        if (obj.Visible.Count == 0 && obj.Patch.Count == 0 && obj.Waived.Count == 0)
        {
            return;
        }
        output.WriteLine($"{obj.Location}  {obj.Name}{(obj.Component.Length == 0 ? "" : $" ({obj.Component})")}");
        foreach (var waiver in obj.Waived)
        {
            output.WriteLine($"  {Paint("WAIVED", "NOTE", colour)} {waiver.Policy}{(waiver.Rules.Count == 0 ? "" : "/" + string.Join(",", waiver.Rules))} by {waiver.Source}: {waiver.Reason}");
        }
        foreach (var finding in obj.Visible)
        {
            var label = CheckedObject.Label(finding);
            output.WriteLine($"  {Paint($"{label,-5}", label, colour)} {finding.Policy}/{finding.Rule}{(finding.Path is null ? "" : "  at " + finding.Path)}");
            output.WriteLine($"        {finding.Message}");
            if (finding.Fix is not null)
            {
                output.WriteLine($"        fix: {finding.Fix}");
            }
            if (finding.Values is { } values)
            {
                output.WriteLine($"        values: {values.Describe()}");
            }
            if (finding.Assumed is not null)
            {
                output.WriteLine($"        assumed: {finding.Assumed}");
            }
        }
        if (obj.Patch.Count > 0)
        {
            output.WriteLine($"  PATCH {obj.Patch.Count} operation(s): {string.Join(", ", obj.Patch.Select(p => $"{p.Op} {p.Path}"))}");
        }
        output.WriteLine();
    }

    public static void WriteSummary(CheckReport results, TextWriter output) => output.WriteLine(results.Summary);

    /// <summary>ANSI colour for a label, on a terminal only (see <see cref="Terminal.Colour"/>).</summary>
    private static string Paint(string text, string label, bool colour) => !colour ? text : label switch
    {
        "DENY" => $"\u001b[1;31m{text}\u001b[0m",
        "WARN" => $"\u001b[33m{text}\u001b[0m",
        "NOTE" => $"\u001b[36m{text}\u001b[0m",
        _ => text,
    };
}
