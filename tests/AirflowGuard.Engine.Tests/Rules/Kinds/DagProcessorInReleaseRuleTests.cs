using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>dagProcessorInRelease: an Airflow 3 scheduler in a release that runs no dag-processor.</summary>
public class DagProcessorInReleaseRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: dag-processor-runs, dagProcessorInRelease: {} }", mode: "Warn");

    private static List<Evaluation.Finding> SchedulerFindings(string render) =>
        Bundle.FromFile(Repo.Path("tests", "charts", render)).Evaluate(Rule)
            .Single(v => IsScheduler(v.Object)).Verdict.Decision.Findings
            .Where(f => f.Kind == Evaluation.FindingKind.Violation).ToList();

    private static bool IsScheduler(Yaml.ManifestObject obj) =>
        obj.Kind == "Deployment" && obj.Json.GetProperty("metadata").GetProperty("name").GetString() == "airflow-scheduler";

    [Fact]
    public void AnAirflow3SchedulerWithNoDagProcessorInTheRelease_IsAViolation()
    {
        var finding = Assert.Single(SchedulerFindings("official-1.16/airflow3-image-no-dag-processor.yaml"));

        Assert.Contains("Airflow 3 scheduler", finding.Message, StringComparison.Ordinal);
        Assert.Contains("dagProcessor.enabled=true", finding.Values!.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/celery-stock.yaml")] // Airflow 3 with the chart's dag-processor
    [InlineData("official-1.16/celery-stock.yaml")] // Airflow 2: the scheduler parses DAGs itself
    public void ASchedulerThatHasItsDagsParsed_IsLeftAlone(string render) =>
        Assert.Empty(SchedulerFindings(render));

    [Fact]
    public void ASchedulerAloneWithoutTheRestOfTheRelease_IsNotJudged_AsTheWebhookSeesIt()
    {
        var verdict = Bundle.FromFile(Repo.Path("tests", "charts", "official-1.16", "airflow3-image-no-dag-processor.yaml")).Evaluate(Rule)
            .Single(v => IsScheduler(v.Object));

        var alone = Evaluation.ObjectEvaluator.Evaluate(verdict.Object.Source, "Deployment", Evaluation.ObjectEvaluator.RoleOf("Deployment", Rule), "", Rule,
            Kubernetes.NoClusterState.Instance, "airflow");

        Assert.DoesNotContain(alone.Decision.Findings, f => f.Kind == Evaluation.FindingKind.Violation);
    }
}
