using AirflowGuard.Cli;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>The real command line in-process, for the tests that run it against the fake API server.</summary>
internal static class CommandLineRun
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
