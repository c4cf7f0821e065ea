namespace AirflowGuard.Cli;

/// <summary>
/// Expands the inputs of check / explain into (file, text) pairs: files, folders (recursive) and
/// stdin. What cannot be read — a missing path, a binary file, a file over the size limit — is
/// reported in one line and skipped, so the other inputs are still checked.
/// </summary>
internal static class ManifestInputs
{
    /// <summary>The largest manifest file read (rendered charts are a few megabytes).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

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
                    ReadFile(file, results, error, ref errors);
                }
            }
            else if (File.Exists(input))
            {
                ReadFile(input, results, error, ref errors);
            }
            else
            {
                error.WriteLine($"{input}: no such file or folder");
                errors++;
            }
        }
        return results;
    }

    private static void ReadFile(string file, List<(string, string)> results, TextWriter error, ref int errors)
    {
        if (Problem(file) is { } problem)
        {
            error.WriteLine($"{file}: {problem}");
            errors++;
            return;
        }
        try
        {
            results.Add((file, File.ReadAllText(file)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file}: cannot be read: {ex.Message}");
            errors++;
        }
    }

    /// <summary>Why <paramref name="file"/> cannot be read as manifests (too large, binary, unreadable), or null.</summary>
    public static string? Problem(string file)
    {
        try
        {
            var size = new FileInfo(file).Length;
            if (size > MaxFileBytes)
            {
                return $"{size:N0} bytes is more than the {MaxFileBytes:N0} a manifest file may have; skipped";
            }
            using var stream = File.OpenRead(file);
            var head = new byte[8192];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var nul = Array.IndexOf(head, (byte)0, 0, read);
            return nul >= 0 ? $"a binary file, not YAML or JSON (a NUL byte at offset {nul}); skipped" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {ex.Message}";
        }
    }
}
