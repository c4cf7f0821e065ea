namespace AirflowGuard.Engine.Expressions.Cel;

public sealed record CelLiteral(int Offset, CelValue Value) : CelNode(Offset);
