namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A name; <paramref name="Rooted"/> when written with a leading dot (<c>.name</c>).</summary>
internal sealed record CelIdent(int Offset, string Name, bool Rooted) : CelNode(Offset);
