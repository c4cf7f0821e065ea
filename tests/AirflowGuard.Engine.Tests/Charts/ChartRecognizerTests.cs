using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>The chart of every Airflow object of the real renders in tests/charts is the one that rendered it, with its version.</summary>
public class ChartRecognizerTests
{
    [Theory]
    [InlineData("official-1.16", ChartFamily.Official, "1.16.0-dev")]
    [InlineData("official-1.19", ChartFamily.Official, "1.19.0-dev")]
    [InlineData("community-8.9", ChartFamily.Community, "8.9.0")]
    [InlineData("bitnami-25.1", ChartFamily.Bitnami, "25.1.0")]
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
    public void ATaskPodTemplate_OfTheOfficialChart_IsTheOfficialChart_WithoutAVersion()
    {
        var bundle = Bundle.FromFile(Repo.Path("tests", "charts", "official-1.16", "k8s-stock.yaml"));

        var template = bundle.Evaluate(Packs.Default).Single(v => v.Object.EmbeddedIn is not null);

        Assert.Equal(ChartFamily.Official, template.Verdict.Decision.Chart.Family);
        Assert.Null(template.Verdict.Decision.Chart.Version); // the executor's pods carry the template's labels, not the chart label
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
}
