using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Storage;

/// <summary>A CSI driver or provisioner from the catalogue.</summary>
public sealed record DriverInfo(string Driver, string Title, BackingClass Class)
{
    /// <summary>Matches driver names with wildcards ("*/nfs-subdir-external-provisioner").</summary>
    public Glob? Pattern { get; init; }

    /// <summary>Attribute values that change the class (Azure Blob with protocol: nfs is a shared file system).</summary>
    public IReadOnlyList<ClassOverride> ClassOverrides { get; init; } = [];

    public MountOptionSyntax? MountOptions { get; init; }

    public string Source { get; init; } = "built-in catalogue";

    public BackingClass ClassFor(IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var rule in ClassOverrides)
        {
            foreach (var (key, value) in attributes)
            {
                if (string.Equals(key, rule.Attribute, StringComparison.OrdinalIgnoreCase) && string.Equals(value, rule.Value, StringComparison.OrdinalIgnoreCase))
                {
                    return rule.Class;
                }
            }
        }
        return Class;
    }
}

public sealed record ClassOverride(string Attribute, string Value, BackingClass Class);

/// <summary>Where a driver takes mount options, and how it spells the ones AirflowGuard sets.</summary>
public sealed record MountOptionSyntax
{
    /// <summary>Where options go on an inline CSI volume in a pod; null when the driver takes none there.</summary>
    public OptionPlace? Inline { get; init; }

    /// <summary>Where options go on a PersistentVolume.</summary>
    public OptionPlace? PersistentVolume { get; init; }

    /// <summary>Option templates by name: uid, gid, umask, fileMode, dirMode, allowOther. "{uid}" etc. are filled in.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; init; } = new Dictionary<string, string>();
}

public enum OptionStyle
{
    /// <summary>One string of ossfs flags: "-o uid=50000 -o allow_other".</summary>
    Flags,

    /// <summary>One string of comma-separated options: "uid=50000,gid=0".</summary>
    Comma,

    /// <summary>A list of strings: PersistentVolume spec.mountOptions.</summary>
    List,
}

/// <summary>
/// An option location: <see cref="Attribute"/> names a volumeAttributes key (string styles), or it is
/// null with <see cref="OptionStyle.List"/> for the PersistentVolume's spec.mountOptions.
/// </summary>
public sealed record OptionPlace(OptionStyle Style, string? Attribute);
