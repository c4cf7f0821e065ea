using System.CommandLine;
using AirflowGuard.Checking;
using AirflowGuard.Reports;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard explain FILE</c>: runs the check pipeline (<see cref="ManifestCheck"/>) and shows, for each Airflow pod,
/// what AirflowGuard sees and decides (<see cref="ExplainReport"/>).
/// </summary>
internal static class ExplainCommand
{
    private static readonly Argument<string[]> FilesArgument = CommonOptions.Paths("FILE", "manifest files or folders; - reads stdin");
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string?> NamespaceOption = CommonOptions.Namespace();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("explain", "show what AirflowGuard sees in each Airflow pod and why it decides as it does")
        {
            FilesArgument, PoliciesOption, NamespaceOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var files = parsed.GetValue(FilesArgument) ?? [];
        if (files.Length == 0)
        {
            throw new UsageException("explain: give at least one manifest file");
        }
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var inputErrors = 0;
        using var sources = ManifestSources.Open(files, error, ref inputErrors);
        var report = new ManifestCheck(policies, parsed.GetValue(NamespaceOption) ?? "default")
        {
            KeepObjects = true,
            OnProblem = problem => error.WriteLine(problem.Text),
        }.Run(sources.Files);
        ExplainReport.Write(report, policies, output);
        return inputErrors + report.InputErrors > 0 ? CommandLine.UsageError : CommandLine.Clean;
    }
}

