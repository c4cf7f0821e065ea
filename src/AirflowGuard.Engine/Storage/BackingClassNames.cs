namespace AirflowGuard.Engine.Storage;

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
