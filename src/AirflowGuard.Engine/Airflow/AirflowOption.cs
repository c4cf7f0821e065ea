namespace AirflowGuard.Engine.Airflow;

/// <summary>An Airflow configuration option, with the older names Airflow still reads for it.</summary>
internal sealed record AirflowOption(string Section, string Key, string? Default, params (string Section, string Key)[] Deprecated)
{
    public static readonly AirflowOption DagsFolder = new("core", "dags_folder", "{AIRFLOW_HOME}/dags");
    public static readonly AirflowOption BaseLogFolder = new("logging", "base_log_folder", "{AIRFLOW_HOME}/logs", ("core", "base_log_folder"));
    public static readonly AirflowOption RemoteLogging = new("logging", "remote_logging", "False", ("core", "remote_logging"));
    public static readonly AirflowOption RemoteBaseLogFolder = new("logging", "remote_base_log_folder", "", ("core", "remote_base_log_folder"));
    public static readonly AirflowOption RemoteLogConnId = new("logging", "remote_log_conn_id", "", ("core", "remote_log_conn_id"));
    public static readonly AirflowOption Executor = new("core", "executor", "LocalExecutor");
    public static readonly AirflowOption ElasticsearchHost = new("elasticsearch", "host", "");
    public static readonly AirflowOption OpensearchHost = new("opensearch", "host", "");
    public static readonly AirflowOption DeleteLocalLogs = new("logging", "delete_local_logs", "False");

    /// <summary>The key Airflow 2 signs served-log requests with; its default is made up by each process at start.</summary>
    public static readonly AirflowOption SecretKey = new("webserver", "secret_key", null);

    /// <summary>The key Airflow 3 signs and checks its tokens with (task execution, served logs); made up by each process when unset.</summary>
    public static readonly AirflowOption JwtSecret = new("api_auth", "jwt_secret", null);

    public static readonly AirflowOption WorkerLogServerPort = new("logging", "worker_log_server_port", "8793", ("celery", "worker_log_server_port"));

    /// <summary>The triggerer's log port, under both spellings Airflow reads (apache/airflow PR #67785).</summary>
    public static readonly AirflowOption TriggerLogServerPort = new("logging", "trigger_log_server_port", "8794", ("logging", "triggerer_log_server_port"));

    private static readonly AirflowOption[] Known = [DagsFolder, BaseLogFolder, RemoteLogging, RemoteBaseLogFolder, RemoteLogConnId, Executor, ElasticsearchHost, OpensearchHost,
        DeleteLocalLogs, SecretKey, JwtSecret, WorkerLogServerPort, TriggerLogServerPort];

    /// <summary>The option AirflowGuard knows for [section] key (also by an older name), or null.</summary>
    public static AirflowOption? Find(string section, string key)
    {
        foreach (var option in Known)
        {
            if (option.Section == section && option.Key == key)
            {
                return option;
            }
            foreach (var (oldSection, oldKey) in option.Deprecated)
            {
                if (oldSection == section && oldKey == key)
                {
                    return option;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// True when <paramref name="value"/> only restates the default (charts write <c>remote_logging = False</c>
    /// into airflow.cfg): such a line configures nothing.
    /// </summary>
    public bool IsDefault(string? value)
    {
        var text = value?.Trim() ?? "";
        if (Default is null || Default.Contains("{AIRFLOW_HOME}", StringComparison.Ordinal))
        {
            return false;
        }
        return Default is "False" or "True"
            ? EffectiveAirflowSettings.ParseBool(text) == EffectiveAirflowSettings.ParseBool(Default)
            : string.Equals(text, Default, StringComparison.Ordinal);
    }

    /// <summary>
    /// The env var name that <paramref name="airflowMajor"/> reads for <paramref name="envName"/>: Airflow 1.10 has
    /// no [logging] section (its options live in [core]), so AIRFLOW__LOGGING__X becomes AIRFLOW__CORE__X there.
    /// </summary>
    public static string EnvNameFor(string envName, int? airflowMajor) =>
        airflowMajor == 1 && envName.StartsWith("AIRFLOW__LOGGING__", StringComparison.Ordinal)
            ? "AIRFLOW__CORE__" + envName["AIRFLOW__LOGGING__".Length..]
            : envName;

    /// <summary>The environment variable Airflow reads first: AIRFLOW__LOGGING__BASE_LOG_FOLDER.</summary>
    public string EnvName => Names.Plain;

    /// <summary>This option's env names, and those of its older names, worked out once.</summary>
    internal OptionEnvNames Names { get; } = new(EnvNameOf(Section, Key));

    internal OptionEnvNames[] DeprecatedNames { get; } = [.. Deprecated.Select(d => new OptionEnvNames(EnvNameOf(d.Section, d.Key)))];

    /// <summary>The option at its default, one shared value (settings values are immutable).</summary>
    internal SettingValue DefaultValue => field ??= new SettingValue(Default, SettingsResolver.DefaultSource);

    /// <summary>The option as Airflow 1.10 reads it: [logging] options from [core] (this option for others).</summary>
    internal AirflowOption ForAirflow1 => Section == "logging" ? field ??= new AirflowOption("core", Key, Default) : this;

    /// <summary>The env var name for any [section] key pair.</summary>
    public static string EnvNameOf(string section, string key) => $"AIRFLOW__{section.ToUpperInvariant()}__{key.ToUpperInvariant()}";

    /// <summary>The env var names that set an option: AIRFLOW__S__K, and AIRFLOW__S__K_CMD / _SECRET that fetch it at start.</summary>
    internal sealed class OptionEnvNames(string plain)
    {
        public string Plain { get; } = plain;
        public string Command { get; } = plain + "_CMD";
        public string Secret { get; } = plain + "_SECRET";
    }

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
