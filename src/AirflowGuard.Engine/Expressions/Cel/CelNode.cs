namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A node of a parsed CEL expression; <see cref="Offset"/> is where it starts in the text (a UTF-16 index).</summary>
internal abstract record CelNode(int Offset);
