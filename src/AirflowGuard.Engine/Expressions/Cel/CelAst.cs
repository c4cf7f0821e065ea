namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A node of a parsed CEL expression; <see cref="Offset"/> is where it starts in the text (a UTF-16 index).</summary>
public abstract record CelNode(int Offset);

public sealed record CelLiteral(int Offset, CelValue Value) : CelNode(Offset);

/// <summary>A name; <paramref name="Rooted"/> when written with a leading dot (<c>.name</c>).</summary>
public sealed record CelIdent(int Offset, string Name, bool Rooted) : CelNode(Offset);

/// <summary><c>operand.field</c>; <paramref name="TestOnly"/> inside <c>has()</c>.</summary>
public sealed record CelSelect(int Offset, CelNode Operand, string Field, bool TestOnly) : CelNode(Offset);

/// <summary>A call: <c>f(args)</c>, <c>target.f(args)</c>, and every operator (<c>_+_</c>, <c>_&amp;&amp;_</c>, <c>@in</c>…).</summary>
public sealed record CelCall(int Offset, CelNode? Target, string Function, IReadOnlyList<CelNode> Args) : CelNode(Offset);

public sealed record CelListNode(int Offset, IReadOnlyList<CelNode> Items) : CelNode(Offset);

public sealed record CelMapNode(int Offset, IReadOnlyList<(CelNode Key, CelNode Value)> Entries) : CelNode(Offset);

/// <summary>A message literal <c>Type{field: value}</c>: parsed, refused by the compiler (there are no message types here).</summary>
public sealed record CelStructNode(int Offset, string TypeName, IReadOnlyList<(string Field, CelNode Value)> Fields) : CelNode(Offset);
