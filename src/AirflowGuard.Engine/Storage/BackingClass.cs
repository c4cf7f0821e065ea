namespace AirflowGuard.Engine.Storage;

/// <summary>What kind of storage really holds a path.</summary>
public enum BackingClass
{
    /// <summary>No volume: the container's own writable layer, gone with the container.</summary>
    None,
    EmptyDir,
    HostPath,

    /// <summary>ConfigMap, Secret, projected or downward API: read-only content from the API server.</summary>
    Config,

    /// <summary>POSIX-ish network file systems shared between nodes: NFS, EFS, Alibaba NAS, Azure Files, Filestore, JuiceFS.</summary>
    SharedFilesystem,

    /// <summary>Object storage mounted through FUSE: ossfs, Mountpoint for S3, GCS FUSE, blobfuse, s3fs/geesefs.</summary>
    ObjectStorageFuse,

    /// <summary>Network block devices and local disks: one node at a time.</summary>
    Block,

    /// <summary>AirflowGuard cannot tell (unresolved claim, driver not in the catalogue).</summary>
    Unknown,
}

public static class BackingClassNames
{
    private static readonly (BackingClass Class, string Name)[] Names =
    [
        (BackingClass.None, "none"), (BackingClass.EmptyDir, "empty-dir"), (BackingClass.HostPath, "host-path"),
        (BackingClass.Config, "config"), (BackingClass.SharedFilesystem, "shared-filesystem"),
        (BackingClass.ObjectStorageFuse, "object-storage-fuse"), (BackingClass.Block, "block"), (BackingClass.Unknown, "unknown"),
    ];

    /// <summary>Names that stand for several classes in policies.</summary>
    public static readonly IReadOnlyDictionary<string, BackingClass[]> Groups = new Dictionary<string, BackingClass[]>(StringComparer.Ordinal)
    {
        ["ephemeral"] = [BackingClass.None, BackingClass.EmptyDir],
        ["persistent"] = [BackingClass.HostPath, BackingClass.SharedFilesystem, BackingClass.ObjectStorageFuse, BackingClass.Block],
        ["shared"] = [BackingClass.SharedFilesystem, BackingClass.ObjectStorageFuse],
        ["any"] = [BackingClass.None, BackingClass.EmptyDir, BackingClass.HostPath, BackingClass.Config, BackingClass.SharedFilesystem, BackingClass.ObjectStorageFuse, BackingClass.Block],
    };

    public static IEnumerable<string> AllNames => Names.Select(n => n.Name).Concat(Groups.Keys);

    public static string ToName(this BackingClass backing)
    {
        foreach (var (c, name) in Names)
        {
            if (c == backing)
            {
                return name;
            }
        }
        return backing.ToString();
    }

    public static bool TryParse(string name, out BackingClass[] classes)
    {
        if (Groups.TryGetValue(name, out var group))
        {
            classes = group;
            return true;
        }
        foreach (var (c, n) in Names)
        {
            if (n == name)
            {
                classes = [c];
                return true;
            }
        }
        classes = [];
        return false;
    }

    /// <summary>Storage that outlives the pod.</summary>
    public static bool IsPersistent(this BackingClass backing) =>
        backing is BackingClass.HostPath or BackingClass.SharedFilesystem or BackingClass.ObjectStorageFuse or BackingClass.Block;
}
