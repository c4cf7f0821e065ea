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
    public void ReadWriteOnceClaimsBoundToHostPathVolumes_AreLeftAlone_NothingAttachesThem()
    {
        // a real user's release: the scheduler, the webserver and the task template write two ReadWriteOnce claims,
        // each bound by its StorageClass to a hostPath PV (what no-host-path-* denies; no Multi-Attach hang)
        var decisions = Decisions("{ name: one-writer, readWriteOnceAcrossWorkloads: {} }",
            Support.Repo.Path("tests", "charts", "official-1.16", "patcha-ranat-k8s-host-path-claims.yaml"));

        Assert.Contains(decisions, d => d.Claim == "airflow-logs");
        Assert.All(decisions, d => Assert.Empty(d.Decision.Findings));
    }

    [Fact]
    public void Rejects_AnyParameter()
    {
        var problem = Assert.Single(RuleKindTest.Errors("{ name: r, readWriteOnceAcrossWorkloads: { x: 1 } }"));

        Assert.Contains("x", problem.Message, StringComparison.Ordinal);
    }
}
