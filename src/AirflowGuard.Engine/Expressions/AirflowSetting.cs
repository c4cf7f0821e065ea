using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>One resolved setting: <c>value</c> (null when unknown), <c>source</c>, <c>known</c>, <c>assumed</c>.</summary>
internal sealed class AirflowSetting(SettingValue setting) : CelObject(Type)
{
    public static readonly CelObjectType Type = new CelObjectType("a setting of the airflow view")
        .Field<AirflowSetting>("value", CelStaticType.Dyn, s => s._setting.IsKnown ? CelValue.StringOrNull(s._setting.Value) : CelValue.Null)
        .Field<AirflowSetting>("source", CelStaticType.String, s => CelValue.String(s._setting.Source))
        .Field<AirflowSetting>("known", CelStaticType.Bool, s => CelValue.Bool(s._setting.IsKnown))
        .Field<AirflowSetting>("assumed", CelStaticType.Bool, s => CelValue.Bool(s._setting.Assumption is not null));

    private readonly SettingValue _setting = setting;
}
