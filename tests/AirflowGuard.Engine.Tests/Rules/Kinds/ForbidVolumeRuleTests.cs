using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>forbidVolume: a kind of storage under the folder Airflow really uses, named with its driver and the place at fault.</summary>
public class ForbidVolumeRuleTests
{
    private static readonly Lazy<Policies.PolicySet> NoFuseLogs = new(() => Policy("{ name: no-fuse-logs, forbidVolume: { at: logs, backing: [object-storage-fuse], access: write } }"));

    [Fact]
    public void LogsOnAnOssBucket_AreAViolation_AtTheMount()
    {
        var finding = Assert.Single(Findings(NoFuseLogs.Value, "000-oss-logs-unsafe.yaml", "Deployment", "airflow-scheduler"));

        Assert.Equal("no-fuse-logs", finding.Rule);
        Assert.Contains("logs folder /opt/airflow/logs of container scheduler is on volume volume-pv-airflow-logs", finding.Message, StringComparison.Ordinal);
        Assert.Equal("spec.template.spec.containers[0].volumeMounts[0]", finding.Path);
    }

    [Fact]
    public void LogsOnAFileSystem_AreLeftAlone()
    {
        Assert.Empty(Findings(NoFuseLogs.Value, "000-oss-logs-safe.yaml", "Deployment", "airflow-scheduler"));
    }

    [Fact]
    public void ByDriverName_ForbidsWhateverTheClass()
    {
        var policy = Policy("{ name: no-oss, forbidVolume: { at: logs, drivers: [\"ossplugin.*\"] } }");

        Assert.Single(Findings(policy, "000-oss-logs-unsafe.yaml", "Deployment", "airflow-scheduler"));
    }

    [Theory]
    [InlineData("{ name: r, forbidVolume: { at: tmp, backing: [host-path] } }", "at must be logs, dags or an absolute path, found \"tmp\"")]
    [InlineData("{ name: r, forbidVolume: { at: logs, backing: [object-storage-fuze] } }", "did you mean \"object-storage-fuse\"?")]
    [InlineData("{ name: r, forbidVolume: { at: logs } }", "forbidVolume needs backing")]
    [InlineData("{ name: r, forbidVolume: { at: logs, backing: [host-path], access: read } }", "access must be write or any")]
    public void Rejects_AWrongBody_SayingWhatAndWhere(string rule, string error)
    {
        var problem = Assert.Single(Errors(rule));

        Assert.Contains(error, problem.Message, StringComparison.Ordinal);
        Assert.Equal(6, problem.Line);
    }
}
