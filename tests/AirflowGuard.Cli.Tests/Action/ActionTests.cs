using System.Diagnostics;
using AirflowGuard.Cli.Tests.ChartRun;
using NJsonSchema;

namespace AirflowGuard.Cli.Tests.Action;

/// <summary>
/// The GitHub Action's step (action/run.sh, which action.yml runs) and the pre-commit hooks (.pre-commit-hooks.yaml),
/// run as their runners run them, with this build's CLI: a render with a finding fails with valid SARIF and a job
/// summary that says so; a safe one passes.
/// </summary>
public class ActionTests
{
    private static readonly Lazy<JsonSchema> Sarif = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "sarif-2.1.0.json")).GetAwaiter().GetResult());

    private static string Executable() =>
        Path.Combine(Cli.Root, "src", "AirflowGuard", "bin", AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "airflowguard");

    /// <summary>Runs action/run.sh with the INPUT_* variables GitHub would set; the exit code, stdout, the SARIF and the job summary.</summary>
    private static (int Code, string Output, string Sarif, string Summary) RunAction(Dictionary<string, string> inputs)
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-action-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { WorkingDirectory = Cli.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(Cli.Root, "action", "run.sh"));
            start.Environment["AIRFLOWGUARD"] = Executable();
            start.Environment["AIRFLOWGUARD_HELM"] = RenderedChart.Helm;
            start.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(folder, "summary.md");
            start.Environment["INPUT_SARIF"] = Path.Combine(folder, "airflowguard.sarif");
            foreach (var (name, value) in inputs)
            {
                start.Environment[name] = value;
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(File.Exists(Path.Combine(folder, "airflowguard.sarif")), $"no SARIF written: {error.Result}");
            return (process.ExitCode, output, File.ReadAllText(Path.Combine(folder, "airflowguard.sarif")), File.ReadAllText(Path.Combine(folder, "summary.md")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AManifestWithAFinding_FailsTheStep_WithValidSarif_AndASummary()
    {
        var (code, output, sarif, summary) = RunAction(new() { ["INPUT_PATHS"] = "examples/seeds/004-host-path-dags-unsafe.yaml" });

        Assert.Equal(1, code);
        Assert.Empty(Sarif.Value.Validate(sarif));
        Assert.Contains("no-host-path-dags", sarif, StringComparison.Ordinal);
        Assert.Contains("**Findings at or above `enforce`**", summary, StringComparison.Ordinal);
        Assert.Contains("DENY  no-host-path-dags-or-logs/no-host-path-dags", summary, StringComparison.Ordinal);
        Assert.Contains("DENY", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ASafeManifest_PassesTheStep()
    {
        var (code, _, sarif, summary) = RunAction(new() { ["INPUT_PATHS"] = "examples/seeds/004-host-path-dags-safe.yaml" });

        Assert.Equal(0, code);
        Assert.Empty(Sarif.Value.Validate(sarif));
        Assert.Contains("No finding at or above `enforce`.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AChart_IsRenderedWithItsValues_AndFailsOnAWarningWhenAskedTo()
    {
        var (code, _, sarif, _) = RunAction(new()
        {
            ["INPUT_CHART"] = "tests/chart-sources/official-1.19.0-dev.tgz",
            ["INPUT_VALUES"] = "tests/charts/official-1.19/scheduler-no-log-groomer.values.yaml",
            ["INPUT_FAIL_ON"] = "warn",
        });

        Assert.Equal(1, code);
        Assert.Empty(Sarif.Value.Validate(sarif));
        Assert.Contains("logs-have-a-bound", sarif, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("airflowguard-check", "examples/seeds/004-host-path-dags-unsafe.yaml", 1)]
    [InlineData("airflowguard-check", "examples/seeds/004-host-path-dags-safe.yaml", 0)]
    [InlineData("airflowguard-lint", "policies/one-signing-key.yaml", 0)]
    public void EachPreCommitHook_RunsItsEntry_OnTheStagedFile(string hook, string file, int expected)
    {
        // the hook's entry as pre-commit runs it: its words, then the staged files
        var hooks = File.ReadAllText(Path.Combine(Cli.Root, ".pre-commit-hooks.yaml"));
        var entry = hooks.Split('\n').SkipWhile(l => l.Trim() != $"- id: {hook}").First(l => l.TrimStart().StartsWith("entry:", StringComparison.Ordinal)).Split("entry:")[1].Trim();
        var words = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("airflowguard", words[0]);

        var (code, _, error) = Cli.Run([.. words.Skip(1), Path.Combine(Cli.Root, file)]);

        Assert.True(code == expected, error);
    }
}
