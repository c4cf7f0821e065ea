using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>readWriteOnceWrites: a ReadWriteOnce claim written by pods that may land on several nodes (seed 001).</summary>
public class ReadWriteOnceRuleTests
{
    [Fact]
    public void ATaskPodWritingAReadWriteOnceClaim_IsAViolation()
    {
        var policy = Policy("{ name: no-rwo, readWriteOnceWrites: {} }", mode: "Warn");

        var finding = Assert.Single(Findings(policy, "001-ke-task-logs-unsafe.yaml", "Pod", "download-data-fetch-4f2a9c1e"));

        Assert.Equal(Policies.PolicyMode.Warn, finding.Mode);
        Assert.Contains("claim extra-persistence-volume-claim is ReadWriteOnce", finding.Message, StringComparison.Ordinal);
        Assert.Contains("(task)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReadWriteManyClaim_IsLeftAlone()
    {
        var policy = Policy("{ name: no-rwo, readWriteOnceWrites: {} }");

        Assert.Empty(Findings(policy, "001-ke-task-logs-safe.yaml", "Pod", "download-data-fetch-4f2a9c1e"));
    }

    [Fact]
    public void ATaskPodWritingAReadWriteOnceClaimOnAHostPathVolume_IsLeftAlone_NothingAttachesIt()
    {
        var policy = Policy("{ name: no-rwo, readWriteOnceWrites: {} }", mode: "Warn");
        // a real user's release: the task template writes claims bound by their StorageClass to hostPath PVs
        var bundle = Support.Bundle.FromFile(Support.Repo.Path("tests", "charts", "official-1.16", "patcha-ranat-k8s-host-path-claims.yaml"));

        var template = bundle.Evaluate(policy).Single(v => v.Object.EmbeddedIn is not null);

        Assert.Equal(AirflowGuard.Engine.Airflow.AirflowComponent.Task, template.Verdict.Decision.Component);
        Assert.DoesNotContain(template.Verdict.Decision.Findings, f => f.Kind == AirflowGuard.Engine.Evaluation.FindingKind.Violation);
    }

    [Fact]
    public void Rejects_AnyParameter()
    {
        var problem = Assert.Single(Errors("{ name: r, readWriteOnceWrites: { claims: [x] } }"));

        Assert.Contains("claims", problem.Message, StringComparison.Ordinal);
    }
}
