using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary><c>airflowguard lint [PATH…]</c>: loads policy files and reports every error with file:line:column.</summary>
internal static class LintCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = Options.Parse(args, "lint");
        if (options.Help)
        {
            output.WriteLine("usage: airflowguard lint [PATH…]   (files, or folders whose *.yaml files are policies; default: the bundled pack)");
            return CommandLine.Clean;
        }
        var result = options.Arguments.Count == 0 ? BundledPolicies.Load() : PolicyLoader.LoadPaths(options.Arguments);
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
