namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary><c>operand.field</c>; <paramref name="TestOnly"/> inside <c>has()</c>.</summary>
internal sealed record CelSelect(int Offset, CelNode Operand, string Field, bool TestOnly) : CelNode(Offset);
