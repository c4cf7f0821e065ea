namespace AirflowGuard.Engine.Expressions.Cel;

internal sealed record CelListNode(int Offset, IReadOnlyList<CelNode> Items) : CelNode(Offset);
