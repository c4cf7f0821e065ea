namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A field of a typed view object: its static type, its accessor, and whether <c>has()</c> finds it set.</summary>
internal sealed record CelField(string Name, CelStaticType Type, Func<CelObject, CelValue> Get, Func<CelObject, bool>? IsSet);
