using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Works out the settings a container runs with, in Airflow's own order: the container's env
/// (literal or from a ConfigMap / Secret key), then its <c>envFrom</c> sources (the last source
/// wins, as in Kubernetes), then the airflow.cfg it mounts, then Airflow's defaults.
/// </summary>
public sealed class SettingsResolver
{
    private readonly PodView _pod;
    private readonly ContainerView _container;
    private readonly IClusterState _cluster;
    private readonly string _namespace;
    private SettingValue? _home;
    private CfgSource? _cfg;

    private SettingsResolver(PodView pod, ContainerView container, IClusterState cluster)
    {
        _pod = pod;
        _container = container;
        _cluster = cluster;
        _namespace = pod.Metadata.Namespace ?? "default";
    }

    // Whether an AIRFLOW__SECTION__KEY name, and a _CMD or _SECRET one, can be set at all: with envFrom any
    // name can; else only names the container's env has. Most options are set nowhere, and this answers
    // their three or six lookups (plain, _CMD, _SECRET, and the same for older names) with one pass over env,
    // made when the first option is asked.
    private EnvShapes _envShapes;

    [Flags]
    private enum EnvShapes : byte
    {
        NotRead = 0,
        Read = 1,
        Option = 2,
        Variant = 4,
    }

    private EnvShapes Shapes => _envShapes != EnvShapes.NotRead ? _envShapes : _envShapes = OptionEnvShapes(_container);

    private static EnvShapes OptionEnvShapes(ContainerView container)
    {
        if (container.EnvFrom.Count > 0)
        {
            return EnvShapes.Read | EnvShapes.Option | EnvShapes.Variant;
        }
        var shapes = EnvShapes.Read;
        var env = container.Env.AsReadOnlySpan(); // a span: an interface call per item was half of this walk on a pod of 2,640 env vars
        for (var i = 0; i < env.Length && (shapes & EnvShapes.Variant) == 0; i++)
        {
            var name = env[i].Name;
            if (name.StartsWith("AIRFLOW__", StringComparison.Ordinal))
            {
                shapes |= EnvShapes.Option;
                if (name.EndsWith("_CMD", StringComparison.Ordinal) || name.EndsWith("_SECRET", StringComparison.Ordinal))
                {
                    shapes |= EnvShapes.Variant;
                }
            }
        }
        return shapes;
    }

    /// <summary>The settings <paramref name="container"/> runs with; each is worked out when first asked.</summary>
    public static EffectiveAirflowSettings Resolve(PodView pod, ContainerView container, IClusterState cluster) =>
        new(new SettingsResolver(pod, container, cluster));

    /// <summary>
    /// Where the container already sets <paramref name="envName"/> so that an injected env var would
    /// override it: its env or envFrom (under this name, or for a known Airflow option under an older
    /// name or a _CMD / _SECRET variant), or airflow.cfg when the file sets the option to something
    /// other than Airflow's default (env beats airflow.cfg, so a repair wins over a file that only
    /// restates defaults, such as the official chart's <c>remote_logging = False</c>). Null when it is
    /// set nowhere that counts.
    /// </summary>
    public static SettingValue? FindExisting(PodView pod, ContainerView container, IClusterState cluster, string envName)
    {
        var resolver = new SettingsResolver(pod, container, cluster);
        if (resolver.Env(envName) is { } fromEnv)
        {
            return fromEnv;
        }
        if (!AirflowOption.TryParseEnvName(envName, out var section, out var key))
        {
            return null;
        }
        if (resolver.OptionFromEnv(section, key) is { } variant)
        {
            return variant;
        }
        var known = AirflowOption.Find(section, key);
        foreach (var (oldSection, oldKey) in known?.Deprecated.Append((known.Section, known.Key)) ?? [])
        {
            if (resolver.OptionFromEnv(oldSection, oldKey) is { } older)
            {
                return older;
            }
        }
        if (resolver.Cfg.Assumption is not null)
        {
            return null; // a file out of view is taken to hold the defaults
        }
        // an option outside the catalogue is a new object each time: its answer is not kept
        var inCfg = resolver.Cfg.Get(known ?? new AirflowOption(section, key, null), remember: known is not null);
        return inCfg is { IsKnown: true } && known is not null && known.IsDefault(inCfg.Value) ? null : inCfg;
    }

