using static AirflowGuard.Engine.Tests.RenderFindings;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>boundedLocalLogs: a long-running component's emptyDir logs need a sizeLimit, an ephemeral-storage limit or a cleaning sidecar.</summary>
public class BoundedLocalLogsRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: bounded, boundedLocalLogs: {} }", mode: "Warn");

    private const string SchedulerLogs = "        - name: logs\n          emptyDir:\n            {}\n---\n# Source: airflow/templates/statsd/statsd-deployment.yaml";

    [Fact]
    public void ASchedulerWithoutItsLogGroomer_IsAViolation_RepairedByTheChartsSidecar()
    {
        var found = Render("official-1.19/scheduler-no-log-groomer.yaml").Violations(Rule);

        var scheduler = Assert.Single(Assert.Single(found).Value);
        Assert.Contains("emptyDir logs", scheduler.Message, StringComparison.Ordinal);
        Assert.Equal("spec.template.spec.volumes[1]", scheduler.Path);
        Assert.Contains("scheduler.logGroomerSidecar.enabled=true", scheduler.Values!.DescribeChanges(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/scheduler-no-log-groomer-storage-limit.yaml")] // an ephemeral-storage limit
    [InlineData("official-1.19/celery-stock.yaml")] // the chart's log-groomer sidecars
    [InlineData("official-1.16/k8s-stock.yaml")]
    [InlineData("bitnami-25.1/defaults.yaml")] // ephemeral-storage limits on every container
    public void LogsWithABound_AreClean(string render) =>
        Assert.Empty(Render(render).Violations(Rule));

    [Fact]
    public void AnEmptyDirWithASizeLimit_IsBounded()
    {
        var bundle = Edited("official-1.19/scheduler-no-log-groomer.yaml",
            text => text.Replace(SchedulerLogs, SchedulerLogs.Replace("{}", "{ sizeLimit: 5Gi }", StringComparison.Ordinal), StringComparison.Ordinal));

        Assert.Empty(bundle.Violations(Rule));
    }

    [Fact]
    public void RemoteLoggingThatDeletesTheLocalCopy_IsABound()
    {
        var bundle = Edited("official-1.19/scheduler-no-log-groomer.yaml", text => text.Replace(
            "[logging]\n    colored_console_log = False\n    remote_logging = False",
            "[logging]\n    colored_console_log = False\n    remote_logging = True\n    remote_base_log_folder = s3://logs/airflow\n    delete_local_logs = True",
            StringComparison.Ordinal));

        Assert.Empty(bundle.Violations(Rule));
    }

    [Fact]
    public void TheCommunityChartsTriggerer_HasUnboundedLogs_ButTheDefaultPackLeavesTheTriggererOut()
    {
        var render = Render("community-8.9/celery-defaults.yaml");

        Assert.Equal(["Deployment/airflow-triggerer"], render.Violations(Rule).Keys); // scheduler and workers run log-cleanup sidecars
        Assert.DoesNotContain(render.Evaluate(Support.Packs.Default).SelectMany(v => v.Verdict.Decision.Findings), f => f.Policy == "local-logs-bounded");
    }
}
