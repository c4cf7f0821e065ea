using System.Text.Json.Nodes;

namespace AirflowGuard.Engine.Charts;

/// <summary>
/// The change to a chart's values that repairs a finding: keys (dotted, as <c>helm --set</c> spells them), values and why.
/// Without changes, <see cref="Reason"/> says why no key of that chart can repair it, and the pod-level fix stays.
/// </summary>
public sealed record ValuesFix(ChartRelease Chart, IReadOnlyList<ValuesChange> Changes, string Reason)
{
    /// <summary>Items of the values' own lists (env, volumes) to change: an overlay can make them only from the user's values file, as helm replaces a list whole.</summary>
    public IReadOnlyList<ListEdit> ListEdits { get; init; } = [];

    /// <summary>True when setting <see cref="Changes"/> (and making <see cref="ListEdits"/> in the user's lists) repairs the finding.</summary>
    public bool Repairs => Changes.Count > 0 || ListEdits.Count > 0;

    /// <summary>True when the repair edits the user's lists, so <c>fix</c> needs the values file (<c>-f</c>).</summary>
    public bool NeedsValuesFile => ListEdits.Count > 0;

    /// <summary>The changes alone, without the reason: "official chart values: logs.persistence.enabled=false, …".</summary>
    public string DescribeChanges() =>
        $"{Chart.Family.ToName()} chart values: {string.Join(", ", ListEdits.Select(e => e.Describe()).Concat(Changes.Select(c => c.Describe())))}";

    /// <summary>One line for a terminal or an admission message: "official chart values: logs.persistence.enabled=false, … (why)".</summary>
    public string Describe() => Repairs
        ? $"{DescribeChanges()} ({Reason})"
        : $"no {Chart.Family.ToName()} chart value repairs this: {Reason}";
}

/// <summary>What to do to the items of the values' lists that carry a name (env vars, volumes and their mounts).</summary>
public enum ListEditKind
{
    /// <summary>Drop the env var from every env list (env, extraEnv, extraEnvVars).</summary>
    RemoveEnv,

    /// <summary>Give the env var valueFrom.secretKeyRef instead of its literal value.</summary>
    EnvFromSecret,

    /// <summary>Drop the volume from every volume list (volumes, extraVolumes) and its mounts from every mount list.</summary>
    RemoveVolume,

    /// <summary>Mount the volume read-only in every mount list (volumeMounts, extraVolumeMounts).</summary>
    ReadOnlyMount,
}

/// <summary>One edit of the items named <see cref="Name"/> in the values' lists.</summary>
public sealed record ListEdit(ListEditKind Kind, string Name)
{
    public string Describe() => Kind switch
    {
        ListEditKind.RemoveEnv => $"remove env {Name} from the values' env lists",
        ListEditKind.EnvFromSecret => $"env {Name} from a Secret (secretKeyRef) in the values' env lists",
        ListEditKind.ReadOnlyMount => $"mount volume {Name} readOnly in the values' mount lists",
        _ => $"remove volume {Name} and its mounts from the values' volume lists",
    };
}

/// <summary>One values key and its new value. A null <see cref="Value"/> removes the key (helm drops a key set to null).</summary>
/// <param name="Site">What a site must decide for the value (a bucket, a StorageClass, a Secret), filled from <c>fix</c>'s options or left as a REPLACE-ME placeholder.</param>
public sealed record ValuesChange(string Key, JsonNode? Value, ValuesSite Site = ValuesSite.None)
{
    public string Describe() => $"{Key}={(Value is null ? "null" : Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : Value.ToJsonString())}";
}

/// <summary>The site-specific values a fix may need; each has a <c>fix</c> option and a placeholder that still renders.</summary>
public enum ValuesSite
{
    None,
    RemoteBaseLogFolder,
    RemoteLogConnId,
    WasbContainer,
    RwxStorageClass,
    GitRepo,

    /// <summary>The name of a Secret that holds the value (the key is named in the change).</summary>
    SecretName,
}

/// <summary>The <c>fix</c> option that fills each <see cref="ValuesSite"/>.</summary>
public static class ValuesSites
{
    public static string OptionOf(ValuesSite site) => site switch
    {
        ValuesSite.RemoteBaseLogFolder => "--remote-base-log-folder",
        ValuesSite.RemoteLogConnId => "--remote-log-conn-id",
        ValuesSite.WasbContainer => "--wasb-log-container",
        ValuesSite.RwxStorageClass => "--rwx-storage-class",
        ValuesSite.SecretName => "--secret-name",
        ValuesSite.GitRepo => "--git-repo",
        _ => "",
    };
}
