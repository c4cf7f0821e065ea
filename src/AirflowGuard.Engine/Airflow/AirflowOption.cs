namespace AirflowGuard.Engine.Airflow;

/// <summary>An Airflow configuration option, with the older names Airflow still reads for it.</summary>
public sealed record AirflowOption(string Section, string Key, string? Default, params (string Section, string Key)[] Deprecated)
{
    public static readonly AirflowOption DagsFolder = new("core", "dags_folder", "{AIRFLOW_HOME}/dags");
    public static readonly AirflowOption BaseLogFolder = new("logging", "base_log_folder", "{AIRFLOW_HOME}/logs", ("core", "base_log_folder"));
    public static readonly AirflowOption RemoteLogging = new("logging", "remote_logging", "False", ("core", "remote_logging"));
    public static readonly AirflowOption RemoteBaseLogFolder = new("logging", "remote_base_log_folder", "", ("core", "remote_base_log_folder"));
    public static readonly AirflowOption RemoteLogConnId = new("logging", "remote_log_conn_id", "", ("core", "remote_log_conn_id"));
    public static readonly AirflowOption ElasticsearchHost = new("elasticsearch", "host", "");
    public static readonly AirflowOption OpensearchHost = new("opensearch", "host", "");

    /// <summary>The environment variable Airflow reads first: AIRFLOW__LOGGING__BASE_LOG_FOLDER.</summary>
    public string EnvName { get; } = $"AIRFLOW__{Section.ToUpperInvariant()}__{Key.ToUpperInvariant()}";

    /// <summary>The env var name for any [section] key pair.</summary>
    public static string EnvNameOf(string section, string key) => $"AIRFLOW__{section.ToUpperInvariant()}__{key.ToUpperInvariant()}";

    /// <summary>Parses "AIRFLOW__SECTION__KEY" back into section and key; false for other names.</summary>
    public static bool TryParseEnvName(string name, out string section, out string key)
    {
        section = key = "";
        if (!name.StartsWith("AIRFLOW__", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = name.AsSpan(9);
        var split = rest.IndexOf("__", StringComparison.Ordinal);
        if (split <= 0 || split + 2 >= rest.Length)
        {
            return false;
        }
        section = rest[..split].ToString().ToLowerInvariant();
        key = rest[(split + 2)..].ToString().ToLowerInvariant();
        return true;
    }
}
