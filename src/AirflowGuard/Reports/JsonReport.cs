using System.Text.Json;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Mutations;

namespace AirflowGuard.Reports;

/// <summary><c>check --output json</c>: every checked object with its findings and patch (the playground's rows are these too).</summary>
internal static class JsonReport
{
    public static void Write(CheckReport results, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteSummary(json, results);
        json.WriteStartArray("objects");
        foreach (var obj in results.Rows)
        {
            json.WriteStartObject();
            WriteRow(json, obj);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The counts: <c>"summary": { checked, denied, warned, repaired, clean }</c>.</summary>
    public static void WriteSummary(Utf8JsonWriter json, CheckReport results)
    {
        json.WriteStartObject("summary");
        json.WriteNumber("checked", results.Rows.Count);
        json.WriteNumber("denied", results.Denied);
        json.WriteNumber("warned", results.Warned);
        json.WriteNumber("repaired", results.Repaired);
        json.WriteNumber("clean", results.Clean);
        json.WriteEndObject();
    }

    /// <summary>
    /// The fields of one row (inside an object the caller opens, so the playground can add its own): where, what, the
    /// findings — each with what <paramref name="findingExtras"/> adds — and the patch.
    /// </summary>
    public static void WriteRow(Utf8JsonWriter json, CheckedObject obj, Action<Utf8JsonWriter, Finding>? findingExtras = null)
    {
        json.WriteString("file", obj.File);
        json.WriteNumber("line", obj.Line);
        json.WriteString("object", obj.Name);
        if (obj.Identity.Kind is { } kind)
        {
            json.WriteString("kind", kind);
            json.WriteString("namespace", obj.Identity.Namespace);
            json.WriteString("name", obj.Identity.Name);
        }
        json.WriteString("component", obj.Component);
        json.WriteBoolean("allowed", !obj.Denied);
        if (obj.Waived.Count > 0)
        {
            json.WriteStartArray("waived");
            foreach (var waiver in obj.Waived)
            {
                json.WriteStartObject();
                json.WriteString("policy", waiver.Policy);
                json.WriteStartArray("rules");
                foreach (var rule in waiver.Rules)
                {
                    json.WriteStringValue(rule);
                }
                json.WriteEndArray();
                json.WriteString("by", waiver.Source);
                json.WriteString("reason", waiver.Reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteStartArray("findings");
        foreach (var finding in obj.Visible)
        {
            json.WriteStartObject();
            json.WriteString("policy", finding.Policy);
            json.WriteString("rule", finding.Rule);
            json.WriteString("level", CheckedObject.Level(finding));
            json.WriteString("kind", finding.Kind == FindingKind.Unresolved ? "unresolved" : "violation");
            json.WriteString("message", finding.Message);
            if (finding.Fix is not null)
            {
                json.WriteString("fix", finding.Fix);
            }
            if (finding.Path is not null)
            {
                json.WriteString("path", finding.Path);
            }
            if (finding.Assumed is not null)
            {
                json.WriteString("assumed", finding.Assumed);
            }
            if (finding.Values is { } values)
            {
                json.WritePropertyName("values");
                WriteValues(json, values);
            }
            findingExtras?.Invoke(json, finding);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WritePropertyName("patch");
        PatchDocument.Write(json, obj.Patch);
    }

    /// <summary>
    /// A finding's values fix: {"chart": "official", "version": "1.16.0", "repairs": true, "changes": [{"key", "value", "site"}], "reason"}.
    /// A change whose value is null removes the key; "site" names what a site must fill in (a fix option), when anything.
    /// </summary>
    public static void WriteValues(Utf8JsonWriter json, ValuesFix values)
    {
        json.WriteStartObject();
        json.WriteString("chart", values.Chart.Family.ToName());
        if (values.Chart.Version is { } version)
        {
            json.WriteString("version", version);
        }
        json.WriteBoolean("repairs", values.Repairs);
        json.WriteStartArray("changes");
        foreach (var change in values.Changes)
        {
            json.WriteStartObject();
            json.WriteString("key", change.Key);
            json.WritePropertyName("value");
            if (change.Value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                change.Value.WriteTo(json);
            }
            if (change.Site != ValuesSite.None)
            {
                json.WriteString("site", ValuesSites.OptionOf(change.Site));
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (values.ListEdits.Count > 0)
        {
            // edits of items of the user's own lists: `fix -f values.yaml` makes them and writes those lists whole
            json.WriteStartArray("edits");
            foreach (var edit in values.ListEdits)
            {
                json.WriteStartObject();
                json.WriteString("edit", edit.Kind switch
                {
                    ListEditKind.RemoveEnv => "remove-env",
                    ListEditKind.EnvFromSecret => "env-from-secret",
                    ListEditKind.ReadOnlyMount => "read-only-mount",
                    _ => "remove-volume",
                });
                json.WriteString("name", edit.Name);
                json.WriteString("text", edit.Describe());
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteString("reason", values.Reason);
        json.WriteEndObject();
    }
}
