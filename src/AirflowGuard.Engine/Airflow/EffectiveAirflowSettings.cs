namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The settings that decide where a container's DAGs and logs live. <see cref="DagsFolder"/> and <see cref="LogsFolder"/>,
/// when known, are normal paths (<see cref="Kubernetes.PathText.Normalize"/>, AIRFLOW_HOME put in), as
/// <see cref="Kubernetes.MountView.MountPath"/> is: compare them with <see cref="Kubernetes.PathText.IsSameOrUnderNormal"/>.
/// </summary>
public sealed record EffectiveAirflowSettings(
    SettingValue AirflowHome,
    SettingValue DagsFolder,
    SettingValue LogsFolder,
    SettingValue RemoteLogging,
    SettingValue RemoteBaseLogFolder,
    SettingValue ConfigFile)
{
    private SettingValue? _executor;

    /// <summary>[core] executor, resolved only when asked (expression rules read it; the built-in rules do not).</summary>
    public SettingValue Executor => _executor ??= Resolver?.Executor() ?? NotResolved;

    /// <summary>Any option AirflowGuard knows, resolved in Airflow's order when asked (rules that compare components read these).</summary>
    internal SettingValue Get(AirflowOption option) => Resolver?.OptionOf(option) ?? NotResolved;

    /// <summary>The airflow.cfg the container reads, when it is in view, and where it comes from ("/opt/airflow/airflow.cfg from ConfigMap …").</summary>
    internal (AirflowCfg Cfg, string Place)? ConfigFileRead { get; init; }

    /// <summary>The resolver that made these settings, kept to resolve <see cref="Executor"/> when asked.</summary>
    internal SettingsResolver? Resolver { get; init; }

    private static readonly SettingValue NotResolved = SettingValue.Unknown("not resolved");

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
