using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// Every seed scenario from PRODUCT.md, as shipped in examples/seeds: the unsafe form is denied (or
/// warned, for ephemeral task logs) with a message naming the volume and the fix; the safe twin
/// is allowed with no findings at all.
/// </summary>
public class SeedScenarioTests
{
    public static TheoryData<string> SafeTwins() => new(Directory.GetFiles(Repo.Path("examples", "seeds"), "*-safe*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(SafeTwins))]
    public void SafeTwin_IsAllowedWithNoFindings(string file)
    {
        var bundle = Bundle.Seed(file);
        var airflowObjects = 0;
        foreach (var (obj, verdict) in bundle.Evaluate(Packs.Default))
        {
            Assert.Empty(verdict.Errors);
            if (verdict.Pod is null || verdict.Decision.Component == Airflow.AirflowComponent.NotAirflow)
            {
                continue;
            }
            airflowObjects++;
            Assert.True(verdict.Decision.Allowed, $"{obj.Location} was denied");
            Assert.True(verdict.Decision.Findings.Count == 0, $"{obj.Location}: {string.Join("; ", verdict.Decision.Findings.Select(f => f.Message))}");
            Assert.Empty(verdict.Decision.Patch);
        }
        Assert.True(airflowObjects > 0, "the fixture holds no Airflow pod");
    }

    [Fact]
    public void OssLogs_Unsafe_IsDeniedNamingVolumeDriverAndFix()
    {
        var decision = Bundle.Seed("000-oss-logs-unsafe.yaml").Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision;

        Assert.False(decision.Allowed);
        var finding = Assert.Single(decision.Findings);
        Assert.Equal(("logs-not-on-object-storage", "no-fuse-logs", PolicyMode.Enforce), (finding.Policy, finding.Rule, finding.Mode));
        Assert.Contains("volume-pv-airflow-logs", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Alibaba Cloud OSS (ossfs)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("remote logging", finding.Fix, StringComparison.Ordinal);
        Assert.Equal("spec.template.spec.containers[0].volumeMounts[0]", finding.Path);
    }

    [Fact]
    public void KubernetesExecutorTaskLogs_Unsafe_IsWarnedNotDenied()
    {
        var decision = Bundle.Seed("001-ke-task-logs-unsafe.yaml").Verdict(Packs.Default, "Pod", "download-data-fetch-4f2a9c1e").Decision;

        Assert.True(decision.Allowed);
        Assert.Equal(Airflow.AirflowComponent.Task, decision.Component);
        Assert.Equal(
            ["read-write-once-claims/no-shared-rwo-writes", "task-logs-outlive-the-pod/persistent-task-logs"],
            decision.Findings.Select(f => $"{f.Policy}/{f.Rule}").Order());
        Assert.All(decision.Findings, f => Assert.Equal((PolicyMode.Warn, FindingKind.Violation), (f.Mode, f.Kind)));
        var logs = decision.Findings.Single(f => f.Policy == "task-logs-outlive-the-pod");
        Assert.Contains("emptyDir", logs.Message, StringComparison.Ordinal);
        Assert.Contains("remote logging", logs.Fix, StringComparison.Ordinal);
        var rwo = decision.Findings.Single(f => f.Policy == "read-write-once-claims");
        Assert.Contains("extra-persistence-volume-claim is ReadWriteOnce", rwo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DagsPathMismatch_Unsafe_IsDeniedNamingMountAndFolder()
    {
        var decision = Bundle.Seed("002-dags-path-mismatch-unsafe.yaml").Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision;

        Assert.False(decision.Allowed);
        var finding = Assert.Single(decision.Findings);
        Assert.Equal("dags-folder-on-dag-volume", finding.Policy);
        Assert.Contains("dags-data is mounted at /opt/airflow/nas/dags", finding.Message, StringComparison.Ordinal);
        Assert.Contains("/opt/airflow/dags (env AIRFLOW__CORE__DAGS_FOLDER)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("AIRFLOW__CORE__DAGS_FOLDER", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void GitSyncWriters_Unsafe_DeniesBothPodsSyncingIntoTheClaim()
    {
        var bundle = Bundle.Seed("003-git-sync-writers-unsafe.yaml");

        var web = bundle.Verdict(Packs.Default, "Deployment", "iaas-airflow-web").Decision;
        var scheduler = bundle.Verdict(Packs.Default, "Deployment", "iaas-airflow-scheduler").Decision;

        Assert.False(web.Allowed);
        Assert.Contains("only dag-processor, scheduler may write", Assert.Single(web.Findings).Message, StringComparison.Ordinal);
        Assert.False(scheduler.Allowed);
        var finding = Assert.Single(scheduler.Findings);
        Assert.Contains("also written by Deployment/iaas-airflow-web", finding.Message, StringComparison.Ordinal);
        Assert.Contains("dags-data", finding.Message, StringComparison.Ordinal);
        Assert.Contains("iaas-airflow-dags", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void HostPathDagsAndLiteralSecret_Unsafe_IsDeniedWithoutEchoingTheSecret()
    {
        var decision = Bundle.Seed("004-host-path-dags-unsafe.yaml").Verdict(Packs.Default, "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6").Decision;

        Assert.False(decision.Allowed);
        Assert.Equal(
            ["no-host-path-dags-or-logs/no-host-path-dags", "no-host-path-dags-or-logs/no-host-path-logs", "no-literal-secrets/secrets-from-secret-objects"],
            decision.Findings.Select(f => $"{f.Policy}/{f.Rule}").Order());
        Assert.Contains("hostPath /airflow-dags/", decision.Findings[0].Message, StringComparison.Ordinal);
        var secret = decision.Findings.Single(f => f.Policy == "no-literal-secrets");
        Assert.Contains("SQL_ALCHEMY_CONN", secret.Message, StringComparison.Ordinal);
        Assert.Equal("spec.containers[0].env[2]", secret.Path);
        Assert.All(decision.Findings, f => Assert.DoesNotContain("root:root", f.Message + f.Fix, StringComparison.Ordinal));
    }

    [Fact]
    public void GitSyncWriters_WithOfficialChartLabels_DeniesTheWebserverWriter()
    {
        // the same unsafe setup, relabelled the way the official chart labels pods
        var yaml = File.ReadAllText(Repo.Path("examples", "seeds", "003-git-sync-writers-unsafe.yaml"))
            .Replace("app: airflow, component: web,", "tier: airflow, component: webserver,", StringComparison.Ordinal)
            .Replace("app: airflow, component: scheduler,", "tier: airflow, component: scheduler,", StringComparison.Ordinal);
        var bundle = Bundle.FromText("official.yaml", yaml);

        var web = bundle.Verdict(Packs.Default, "Deployment", "iaas-airflow-web").Decision;

        Assert.Equal(Airflow.AirflowComponent.Webserver, web.Component);
        Assert.Contains("official chart", web.Evidence, StringComparison.Ordinal);
        Assert.False(web.Allowed);
    }

    [Fact]
    public void OssLogs_Unsafe_WithCommunityChartLabels_IsDenied()
    {
        var yaml = File.ReadAllText(Repo.Path("examples", "seeds", "000-oss-logs-unsafe.yaml"))
            .Replace("{ tier: airflow, component: scheduler, release: airflow }", "{ app: airflow, component: scheduler, release: airflow }", StringComparison.Ordinal);
        var decision = Bundle.FromText("community.yaml", yaml).Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision;

        Assert.Contains("community chart", decision.Evidence, StringComparison.Ordinal);
        Assert.False(decision.Allowed);
    }
}
