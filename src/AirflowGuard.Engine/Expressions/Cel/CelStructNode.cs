namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A message literal <c>Type{field: value}</c>: parsed, refused by the compiler (there are no message types here).</summary>
internal sealed record CelStructNode(int Offset, string TypeName, IReadOnlyList<(string Field, CelNode Value)> Fields) : CelNode(Offset);
