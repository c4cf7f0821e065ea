using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Forbids a kind of storage under the logs folder, the DAGs folder or a path, as Airflow
/// containers really see it: object-storage FUSE for logs, hostPath for DAGs, logs that die
/// with a task pod (unless remote logging ships them), writable DAG volumes in workers.
/// </summary>
internal sealed class ForbidVolumeRule : PodRule
{
    internal static RuleKind Definition { get; } = new("forbidVolume", "a kind of storage (by class or driver) under the logs folder, the DAGs folder or a path")
    {
        ApiServerGap = "it needs the airflow view: the logs or DAGs folder comes from Airflow's settings, and what backs a mount from its PersistentVolumeClaim, PersistentVolume, StorageClass and CSI driver, other objects",
        Placeholders = ["volume", "driver", "backing", "container", "path", "folder", "claim", "component", "mountPath", "setting", "pod", "remoteLogging"],
        DefaultMessage = "the {folder} {path} of container {container} is on volume {volume} ({backing}), which this policy forbids",
        BodySchema = """
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "at"
              ],
              "properties": {
                "at": {
                  "type": "string",
                  "pattern": "^(logs|dags|/.*)$"
                },
                "backing": {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "$ref": "#/definitions/backing"
                  }
                },
                "drivers": {
                  "description": "CSI drivers or provisioners (globs) forbidden whatever their class, e.g. smb.csi.k8s.io",
                  "$ref": "#/definitions/stringList"
                },
                "access": {
                  "enum": [
                    "any",
                    "write"
                  ]
                },
                "unlessRemoteLogging": {
                  "type": "boolean"
                }
              },
              "anyOf": [
                {
                  "required": [
                    "backing"
                  ]
                },
                {
                  "required": [
                    "drivers"
                  ]
                }
              ]
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    public required FolderTarget At { get; init; }
    public required IReadOnlySet<BackingClass> Backing { get; init; }

    /// <summary>CSI drivers or provisioners (globs) forbidden whatever their class: SMB among shared file systems.</summary>
    public IReadOnlyList<Glob> Drivers { get; init; } = [];

    private bool Forbids(VolumeBacking backing) =>
        Backing.Contains(backing.Class) || (Drivers.Count > 0 && backing.Driver is { } driver && Glob.AnyMatch(Drivers, driver));

    /// <summary>Only when Airflow can write there (read-only mounts are fine).</summary>
    public bool WriteOnly { get; init; }

    /// <summary>Allowed when remote logging is on and has somewhere to send logs.</summary>
    public bool UnlessRemoteLogging { get; init; }

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var reported = default(FewNames);
        var containers = context.AirflowContainers;
        for (var c = 0; c < containers.Count; c++)
        {
            var container = containers[c];
            var settings = context.SettingsOf(container);
            var folder = At.Resolve(settings);
            if (!folder.IsKnown || string.IsNullOrEmpty(folder.Value))
            {
                if (!AnyMountCouldBeForbidden(context, container))
                {
                    continue; // wherever the folder is, nothing this rule forbids is mounted
                }
                report.Unresolved($"the {At.Describe()} of {container.DisplayName} is unknown: {folder.Source}", JsonPlace.Of(container));
                continue;
            }
            if (folder.Assumption is not null && !report.AcceptsAssumptions && !report.MayDecideOn(folder.Assumption, $"the {At.Describe()} of {container.DisplayName}", JsonPlace.Of(container)))
            {
                continue;
            }
            // what Airflow writes under the folder lands on the folder's own volume and on every volume mounted inside it
            CheckPlace(context, report, container, settings, folder, context.BackingAt(container, folder.Value), ref reported);
            var folderPath = folder.Value; // normal, as every folder of the settings is
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (PathText.IsSameOrUnderNormal(mount.MountPath, folderPath) && mount.MountPath != folderPath)
                {
                    CheckPlace(context, report, container, settings, folder, context.BackingAt(container, mount.MountPath), ref reported);
                }
            }
        }
    }

    private void CheckPlace(EvaluationContext context, RuleReport report, ContainerView container, EffectiveAirflowSettings settings, SettingValue folder,
        PathBacking where, ref FewNames reported)
    {
        if (WriteOnly && !where.Writable)
        {
            return;
        }
        var key = where.VolumeName;
        if (reported.Contains(key))
        {
            return;
        }
        var backing = where.Backing;
        if (backing.Class == BackingClass.Unknown && !Backing.Contains(BackingClass.Unknown) && !Forbids(backing))
        {
            reported.Add(key);
            report.Unresolved($"{At.Describe()} {folder.Value} is on volume {key}: {backing.UnknownReason}", PathOf(container, where));
            return;
        }
        if (!Forbids(backing))
        {
            return;
        }
        if (backing.Assumption is not null && !report.AcceptsAssumptions && !report.MayDecideOn(backing.Assumption, $"the backing of volume {key}", PathOf(container, where)))
        {
            reported.Add(key);
            return;
        }
        if (UnlessRemoteLogging)
        {
            var remote = settings.RemoteLoggingOn;
            if (settings.RemoteLogging.Assumption is not null && !report.AcceptsAssumptions && !report.MayDecideOn(settings.RemoteLogging.Assumption, "whether remote logging is on", PathOf(container, where)))
            {
                reported.Add(key);
                return;
            }
            if (remote == true && settings.RemoteBaseLogFolder is { IsKnown: true, Value.Length: > 0 })
            {
                return;
            }
            if (remote is null || !settings.RemoteBaseLogFolder.IsKnown)
            {
                reported.Add(key);
                var source = remote is null ? settings.RemoteLogging.Source : settings.RemoteBaseLogFolder.Source;
                report.Unresolved($"{At.Describe()} {folder.Value} is on {backing.Description}, and whether remote logging ships the logs is unknown: {source}",
                    PathOf(container, where));
                return;
            }
        }
        reported.Add(key);
        report.Violation(new MessageValues
        {
            Volume = where.Volume?.Name ?? "(no volume)",
            Driver = backing.DriverTitle,
            Backing = backing.Description,
            Container = container.Name,
            Path = folder.Value,
            Folder = At.Describe(),
            Claim = backing.Claim,
            Component = context.Component.ToName(),
            MountPath = where.Mount?.MountPath ?? folder.Value,
            Setting = folder.Source,
            Pod = context.Pod.DisplayName,
            RemoteLogging = (backing.DriverInfo?.Store ?? ObjectStore.None).RemoteLoggingText(),
        }, PathOf(container, where), Assumed(folder, UnlessRemoteLogging ? settings.RemoteLogging : null, backing), remedy: RemedyFor(where, backing, folder, container));
    }

    /// <summary>What repairs the finding, whatever chart rendered the pod: logs go to remote logging instead of the volume; DAGs have no one remedy.</summary>
    private Remedy? RemedyFor(PathBacking where, VolumeBacking backing, SettingValue folder, ContainerView container) => At.Kind switch
    {
        FolderKind.Logs => new RemoteLoggingRemedy(where.Volume?.Name, backing.Claim, backing.DriverInfo?.Store ?? ObjectStore.None, backing.Class, folder.Source)
        {
            AirflowMajor = AirflowVersion.MajorOf(container),
        },
        FolderKind.Dags when backing.Class == BackingClass.HostPath => new DagsFromGitRemedy(where.Volume?.Name),
        FolderKind.Dags when WriteOnly && where.Volume is { } volume => new ReadOnlyDagsRemedy(volume.Name),
        _ => null,
    };

    private static string? Assumed(SettingValue folder, SettingValue? remoteLogging, VolumeBacking backing)
    {
        var parts = new[] { folder.Assumption, remoteLogging?.Assumption, backing.Assumption }.Where(p => p is not null).Distinct().ToArray();
        return parts.Length == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>
    /// Whether some value of an unknown folder could break the rule: a mount whose backing is forbidden
    /// or unknown (and, for write-only rules, writable), or, for rules that forbid the container's own
    /// file system, the folder lying outside every mount.
    /// </summary>
    private bool AnyMountCouldBeForbidden(EvaluationContext context, ContainerView container)
    {
        if (Backing.Contains(BackingClass.None) || Backing.Contains(BackingClass.Unknown))
        {
            return true;
        }
        foreach (var mount in container.Mounts.AsReadOnlySpan())
        {
            var where = context.BackingAt(container, mount.MountPath);
            if ((!WriteOnly || where.Writable) && (where.Backing.Class == BackingClass.Unknown || Forbids(where.Backing)))
            {
                return true;
            }
        }
        return false;
    }

    private static JsonPlace PathOf(ContainerView container, PathBacking where) =>
        where.Mount is null ? JsonPlace.Of(container) : JsonPlace.Of(container, "volumeMounts", where.Mount.Index);

    private static ForbidVolumeRule? Read(KindBody body)
    {
        var map = body.Map("at", "backing", "drivers", "access", "unlessRemoteLogging");
        if (map is null)
        {
            return null;
        }
        var reader = body.Reader;
        var at = map.String("at", required: true);
        FolderTarget? target = at switch
        {
            null => null,
            "logs" => FolderTarget.Logs,
            "dags" => FolderTarget.Dags,
            _ when at.StartsWith('/') => new FolderTarget(FolderKind.Path, PathText.Normalize(at)),
            _ => null,
        };
        if (at is not null && target is null)
        {
            reader.Error(map.Get("at")!, $"at must be logs, dags or an absolute path, found \"{at}\"");
        }
        var backing = new HashSet<BackingClass>();
        var drivers = map.StringList("drivers").Select(d => new Glob(d.Value)).ToList();
        if (!map.Has("backing") && drivers.Count == 0)
        {
            reader.Error(map.Node, "forbidVolume needs backing (classes of storage), drivers (CSI driver or provisioner names), or both");
        }
        foreach (var (text, node) in map.StringList("backing"))
        {
            if (BackingClassNames.TryParse(text, out var classes))
            {
                backing.UnionWith(classes);
            }
            else
            {
                var suggestion = NameSuggestion.Closest(text, BackingClassNames.AllNames);
                reader.Error(node, $"unknown backing \"{text}\"" + (suggestion is null
                    ? $"; expected one of: {string.Join(", ", BackingClassNames.AllNames)}"
                    : $"; did you mean \"{suggestion}\"?"));
            }
        }
        var access = map.String("access") ?? "any";
        if (access is not ("any" or "write"))
        {
            reader.Error(map.Get("access")!, $"access must be write or any, found \"{access}\"");
        }
        return target is null ? null : new ForbidVolumeRule
        {
            Name = body.Name,
            Location = body.Location,
            At = target,
            Backing = backing,
            Drivers = drivers,
            WriteOnly = access == "write",
            UnlessRemoteLogging = map.Bool("unlessRemoteLogging") ?? false,
            Message = body.Message(),
            Fix = body.Fix(),
        };
    }
}
