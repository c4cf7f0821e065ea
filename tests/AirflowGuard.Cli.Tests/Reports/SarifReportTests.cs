using System.Text.Json;
using NJsonSchema;

namespace AirflowGuard.Cli.Tests;

/// <summary>check --output sarif: SARIF 2.1.0 that the official validator accepts, located at the file and line of each object.</summary>
public class SarifReportTests
{
    private static readonly Lazy<JsonSchema> Sarif = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "sarif-2.1.0.json")).GetAwaiter().GetResult());

    [Fact]
    public void Sarif_ValidatesAgainstTheSarif210Schema_WithFileAndLineLocations()
    {
        var (code, output, _) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--output", "sarif");

        Assert.Equal(1, code);
        var errors = Sarif.Value.Validate(output);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        using var sarif = JsonDocument.Parse(output);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        var location = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("examples/seeds/004-host-path-dags-unsafe.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(46, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.All(results, r => Assert.Equal("error", r.GetProperty("level").GetString()));
    }

    [Fact]
    public void Sarif_OfACleanInput_IsValidAndEmpty()
    {
        var (code, output, _) = Run("check", Seed("004-host-path-dags-safe.yaml"), "--output", "sarif");

        Assert.Equal(0, code);
        Assert.Empty(Sarif.Value.Validate(output));
        using var sarif = JsonDocument.Parse(output);
        Assert.Equal(0, sarif.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    private static string Seed(string name) => Path.Combine("examples", "seeds", name);

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}
