namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A call: <c>f(args)</c>, <c>target.f(args)</c>, and every operator (<c>_+_</c>, <c>_&amp;&amp;_</c>, <c>@in</c>…).</summary>
internal sealed record CelCall(int Offset, CelNode? Target, string Function, IReadOnlyList<CelNode> Args) : CelNode(Offset);
