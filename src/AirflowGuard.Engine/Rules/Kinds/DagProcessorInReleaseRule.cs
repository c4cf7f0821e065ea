using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// An Airflow 3 scheduler in a release that runs no dag-processor: Airflow 3's scheduler never parses DAG files, so no
/// DAG is ever parsed (apache/airflow PR #45659). The charts start a dag-processor for Airflow 3 themselves; a release
/// gets here when the chart was told Airflow 2 (the official chart's <c>airflowVersion</c>) and the image is Airflow 3.
/// Only where every workload of the namespace is in view (<c>check</c> of a release); the webhook cannot tell.
/// </summary>
internal sealed class DagProcessorInReleaseRule : PodRule
{
    internal static RuleKind Definition { get; } = new("dagProcessorInRelease", "an Airflow 3 scheduler in a release with no dag-processor")
    {
        ApiServerGap = "a release-wide rule: it looks for a dag-processor among the release's other workloads",
        Placeholders = ["pod", "container", "component"],
        DefaultMessage = "{pod} runs an Airflow 3 scheduler (container {container}), which never parses DAG files, and no workload of the release runs the dag-processor: no DAG will ever be parsed",
        DefaultFix = "run the dag-processor (the official chart: set airflowVersion to the image's Airflow version, or dagProcessor.enabled: true)",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new DagProcessorInReleaseRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Component != AirflowComponent.Scheduler || context.Cluster.Release(context.Namespace) is not { Complete: true } release ||
            release.Has(AirflowComponent.DagProcessor))
        {
            return;
        }
        foreach (var container in context.AirflowContainers)
        {
            if (AirflowVersion.MajorOf(container) is >= 3)
            {
                report.Violation(new MessageValues { Pod = context.Pod.DisplayName, Container = container.Name, Component = context.Component.ToName() },
                    JsonPlace.Of(container), remedy: new DagProcessorRemedy());
                return;
            }
        }
    }
}
