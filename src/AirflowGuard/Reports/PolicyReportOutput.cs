using System.Text.Json;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Reports;

/// <summary>
/// <c>audit --output policyreport</c>: the results as <c>wgpolicyk8s.io/v1alpha2</c> PolicyReports, one per
/// namespace, in a <c>v1 List</c> that <c>kubectl apply -f</c> takes — what Kyverno writes and Policy
/// Reporter shows. Each policy that applied to an object gives a result: <c>fail</c> for an enforced
/// violation, <c>warn</c> for a Warn or Audit one, <c>skip</c> for a rule that could not be checked,
/// <c>pass</c> otherwise.
/// </summary>
internal static class PolicyReportOutput
{
    public const string Source = "airflowguard";

    /// <summary>On a report whose results were capped: how many were left out.</summary>
    public const string OmittedAnnotation = "airflowguard.dev/results-omitted";

    private static readonly string[] ResultOrder = ["fail", "error", "warn", "skip", "pass"];

    public static void Write(CheckReport results, Stream output, DateTimeOffset now)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("apiVersion", "v1");
        json.WriteString("kind", "List");
        json.WriteStartArray("items");
        foreach (var (_, report) in Reports(results, now))
        {
            using var document = JsonDocument.Parse(report);
            document.RootElement.WriteTo(json);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// One PolicyReport per namespace, as JSON. At most <paramref name="maxResults"/> results each (fail first, then warn,
    /// skip, pass), as Gatekeeper caps its audit: the summary still counts every result, and the annotation
    /// <c>airflowguard.dev/results-omitted</c> says how many were left out.
    /// </summary>
    public static IReadOnlyList<(string Namespace, byte[] Report)> Reports(CheckReport results, DateTimeOffset now, int maxResults = int.MaxValue)
    {
        var reports = new List<(string, byte[])>();
        foreach (var group in results.Rows.Where(o => o.Identity.Kind is not null).GroupBy(o => o.Identity.Namespace ?? "default").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                WriteReport(json, group.Key, group.ToList(), now, maxResults);
            }
            reports.Add((group.Key, buffer.WrittenSpan.ToArray()));
        }
        return reports;
    }

    private static void WriteReport(Utf8JsonWriter json, string @namespace, List<CheckedObject> objects, DateTimeOffset now, int maxResults)
    {
        var results = new List<(CheckedObject Object, string Policy, string? Rule, string Result, string Message, string? Severity)>();
        foreach (var obj in objects)
        {
            foreach (var waiver in obj.Waived)
            {
                results.Add((obj, waiver.Policy, waiver.Rules.Count == 1 ? waiver.Rules[0] : null, "skip", waiver.Describe(), null));
            }
            foreach (var policy in obj.PoliciesApplied)
            {
                var findings = obj.Visible.Where(f => f.Policy == policy).ToList();
                if (findings.Count == 0)
                {
                    results.Add((obj, policy, null, "pass", "no finding", null));
                    continue;
                }
                foreach (var finding in findings)
                {
                    var (result, severity) = finding.Kind == FindingKind.Unresolved
                        ? ("skip", (string?)null)
                        : finding.Mode == PolicyMode.Enforce ? ("fail", "high") : ("warn", "medium");
                    results.Add((obj, policy, finding.Rule, result, finding.Message, severity));
                }
            }
        }
        var shown = results.Count <= maxResults ? results
            : [.. results.OrderBy(r => Array.IndexOf(ResultOrder, r.Result)).Take(maxResults)];
        json.WriteStartObject();
        json.WriteString("apiVersion", "wgpolicyk8s.io/v1alpha2");
        json.WriteString("kind", "PolicyReport");
        json.WriteStartObject("metadata");
        json.WriteString("name", $"airflowguard-{@namespace}");
        json.WriteString("namespace", @namespace);
        json.WriteStartObject("labels");
        json.WriteString("app.kubernetes.io/managed-by", Source);
        json.WriteEndObject();
        if (shown.Count < results.Count)
        {
            json.WriteStartObject("annotations");
            json.WriteString(OmittedAnnotation, (results.Count - shown.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("summary");
        foreach (var outcome in new[] { "pass", "fail", "warn", "error", "skip" })
        {
            json.WriteNumber(outcome, results.Count(r => r.Result == outcome));
        }
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var (obj, policy, rule, result, message, severity) in shown)
        {
            json.WriteStartObject();
            json.WriteString("source", Source);
            json.WriteString("policy", policy);
            if (rule is not null)
            {
                json.WriteString("rule", rule);
            }
            json.WriteString("result", result);
            json.WriteString("message", message);
            if (severity is not null)
            {
                json.WriteString("severity", severity);
            }
            json.WriteString("category", "Airflow");
            json.WriteBoolean("scored", true);
            json.WriteStartObject("timestamp");
            json.WriteNumber("seconds", now.ToUnixTimeSeconds());
            json.WriteNumber("nanos", 0);
            json.WriteEndObject();
            json.WriteStartArray("resources");
            json.WriteStartObject();
            json.WriteString("apiVersion", obj.ApiVersion ?? "v1");
            json.WriteString("kind", obj.Identity.Kind);
            json.WriteString("namespace", @namespace);
            json.WriteString("name", obj.Identity.Name ?? "");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
