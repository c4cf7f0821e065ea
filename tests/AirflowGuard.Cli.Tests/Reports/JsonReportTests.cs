using System.Text.Json;

namespace AirflowGuard.Cli.Tests;

/// <summary>check --output json: every checked object with its findings, identity and patch.</summary>
public class JsonReportTests
{
    [Fact]
    public void Json_CarriesFindingsAndThePatch()
    {
        var (_, output, _) = Run("check", Seed("000-oss-logs-unsafe.yaml"), "--output", "json");

        using var report = JsonDocument.Parse(output);
        Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("denied").GetInt32());
        var scheduler = report.RootElement.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("component").GetString() == "scheduler");
        Assert.False(scheduler.GetProperty("allowed").GetBoolean());
        Assert.Contains(scheduler.GetProperty("findings").EnumerateArray(), f => f.GetProperty("policy").GetString() == "logs-not-on-object-storage");
    }

    private static string Seed(string name) => Path.Combine("examples", "seeds", name);

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}
