using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Cli;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Playground;

/// <summary>
/// Evaluates the playground's editors with <c>check</c>'s own code path
/// (<see cref="CheckCommand.CheckAll"/>) and writes everything the page shows as one JSON document:
/// located errors, verdicts and findings with their lines, explain's evidence, the patch, the
/// patched object, the webhook's AdmissionReview answers, and the JSON and SARIF reports.
/// </summary>
internal static class PlaygroundEvaluator
{
    public const string ManifestsFile = "manifests.yaml";
    public const string ClusterFile = "cluster.yaml";

    public static byte[] Evaluate(PlaygroundRequest request)
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

        var (objects, manifestErrors) = Read(request.Manifests, ManifestsFile);
        var (clusterObjects, clusterErrors) = Read(request.Cluster, ClusterFile);
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

        var cluster = new ManifestClusterState(request.Namespace, policies.Recognition);
        foreach (var obj in objects)
        {
            cluster.Add(obj);
        }
        // the cluster editor stands in for the webhook's cluster cache: looked up, never checked
        IClusterState? live = clusterObjects.Count == 0 ? null : new ManifestClusterState(clusterObjects, request.Namespace, policies.Recognition);

        var inputErrors = 0;
        using var errors = new StringWriter();
        using var mutated = new StringWriter();
        var verdicts = new Dictionary<(string, int), (ManifestObject Object, ObjectVerdict Verdict)>();
        var results = CheckCommand.CheckAll(objects, cluster, live, policies, request.Namespace, errors, ref inputErrors, new MutatedManifests(mutated, errors),
            (obj, verdict) =>
            {
                if (verdict is not null)
                {
                    verdicts[(obj.File, obj.Line)] = (obj, verdict);
                }
            });

        json.WriteStartArray("inputErrors");
        foreach (var line in errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            json.WriteStringValue(line);
        }
        json.WriteEndArray();

        json.WriteStartObject("summary");
        json.WriteNumber("checked", results.Objects.Count);
        json.WriteNumber("denied", results.Denied);
        json.WriteNumber("warned", results.Warned);
        json.WriteNumber("repaired", results.Repaired);
        json.WriteNumber("clean", results.Clean);
        json.WriteEndObject();

        var lines = new YamlPathLines(request.Manifests);
        using var admission = results.Objects.Count == 0 ? null : new AdmissionPreview(files);
        json.WriteStartArray("objects");
        var number = 0;
        foreach (var checkedObject in results.Objects)
        {
            verdicts.TryGetValue((checkedObject.File, checkedObject.Line), out var source);
            var scoped = live is null ? cluster.ForFile(checkedObject.File) : new LayeredClusterState(cluster.ForFile(checkedObject.File), live);
            WriteObject(json, checkedObject, source.Object, source.Verdict, policies, scoped, request.Namespace, lines, admission!, ++number);
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
            SarifReport.Write(results, report, typeof(PlaygroundEvaluator).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
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

    private static (List<ManifestObject> Objects, List<ManifestError> Errors) Read(string text, string file)
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        foreach (var (obj, error) in ManifestReader.Read(new StringReader(text), file))
        {
            if (obj is not null)
            {
                objects.Add(obj);
            }
            if (error is not null)
            {
                errors.Add(error);
            }
        }
        return (objects, errors);
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

    private static void WriteObject(Utf8JsonWriter json, CheckedObject checkedObject, ManifestObject? source, ObjectVerdict? verdict, PolicySet policies,
        IClusterState cluster, string defaultNamespace, YamlPathLines lines, AdmissionPreview admission, int number)
    {
        json.WriteStartObject();
        json.WriteString("file", checkedObject.File);
        json.WriteNumber("line", checkedObject.Line);
        json.WriteString("name", checkedObject.Name);
        json.WriteString("kind", checkedObject.Identity.Kind);
        json.WriteString("namespace", checkedObject.Identity.Namespace);
        json.WriteString("objectName", checkedObject.Identity.Name);
        json.WriteString("component", checkedObject.Component);
        json.WriteString("verdict", checkedObject.Denied ? "deny" : checkedObject.Warned ? "warn" : checkedObject.Patch.Count > 0 ? "repaired" : "clean");
        var embedded = source?.EmbeddedIn is not null;
        json.WriteStartArray("findings");
        foreach (var finding in checkedObject.Visible)
        {
            json.WriteStartObject();
            json.WriteString("policy", finding.Policy);
            json.WriteString("rule", finding.Rule);
            json.WriteString("label", CheckedObject.Label(finding));
            json.WriteString("level", CheckedObject.Level(finding));
            json.WriteString("message", finding.Message);
            json.WriteString("fix", finding.Fix);
            json.WriteString("path", finding.Path);
            json.WriteString("assumed", finding.Assumed);
            var inManifests = checkedObject.File == ManifestsFile;
            json.WriteNumber("line", !inManifests ? checkedObject.Line
                : embedded ? lines.LineInEmbedded(checkedObject.Line, finding.Path, source!.EmbeddedIn!) : lines.Line(checkedObject.Line, finding.Path));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WritePropertyName("patch");
        PatchDocument.Write(json, checkedObject.Patch);

        if (source is not null && verdict is not null)
        {
            if (verdict.Pod is { } pod && verdict.Decision.Component != AirflowComponent.NotAirflow)
            {
                using var explain = new StringWriter();
                ExplainCommand.Explain(source, pod, verdict.Decision, policies, cluster, explain);
                json.WriteString("explain", explain.ToString());
            }
            WriteBeforeAfter(json, source, checkedObject.Patch);
            var (validate, mutate) = admission.Answer(source.Json, defaultNamespace, cluster, $"playground-{number}");
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
        var document = JsonNode.Parse(source.Json.GetRawText())!;
        using var before = new StringWriter();
        YamlWriter.WriteDocuments([document], before);
        json.WriteString("before", before.ToString());
        if (patch.Count == 0)
        {
            return;
        }
        try
        {
            PatchApplier.Apply(document, patch);
            using var after = new StringWriter();
            YamlWriter.WriteDocuments([document], after);
            json.WriteString("after", after.ToString());
        }
        catch (InvalidOperationException ex)
        {
            json.WriteString("after", $"# AirflowGuard could not apply its own patch: {ex.Message}");
        }
    }
}
