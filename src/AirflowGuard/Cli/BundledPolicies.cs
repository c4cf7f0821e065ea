using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary>The default policy pack (the top level of policies/), embedded in the binary at build time.</summary>
internal static class BundledPolicies
{
    public const string Origin = "bundled";

    public static PolicyLoadResult Load()
    {
        var assembly = typeof(BundledPolicies).Assembly;
        var sources = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("policies/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            sources.Add(($"{Origin}:{name}", reader.ReadToEnd()));
        }
        return PolicyLoader.LoadTexts(sources);
    }
}
