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

    /// <summary>For object storage through FUSE: the store it mounts, which decides the remote logging a fix names.</summary>
    public ObjectStore Store { get; init; }

    public string Source { get; init; } = "built-in catalogue";

    /// <summary>The StorageClass names the provisioner's install creates (Longhorn's <c>longhorn</c>): a claim naming one whose StorageClass is not in view is taken to use this driver, as an assumption.</summary>
    public IReadOnlyList<string> DefaultClassNames { get; init; } = [];

    /// <summary>The class of a ReadWriteMany volume when it differs (Longhorn serves one over NFS from a share manager).</summary>
    public BackingClass? ReadWriteManyClass { get; init; }

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
