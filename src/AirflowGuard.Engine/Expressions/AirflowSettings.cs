using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>An Airflow container's resolved settings in the <c>airflow</c> view, each with its source.</summary>
internal sealed class AirflowSettings(EffectiveAirflowSettings settings) : CelObject(Type)
{
    public static readonly CelObjectType Type = new CelObjectType("the settings of the airflow view")
        .Field<AirflowSettings>("home", SettingType, s => s.Of(0, s._settings.AirflowHome))
        .Field<AirflowSettings>("dagsFolder", SettingType, s => s.Of(1, s._settings.DagsFolder))
        .Field<AirflowSettings>("logsFolder", SettingType, s => s.Of(2, s._settings.LogsFolder))
        .Field<AirflowSettings>("remoteLogging", SettingType, s => s.Of(3, s._settings.RemoteLogging))
        .Field<AirflowSettings>("remoteBaseLogFolder", SettingType, s => s.Of(4, s._settings.RemoteBaseLogFolder))
        .Field<AirflowSettings>("executor", SettingType, s => s.Of(5, s._settings.Executor));

    private static CelStaticType SettingType => CelStaticType.ObjectOf(AirflowSetting.Type);

    private readonly EffectiveAirflowSettings _settings = settings;
    private readonly AirflowSetting?[] _views = new AirflowSetting?[6];

    private CelValue Of(int index, SettingValue value) => CelValue.Map(_views[index] ??= new AirflowSetting(value));
}
