namespace AirflowGuard.Cli.Tests;

/// <summary>The text report: one block per object with findings, coloured only on a terminal or when asked.</summary>
public class TextReportTests
{
    [Fact]
    public void Colour_OnlyWhenAskedOrOnATerminal()
    {
        var plain = Run("check", Seed("004-host-path-dags-unsafe.yaml")).Output;
        var coloured = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--color", "always").Output;

        Assert.DoesNotContain("\u001b[", plain, StringComparison.Ordinal);
        Assert.Contains("\u001b[1;31mDENY \u001b[0m", coloured, StringComparison.Ordinal);
    }

    private static string Seed(string name) => Path.Combine("examples", "seeds", name);

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}
