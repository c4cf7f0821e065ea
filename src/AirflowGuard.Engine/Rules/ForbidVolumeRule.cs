using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Forbids a kind of storage under the logs folder, the DAGs folder or a path, as Airflow
/// containers really see it: object-storage FUSE for logs, hostPath for DAGs, logs that die
/// with a task pod (unless remote logging ships them), writable DAG volumes in workers.
/// </summary>
public sealed class ForbidVolumeRule : Rule
{
    public static readonly IReadOnlyCollection<string> Placeholders =
        ["volume", "driver", "backing", "container", "path", "folder", "claim", "component", "mountPath", "setting", "pod"];

    public override string Kind => "forbidVolume";

    public required FolderTarget At { get; init; }
    public required IReadOnlySet<BackingClass> Backing { get; init; }

    /// <summary>Only when Airflow can write there (read-only mounts are fine).</summary>
    public bool WriteOnly { get; init; }

    /// <summary>Allowed when remote logging is on and has somewhere to send logs.</summary>
    public bool UnlessRemoteLogging { get; init; }

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        List<string>? reported = null;
        foreach (var container in context.AirflowContainers)
        {
            var settings = context.SettingsOf(container);
            var folder = At.Resolve(settings);
            if (!folder.IsKnown || string.IsNullOrEmpty(folder.Value))
            {
                report.Unresolved($"the {At.Describe()} of {container.DisplayName} is unknown: {folder.Source}", JsonPathText.FromPointer(container.Pointer));
                continue;
            }
            var where = context.BackingAt(container, folder.Value);
            if (WriteOnly && !where.Writable)
            {
                continue;
            }
            var key = where.VolumeName;
            if (reported?.Contains(key) == true)
            {
                continue;
            }
            var backing = where.Backing;
            if (backing.Class == BackingClass.Unknown && !Backing.Contains(BackingClass.Unknown))
            {
                (reported ??= []).Add(key);
                report.Unresolved($"{At.Describe()} {folder.Value} is on volume {key}: {backing.UnknownReason}", PathOf(container, where));
                continue;
            }
            if (!Backing.Contains(backing.Class))
            {
                continue;
            }
            if (UnlessRemoteLogging)
            {
                var remote = settings.RemoteLoggingOn;
                if (remote == true && settings.RemoteBaseLogFolder is { IsKnown: true, Value.Length: > 0 })
                {
                    continue;
                }
                if (remote is null || !settings.RemoteBaseLogFolder.IsKnown)
                {
                    (reported ??= []).Add(key);
                    var source = remote is null ? settings.RemoteLogging.Source : settings.RemoteBaseLogFolder.Source;
                    report.Unresolved($"{At.Describe()} {folder.Value} is on {backing.Description}, and whether remote logging ships the logs is unknown: {source}",
                        PathOf(container, where));
                    continue;
                }
            }
            (reported ??= []).Add(key);
            report.Violation(new MessageValues
            {
                Volume = where.Volume?.Name ?? "(no volume)",
                Driver = backing.DriverTitle,
                Backing = backing.Description,
                Container = container.Name,
                Path = folder.Value,
                Folder = At.Describe(),
                Claim = backing.Claim,
                Component = context.Component.ToName(),
                MountPath = where.Mount?.MountPath ?? folder.Value,
                Setting = folder.Source,
                Pod = context.Pod.DisplayName,
            }, PathOf(container, where));
        }
    }

    private static string PathOf(ContainerView container, PathBacking where) =>
        JsonPathText.FromPointer(where.Mount is null ? container.Pointer : $"{container.Pointer}/volumeMounts/{where.Mount.Index}");
}
