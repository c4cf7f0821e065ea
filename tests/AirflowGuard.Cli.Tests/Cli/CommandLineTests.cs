using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Cli.Tests;

/// <summary>Help, completion and usage errors come from System.CommandLine; exit codes stay 0 / 2.</summary>
public class CommandLineTests
{
    [Fact]
    public void ServeHelp_FromSystemCommandLine_ListsEveryFlag()
    {
        var (code, output, _) = Cli.Run("serve", "--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        foreach (var flag in ServeCommandLine.Keys.Keys)
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CheckHelp_FromSystemCommandLine_ListsItsOptions()
    {
        var (code, output, _) = Cli.Run("check", "--help");

        Assert.Equal(0, code);
        Assert.Contains(" check [<PATH>...] [options]", output, StringComparison.Ordinal); // after the executable's name
        Assert.Contains("--fail-on <enforce|warn|never>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_OutputOption_SuggestsItsFormats()
    {
        var (code, output, _) = Cli.Run("[suggest:15]", "check --output ");

        Assert.Equal(0, code);
        Assert.Equal(["json", "junit", "sarif", "text"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ShortOptions_AsKubectlSpellsThem_MeanTheLongOnes()
    {
        var seed = Path.Combine("examples", "seeds", "000-oss-logs-unsafe.yaml");

        var shortForm = Cli.Run("check", seed, "-n", "airflow", "-o", "json");
        var longForm = Cli.Run("check", seed, "--namespace", "airflow", "--output", "json");

        Assert.Equal(1, shortForm.Code);
        Assert.Equal(longForm, shortForm);
        Assert.StartsWith("{", shortForm.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "check", "--colour", "x" }, "unknown option --colour")]
    [InlineData(new[] { "check", "-x", "airflow" }, "unknown option -x")]
    [InlineData(new[] { "audit", "--fail-on", "sometimes" }, "--fail-on must be one of enforce, warn, never, found \"sometimes\"")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new string[0], "Usage:")]
    public void BadCommandLine_ExitsTwo_SayingWhy(string[] args, string message)
    {
        var (code, _, error) = Cli.Run(args);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
