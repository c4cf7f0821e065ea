using System.Globalization;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// In Airflow 3 the api-server, not the webserver, fetches the logs of running tasks from the workers' and the
/// triggerer's log servers ([logging] worker_log_server_port, 8793; trigger_log_server_port, 8794, also spelt
/// triggerer_log_server_port). A NetworkPolicy written for Airflow 2 that admits only the webserver to those ports
/// leaves the UI without the log of any running task (apache/airflow PR #65754). Only where the release's
/// NetworkPolicies are all in view (<c>check</c>); the webhook skips it.
/// </summary>
internal sealed class LogPortsReachableRule : PodRule
{
    internal static RuleKind Definition { get; } = new("logPortsReachable", "an Airflow 3 log server the api-server may not reach through the release's NetworkPolicies")
    {
        ApiServerGap = "it reads the release's NetworkPolicies and the api-server's pods, other objects",
        Placeholders = ["pod", "container", "component", "peer", "detail"],
        DefaultMessage = "{pod} ({component}) serves logs on port {detail}; none admits {peer}, which fetches the logs of running tasks in Airflow 3, so the UI shows none",
        DefaultFix = "add a NetworkPolicy that admits the api-server pods (component: api-server) to the log ports of workers and triggerer: the official chart's own policies admit only the webserver",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new LogPortsReachableRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Component is not (AirflowComponent.Worker or AirflowComponent.Triggerer) ||
            context.Cluster.NetworkPolicies(context.Namespace) is not { Count: > 0 } policies || // first: the webhook has none
            context.MainSettings is not var (container, settings) || AirflowVersion.MajorOf(container) is not >= 3)
        {
            return;
        }
        var option = context.Component == AirflowComponent.Worker ? AirflowOption.WorkerLogServerPort : AirflowOption.TriggerLogServerPort;
        if (settings.Get(option) is not { IsKnown: true, Value: { } text } || !int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return;
        }
        var selecting = policies.Where(p => p.RestrictsIngress && p.PodSelector.Matches(context.Pod.Metadata.Labels)).ToList();
        if (selecting.Count == 0)
        {
            return; // no policy selects the pod: all traffic is admitted
        }
        foreach (var apiServer in context.Peers.Where(p => p.Component == AirflowComponent.ApiServer))
        {
            if (selecting.Any(p => p.Admits(apiServer.Pod.Metadata.Labels, port, portName: null)))
            {
                continue;
            }
            report.Violation(new MessageValues
            {
                Pod = context.Pod.DisplayName,
                Container = container.Name,
                Component = context.Component.ToName(),
                Peer = apiServer.Workload,
                Detail = $"{port} ({settings.Get(option).Source}), and is selected by NetworkPolicy {string.Join(", ", selecting.Select(p => p.Name))}",
            }, JsonPathText.FromPointer(context.Pod.MetadataPointer), remedy: new Charts.LogPortsRemedy());
            return;
        }
    }
}
