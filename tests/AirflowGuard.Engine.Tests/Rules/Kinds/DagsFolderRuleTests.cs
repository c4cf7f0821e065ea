using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>dagsFolderOnVolume: the DAG volume must be mounted where Airflow reads DAGs (seed 002).</summary>
public class DagsFolderRuleTests
{
    [Fact]
    public void ADagVolumeBesideTheDagsFolder_IsAViolation_NamingBothPaths()
    {
        var policy = Policy("{ name: dags-on-volume, dagsFolderOnVolume: {} }");

        var finding = Assert.Single(Findings(policy, "002-dags-path-mismatch-unsafe.yaml", "Deployment", "airflow-scheduler"));

        Assert.Contains("/opt/airflow/nas/dags", finding.Message, StringComparison.Ordinal);
        Assert.Contains("AIRFLOW__CORE__DAGS_FOLDER", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSafeTwin_MountsItAtTheFolder_AndIsLeftAlone()
    {
        var policy = Policy("{ name: dags-on-volume, dagsFolderOnVolume: {} }");

        Assert.Empty(Findings(policy, "002-dags-path-mismatch-safe.yaml", "Deployment", "airflow-scheduler"));
    }

    [Fact]
    public void DagVolumes_NameWhichVolumesHoldDags()
    {
        var policy = Policy("{ name: dags-on-volume, dagsFolderOnVolume: { dagVolumes: [\"nothing-*\"] } }");

        Assert.Empty(Findings(policy, "002-dags-path-mismatch-unsafe.yaml", "Deployment", "airflow-scheduler"));
    }

    [Fact]
    public void Rejects_AnUnknownField()
    {
        var problem = Assert.Single(Errors("{ name: r, dagsFolderOnVolume: { dagVolume: [dags] } }"));

        Assert.Contains("dagVolume", problem.Message, StringComparison.Ordinal);
    }
}
