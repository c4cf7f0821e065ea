namespace AirflowGuard.Engine.Expressions.Cel;

internal sealed record CelMapNode(int Offset, IReadOnlyList<(CelNode Key, CelNode Value)> Entries) : CelNode(Offset);
