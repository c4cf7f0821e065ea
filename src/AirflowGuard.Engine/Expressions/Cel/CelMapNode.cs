namespace AirflowGuard.Engine.Expressions.Cel;

public sealed record CelMapNode(int Offset, IReadOnlyList<(CelNode Key, CelNode Value)> Entries) : CelNode(Offset);
