using System.Reflection;

namespace AirflowGuard.Benchmarks;

/// <summary>The default policy pack and fixtures, embedded so benchmarks read exactly what ships.</summary>
internal static class Resources
{
    public static string Text(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing embedded resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IEnumerable<(string File, string Text)> DefaultPack() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith("policies/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n, Text(n)));
}
