using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>gitSyncSingleWriter: one git-sync writer per persistent volume (seed 003).</summary>
public class GitSyncWriterRuleTests
{
    [Fact]
    public void TwoWorkloadsSyncingIntoOneClaim_EachIsAViolation_NamingTheOther()
    {
        var policy = Policy("{ name: one-writer, gitSyncSingleWriter: {} }");

        var scheduler = Assert.Single(Findings(policy, "003-git-sync-writers-unsafe.yaml", "Deployment", "iaas-airflow-scheduler"));
        var web = Assert.Single(Findings(policy, "003-git-sync-writers-unsafe.yaml", "Deployment", "iaas-airflow-web"));

        Assert.Contains("git-sync in container git-sync writes into persistent volume dags-data", scheduler.Message, StringComparison.Ordinal);
        Assert.Contains("git-sync in container git-sync writes into persistent volume dags-data", web.Message, StringComparison.Ordinal);
        Assert.Equal("spec.template.spec.containers[1].volumeMounts[0]", scheduler.Path);
        Assert.NotNull(scheduler.Fix);
    }

    [Fact]
    public void TheSafeTwin_TheDagProcessorAsTheOneWriter_IsLeftAlone()
    {
        var policy = Policy("{ name: one-writer, gitSyncSingleWriter: { writers: [dag-processor] } }");

        Assert.Empty(Findings(policy, "003-git-sync-writers-safe.yaml", "Deployment", "airflow-dag-processor"));
        Assert.Empty(Findings(policy, "003-git-sync-writers-safe.yaml", "Deployment", "airflow-scheduler"));
    }

    [Fact]
    public void Rejects_AnUnknownWriterComponent_WithTheClosestName()
    {
        var problem = Assert.Single(Errors("{ name: r, gitSyncSingleWriter: { writers: [dag-procesor] } }"));

        Assert.Contains("dag-processor", problem.Message, StringComparison.Ordinal);
    }
}
