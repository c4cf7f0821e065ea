using System.CommandLine;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary><c>airflowguard lint [PATH…]</c>: loads policy files and reports every error with file:line:column.</summary>
internal static class LintCommand
{
    private static readonly Argument<string[]> PathsArgument = CommonOptions.Paths("PATH", "policy files, or folders whose *.yaml files are policies (default: the bundled pack)");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("lint", "validate policy files; every error with file:line:column") { PathsArgument };
        command.SetAction(parsed => Run(parsed.GetValue(PathsArgument) ?? [], output, error));
        return command;
    }

    private static int Run(string[] paths, TextWriter output, TextWriter error)
    {
        var result = paths.Length == 0 ? BundledPolicies.Load() : PolicyLoader.LoadPaths(paths);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }
        if (!result.Succeeded)
        {
            error.WriteLine($"{result.Errors.Count} error(s)");
            return CommandLine.UsageError;
        }
        var set = result.Set!;
        output.WriteLine($"ok: {set.Policies.Count} policies, {set.Policies.Sum(p => p.Rules.Count)} rules, {set.Policies.Sum(p => p.Mutations.Count)} mutations, {set.Drivers.Drivers.Count()} drivers");
        return CommandLine.Clean;
    }
}
