using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A long-running component whose logs folder is an emptyDir with nothing to bound it: no <c>sizeLimit</c>, no
/// ephemeral-storage limit on the container, and no sidecar that deletes old logs. The scheduler writes a log per DAG
/// file per parse and a worker one per task try, for as long as the pod lives: the node's disk fills and the kubelet
/// evicts the pod (apache/airflow PR #30726: 3.5 TiB of scheduler logs). The official chart's log-groomer sidecars and
/// the community chart's log-cleanup sidecars count as the bound, as does remote logging with delete_local_logs.
/// </summary>
internal sealed class BoundedLocalLogsRule : PodRule
{
    internal static RuleKind Definition { get; } = new("boundedLocalLogs", "a long-running component writing logs to an emptyDir that nothing bounds")
    {
        ApiServerGap = "it needs the airflow view: the logs folder and delete_local_logs come from Airflow's settings (env, airflow.cfg in a ConfigMap or Secret), and a log groomer is found among the release's pods",
        Placeholders = ["pod", "container", "component", "volume", "folder"],
        DefaultMessage = "{pod} ({component}) writes its logs to {folder} on emptyDir {volume}, which has no sizeLimit, no ephemeral-storage limit and no log-cleaning sidecar: the logs grow for as long as the pod lives until the node's disk fills and the pod is evicted",
        DefaultFix = "bound the logs: run a log-cleaning sidecar on the logs volume (the official chart's logGroomerSidecar, the community chart's logCleanup), set emptyDir.sizeLimit or an ephemeral-storage limit, or log remotely with [logging] delete_local_logs = True",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new BoundedLocalLogsRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Component is not (AirflowComponent.Scheduler or AirflowComponent.DagProcessor or AirflowComponent.Worker or AirflowComponent.Triggerer) ||
            context.MainSettings is not var (container, settings) ||
            settings.LogsFolder is not { IsKnown: true, Value: { } folder })
        {
            return;
        }
        // the volume under the logs folder, looked up without a PathBacking: most pods' logs are on a claim, and leave here
        if (container.MountCoveringNormal(folder) is not { } mount || context.Pod.FindVolume(mount.Name) is not { Source.Kind: VolumeSourceKind.EmptyDir } volume ||
            volume.Source.Attributes.ContainsKey("sizeLimit") ||
            volume.Source.Attributes.TryGetValue("medium", out var medium) && medium == "Memory" || // bound by the memory limit, and not the node's disk
            LimitsEphemeralStorage(container) || CleanedBySidecar(context, container, volume.Name) ||
            settings.RemoteLoggingOn == true && EffectiveAirflowSettings.ParseBool(settings.Get(AirflowOption.DeleteLocalLogs).Value) == true)
        {
            return;
        }
        report.Violation(new MessageValues
        {
            Pod = context.Pod.DisplayName,
            Container = container.Name,
            Component = context.Component.ToName(),
            Volume = volume.Name,
            Folder = folder,
        }, JsonPathText.FromPointer(volume.Pointer), remedy: new LogCleanupRemedy(context.Component));
    }

    private static bool LimitsEphemeralStorage(ContainerView container) =>
        container.Resources is { ValueKind: JsonValueKind.Object } resources &&
        resources.TryGetProperty("limits"u8, out var limits) && limits.ValueKind == JsonValueKind.Object &&
        limits.TryGetProperty("ephemeral-storage"u8, out _);

    /// <summary>Another container of the pod that mounts the logs volume and deletes old logs (its name or command says so).</summary>
    private static bool CleanedBySidecar(EvaluationContext context, ContainerView main, string volume)
    {
        foreach (var other in context.Pod.Containers)
        {
            if (ReferenceEquals(other, main) || !other.Mounts.Any(m => m.Name == volume && !m.ReadOnly))
            {
                continue;
            }
            if (SaysCleaning(other.Name) || other.Command.Any(SaysCleaning) || other.Args.Any(SaysCleaning))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly string[] CleaningWords = ["groom", "clean", "logrotate", "-delete", "rm -"];

    private static bool SaysCleaning(string text)
    {
        foreach (var word in CleaningWords)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
