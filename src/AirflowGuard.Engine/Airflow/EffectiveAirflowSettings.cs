namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The settings that decide where a container's DAGs and logs live, each worked out the first time it is asked:
/// most rules read one or two of them, and the other containers of a pod are often asked only which airflow.cfg
/// they read. <see cref="DagsFolder"/> and <see cref="LogsFolder"/>, when known, are normal paths
/// (<see cref="Kubernetes.PathText.Normalize"/>, AIRFLOW_HOME put in), as <see cref="Kubernetes.MountView.MountPath"/>
/// is: compare them with <see cref="Kubernetes.PathText.IsSameOrUnderNormal"/>. Made by <see cref="SettingsResolver.Resolve"/>
/// for one evaluation, which reads it from one thread.
/// </summary>
public sealed class EffectiveAirflowSettings
{
    private readonly SettingsResolver _resolver;
    private SettingValue? _dagsFolder, _logsFolder, _remoteLogging, _remoteBaseLogFolder, _executor;

    internal EffectiveAirflowSettings(SettingsResolver resolver) => _resolver = resolver;

    /// <summary>AIRFLOW_HOME: the container's env, or the default of the image it runs.</summary>
    public SettingValue AirflowHome => _resolver.Home;

    /// <summary>[core] dags_folder, as a normal path.</summary>
    public SettingValue DagsFolder => _dagsFolder ??= _resolver.Folder(AirflowOption.DagsFolder);

    /// <summary>[logging] base_log_folder, as a normal path.</summary>
    public SettingValue LogsFolder => _logsFolder ??= _resolver.Folder(AirflowOption.BaseLogFolder);

    /// <summary>[logging] remote_logging, as written (see <see cref="RemoteLoggingOn"/>).</summary>
    public SettingValue RemoteLogging => _remoteLogging ??= _resolver.OptionOf(AirflowOption.RemoteLogging);

    /// <summary>[logging] remote_base_log_folder, or the Elasticsearch / OpenSearch host when logs go there instead.</summary>
    public SettingValue RemoteBaseLogFolder => _remoteBaseLogFolder ??= _resolver.RemoteTarget();

    /// <summary>Where the airflow.cfg the container reads comes from, or why that cannot be known.</summary>
    public SettingValue ConfigFile => _resolver.ConfigFile;

    /// <summary>[core] executor (expression rules read it; the built-in rules do not).</summary>
    public SettingValue Executor => _executor ??= _resolver.OptionOf(AirflowOption.Executor);

    /// <summary>Any option AirflowGuard knows, resolved in Airflow's order (rules that compare components read these).</summary>
    internal SettingValue Get(AirflowOption option) => _resolver.OptionOf(option);

    /// <summary>The airflow.cfg the container reads, when it is in view, and where it comes from ("/opt/airflow/airflow.cfg from ConfigMap …").</summary>
    internal (AirflowCfg Cfg, string Place)? ConfigFileRead => _resolver.ConfigFileRead;

    /// <summary>True / false, or null when it cannot be known.</summary>
    public bool? RemoteLoggingOn => !RemoteLogging.IsKnown ? null : ParseBool(RemoteLogging.Value);

    /// <summary>Airflow's reading of a boolean option (t, true, 1 / f, false, 0, empty; any case, spaces around); null for anything else.</summary>
    public static bool? ParseBool(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var text = value.AsSpan().Trim();
        if (text.IsEmpty || IsAny(text, "f", "false", "0"))
        {
            return false;
        }
        return IsAny(text, "t", "true", "1") ? true : null;

        static bool IsAny(ReadOnlySpan<char> text, string a, string b, string c) =>
            text.Equals(a, StringComparison.OrdinalIgnoreCase) || text.Equals(b, StringComparison.OrdinalIgnoreCase) || text.Equals(c, StringComparison.OrdinalIgnoreCase);
    }
}
