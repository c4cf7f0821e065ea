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

    // Texts that say where a value came from, made once per file, place and option: a parsed file lives as long
    // as its ConfigMap in view, and every pod that mounts it would otherwise format the same texts again.
    // Bounded: past the limit they are formatted each time.
    private const int MaxTexts = 256;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string, string), string> _texts = new();

    /// <summary>"/opt/airflow/airflow.cfg from ConfigMap airflow-config key airflow.cfg".</summary>
    internal string Place(string path, string kind, string? name, string key) =>
        Text((path, kind, name ?? "", key), static k => $"{k.Item1} from {k.Item2} {k.Item3} key {k.Item4}");

    /// <summary>"[core] dags_folder in " + the place.</summary>
    internal string SourceOf(string section, string key, string place) =>
        Text(("[]", section, key, place), static k => $"[{k.Item2}] {k.Item3} in {k.Item4}");

    private string Text((string, string, string, string) key, Func<(string, string, string, string), string> make) =>
        _texts.TryGetValue(key, out var text) ? text : _texts.Count < MaxTexts ? _texts.GetOrAdd(key, make) : make(key);

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

    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;
}
