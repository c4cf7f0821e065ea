using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Reports;

namespace AirflowGuard.Playground;

/// <summary>
/// Evaluates the playground's editors with the check pipeline (<see cref="ManifestCheck"/>) and writes everything the
/// page shows as one JSON document:
/// located errors, verdicts and findings with their lines, explain's evidence, the patch, the
/// patched object, the webhook's AdmissionReview answers, and the JSON and SARIF reports.
/// </summary>
internal static class PlaygroundEvaluator
{
    public const string ManifestsFile = "manifests.yaml";
    public const string ClusterFile = "cluster.yaml";

    /// <param name="cancellation">Stops the evaluation between objects (<see cref="OperationCanceledException"/>): the server abandons one past its time limit.</param>
    public static byte[] Evaluate(PlaygroundRequest request, CancellationToken cancellation = default)
    {
        var started = Stopwatch.GetTimestamp();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();

        var files = PolicyPack.Split(request.Policies);
        var loaded = PolicyLoader.LoadTexts(files.Select(f => (f.File, f.Text)));
        WritePolicyErrors(json, loaded.Errors, files);
        if (!loaded.Succeeded)
        {
            json.WriteString("stopped", $"the policies have {loaded.Errors.Count} error(s); nothing was checked");
            return Finish(json, buffer, started);
        }
        var policies = loaded.Set!;

        // the cluster editor stands in for the webhook's cluster cache: looked up, never checked
        var (clusterObjects, clusterErrors) = ManifestBundle.Read(ClusterFile, request.Cluster);
        var manifestErrors = new List<ManifestError>();
        var inputErrors = new List<string>();
        using var mutated = new StringWriter();
        var manifests = new MutatedManifests(mutated, inputErrors.Add);
        var results = new ManifestCheck(policies, request.Namespace)
        {
            Live = clusterObjects.Count == 0 ? null : new ManifestClusterState(clusterObjects, request.Namespace, policies.Recognition),
            KeepObjects = true,
            Cancellation = cancellation,
            OnProblem = problem =>
            {
                if (problem.Manifest is { } error)
                {
                    manifestErrors.Add(error);
                }
                else
                {
                    inputErrors.Add(problem.Text);
                }
            },
            OnObject = manifests.Write,
        }.Run([ManifestSource.FromText(ManifestsFile, request.Manifests)]);
        manifests.Flush();

        json.WriteStartArray("manifestErrors");
        foreach (var error in manifestErrors.Concat(clusterErrors))
        {
            json.WriteStartObject();
            json.WriteString("editor", error.File == ClusterFile ? "cluster" : "manifests");
            json.WriteString("file", error.File);
            json.WriteNumber("line", error.Line);
            json.WriteNumber("column", error.Column);
            json.WriteString("message", error.Message);
            json.WriteString("text", error.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("inputErrors");
        foreach (var line in inputErrors)
        {
            json.WriteStringValue(line);
        }
        json.WriteEndArray();

        JsonReport.WriteSummary(json, results);

        var lines = new YamlPathLines(request.Manifests);
        using var admission = results.Rows.Count == 0 ? null : new AdmissionPreview(files);
        json.WriteStartArray("objects");
        var number = 0;
        foreach (var check in results.Objects)
        {
            cancellation.ThrowIfCancellationRequested();
            if (check.Row is { } row)
            {
                WriteObject(json, row, check, policies, request.Namespace, lines, admission!, ++number);
            }
        }
        foreach (var row in results.ReleaseRows)
        {
            cancellation.ThrowIfCancellationRequested();
            WriteObject(json, row, null, policies, request.Namespace, lines, admission!, ++number);
        }
        json.WriteEndArray();

        json.WriteString("mutated", mutated.ToString());
        json.WriteStartObject("reports");
        using (var report = new MemoryStream())
        {
            JsonReport.Write(results, report);
            json.WritePropertyName("json");
            json.WriteRawValue(report.ToArray());
        }
        using (var report = new MemoryStream())
        {
            SarifReport.Write(results, report, ReportFormats.Version);
            json.WritePropertyName("sarif");
            json.WriteRawValue(report.ToArray());
        }
        json.WriteEndObject();
        return Finish(json, buffer, started);
    }

    private static byte[] Finish(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, long started)
    {
        json.WriteNumber("elapsedMs", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePolicyErrors(Utf8JsonWriter json, IReadOnlyList<PolicyError> errors, List<PolicyPackFile> files)
    {
        json.WriteStartArray("policyErrors");
        foreach (var error in errors)
        {
            json.WriteStartObject();
            json.WriteString("file", error.File);
            json.WriteNumber("line", error.Line);
            json.WriteNumber("column", error.Column);
            json.WriteString("message", error.Message);
            json.WriteString("text", error.ToString());
            if (files.Find(f => f.File == error.File) is { } file)
            {
                json.WriteNumber("editorLine", file.FirstLine + error.Line - 1);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteObject(Utf8JsonWriter json, CheckedObject row, ObjectCheck? check, PolicySet policies, string defaultNamespace,
        YamlPathLines lines, AdmissionPreview admission, int number)
    {
        var source = check?.Source;
        json.WriteStartObject();
        JsonReport.WriteRow(json, row, (json, finding) =>
        {
            json.WriteString("label", CheckedObject.Label(finding));
            json.WriteNumber("line", row.File != ManifestsFile ? row.Line
                : source?.EmbeddedIn is { } embedded ? lines.LineInEmbedded(row.Line, finding.Path, embedded) : lines.Line(row.Line, finding.Path));
        });
        json.WriteString("verdict", row.Verdict);
        if (source is not null && check!.Verdict is { } verdict)
        {
            if (verdict.Pod is { } pod && verdict.Decision.Component != AirflowComponent.NotAirflow)
            {
                using var explain = new StringWriter();
                ExplainReport.WriteObject(source, pod, verdict.Decision, policies, check.Scope, explain);
                json.WriteString("explain", explain.ToString());
            }
            WriteBeforeAfter(json, source, row.Patch);
            var (validate, mutate) = admission.Answer(source.Json, defaultNamespace, check.Scope, $"playground-{number}");
            json.WriteStartObject("admission");
            json.WritePropertyName("validate");
            json.WriteRawValue(validate);
            json.WritePropertyName("mutate");
            json.WriteRawValue(mutate);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>The object as written and as the webhook would patch it, both as YAML, for the diff.</summary>
    private static void WriteBeforeAfter(Utf8JsonWriter json, ManifestObject source, IReadOnlyList<PatchOperation> patch)
    {
        using var before = new StringWriter();
        YamlWriter.WriteDocuments([PatchedObject.Of(source, [])], before);
        json.WriteString("before", before.ToString());
        if (patch.Count == 0)
        {
            return;
        }
        try
        {
            using var after = new StringWriter();
            YamlWriter.WriteDocuments([PatchedObject.Of(source, patch)], after);
            json.WriteString("after", after.ToString());
        }
        catch (InvalidOperationException ex)
        {
            json.WriteString("after", $"# AirflowGuard could not apply its own patch: {ex.Message}");
        }
    }
}
