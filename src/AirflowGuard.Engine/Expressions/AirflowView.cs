using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// The <c>airflow</c> variable of expression rules: what the built-in rules see of a pod, as CEL maps
/// and lists. Built once per evaluation, only when a policy has expression rules.
/// <code>
/// airflow.component, .executor, .version (major, or null), .namespace
/// airflow.containers[]: name, image, role (airflow | git-sync | sidecar), init, resources, env (literal values),
///   settings: home, dagsFolder, logsFolder, remoteLogging, remoteBaseLogFolder, each { value, source, known, assumed }
///   folders: { logs, dags } (null when unknown)
///   mounts[]: volume, path, readOnly, access (read | write), holds (logs | dags | ""),
///     backing: { class, driver, claim, persistentVolume, accessModes[], description, known }
/// airflow.volumes[]: name, type, backing (as above)
/// </code>
/// </summary>
public static class AirflowView
{
    /// <summary>The names of the view's top-level fields, for load-time checks of <c>airflow.x</c>.</summary>
    public static readonly IReadOnlyList<string> Fields = ["component", "executor", "version", "namespace", "kind", "containers", "volumes"];

    public static Dictionary<string, object?> Of(EvaluationContext context)
    {
        var containers = new List<object?>();
        foreach (var container in context.Pod.AllContainers)
        {
            containers.Add(Container(context, container));
        }
        var volumes = new List<object?>();
        foreach (var volume in context.Pod.Volumes)
        {
            volumes.Add(new Dictionary<string, object?>
            {
                ["name"] = volume.Name,
                ["type"] = volume.Source.Kind.ToString(),
                ["backing"] = Backing(context.BackingOf(volume)),
            });
        }
        var first = context.AirflowContainers is [var airflow, ..] ? airflow : null;
        return new Dictionary<string, object?>
        {
            ["kind"] = context.Pod.SourceKind,
            ["component"] = context.Component.ToName(),
            ["namespace"] = context.Namespace,
            ["executor"] = first is null ? null : context.SettingsOf(first) is var s && s.Executor is { IsKnown: true } e ? e.Value : null,
            ["version"] = first is null ? null : AirflowVersion.MajorOf(first) is { } major ? (long)major : null,
            ["containers"] = containers,
            ["volumes"] = volumes,
        };
    }

    /// <summary>The view of an object that is no pod (a ConfigMap or Secret matched by kind).</summary>
    public static Dictionary<string, object?> OfObject(string kind, string? @namespace) => new()
    {
        ["kind"] = kind,
        ["component"] = "",
        ["namespace"] = @namespace,
        ["executor"] = null,
        ["version"] = null,
        ["containers"] = new List<object?>(),
        ["volumes"] = new List<object?>(),
    };

    private static Dictionary<string, object?> Container(EvaluationContext context, ContainerView container)
    {
        var role = context.RoleOf(container);
        var env = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var variable in container.Env)
        {
            env[variable.Name] = variable.IsLiteral ? variable.Value : null;
        }
        var view = new Dictionary<string, object?>
        {
            ["name"] = container.Name,
            ["image"] = container.Image,
            ["role"] = role switch { ContainerRole.Airflow => "airflow", ContainerRole.GitSync => "git-sync", _ => "sidecar" },
            ["init"] = container.IsInit,
            ["resources"] = container.Resources is { } resources ? CelValues.FromJson(resources) : new Dictionary<string, object?>(),
            ["env"] = env,
        };
        EffectiveAirflowSettings? settings = role == ContainerRole.Airflow ? context.SettingsOf(container) : null;
        view["settings"] = settings is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>
        {
            ["home"] = Setting(settings.AirflowHome),
            ["dagsFolder"] = Setting(settings.DagsFolder),
            ["logsFolder"] = Setting(settings.LogsFolder),
            ["remoteLogging"] = Setting(settings.RemoteLogging),
            ["remoteBaseLogFolder"] = Setting(settings.RemoteBaseLogFolder),
            ["executor"] = Setting(settings.Executor),
        };
        view["folders"] = new Dictionary<string, object?>
        {
            ["logs"] = settings?.LogsFolder is { IsKnown: true } logs ? logs.Value : null,
            ["dags"] = settings?.DagsFolder is { IsKnown: true } dags ? dags.Value : null,
        };
        var mounts = new List<object?>();
        foreach (var mount in container.Mounts)
        {
            var where = context.BackingAt(container, mount.MountPath);
            mounts.Add(new Dictionary<string, object?>
            {
                ["volume"] = mount.Name,
                ["path"] = mount.MountPath,
                ["subPath"] = mount.SubPath,
                ["readOnly"] = !where.Writable,
                ["access"] = where.Writable ? "write" : "read",
                ["holds"] = Holds(settings, mount.MountPath),
                ["backing"] = Backing(where.Backing),
            });
        }
        view["mounts"] = mounts;
        return view;
    }

    /// <summary>"logs" or "dags" when the mount is at, above or inside that folder.</summary>
    private static string Holds(EffectiveAirflowSettings? settings, string mountPath)
    {
        static bool Around(SettingValue folder, string path) =>
            folder is { IsKnown: true, Value: { } value } && (PathText.IsSameOrUnder(value, path) || PathText.IsSameOrUnder(path, value));
        return settings is null ? "" : Around(settings.LogsFolder, mountPath) ? "logs" : Around(settings.DagsFolder, mountPath) ? "dags" : "";
    }

    private static Dictionary<string, object?> Setting(SettingValue value) => new()
    {
        ["value"] = value.IsKnown ? value.Value : null,
        ["source"] = value.Source,
        ["known"] = value.IsKnown,
        ["assumed"] = value.Assumption is not null,
    };

    private static Dictionary<string, object?> Backing(VolumeBacking backing)
    {
        var modes = new List<object?>();
        foreach (var mode in Enum.GetValues<AccessModes>())
        {
            if (mode != AccessModes.None && (backing.AccessModes & mode) != 0)
            {
                modes.Add(mode.ToString());
            }
        }
        return new Dictionary<string, object?>
        {
            ["class"] = backing.Class.ToName(),
            ["driver"] = backing.Driver,
            ["claim"] = backing.Claim,
            ["persistentVolume"] = backing.PersistentVolume,
            ["accessModes"] = modes,
            ["description"] = backing.Description,
            ["known"] = backing.Class != BackingClass.Unknown,
        };
    }
}
