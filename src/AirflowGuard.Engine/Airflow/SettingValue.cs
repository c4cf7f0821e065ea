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
