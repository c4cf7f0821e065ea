using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>An Airflow container's resolved settings in the <c>airflow</c> view, each with its source.</summary>
public sealed class AirflowSettings(EffectiveAirflowSettings settings) : CelObject
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

    public override CelObjectType ObjectType => Type;

    private CelValue Of(int index, SettingValue value) => CelValue.Map(_views[index] ??= new AirflowSetting(value));
}

/// <summary>One resolved setting: <c>value</c> (null when unknown), <c>source</c>, <c>known</c>, <c>assumed</c>.</summary>
public sealed class AirflowSetting(SettingValue setting) : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("a setting of the airflow view")
        .Field<AirflowSetting>("value", CelStaticType.Dyn, s => s._setting.IsKnown ? CelValue.StringOrNull(s._setting.Value) : CelValue.Null)
        .Field<AirflowSetting>("source", CelStaticType.String, s => CelValue.String(s._setting.Source))
        .Field<AirflowSetting>("known", CelStaticType.Bool, s => CelValue.Bool(s._setting.IsKnown))
        .Field<AirflowSetting>("assumed", CelStaticType.Bool, s => CelValue.Bool(s._setting.Assumption is not null));

    private readonly SettingValue _setting = setting;

    public override CelObjectType ObjectType => Type;
}

/// <summary>A container's logs and DAGs folders (null when unknown, or when it is no Airflow container).</summary>
public sealed class AirflowFolders(EffectiveAirflowSettings? settings) : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("the folders of the airflow view")
        .Field<AirflowFolders>("logs", CelStaticType.Dyn, f => f._settings?.LogsFolder is { IsKnown: true } logs ? CelValue.StringOrNull(logs.Value) : CelValue.Null)
        .Field<AirflowFolders>("dags", CelStaticType.Dyn, f => f._settings?.DagsFolder is { IsKnown: true } dags ? CelValue.StringOrNull(dags.Value) : CelValue.Null);

    private readonly EffectiveAirflowSettings? _settings = settings;

    public override CelObjectType ObjectType => Type;
}
