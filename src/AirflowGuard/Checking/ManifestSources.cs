namespace AirflowGuard.Checking;

/// <summary>
/// The files a check reads: files, folders (recursive: *.yaml, *.yml, *.json) and stdin. A missing
/// path, a binary file or one over the size limit is reported in one line and skipped.
/// </summary>
internal sealed class ManifestSources : IDisposable
{
    /// <summary>The largest manifest file read (rendered charts are a few megabytes).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private readonly List<string> _temporary = [];

    public List<ManifestSource> Files { get; } = [];

    public static ManifestSources Open(IReadOnlyList<string> inputs, TextWriter error, ref int errors)
    {
        var sources = new ManifestSources();
        foreach (var input in inputs)
        {
            if (input == "-")
            {
                var spool = System.IO.Path.GetTempFileName();
                sources._temporary.Add(spool);
                using (var file = File.Create(spool))
                {
                    Console.OpenStandardInput().CopyTo(file);
                }
                sources.Files.Add(ManifestSource.FromFile("<stdin>", spool));
            }
            else if (Directory.Exists(input))
            {
                foreach (var file in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                             .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                {
                    sources.Add(file, error, ref errors);
                }
            }
            else if (File.Exists(input))
            {
                sources.Add(input, error, ref errors);
            }
            else
            {
                error.WriteLine($"{input}: no such file or folder");
                errors++;
            }
        }
        return sources;
    }

    public void Dispose()
    {
        foreach (var file in _temporary)
        {
            File.Delete(file);
        }
    }

    private void Add(string file, TextWriter error, ref int errors)
    {
        if (Problem(file) is { } problem)
        {
            error.WriteLine($"{file}: {problem}");
            errors++;
            return;
        }
        Files.Add(ManifestSource.FromFile(file, file));
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
