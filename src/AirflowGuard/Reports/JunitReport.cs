using AirflowGuard.Checking;

namespace AirflowGuard.Reports;

/// <summary><c>check --output junit</c>: one test case per checked object, failed when it breaks an enforced rule.</summary>
internal static class JunitReport
{
    public static void Write(CheckReport results, TextWriter output)
    {
        var cases = results.Rows.Select(obj =>
        {
            var failures = obj.Visible.Where(f => f.Denies)
                .Select(f => new JunitFailure($"{f.Policy}/{f.Rule}", f.Message, f.Fix is null ? f.Message : $"{f.Message}\nfix: {f.Fix}"))
                .ToList();
            var notes = obj.Visible.Where(f => !f.Denies).Select(f => $"{CheckedObject.Level(f)} {f.Policy}/{f.Rule}: {f.Message}").ToList();
            return new JunitCase(obj.File, $"{obj.Name} (line {obj.Line})", failures, notes.Count > 0 ? string.Join('\n', notes) : null);
        }).ToList();
        JunitWriter.Write([new JunitSuite("airflowguard check", cases, results.Denied) { Errors = 0 }], output);
    }
}
