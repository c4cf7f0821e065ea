namespace AirflowGuard.Engine.Policies;

/// <summary>
/// The default policy pack (the top level of <c>policies/</c>), embedded at build time so the
/// command line and the webhook work with no files beside them.
/// </summary>
public static class BundledPolicies
{
    public const string Origin = "bundled";

    public static PolicyLoadResult Load() => PolicyLoader.LoadTexts(Texts());

    /// <summary>The pack's files as (name, text), in name order; names read "bundled:policies/…".</summary>
    public static IReadOnlyList<(string File, string Text)> Texts()
    {
        var assembly = typeof(BundledPolicies).Assembly;
        var sources = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("policies/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            sources.Add(($"{Origin}:{name}", reader.ReadToEnd()));
        }
        return sources;
    }
}
