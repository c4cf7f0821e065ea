using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Rules;

/// <summary>What a rule looks at: the logs folder, the DAGs folder Airflow will really use, or a fixed path.</summary>
internal sealed record FolderTarget(FolderKind Kind, string? FixedPath = null)
{
    public static FolderTarget Logs { get; } = new(FolderKind.Logs);
    public static FolderTarget Dags { get; } = new(FolderKind.Dags);

    public string Describe() => Kind switch
    {
        FolderKind.Logs => "logs folder",
        FolderKind.Dags => "DAGs folder",
        _ => $"path {FixedPath}",
    };

    public SettingValue Resolve(EffectiveAirflowSettings settings) => Kind switch
    {
        FolderKind.Logs => settings.LogsFolder,
        FolderKind.Dags => settings.DagsFolder,
        _ => new SettingValue(FixedPath, "set in the policy"),
    };
}