    /// <summary>AIRFLOW_HOME, for <see cref="EffectiveAirflowSettings.AirflowHome"/> and everything relative to it.</summary>
    internal SettingValue Home => _home ??= Env("AIRFLOW_HOME") ?? DefaultHome();

    /// <summary>The airflow.cfg the container reads, or why it cannot be read: looked for when an option or the file is first asked.</summary>
    private CfgSource Cfg => _cfg ??= LocateConfigFile(Home);

    /// <summary>Where airflow.cfg comes from, or why that cannot be known, for <see cref="EffectiveAirflowSettings.ConfigFile"/>.</summary>
    internal SettingValue ConfigFile => Cfg.Describe();

    /// <summary>The airflow.cfg read and its place, when it is in view, for <see cref="EffectiveAirflowSettings.ConfigFileRead"/>.</summary>
    internal (AirflowCfg Cfg, string Place)? ConfigFileRead => Cfg is { Cfg: { } cfg } source ? (cfg, source.Description) : null;

    /// <summary>Any option, for <see cref="EffectiveAirflowSettings"/>.</summary>
    internal SettingValue OptionOf(AirflowOption option) => Option(option);

    /// <summary>A folder option with AIRFLOW_HOME put in, as a normal path, for <see cref="EffectiveAirflowSettings"/>.</summary>
    internal SettingValue Folder(AirflowOption option) => Path(Option(option), Home);

    /// <summary>Remote base log folder, or the Elasticsearch / OpenSearch host when logs go there instead.</summary>
    internal SettingValue RemoteTarget()
    {
        var folder = Option(AirflowOption.RemoteBaseLogFolder);
        if (!folder.IsKnown || !string.IsNullOrEmpty(folder.Value))
        {
            return folder;
        }
        foreach (var option in (ReadOnlySpan<AirflowOption>)[AirflowOption.ElasticsearchHost, AirflowOption.OpensearchHost])
        {
            var host = Option(option);
            if (!host.IsKnown || !string.IsNullOrEmpty(host.Value))
            {
                return host;
            }
        }
        return folder;
    }

    private const string BitnamiHome = "/opt/bitnami/airflow";

    /// <summary>
    /// AIRFLOW_HOME when no env sets it: the Bitnami image's when the container mounts, runs or points
    /// env at /opt/bitnami/airflow (images are often mirrored under other names, so the path tells,
    /// not the image name), else the official image's.
    /// </summary>
    private SettingValue DefaultHome()
    {
        foreach (var mount in _container.Mounts.AsReadOnlySpan())
        {
            if (PathText.IsSameOrUnderNormal(mount.MountPath, BitnamiHome))
            {
                return new SettingValue(BitnamiHome, $"default of the Bitnami image (container {_container.Name} mounts {mount.MountPath})");
            }
        }
        if (RunsBitnamiScripts(_container.Command) || RunsBitnamiScripts(_container.Args))
        {
            return new SettingValue(BitnamiHome, $"default of the Bitnami image (the command of {_container.Name} runs Bitnami's scripts)");
        }
        return ContainerClassifier.ImageRepository(_container.Image).Contains("bitnami", StringComparison.OrdinalIgnoreCase)
            ? BitnamiImageHome
            : OfficialImageHome;
    }

    private static readonly SettingValue BitnamiImageHome = new(BitnamiHome, "default of the Bitnami image");
    private static readonly SettingValue OfficialImageHome = new("/opt/airflow", "default of the official image");

