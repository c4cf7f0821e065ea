namespace AirflowGuard.Engine.Expressions.Cel;

internal sealed record CelLiteral(int Offset, CelValue Value) : CelNode(Offset);
