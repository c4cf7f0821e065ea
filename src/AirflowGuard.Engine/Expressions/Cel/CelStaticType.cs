namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// What the checker knows of an expression's type at compile time: a kind, a list's or map's element
/// type, or a typed view object whose fields are known (so that <c>c.role</c> compiles to a direct
/// accessor and <c>c.rol</c> is a compile error). <see cref="Dyn"/> when only the value will tell.
/// </summary>
internal sealed class CelStaticType
{
    private CelStaticType(CelKind? kind, CelStaticType? element, CelObjectType? objectType)
    {
        Kind = kind;
        Element = element;
        Object = objectType;
    }

    /// <summary>The kind, or null when unknown until evaluation (dyn).</summary>
    public CelKind? Kind { get; }

    /// <summary>A list's element type, a map's value type.</summary>
    public CelStaticType? Element { get; }

    /// <summary>The typed view object, when the value is one (its kind is <see cref="CelKind.Map"/>).</summary>
    public CelObjectType? Object { get; }

    public static readonly CelStaticType Dyn = new(null, null, null);
    public static readonly CelStaticType Null = new(CelKind.Null, null, null);
    public static readonly CelStaticType Bool = new(CelKind.Bool, null, null);
    public static readonly CelStaticType Int = new(CelKind.Int, null, null);
    public static readonly CelStaticType Uint = new(CelKind.Uint, null, null);
    public static readonly CelStaticType Double = new(CelKind.Double, null, null);
    public static readonly CelStaticType String = new(CelKind.String, null, null);
    public static readonly CelStaticType Bytes = new(CelKind.Bytes, null, null);
    public static readonly CelStaticType Type = new(CelKind.Type, null, null);
    public static readonly CelStaticType Timestamp = new(CelKind.Timestamp, null, null);
    public static readonly CelStaticType Duration = new(CelKind.Duration, null, null);

    /// <summary>A Kubernetes quantity (an extension value).</summary>
    public static readonly CelStaticType Quantity = new(CelKind.Opaque, null, null);
    public static readonly CelStaticType List = new(CelKind.List, Dyn, null);
    public static readonly CelStaticType Map = new(CelKind.Map, Dyn, null);

    public static CelStaticType ListOf(CelStaticType element) => new(CelKind.List, element, null);

    public static CelStaticType MapOf(CelStaticType value) => new(CelKind.Map, value, null);

    public static CelStaticType ObjectOf(CelObjectType type) => new(CelKind.Map, Dyn, type);

    /// <summary>A string or null: a value the view may not know.</summary>
    public static CelStaticType NullableString => Dyn;

    public static CelStaticType Of(CelKind kind) => kind switch
    {
        CelKind.Null => Null,
        CelKind.Bool => Bool,
        CelKind.Int => Int,
        CelKind.Uint => Uint,
        CelKind.Double => Double,
        CelKind.String => String,
        CelKind.Bytes => Bytes,
        CelKind.Type => Type,
        CelKind.Timestamp => Timestamp,
        CelKind.Duration => Duration,
        CelKind.Opaque => Quantity,
        CelKind.List => List,
        CelKind.Map => Map,
        _ => Dyn,
    };

    public override string ToString() => Object is { } o ? o.Name : Kind switch
    {
        null => "dyn",
        CelKind.List => $"list({Element})",
        CelKind.Map => $"map(string, {Element})",
        { } k => CelStaticTypeNames.Name(k),
    };
}
