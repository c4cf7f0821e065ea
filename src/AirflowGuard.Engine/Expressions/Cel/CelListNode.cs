namespace AirflowGuard.Engine.Expressions.Cel;

public sealed record CelListNode(int Offset, IReadOnlyList<CelNode> Items) : CelNode(Offset);
