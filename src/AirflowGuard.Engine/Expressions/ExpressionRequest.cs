using System.Text.Json;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// What expression rules see of the request: <c>request.operation</c>, <c>request.namespace</c>,
/// <c>request.dryRun</c>, and the <c>oldObject</c> of an UPDATE. The CLI checks objects as if created.
/// </summary>
public sealed record ExpressionRequest(string Operation, string? Namespace, bool DryRun, JsonElement? OldObject)
{
    public static ExpressionRequest Create(string? @namespace) => new("CREATE", @namespace, false, null);
}
