using System.Text.Json;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// <c>check --chart</c>: the packaged charts of tests/chart-sources rendered by helm with a values file of tests/charts
/// give the findings the committed render of those values gives; a render that fails, or renders no Airflow object,
/// is exit 2 with the reason, never a clean pass.
/// </summary>
public class CheckChartTests
{
    public CheckChartTests() => Environment.SetEnvironmentVariable("AIRFLOWGUARD_HELM", RenderedChart.Helm);

    /// <summary>Two renders of each chart in tests/chart-sources (the first two values files of its folder, by name).</summary>
    public static TheoryData<string> Renders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in FixProofTests.Sources.Keys)
        {
            foreach (var values in Directory.GetFiles(Path.Combine(Cli.Root, "tests", "charts", folder), "*.values.yaml").Order(StringComparer.Ordinal).Take(2))
            {
                data.Add($"{folder}/{Path.GetFileName(values)[..^".values.yaml".Length]}");
            }
        }
        return data;
    }

    /// <summary>"rule on Kind/ns/name" of every deny/warn/note finding, sorted (locations differ: one is a file, the other helm's output).</summary>
    private static List<string> Findings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("objects").EnumerateArray()
            .SelectMany(o => o.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("rule").GetString()} {f.GetProperty("kind").GetString()} on {o.GetProperty("object").GetString()}"))
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public void CheckChart_GivesTheFindingsOfTheCommittedRender(string render)
    {
        var folder = render[..render.IndexOf('/', StringComparison.Ordinal)];
        var basePath = Path.Combine(Cli.Root, "tests", "charts", render);
        var chart = Path.Combine(Cli.Root, "tests", "chart-sources", FixProofTests.Sources[folder]);
        // the objects a user applied beside the chart (.extra.yaml) are in the committed render: give them as a path
        string[] extra = File.Exists(basePath + ".extra.yaml") ? [basePath + ".extra.yaml"] : [];

        var (committedCode, committed, committedError) = Cli.Run("check", basePath + ".yaml", "-n", "airflow", "-o", "json", "--fail-on", "never");
        var (code, output, error) = Cli.Run(["check", .. extra, "--chart", chart, "-f", basePath + ".values.yaml", "--release", "airflow", "-n", "airflow", "-o", "json", "--fail-on", "never"]);

        Assert.True(committedCode == 0, committedError);
        Assert.True(code == 0, error);
        Assert.Equal(Findings(committed), Findings(output));
        Assert.NotEmpty(JsonDocument.Parse(output).RootElement.GetProperty("objects").EnumerateArray());
    }

    [Fact]
    public void ARenderHelmRefuses_IsExit2_WithHelmsMessage()
    {
        var chart = Path.Combine(Cli.Root, "tests", "chart-sources", FixProofTests.Sources["official-1.19"]);

        var (code, _, error) = Cli.Run("check", "--chart", chart, "--set", "scheduler.replicas=abc");

        Assert.Equal(2, code);
        Assert.Contains("helm template", error, StringComparison.Ordinal);
        Assert.Contains("scheduler.replicas: Invalid type. Expected: integer", error, StringComparison.Ordinal); // helm's own words
    }

    [Fact]
    public void AChartThatRendersNoAirflowObject_IsExit2_NothingWasChecked()
    {
        var (code, _, error) = Cli.Run("check", "--chart", Path.Combine(Cli.Root, "deploy", "helm", "airflowguard"));

        Assert.Equal(2, code);
        Assert.Contains("rendered no Airflow object: nothing was checked", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralValuesFiles_AreTakenInOrder_AsHelmTakesThem()
    {
        var folder = Path.Combine(Cli.Root, "tests", "charts", "official-1.19");
        var chart = Path.Combine(Cli.Root, "tests", "chart-sources", FixProofTests.Sources["official-1.19"]);
        var overlay = Path.GetTempFileName();
        File.WriteAllText(overlay, "scheduler:\n  logGroomerSidecar:\n    enabled: true\n");
        try
        {
            // the second file turns the log groomer back on: the finding of the first goes
            var (first, firstOutput, _) = Cli.Run("check", "--chart", chart, "-f", Path.Combine(folder, "scheduler-no-log-groomer.values.yaml"), "-n", "airflow", "--fail-on", "warn");
            var (both, bothOutput, _) = Cli.Run("check", "--chart", chart, "-f", Path.Combine(folder, "scheduler-no-log-groomer.values.yaml"), "-f", overlay, "-n", "airflow", "--fail-on", "warn");

            Assert.Equal(1, first);
            Assert.Contains("local-logs-bounded/logs-have-a-bound", firstOutput, StringComparison.Ordinal);
            Assert.Equal(0, both);
            Assert.DoesNotContain("local-logs-bounded", bothOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(overlay);
        }
    }

    [Fact]
    public void ValuesWithoutAChart_IsAUsageError()
    {
        var (code, _, error) = Cli.Run("check", Path.Combine(Cli.Root, "examples", "seeds", "000-oss-logs-safe.yaml"), "-f", "x.yaml");

        Assert.Equal(2, code);
        Assert.Contains("--values and --set are for --chart", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AHelmThatCannotRun_IsExit2_SayingSo()
    {
        Environment.SetEnvironmentVariable("AIRFLOWGUARD_HELM", "/no/such/helm"); // the next test's constructor sets it back

        var (code, _, error) = Cli.Run("check", "--chart", Path.Combine(Cli.Root, "deploy", "helm", "airflowguard"));

        Assert.Equal(2, code);
        Assert.Contains("cannot run /no/such/helm", error, StringComparison.Ordinal);
    }
}
