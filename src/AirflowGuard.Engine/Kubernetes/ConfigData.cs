namespace AirflowGuard.Engine.Kubernetes;

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
