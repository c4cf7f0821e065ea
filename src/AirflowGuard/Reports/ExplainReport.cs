using System.Text.Json.Nodes;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Reports;

/// <summary>
/// What <c>explain</c> (and the playground) shows of a check: for each Airflow pod, the component and why, the settings
/// each Airflow container runs with and where they come from, what backs each mount, every rule that ran with its
/// result, and the patch as a diff; then what the release-wide rules found, on the claims they are about.
/// </summary>
internal static class ExplainReport
{
    public static void Write(CheckReport report, PolicySet policies, TextWriter output)
    {
        var explained = 0;
        foreach (var check in report.Objects)
        {
            if (check.Verdict is not { Pod: { } pod } verdict || verdict.Decision.Component == AirflowComponent.NotAirflow || verdict.Errors.Count > 0)
            {
                continue;
            }
            explained++;
            WriteObject(check.Source, pod, verdict.Decision, policies, check.Scope, output);
        }
        foreach (var row in report.ReleaseRows)
        {
            WriteRelease(row, output);
        }
        if (explained == 0)
        {
            output.WriteLine("no Airflow pods or pod templates in the input");
        }
    }

    /// <summary>A claim's release-wide findings: what the rules saw across every workload that mounts it.</summary>
    private static void WriteRelease(CheckedObject row, TextWriter output)
    {
        output.WriteLine($"{row.Location}  {row.Name}");
        output.WriteLine("  rules");
        foreach (var finding in row.Visible)
        {
            WriteFinding(finding, output);
        }
        output.WriteLine();
    }

    private static void WriteFinding(Finding finding, TextWriter output)
    {
        var label = CheckedObject.Label(finding);
        output.WriteLine($"    {label,-5} {finding.Policy}/{finding.Rule}: {finding.Message}");
        if (finding.Fix is not null)
        {
            output.WriteLine($"          fix: {finding.Fix}");
        }
        if (finding.Values is { } values)
        {
            output.WriteLine($"          values: {values.Describe()}");
        }
    }

    public static void WriteObject(ManifestObject obj, PodView pod, Decision decision, PolicySet policies, IClusterState cluster, TextWriter output)
    {
        var name = obj.EmbeddedIn is null ? pod.DisplayName : $"the pod template {obj.EmbeddedIn}";
        output.WriteLine($"{obj.Location}  {name}");
        output.WriteLine($"  component   {decision.Component.ToName()} ({decision.Evidence})");
        output.WriteLine($"  chart       {decision.Chart} ({decision.Chart.Evidence})");
        if (pod.Replicas > 1)
        {
            output.WriteLine($"  replicas    {pod.Replicas}");
        }
        var @namespace = pod.Metadata.Namespace ?? "default";
        output.WriteLine("  containers");
        foreach (var container in pod.AllContainers)
        {
            var role = ContainerClassifier.Classify(container, policies.Recognition);
            output.WriteLine($"    {container.DisplayName}: {RoleName(role)}{(container.Image is null ? "" : $", image {container.Image}")}");
            if (role == ContainerRole.Airflow)
            {
                var settings = SettingsResolver.Resolve(pod, container, cluster);
                output.WriteLine($"      AIRFLOW_HOME    {settings.AirflowHome}");
                output.WriteLine($"      DAGs folder     {settings.DagsFolder}");
                output.WriteLine($"      logs folder     {settings.LogsFolder}");
                output.WriteLine($"      remote logging  {RemoteLogging(settings)}");
            }
            foreach (var mount in container.Mounts)
            {
                var volume = pod.FindVolume(mount.Name);
                var backing = volume is null ? "not declared in the pod" : Describe(BackingResolver.Resolve(volume, @namespace, cluster, policies.Drivers));
                output.WriteLine($"      mount {mount.MountPath}{(mount.ReadOnly ? " (read-only)" : "")} ← volume {mount.Name}: {backing}");
            }
        }

        output.WriteLine("  rules");
        var exempted = decision.Exceptions.ToDictionary(e => e.Policy, e => e, StringComparer.Ordinal);
        foreach (var policy in policies.Policies.Where(p => decision.PoliciesApplied.Contains(p.Name) || exempted.ContainsKey(p.Name)))
        {
            foreach (var rule in policy.Rules)
            {
                var findings = decision.Findings.Where(f => f.Policy == policy.Name && f.Rule == rule.Name && !f.FromMutation).ToList();
                if (exempted.TryGetValue(policy.Name, out var exemption) && (exemption.Rules.Count == 0 || exemption.Rules.Contains(rule.Name)))
                {
                    output.WriteLine($"    SKIP  {policy.Name}/{rule.Name}: exception — {exemption.Reason}");
                }
                else if (findings.Count == 0)
                {
                    output.WriteLine($"    PASS  {policy.Name}/{rule.Name} ({rule.Kind})");
                }
                foreach (var finding in findings)
                {
                    WriteFinding(finding, output);
                }
            }
        }
        foreach (var note in decision.Findings.Where(f => f.FromMutation))
        {
            output.WriteLine($"    NOTE  {note.Policy}/{note.Rule}: {note.Message}");
        }
        if (!decision.PoliciesApplied.Any() && exempted.Count == 0)
        {
            output.WriteLine("    (no policy matches this pod)");
        }

        output.WriteLine(decision.Patch.Count == 0 ? "  patch       none" : "  patch");
        var document = JsonNode.Parse(obj.Json.GetRawText());
        foreach (var operation in decision.Patch)
        {
            var before = Find(document, operation.Path);
            var after = operation.Value?.ToJsonString() ?? "null";
            if (before is null)
            {
                output.WriteLine($"    + {operation.Path}: {after}");
            }
            else
            {
                output.WriteLine($"    - {operation.Path}: {before.ToJsonString()}");
                output.WriteLine($"    + {operation.Path}: {after}");
            }
        }
        output.WriteLine();
    }

    private static string RoleName(ContainerRole role) => role switch
    {
        ContainerRole.Airflow => "Airflow",
        ContainerRole.GitSync => "git-sync",
        _ => "sidecar (left alone)",
    };

    private static string RemoteLogging(EffectiveAirflowSettings settings) => settings.RemoteLoggingOn switch
    {
        true => $"on, to {settings.RemoteBaseLogFolder.Value} ({settings.RemoteLogging.Source})",
        false => $"off ({settings.RemoteLogging.Source})",
        null => $"unknown ({settings.RemoteLogging.Source})",
    };

    private static string Describe(VolumeBacking backing) =>
        backing.Class == BackingClass.Unknown
            ? $"unknown — {backing.UnknownReason}"
            : $"{backing.Class.ToName()}, {backing.Description}{(backing.AccessModes == AccessModes.None ? "" : $", {backing.AccessModes}")}";


    /// <summary>The value a JSON Patch path points at, to show what a patch replaces.</summary>
    private static JsonNode? Find(JsonNode? document, string pointer)
    {
        var node = document;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var token = JsonPointer.Unescape(raw);
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var i) && i >= 0 && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }
}
