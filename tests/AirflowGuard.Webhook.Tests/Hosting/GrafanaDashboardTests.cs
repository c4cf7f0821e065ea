using System.Text.Json;
using System.Text.RegularExpressions;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>The chart's Grafana dashboard asks only for what the binary exports: every metric its queries name, and every label they group by.</summary>
public partial class GrafanaDashboardTests
{
    [Fact]
    public async Task EveryQueryOfTheDashboard_NamesMetricsAndLabelsTheWebhookExports()
    {
        await using var webhook = await RunningWebhook.StartAsync();
        var client = webhook.Client();
        // one denied admission, so that the labelled families have samples and show their labels
        await webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SafeScheduler.Replace("emptyDir: { sizeLimit: 10Gi }", "hostPath: { path: /data/logs }", StringComparison.Ordinal)));
        var exposition = await webhook.MetricsAsync();
        var families = TypeLine().Matches(exposition).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);
        var labels = SampleLine().Matches(exposition)
            .GroupBy(m => m.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => LabelName().Matches(m.Groups["labels"].Value).Select(l => l.Groups[1].Value)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AdmissionContractTests.RepoRoot(), "deploy", "helm", "airflowguard", "files", "grafana", "airflowguard-dashboard.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        Assert.True(queries.Count >= 12, $"only {queries.Count} queries");

        foreach (var query in queries)
        {
            var metrics = MetricName().Matches(query).Select(m => m.Value).ToList();
            Assert.NotEmpty(metrics);
            foreach (var metric in metrics)
            {
                var family = Regex.Replace(metric, "_(bucket|sum|count)$", "");
                Assert.True(families.ContainsKey(family), $"{query}: the webhook exports no {family}");
                if (metric != family)
                {
                    Assert.Equal("histogram", families[family]);
                }
                foreach (Match by in GroupBy().Matches(query))
                {
                    foreach (var label in by.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => l != "le"))
                    {
                        Assert.True(!labels.TryGetValue(metric, out var known) || known.Count == 0 || known.Contains(label) || metrics.Count > 1,
                            $"{query}: {metric} has no label {label}");
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"^# TYPE (?<name>\w+) (?<type>\w+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>airflowguard_\w+)\{(?<labels>[^}]*)\}", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"airflowguard_\w+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"by \((?<labels>[^)]*)\)")]
    private static partial Regex GroupBy();
}
