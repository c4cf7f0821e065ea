using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A KubernetesExecutor task pod (or the pod_template_file it is made from) that lacks what the scheduler (or the
/// dag-processor, which parses DAGs where one runs) has for the same folder (airflow-helm/charts #27, #430; apache/airflow #13680):
/// <list type="bullet">
/// <item>the DAG parser reads DAGs from a volume, and the task pod's DAGs folder is on no volume: the task finds only
/// what the image carries, and fails with "DAG not found" unless the image holds the same DAGs;</item>
/// <item>both log remotely, to different places: the UI reads the webserver's place and never finds the task's log.</item>
/// </list>
/// A different <c>dags_folder</c> alone is fine: the scheduler sends the file relative to its DAGs folder ("DAGS_FOLDER/…").
/// </summary>
internal sealed class TaskPodMatchesSchedulerRule : PodRule
{
    internal static RuleKind Definition { get; } = new("taskPodMatchesScheduler", "a task pod or pod_template_file that lacks the DAG volume the scheduler or dag-processor parses, or logs elsewhere")
    {
        ApiServerGap = "it compares the task pod with the scheduler's and dag-processor's pods, other objects",
        Placeholders = ["pod", "container", "component", "peer", "folder", "detail"],
        DefaultMessage = "{pod} ({component}) {detail}",
        DefaultFix = "make the pod_template_file mount what the scheduler or dag-processor mounts for DAGs and log where the webserver reads (the official chart builds it from the same values unless podTemplate replaces it)",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new TaskPodMatchesSchedulerRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Component != AirflowComponent.Task || context.MainSettings is not var (container, settings))
        {
            return;
        }
        var path = JsonPlace.Of(container);
        // who parses the DAGs: the dag-processor where one runs (Airflow 3's scheduler reads no DAG file), else the scheduler
        foreach (var scheduler in context.Peers.Where(p => p.Component is AirflowComponent.DagProcessor or AirflowComponent.Scheduler)
                     .OrderBy(p => p.Component == AirflowComponent.DagProcessor ? 0 : 1))
        {
            var peer = context.Of(scheduler);
            if (peer.MainSettings is not var (peerContainer, peerSettings) ||
                peerSettings.DagsFolder is not { IsKnown: true, Value: { } peerFolder } || settings.DagsFolder is not { IsKnown: true, Value: { } folder })
            {
                continue;
            }
            var theirs = peer.BackingAt(peerContainer, peerFolder);
            var ours = context.BackingAt(container, folder);
            if (theirs.Volume is { } dagVolume && ours.Mount is null)
            {
                report.Violation(new MessageValues
                {
                    Pod = context.Pod.DisplayName,
                    Container = container.Name,
                    Component = context.Component.ToName(),
                    Peer = scheduler.Workload,
                    Folder = folder,
                    Detail = $"has no volume at its DAGs folder {folder}, while {scheduler.Workload} reads DAGs from volume {dagVolume.Name} ({Describe(dagVolume)}) at {peerFolder}: " +
                        "the task finds only the DAGs baked into its image, and fails with \"DAG not found\" unless the image holds the same ones",
                }, path, remedy: new ChartPodTemplateRemedy());
                return;
            }
        }
        if (settings.RemoteLoggingOn != true || settings.RemoteBaseLogFolder is not { IsKnown: true, Value: { Length: > 0 } target })
        {
            return;
        }
        foreach (var reader in context.Peers.Where(p => p.Component is AirflowComponent.Webserver or AirflowComponent.ApiServer))
        {
            if (context.Of(reader).MainSettings is not var (_, readerSettings) || readerSettings.RemoteLoggingOn != true ||
                readerSettings.RemoteBaseLogFolder is not { IsKnown: true, Value: { Length: > 0 } readFrom } ||
                string.Equals(readFrom.TrimEnd('/'), target.TrimEnd('/'), StringComparison.Ordinal))
            {
                continue;
            }
            report.Violation(new MessageValues
            {
                Pod = context.Pod.DisplayName,
                Container = container.Name,
                Component = context.Component.ToName(),
                Peer = reader.Workload,
                Folder = target,
                Detail = $"uploads task logs to {target} ({settings.RemoteBaseLogFolder.Source}), while {reader.Workload} reads them from {readFrom} ({readerSettings.RemoteBaseLogFolder.Source}): the UI never finds the logs of tasks that ran here",
            }, path, remedy: new ChartPodTemplateRemedy());
            return;
        }
    }

    private static string Describe(VolumeView volume) => volume.Source.Kind switch
    {
        VolumeSourceKind.PersistentVolumeClaim => $"claim {volume.Source.Reference}",
        VolumeSourceKind.EmptyDir => "an emptyDir git-sync fills",
        var kind => kind.ToString(),
    };
}
