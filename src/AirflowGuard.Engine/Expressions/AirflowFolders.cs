using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>A container's logs and DAGs folders (null when unknown, or when it is no Airflow container).</summary>
internal sealed class AirflowFolders(EffectiveAirflowSettings? settings) : CelObject(Type)
{
    public static readonly CelObjectType Type = new CelObjectType("the folders of the airflow view")
        .Field<AirflowFolders>("logs", CelStaticType.Dyn, f => f._settings?.LogsFolder is { IsKnown: true } logs ? CelValue.StringOrNull(logs.Value) : CelValue.Null)
        .Field<AirflowFolders>("dags", CelStaticType.Dyn, f => f._settings?.DagsFolder is { IsKnown: true } dags ? CelValue.StringOrNull(dags.Value) : CelValue.Null);

    private readonly EffectiveAirflowSettings? _settings = settings;
}
