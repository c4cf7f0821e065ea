using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// The DAG volume must be mounted where Airflow reads DAGs. A shared NAS mounted at a path that
/// differs from the DAGs folder (<c>AIRFLOW__CORE__DAGS_FOLDER</c>, the chart's <c>dags.path</c>)
/// leaves Airflow reading an empty folder (seed 002). A volume at, above or inside the folder is read.
/// </summary>
internal sealed class DagsFolderRule : PodRule
{
    internal static RuleKind Definition { get; } = new("dagsFolderOnVolume", "a DAG volume mounted where Airflow does not read DAGs")
    {
        ApiServerGap = "it needs the airflow view: the folder Airflow reads DAGs from comes from env, airflow.cfg (a ConfigMap or Secret) and the image's defaults",
        Placeholders = ["volume", "container", "path", "mountPath", "setting", "pod", "component"],
        DefaultMessage = "the DAGs folder {path} ({setting}) is not on DAG volume {volume}, which container {container} mounts at {mountPath}; Airflow will not see those DAGs",
        DefaultFix = "mount the DAG volume at the DAGs folder, or set AIRFLOW__CORE__DAGS_FOLDER (dags.path in the chart) to the mount path",
        BodySchema = """
            {
              "oneOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "dagVolumes": {
                      "$ref": "#/definitions/stringList"
                    }
                  }
                }
              ]
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    /// <summary>Volume names that hold DAGs; volumes a git-sync container writes also count.</summary>
    public IReadOnlyList<Glob> DagVolumes { get; init; } = DefaultDagVolumes;

    public static readonly IReadOnlyList<Glob> DefaultDagVolumes = [new Glob("*dag*"), new Glob("*DAG*")];

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var containers = context.AirflowContainers;
        for (var c = 0; c < containers.Count; c++)
        {
            var container = containers[c];
            MountView? dagMount = null;
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (IsDagVolume(context, mount.Name))
                {
                    dagMount = mount;
                    break;
                }
            }
            if (dagMount is null)
            {
                continue; // DAGs baked into the image, or this container reads none
            }
            var folder = context.SettingsOf(container).DagsFolder;
            if (!folder.IsKnown || folder.Value is null)
            {
                report.Unresolved($"the DAGs folder of {container.DisplayName} is unknown: {folder.Source}", JsonPlace.Of(container));
                continue;
            }
            if (folder.Assumption is not null && !report.AcceptsAssumptions && !report.MayDecideOn(folder.Assumption, $"the DAGs folder of {container.DisplayName}", JsonPlace.Of(container)) ||
                MountsInsideOrAround(context, container, folder.Value))
            {
                continue;
            }
            report.Violation(new MessageValues
            {
                Volume = dagMount.Name,
                Container = container.Name,
                Path = folder.Value,
                MountPath = dagMount.MountPath,
                Setting = folder.Source,
                Pod = context.Pod.DisplayName,
                Component = context.Component.ToName(),
            }, JsonPlace.Of(container, "volumeMounts", dagMount.Index), folder.Assumption, remedy: new DagsFolderRemedy(dagMount.MountPath));
        }
    }

    /// <summary>
    /// Airflow reads the DAGs folder and everything under it, recursively: a DAG volume mounted at the
    /// folder, above it (the folder is a path inside the volume) or inside it (a NAS under
    /// /opt/airflow/dags/nas) is read. Only a DAG volume entirely outside the folder is missed.
    /// </summary>
    private bool MountsInsideOrAround(EvaluationContext context, ContainerView container, string folder)
    {
        foreach (var mount in container.Mounts.AsReadOnlySpan())
        {
            // the paths first: two comparisons of strings, where telling a DAG volume matches globs
            if (PathText.AreNestedNormal(folder, mount.MountPath) &&
                IsDagVolume(context, mount.Name))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsDagVolume(EvaluationContext context, string volumeName) =>
        Glob.AnyMatch(DagVolumes, volumeName) || context.IsGitSyncVolume(volumeName);

    private static DagsFolderRule? Read(KindBody body)
    {
        var volumes = new List<Glob>();
        if (!body.IsEmpty)
        {
            var map = body.Map("dagVolumes");
            if (map is null)
            {
                return null;
            }
            volumes.AddRange(map.StringList("dagVolumes").Select(v => new Glob(v.Value)));
        }
        return new DagsFolderRule
        {
            Name = body.Name,
            Location = body.Location,
            DagVolumes = volumes.Count == 0 ? DefaultDagVolumes : volumes,
            Message = body.Message(),
            Fix = body.Fix(),
        };
    }
}
