namespace AirflowGuard.Engine.Storage;

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
