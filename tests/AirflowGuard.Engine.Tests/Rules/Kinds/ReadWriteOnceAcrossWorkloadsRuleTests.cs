using static AirflowGuard.Engine.Tests.ReleaseRuleTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>readWriteOnceAcrossWorkloads (release-wide): a ReadWriteOnce claim written by several workloads.</summary>
public class ReadWriteOnceAcrossWorkloadsRuleTests
{
    [Fact]
    public void AReadWriteOnceClaimTwoWorkloadsWrite_IsAViolation_OnTheClaim()
    {
        var decisions = Decisions("{ name: one-writer, readWriteOnceAcrossWorkloads: {} }", Release("shared-claims-unsafe.yaml"));

        var logs = Assert.Single(decisions, d => d.Decision.Findings.Count > 0);
        Assert.Equal("airflow-logs", logs.Claim);
        var finding = Assert.Single(logs.Decision.Findings);
        Assert.Contains("claim airflow-logs is ReadWriteOnce but Deployment airflow/airflow-scheduler, StatefulSet airflow/airflow-worker all write it", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ReadWriteMany", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_AnyParameter()
    {
        var problem = Assert.Single(RuleKindTest.Errors("{ name: r, readWriteOnceAcrossWorkloads: { x: 1 } }"));

        Assert.Contains("x", problem.Message, StringComparison.Ordinal);
    }
}
