namespace AirflowGuard.Engine.Kubernetes;

[Flags]
public enum AccessModes
{
    None = 0,
    ReadWriteOnce = 1,
    ReadOnlyMany = 2,
    ReadWriteMany = 4,
    ReadWriteOncePod = 8,
}

public static class AccessModesText
{
    public static AccessModes Parse(string text) => text switch
    {
        "ReadWriteOnce" => AccessModes.ReadWriteOnce,
        "ReadOnlyMany" => AccessModes.ReadOnlyMany,
        "ReadWriteMany" => AccessModes.ReadWriteMany,
        "ReadWriteOncePod" => AccessModes.ReadWriteOncePod,
        _ => AccessModes.None,
    };

    /// <summary>Only single-node write modes: the claim cannot be written from two nodes at once.</summary>
    public static bool IsSingleNodeWrite(this AccessModes modes) =>
        modes != AccessModes.None && (modes & AccessModes.ReadWriteMany) == 0 &&
        (modes & (AccessModes.ReadWriteOnce | AccessModes.ReadWriteOncePod)) != 0;

    public static string Describe(this AccessModes modes) => modes == AccessModes.None ? "unspecified" : modes.ToString();
}

public sealed record PersistentVolumeClaimInfo(
    string Namespace,
    string Name,
    string? VolumeName,
    string? StorageClassName,
    AccessModes AccessModes)
{
    /// <summary>spec.selector: the labels a volume needs to bind this claim.</summary>
    public KubeLabelSelector? Selector { get; init; }

    /// <summary>spec.resources.requests.storage, as written.</summary>
    public string? Request { get; init; }
}

/// <summary>A PersistentVolume reduced to what decides its backing.</summary>
public sealed record PersistentVolumeInfo(string Name, VolumeSource Source, AccessModes AccessModes)
{
    public IReadOnlyList<string> MountOptions { get; init; } = [];
    public string? StorageClassName { get; init; }
    public string? ClaimNamespace { get; init; }
    public string? ClaimName { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ObjectMetadata.NoEntries;
    public bool HasMountOptionsArray { get; init; }

    /// <summary>spec.capacity.storage, as written.</summary>
    public string? Capacity { get; init; }
}

public sealed record StorageClassInfo(string Name, string Provisioner, bool IsDefault)
{
    public IReadOnlyList<string> MountOptions { get; init; } = [];
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = ObjectMetadata.NoEntries;
}

/// <summary>The string data of a ConfigMap or of a Secret (decoded).</summary>
public sealed class ConfigData(string kind, string @namespace, string name, IReadOnlyDictionary<string, string> data)
{
    private readonly Lock _iniLock = new();
    private Dictionary<string, Airflow.AirflowCfg>? _ini;

    public string Kind { get; } = kind;
    public string Namespace { get; } = @namespace;
    public string Name { get; } = name;
    public IReadOnlyDictionary<string, string> Data { get; } = data;

    public string Describe() => $"{Kind} {Name}";

    /// <summary>The key parsed as an airflow.cfg file; parsed once and cached, since it is read on every admission.</summary>
    public Airflow.AirflowCfg? GetAirflowCfg(string key)
    {
        if (!Data.TryGetValue(key, out var text))
        {
            return null;
        }
        lock (_iniLock)
        {
            _ini ??= new Dictionary<string, Airflow.AirflowCfg>(StringComparer.Ordinal);
            if (!_ini.TryGetValue(key, out var parsed))
            {
                parsed = Airflow.AirflowCfg.Parse(text);
                _ini[key] = parsed;
            }
            return parsed;
        }
    }
}
