using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>The <c>request</c> variable.</summary>
internal sealed class ExpressionRequestView(ExpressionRequest request) : CelObject(Type)
{
    public static readonly CelObjectType Type = new CelObjectType("request")
        .Field<ExpressionRequestView>("operation", CelStaticType.String, r => CelValue.String(r._request.Operation))
        .Field<ExpressionRequestView>("namespace", CelStaticType.Dyn, r => CelValue.StringOrNull(r._request.Namespace))
        .Field<ExpressionRequestView>("dryRun", CelStaticType.Bool, r => CelValue.Bool(r._request.DryRun));

    private readonly ExpressionRequest _request = request;
}
