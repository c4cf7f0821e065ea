using System.CommandLine;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard explain FILE</c>: for each Airflow pod, what AirflowGuard sees and decides — the
/// component and why, the settings each Airflow container runs with and where they come from,
/// what backs each mount, every rule that ran with its result, and the patch as a diff.
/// </summary>
internal static class ExplainCommand
{
    private static readonly Argument<string[]> FilesArgument = CommonOptions.Paths("FILE", "manifest files or folders; - reads stdin");
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string?> NamespaceOption = CommonOptions.Namespace();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("explain", "show what AirflowGuard sees in each Airflow pod and why it decides as it does")
        {
            FilesArgument, PoliciesOption, NamespaceOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var files = parsed.GetValue(FilesArgument) ?? [];
        if (files.Length == 0)
        {
            throw new UsageException("explain: give at least one manifest file");
        }
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var defaultNamespace = parsed.GetValue(NamespaceOption) ?? "default";
        var inputErrors = 0;
        var objects = new List<ManifestObject>();
        using var sources = ManifestSources.Open(files, error, ref inputErrors);
        foreach (var source in sources.Files)
        {
            using var reader = source.Open();
            var (read, errors) = ManifestBundle.Read(source.Name, reader.ReadToEnd());
            objects.AddRange(read);
            foreach (var problem in errors)
            {
                error.WriteLine(problem.ToString());
                inputErrors++;
            }
        }
        var cluster = new ManifestClusterState(objects, defaultNamespace, policies.Recognition);
        var explained = 0;
        foreach (var obj in objects)
        {
            var verdict = ObjectEvaluator.Evaluate(obj.Json, "", policies, cluster, defaultNamespace);
            if (verdict.Pod is not { } pod || verdict.Decision.Component == AirflowComponent.NotAirflow)
            {
                continue;
            }
            explained++;
            Explain(obj, pod, verdict.Decision, policies, cluster, output);
        }
        if (explained == 0)
        {
            output.WriteLine("no Airflow pods or pod templates in the input");
        }
        return inputErrors > 0 ? CommandLine.UsageError : CommandLine.Clean;
    }

    internal static void Explain(ManifestObject obj, PodView pod, Decision decision, PolicySet policies, IClusterState cluster, TextWriter output)
    {
        var name = obj.EmbeddedIn is null ? pod.DisplayName : $"the pod template {obj.EmbeddedIn}";
        output.WriteLine($"{obj.Location}  {name}");
        output.WriteLine($"  component   {decision.Component.ToName()} ({decision.Evidence})");
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
                    var label = CheckedObject.Label(finding);
                    output.WriteLine($"    {label,-5} {policy.Name}/{rule.Name}: {finding.Message}");
                    if (finding.Fix is not null)
                    {
                        output.WriteLine($"          fix: {finding.Fix}");
                    }
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
            var before = JsonPatchText.Find(document, operation.Path);
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
}

/// <summary>Looks up the value a JSON Patch path points at, to show what a patch replaces.</summary>
internal static class JsonPatchText
{
    public static JsonNode? Find(JsonNode? document, string pointer)
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
