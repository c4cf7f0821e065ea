namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The value an Airflow setting really takes in a container, and where it came from. When
/// AirflowGuard cannot see the source (a Secret it may not read, a _CMD option) the value is
/// unknown and <see cref="Source"/> says why: findings then say so instead of guessing.
/// </summary>
public sealed record SettingValue(string? Value, string Source, bool IsKnown = true)
{
    /// <summary>
    /// Set when the value rests on an assumption rather than on what AirflowGuard saw: Airflow's
    /// defaults for an airflow.cfg that is not in view, an envFrom source taken not to set the option.
    /// </summary>
    public string? Assumption { get; init; }

    public static SettingValue Unknown(string why) => new(null, why, IsKnown: false);

    public override string ToString() => IsKnown ? $"{Value} ({Source})" : $"unknown ({Source})";
}

/// <summary>The settings that decide where a container's DAGs and logs live.</summary>
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
