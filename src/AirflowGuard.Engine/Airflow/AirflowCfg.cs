namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// An airflow.cfg file, read the way Python's configparser reads it for the keys AirflowGuard
/// needs: sections, <c>key = value</c> or <c>key: value</c>, full-line comments, indented
/// continuation lines. Section and key names are case-insensitive.
/// </summary>
public sealed class AirflowCfg
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections;

    private AirflowCfg(Dictionary<string, Dictionary<string, string>> sections) => _sections = sections;

    // where values came from, made once per file, place and option: a parsed file lives as long as its
    // ConfigMap in view, and every pod that mounts it asks for the same texts
    private readonly TextCache<(string Path, string Kind, string Name, string Key)> _places =
        new(256, static p => $"{p.Path} from {p.Kind} {p.Name} key {p.Key}");

    private readonly TextCache<(string Section, string Key, string Place)> _sources =
        new(256, static s => $"[{s.Section}] {s.Key} in {s.Place}");

    // what each option reads from this file at each place it is mounted: the same answer for every pod that mounts it,
    // found once (keys by reference: the options are static, the places come from _places)
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(AirflowOption Option, string Place), SettingValue?> _settings =
        new(ByReference.Instance);

    private const int MaxSettings = 1024;

    /// <summary>The option's value in this file (or under one of its older names), with where it came from; null when the file does not set it.</summary>
    internal SettingValue? Setting(AirflowOption option, string place, bool remember = true)
    {
        if (!remember)
        {
            return FindSetting(option, place);
        }
        if (_settings.TryGetValue((option, place), out var known))
        {
            return known;
        }
        var setting = FindSetting(option, place);
        if (_settings.Count < MaxSettings)
        {
            _settings.TryAdd((option, place), setting);
        }
        return setting;
    }

    private SettingValue? FindSetting(AirflowOption option, string place)
    {
        if (Get(option.Section, option.Key) is { } value)
        {
            return new SettingValue(value, SourceOf(option.Section, option.Key, place));
        }
        foreach (var (section, key) in option.Deprecated)
        {
            if (Get(section, key) is { } old)
            {
                return new SettingValue(old, SourceOf(section, key, place));
            }
        }
        return null;
    }

    private sealed class ByReference : IEqualityComparer<(AirflowOption Option, string Place)>
    {
        public static readonly ByReference Instance = new();

        public bool Equals((AirflowOption Option, string Place) x, (AirflowOption Option, string Place) y) =>
            ReferenceEquals(x.Option, y.Option) && ReferenceEquals(x.Place, y.Place);

        public int GetHashCode((AirflowOption Option, string Place) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Option), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Place));
    }

    /// <summary>"/opt/airflow/airflow.cfg from ConfigMap airflow-config key airflow.cfg".</summary>
    internal string Place(string path, string kind, string? name, string key)
    {
        name ??= "";
        // a file is nearly always mounted at one place from one key: the last answer, checked by comparing, spares
        // hashing four texts for the cache on each container that reads the file
        if (_lastPlace is { } last && last.Path == path && last.Kind == kind && last.Name == name && last.Key == key)
        {
            return last.Text;
        }
        var text = _places.Get((path, kind, name, key));
        _lastPlace = new PlaceText(path, kind, name, key, text);
        return text;
    }

    private PlaceText? _lastPlace;

    private sealed record PlaceText(string Path, string Kind, string Name, string Key, string Text);

    /// <summary>"[core] dags_folder in " + the place.</summary>
    internal string SourceOf(string section, string key, string place) => _sources.Get((section, key, place));

    public static AirflowCfg Parse(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string>? current = null;
        string? lastKey = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }
            if (char.IsWhiteSpace(line[0]) && current is not null && lastKey is not null)
            {
                current[lastKey] = current[lastKey] + "\n" + trimmed;
                continue;
            }
            if (trimmed[0] == '[' && trimmed.EndsWith(']'))
            {
                var name = trimmed[1..^1].Trim();
                if (!sections.TryGetValue(name, out current))
                {
                    current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    sections[name] = current;
                }
                lastKey = null;
                continue;
            }
            var separator = trimmed.AsSpan().IndexOfAny('=', ':');
            if (current is null || separator <= 0)
            {
                continue;
            }
            lastKey = trimmed[..separator].Trim();
            current[lastKey] = trimmed[(separator + 1)..].Trim();
        }
        return new AirflowCfg(sections);
    }

    /// <summary>Airflow's sensitive options (<see cref="SensitiveOptions"/>) the file sets to a non-empty value, in their order; found once per file.</summary>
    internal IReadOnlyList<(string Section, string Key, string Value, Rules.SecretCondition When)> SensitiveValues => field ??=
    [
        .. SensitiveOptions.All.Select(o => (o.Section, o.Key, Value: Get(o.Section, o.Key), o.When))
            .Where(o => !string.IsNullOrEmpty(o.Value)).Select(o => (o.Section, o.Key, o.Value!, o.When)),
    ];

    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;
}
