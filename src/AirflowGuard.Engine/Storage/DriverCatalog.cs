namespace AirflowGuard.Engine.Storage;

/// <summary>The drivers AirflowGuard knows. Users add or override entries with <c>kind: DriverCatalog</c> files.</summary>
public sealed class DriverCatalog
{
    private readonly Dictionary<string, DriverInfo> _exact;
    private readonly List<DriverInfo> _patterns;

    public DriverCatalog(IEnumerable<DriverInfo> drivers)
    {
        _exact = new Dictionary<string, DriverInfo>(StringComparer.Ordinal);
        _patterns = [];
        foreach (var driver in drivers)
        {
            if (driver.Pattern is not null)
            {
                _patterns.RemoveAll(p => p.Driver == driver.Driver);
                _patterns.Add(driver);
            }
            else
            {
                _exact[driver.Driver] = driver; // later entries (user files) override earlier ones
            }
        }
    }

    public static DriverCatalog Empty { get; } = new([]);

    public IEnumerable<DriverInfo> Drivers => _exact.Values.Concat(_patterns);

    /// <summary>The driver whose install creates a StorageClass of this name, when exactly one does.</summary>
    public DriverInfo? ByDefaultClassName(string? className)
    {
        if (string.IsNullOrEmpty(className))
        {
            return null;
        }
        DriverInfo? found = null;
        foreach (var driver in Drivers)
        {
            if (driver.DefaultClassNames.Contains(className, StringComparer.Ordinal))
            {
                if (found is not null)
                {
                    return null; // two drivers claim the name: it says nothing
                }
                found = driver;
            }
        }
        return found;
    }

    public DriverInfo? Find(string? driver)
    {
        if (string.IsNullOrEmpty(driver))
        {
            return null;
        }
        if (_exact.TryGetValue(driver, out var info))
        {
            return info;
        }
        foreach (var pattern in _patterns)
        {
            if (pattern.Pattern!.IsMatch(driver))
            {
                return pattern;
            }
        }
        return null;
    }

    public DriverCatalog With(IEnumerable<DriverInfo> more) => new(Drivers.Concat(more));

    /// <summary>
    /// A driver the catalogue does not know, judged by its name where the name says it unambiguously: an NFS, CephFS,
    /// GlusterFS or SMB provisioner under a name of its own (nfs-subdir-external-provisioner and NFS-Ganesha installs are
    /// named by their users) shares a file system between nodes; a "hostpath" provisioner hands out host directories;
    /// a "local-path" one, node-local disks. Null for any other name: then what backs the volume is unknown.
    /// </summary>
    public static DriverInfo? Judge(string? driver)
    {
        if (string.IsNullOrEmpty(driver))
        {
            return null;
        }
        (BackingClass Class, string What)? judged = driver switch
        {
            _ when Has(driver, "hostpath") || Has(driver, "host-path") => (BackingClass.HostPath, "host directories"),
            _ when Has(driver, "local-path") => (BackingClass.Block, "node-local disks"),
            _ when Has(driver, "nfs") || Has(driver, "cephfs") || Has(driver, "glusterfs") || Has(driver, "smb") || Has(driver, "cifs") => (BackingClass.SharedFilesystem, "a shared file system"),
            _ => null,
        };
        return judged is { } j ? new DriverInfo(driver, $"{driver}, judged by its name: {j.What}", j.Class) { Source = "its name" } : null;

        static bool Has(string name, string word) => name.Contains(word, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text of the built-in catalogue shipped inside the engine.</summary>
    public static string BuiltInText()
    {
        using var stream = typeof(DriverCatalog).Assembly.GetManifestResourceStream("AirflowGuard.Engine.drivers.yaml")
            ?? throw new InvalidOperationException("the built-in driver catalogue is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
