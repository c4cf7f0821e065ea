using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>The chart of every Airflow object of the real renders in tests/charts is the one that rendered it, with its version.</summary>
public class ChartRecognizerTests
{
    [Theory]
    [InlineData("official-1.16", ChartFamily.Official, "1.16.0-dev")]
    [InlineData("official-1.19", ChartFamily.Official, "1.19.0-dev")]
    [InlineData("community-8.9", ChartFamily.Community, "8.9.0")]
    [InlineData("bitnami-25.1", ChartFamily.Bitnami, "25.1.0")]
    [InlineData("stable-7.16", ChartFamily.Stable, "7.16.0")]
    public void EveryAirflowWorkloadOfARender_NamesItsChartAndVersion(string folder, ChartFamily family, string version)
    {
        var checkedObjects = 0;
        foreach (var file in Directory.GetFiles(Repo.Path("tests", "charts", folder), "*.yaml").Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal) && !f.EndsWith(".extra.yaml", StringComparison.Ordinal)))
        {
            var bundle = Bundle.FromFile(file);
            foreach (var (obj, verdict) in bundle.Evaluate(Packs.Default))
            {
                if (verdict.Pod is null || verdict.Decision.Component == AirflowComponent.NotAirflow || obj.EmbeddedIn is not null)
                {
                    continue;
                }
                Assert.True(verdict.Decision.Chart.Family == family, $"{obj.Location}: {verdict.Decision.Chart} ({verdict.Decision.Chart.Evidence})");
                Assert.Equal(version, verdict.Decision.Chart.Version);
                checkedObjects++;
            }
        }
        Assert.True(checkedObjects >= 4, $"only {checkedObjects} Airflow workloads in {folder}");
    }

    [Fact]
    public void ATaskPodTemplate_OfTheOfficialChart_IsTheChartItsConfigMapNames()
    {
        var bundle = Bundle.FromFile(Repo.Path("tests", "charts", "official-1.16", "k8s-stock.yaml"));

        var template = bundle.Evaluate(Packs.Default).Single(v => v.Object.EmbeddedIn is not null);

        Assert.Equal(ChartFamily.Official, template.Verdict.Decision.Chart.Family);
        Assert.Equal("1.16.0-dev", template.Verdict.Decision.Chart.Version); // from the ConfigMap's chart label: the pod inside has only tier=airflow
    }

    [Theory]
    [InlineData("chart=airflow-7.13.0", "app=airflow", ChartFamily.Stable)]
    [InlineData("chart=airflow-8.8.0", "app=airflow", ChartFamily.Community)]
    [InlineData("chart=mychart-1.0.0", "app=other", ChartFamily.Unknown)]
    public void TheCommunityChartsSevenLine_IsTheStableLayout(string chart, string app, ChartFamily expected)
    {
        var labels = new[] { chart, app, "component=scheduler" }.Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);

        var recognized = ChartRecognizer.FromLabels(labels);

        Assert.Equal(expected, recognized?.Family ?? ChartFamily.Unknown);
    }

    [Fact]
    public void TheCommunityChartsPodTemplate_WhoseConfigMapAloneCarriesTheChartLabels_IsTheCommunityChart()
    {
        // a real user's release (tests/charts/community-8.5): chart 8.5.2 labels the pod_template ConfigMap
        // app/chart/release/heritage, no component, and the pod inside not at all
        var template = UserRelease().Single(v => v.Object.EmbeddedIn is not null);

        Assert.Equal(ChartFamily.Community, template.Verdict.Decision.Chart.Family);
        Assert.Equal("8.5.2", template.Verdict.Decision.Chart.Version);
        Assert.Contains(template.Verdict.Decision.Findings, f => f.Rule == "no-host-path-logs" && f.Values is { Chart.Family: ChartFamily.Community });
    }

    /// <summary>The user's release as `check -n airflow` reads it: every object with its verdict.</summary>
    private static List<(ManifestObject Object, ObjectVerdict Verdict)> UserRelease()
    {
        var (objects, errors) = ManifestBundle.Read("59nezytic-k8s-local-logs.yaml", File.ReadAllText(Repo.Path("tests", "charts", "community-8.5", "59nezytic-k8s-local-logs.yaml")));
        Assert.Empty(errors);
        var cluster = new ManifestClusterState(objects, "airflow"); // helm template leaves the namespace out
        return objects.Select(o => (o, ObjectEvaluator.Evaluate(o.Json, "", Packs.Default, cluster, "airflow", owner: o.EmbeddedIn?.Owner("airflow")))).ToList();
    }
}
