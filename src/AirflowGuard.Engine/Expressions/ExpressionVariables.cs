using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// The variables of one evaluation, shared by every expression rule that runs on the object. Each is
/// built on first use and nothing is converted: <c>object</c> and <c>oldObject</c> are read from the
/// JSON as expressions navigate them, and the <c>airflow</c> view resolves only the parts read.
/// </summary>
internal sealed class ExpressionVariables(JsonSource? raw, ExpressionRequest request, Func<AirflowView> airflow) : CelActivation
{
    /// <summary>The variables in the order <see cref="CelExpression.Environment"/> declares them.</summary>
    internal const int ObjectIndex = 0, OldObjectIndex = 1, RequestIndex = 2, AirflowIndex = 3;

    private CelValue? _object;
    private CelValue? _oldObject;
    private CelValue? _request;
    private CelValue? _airflow;

    public override CelValue Variable(int index) => index switch
    {
        ObjectIndex => _object ??= raw is { } obj ? CelJson.From(obj.Element) : CelValue.Null,
        OldObjectIndex => _oldObject ??= request.OldObject is { } old ? CelJson.From(old) : CelValue.Null,
        RequestIndex => _request ??= CelValue.Map(new ExpressionRequestView(request)),
        AirflowIndex => _airflow ??= CelValue.Map(airflow()),
        _ => CelValue.Error("no such variable"),
    };
}
