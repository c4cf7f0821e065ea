using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>Every flag the chart renders, in every ci/*.yaml, is one serve knows and sets exactly its setting.</summary>
public class ChartArgumentsTests
{
    [Theory]
    [MemberData(nameof(ChartRunTests.ValuesFiles), MemberType = typeof(ChartRunTests))]
    public void RenderedArgs_EachParsedByServe_SetItsOwnSetting(string valuesFile)
    {
        var (chart, error) = RenderedChart.Render(Path.Combine(Cli.Root, "deploy", "helm", "airflowguard", "ci", valuesFile), Path.Combine(Cli.Root, "deploy", "helm", "airflowguard"));
        Assert.True(chart is not null, error);
        var container = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();

        Assert.NotEmpty(args);
        foreach (var arg in args)
        {
            var flag = arg.Split('=', 2)[0];
            var settings = ServeCommandLine.Parse([arg]);
            var (key, value) = Assert.Single(settings);
            Assert.Equal(ServeCommandLine.Keys[flag], key);
            Assert.Equal(arg.Contains('=', StringComparison.Ordinal) ? arg.Split('=', 2)[1] : "true", value);
        }
        // the whole line together, as serve gets it
        Assert.Equal(args.Count, ServeCommandLine.Parse(args).Count);
    }

    [Fact]
    public void ReadSecretsFlag_Bare_IsASwitchNotDev()
    {
        var settings = ServeCommandLine.Parse(["--tls-cert-file", "a", "--tls-key-file", "b", "--cluster-read-secrets"]);

        Assert.Equal("true", settings["ClusterCache:ReadSecrets"]);
        Assert.False(settings.ContainsKey("Dev"));
    }
}
