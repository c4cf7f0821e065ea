using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary>Loads the policies named by --policies, or the bundled pack.</summary>
internal static class PolicySource
{
    public static PolicySet? Load(string? paths, TextWriter error)
    {
        var result = paths is null
            ? BundledPolicies.Load()
            : PolicyLoader.LoadPaths(paths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), requirePolicies: true);
        foreach (var problem in result.Errors)
        {
            error.WriteLine($"{problem}");
        }
        if (!result.Succeeded)
        {
            error.WriteLine($"airflowguard: the policies have {result.Errors.Count} error(s); nothing was checked");
            return null;
        }
        return result.Set;
    }
}
