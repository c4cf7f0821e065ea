using System.Text.Json;
using System.Text.RegularExpressions;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>The final stage's ENTRYPOINT and ENV of the Dockerfile: what the container runtime adds to the pod spec.</summary>
internal sealed partial record ImageConfig(IReadOnlyList<string> Entrypoint, IReadOnlyList<(string Name, string Value)> Env)
{
    public static ImageConfig Read(string dockerfile)
    {
        var text = File.ReadAllText(dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var final = lines.Skip(Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        var entrypoint = JsonSerializer.Deserialize<List<string>>(final.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        var env = final.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => Assignment().Matches(l["ENV ".Length..]).Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            .ToList();
        return new ImageConfig(entrypoint, env);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")]
    private static partial Regex Assignment();
}
