using static AirflowGuard.Engine.Tests.ReleaseRuleTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>dagClaimWriter (release-wide): a DAG claim the release creates empty and no workload writes.</summary>
public class DagClaimWriterRuleTests
{
    [Fact]
    public void AClaimEveryWorkloadReadsAndNoneWrites_IsAViolation_OnTheClaim()
    {
        var decisions = Decisions("{ name: dag-writer, dagClaimWriter: {} }", Release("shared-claims-unsafe.yaml"));

        var dags = Assert.Single(decisions, d => d.Decision.Findings.Count > 0);
        Assert.Equal(("airflow", "airflow-dags"), (dags.Namespace, dags.Claim));
        Assert.Contains("Deployment airflow/airflow-scheduler, StatefulSet airflow/airflow-worker, all read-only", Assert.Single(dags.Decision.Findings).Message, StringComparison.Ordinal);
        Assert.Equal(3, dags.Location.Line);
    }

    [Fact]
    public void TheOtherClaims_PassWithThePolicyApplied()
    {
        var decisions = Decisions("{ name: dag-writer, dagClaimWriter: {} }", Release("shared-claims-unsafe.yaml"));

        var logs = Assert.Single(decisions, d => d.Claim == "airflow-logs");
        Assert.Empty(logs.Decision.Findings);
        Assert.Equal(["p"], logs.Decision.PoliciesApplied);
    }

    [Fact]
    public void AClaimGitSyncWritesInTheSeed_IsLeftAlone()
    {
        var decisions = Decisions("{ name: dag-writer, dagClaimWriter: {} }", Support.Repo.Path("examples", "seeds", "003-git-sync-writers-unsafe.yaml"));

        Assert.All(decisions, d => Assert.Empty(d.Decision.Findings));
    }
}