    private static bool RunsBitnamiScripts(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Contains(BitnamiHome, StringComparison.Ordinal) || words[i].Contains("/opt/bitnami/scripts/", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A folder setting with AIRFLOW_HOME put in, as a normal path: what <see cref="EffectiveAirflowSettings"/> promises of its folders.</summary>
    private static SettingValue Path(SettingValue value, SettingValue home)
    {
        if (!value.IsKnown || value.Value is null)
        {
            return value;
        }
        var text = value.Value;
        // nearly every folder is written out in full: one search before any replacing
        if (text.Contains("AIRFLOW_HOME", StringComparison.Ordinal))
        {
            if (home.Value is not { } homePath)
            {
                return SettingValue.Unknown($"{value.Source}, relative to an unknown AIRFLOW_HOME ({home.Source})");
            }
            // ${AIRFLOW_HOME} before {AIRFLOW_HOME}, which it contains
            text = text.Replace("${AIRFLOW_HOME}", homePath, StringComparison.Ordinal)
                .Replace("{AIRFLOW_HOME}", homePath, StringComparison.Ordinal)
                .Replace("$AIRFLOW_HOME", homePath, StringComparison.Ordinal);
        }
        var normalized = PathText.Normalize(text);
        return normalized == value.Value ? value : value with { Value = normalized };
    }

    private SettingValue Option(AirflowOption option)
    {
        var value = OptionCore(option);
        // a default taken because airflow.cfg is out of sight rests on an assumption: say so
        return value.IsKnown && ReferenceEquals(value.Source, DefaultSource) && Cfg.Assumption is { } assumed
            ? value with { Assumption = assumed, Source = _assumedDefault ??= $"{DefaultSource}; assumed: {assumed}" }
            : value;
    }

    private string? _assumedDefault;

    internal const string DefaultSource = "Airflow default";

    private SettingValue OptionCore(AirflowOption option)
    {
        if (AirflowVersion.MajorOf(_container) == 1)
        {
            // Airflow 1.10 has no [logging] section: AIRFLOW__LOGGING__* is ignored there
            option = option.ForAirflow1;
        }
        if (OptionFromEnv(option.Names) is { } fromEnv)
        {
            return fromEnv;
        }
        foreach (var names in option.DeprecatedNames)
        {
            if (OptionFromEnv(names) is { } fromDeprecatedEnv)
            {
                return fromDeprecatedEnv;
            }
        }
        var fromCfg = Cfg.Get(option);
        if (fromCfg is not null)
        {
            return fromCfg;
        }
        return option.DefaultValue;
    }

    private SettingValue? OptionFromEnv(string section, string key) => OptionFromEnv(new AirflowOption.OptionEnvNames(AirflowOption.EnvNameOf(section, key)));

    private SettingValue? OptionFromEnv(AirflowOption.OptionEnvNames names)
    {
        if ((Shapes & EnvShapes.Option) == 0)
        {
            return null;
        }
        if (Env(names.Plain) is { } direct)
        {
            return direct;
        }
        if ((Shapes & EnvShapes.Variant) == 0)
        {
            return null;
        }
        foreach (var name in (ReadOnlySpan<string>)[names.Command, names.Secret])
        {
            if (Env(name) is not null)
            {
                return SettingValue.Unknown($"env {name} runs a command or reads a secrets backend at start");
            }
        }
        return null;
    }

    /// <summary>An env var as the container will see it, or null when it is not set anywhere AirflowGuard can see.</summary>
    private SettingValue? Env(string name)
    {
        if (_container.FindEnv(name) is { } env)
        {
            return env.Source switch
            {
                EnvValueSource.Literal => new SettingValue(env.Value, EnvSourceText(name)),
                EnvValueSource.SecretKey => FromKey(_cluster.GetSecret(_namespace, env.RefName ?? ""), env, "Secret"),
                EnvValueSource.ConfigMapKey => FromKey(_cluster.GetConfigMap(_namespace, env.RefName ?? ""), env, "ConfigMap"),
                _ => SettingValue.Unknown($"env {name} comes from a field reference"),
            };
        }
        for (var i = _container.EnvFrom.Count - 1; i >= 0; i--)
        {
            var source = _container.EnvFrom[i];
            var prefix = source.Prefix ?? "";
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var lookup = source.Kind == EnvFromKind.Secret ? _cluster.GetSecret(_namespace, source.Name) : _cluster.GetConfigMap(_namespace, source.Name);
            var kind = source.Kind == EnvFromKind.Secret ? "Secret" : "ConfigMap";
            if (lookup.Status == LookupStatus.Unknown)
            {
                // not assumed away: the community chart keeps its whole configuration in such a Secret, and env
                // injected by a repair would override what it sets
                return SettingValue.Unknown($"envFrom {kind} {source.Name} may set {name}, and AirflowGuard cannot read it ({lookup.Reason})");
            }
            if (lookup.Value is { } data && data.Data.TryGetValue(name[prefix.Length..], out var value))
            {
                return new SettingValue(value, $"env {name} from envFrom {kind} {source.Name}");
            }
        }
        return null;
    }

    // "env AIRFLOW__CORE__DAGS_FOLDER" per name: the names asked are the known options' and the policies'
    private static readonly TextCache<string> EnvSourceTexts = new(4096, static name => "env " + name);

    private static string EnvSourceText(string name) => EnvSourceTexts.Get(name);

    private static SettingValue FromKey(Lookup<ConfigData> lookup, EnvVarView env, string kind) => lookup.Status switch
    {
        LookupStatus.Found when lookup.Value!.Data.TryGetValue(env.RefKey ?? "", out var value) =>
            new SettingValue(value, $"env {env.Name} from {kind} {env.RefName} key {env.RefKey}"),
        LookupStatus.Found => SettingValue.Unknown($"env {env.Name}: {kind} {env.RefName} has no key {env.RefKey}"),
        _ => SettingValue.Unknown($"env {env.Name} comes from {kind} {env.RefName}, which AirflowGuard cannot read ({lookup.Reason})"),
    };

    private CfgSource LocateConfigFile(SettingValue home)
    {
        var configEnv = Env("AIRFLOW_CONFIG");
        string? path;
        if (configEnv is { IsKnown: true, Value: { Length: > 0 } explicitPath })
        {
            path = explicitPath;
        }
        else if (configEnv is { IsKnown: false })
        {
            return CfgSource.Unreadable(configEnv.Source);
        }
        else
        {
            path = home.Value is null ? null : PathText.Combine(home.Value, "airflow.cfg");
        }
        if (path is null)
        {
            return CfgSource.Unreadable("airflow.cfg location depends on an unknown AIRFLOW_HOME");
        }
        path = PathText.Normalize(path);
        if (_container.MountCoveringNormal(path) is not { } mount || _pod.FindVolume(mount.Name) is not { } volume)
        {
            return CfgSource.ImageDefault(path);
        }
        var inVolume = PathText.RelativeToNormal(path, mount.MountPath);
        if (mount.SubPath is not null)
        {
            inVolume = PathText.Combine(mount.SubPath, inVolume);
        }
        return FromConfigVolume(volume, inVolume, path) ?? volume.Source.Kind switch
        {
            VolumeSourceKind.EmptyDir when CopiedByInitContainer(volume.Name, inVolume, path) is { } copied => copied,
            // an emptyDir or claim holds a file written at start (Bitnami's entrypoint writes one from env) or by hand
            _ => CfgSource.AssumeDefaults($"{path} is on volume {volume.Name} ({volume.Source.Kind}), whose content AirflowGuard cannot see",
                $"airflow.cfg on volume {volume.Name} ({volume.Source.Kind}) cannot be seen; Airflow's defaults"),
        };
    }

    /// <summary>
    /// An airflow.cfg an init container copies into the emptyDir from a ConfigMap or Secret it mounts (Bitnami's
    /// prepare-config: <c>cp /opt/bitnami/airflow/airflow.cfg /emptydir/app-base-dir/airflow.cfg</c>): the init
    /// container mounts the same emptyDir, names the file's place in it in its command or args, and mounts an
    /// airflow.cfg of its own from a ConfigMap or Secret. The copy's content is that file's.
    /// </summary>
    private CfgSource? CopiedByInitContainer(string volumeName, string inVolume, string path)
    {
        foreach (var init in _pod.InitContainers)
        {
            string? target = null;
            foreach (var mount in init.Mounts)
            {
                if (mount.Name == volumeName && mount.SubPath is null)
                {
                    target = PathText.Combine(mount.MountPath, inVolume);
                }
            }
            if (target is null || !init.Command.Concat(init.Args).Any(text => text.Contains(target, StringComparison.Ordinal)))
            {
                continue;
            }
            foreach (var mount in init.Mounts)
            {
                if (mount.Name == volumeName || !mount.MountPath.EndsWith("/airflow.cfg", StringComparison.Ordinal) ||
                    _pod.FindVolume(mount.Name) is not { } source)
                {
                    continue;
                }
                if (FromConfigVolume(source, mount.SubPath ?? "airflow.cfg", path) is { } copied)
                {
                    return copied with { Description = $"{copied.Description}, copied into volume {volumeName} by init container {init.Name}" };
                }
            }
        }
        return null;
    }

    /// <summary>The file at <paramref name="inVolume"/> of a ConfigMap, Secret or projected volume; null for any other volume.</summary>
    private CfgSource? FromConfigVolume(VolumeView volume, string inVolume, string path) => volume.Source.Kind switch
    {
        VolumeSourceKind.ConfigMap => FromVolumeKey(EnvFromKind.ConfigMap, volume.Source.Reference, volume.Source.Items, inVolume, path),
        VolumeSourceKind.Secret => FromVolumeKey(EnvFromKind.Secret, volume.Source.Reference, volume.Source.Items, inVolume, path),
        VolumeSourceKind.Projected => FromProjected(volume.Source.ProjectedSources, inVolume, path),
        _ => null,
    };

    private CfgSource FromProjected(IReadOnlyList<ProjectedSource> sources, string inVolume, string path)
    {
        foreach (var source in sources)
        {
            var found = FromVolumeKey(source.Kind, source.Name, source.Items, inVolume, path);
            if (found.Cfg is not null || !found.Readable)
            {
                return found;
            }
        }
        return CfgSource.Unreadable($"{path} is not in any source of its projected volume");
    }

    private CfgSource FromVolumeKey(EnvFromKind kind, string? name, IReadOnlyList<ProjectedKey> items, string inVolume, string path)
    {
        var key = inVolume;
        if (items.Count > 0)
        {
            key = "";
            foreach (var item in items)
            {
                if (item.Path == inVolume)
                {
                    key = item.Key;
                }
            }
        }
        var kindName = kind == EnvFromKind.Secret ? "Secret" : "ConfigMap";
        var lookup = kind == EnvFromKind.Secret ? _cluster.GetSecret(_namespace, name ?? "") : _cluster.GetConfigMap(_namespace, name ?? "");
        if (!lookup.IsFound)
        {
            return CfgSource.AssumeDefaults($"{path} from {kindName} {name}, which is not in view ({lookup.Reason})", $"airflow.cfg from {kindName} {name} is not in view; Airflow's defaults");
        }
        var cfg = lookup.Value!.GetAirflowCfg(key);
        // without the key the mounted folder has no airflow.cfg, and Airflow runs on its defaults
        return cfg is null
            ? new CfgSource(null, $"{path} is not in {kindName} {name} (no key {key}): Airflow defaults", Readable: true)
            : new CfgSource(cfg, cfg.Place(path, kindName, name, key), Readable: true);
    }

    /// <summary>Where airflow.cfg comes from: a readable file, the image's own (defaults), or something unreadable.</summary>
    private sealed record CfgSource(AirflowCfg? Cfg, string Description, bool Readable)
    {
        /// <summary>Set when the file is out of sight and Airflow's defaults are assumed for it.</summary>
        public string? Assumption { get; init; }

        public static CfgSource ImageDefault(string path) => new(null, $"{path} from the image (Airflow defaults)", Readable: true);

        public static CfgSource AssumeDefaults(string description, string assumption) => new(null, description, Readable: true) { Assumption = assumption };

        public static CfgSource Unreadable(string why) => new(null, why, Readable: false);

        public SettingValue Describe() => Readable
            ? new SettingValue(Description, Description) { Assumption = Assumption }
            : SettingValue.Unknown(Description);

        /// <param name="remember">Whether the file keeps the answer for the next pod (<paramref name="option"/> is one of the catalogue's objects).</param>
        public SettingValue? Get(AirflowOption option, bool remember = true)
        {
            if (!Readable)
            {
                return SettingValue.Unknown($"[{option.Section}] {option.Key}: {Description}");
            }
            return Cfg?.Setting(option, Description, remember);
        }
    }
}
