namespace AirflowGuard.Cli;

/// <summary>Expands the check command's inputs into (file, text) pairs; unreadable inputs are reported and skipped.</summary>
internal static class ManifestInputs
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IEnumerable<(string File, string Text)> Read(IReadOnlyList<string> inputs, TextWriter error, ref int errors)
    {
        var results = new List<(string, string)>();
        foreach (var input in inputs)
        {
            if (input == "-")
            {
                results.Add(("<stdin>", Console.In.ReadToEnd()));
            }
            else if (Directory.Exists(input))
            {
                foreach (var file in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                             .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                {
                    results.Add((file, File.ReadAllText(file)));
                }
            }
            else if (File.Exists(input))
            {
                results.Add((input, File.ReadAllText(input)));
            }
            else
            {
                error.WriteLine($"{input}: no such file or folder");
                errors++;
            }
        }
        return results;
    }
}
