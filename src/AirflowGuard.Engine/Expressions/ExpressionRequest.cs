using System.Text.Json;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// What expression rules see of the request: <c>request.operation</c>, <c>request.namespace</c>,
/// <c>request.dryRun</c>, and the <c>oldObject</c> of an UPDATE. The CLI checks objects as if created.
/// </summary>
public sealed record ExpressionRequest(string Operation, string? Namespace, bool DryRun, JsonElement? OldObject)
{
    public static ExpressionRequest Create(string? @namespace) => new("CREATE", @namespace, false, null);
}

/// <summary>The <c>request</c> variable.</summary>
public sealed class ExpressionRequestView(ExpressionRequest request) : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("request")
        .Field<ExpressionRequestView>("operation", CelStaticType.String, r => CelValue.String(r._request.Operation))
        .Field<ExpressionRequestView>("namespace", CelStaticType.Dyn, r => CelValue.StringOrNull(r._request.Namespace))
        .Field<ExpressionRequestView>("dryRun", CelStaticType.Bool, r => CelValue.Bool(r._request.DryRun));

    private readonly ExpressionRequest _request = request;

    public override CelObjectType ObjectType => Type;
}
