namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// What the checker knows of an expression's type at compile time: a kind, a list's or map's element
/// type, or a typed view object whose fields are known (so that <c>c.role</c> compiles to a direct
/// accessor and <c>c.rol</c> is a compile error). <see cref="Dyn"/> when only the value will tell.
/// </summary>
public sealed class CelStaticType
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

internal static class CelStaticTypeNames
{
    public static string Name(CelKind kind) => kind switch
    {
        CelKind.Null => "null_type",
        CelKind.Type => "type",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A typed view object's type: its name and fields, each with its static type and accessor.</summary>
public sealed class CelObjectType(string name)
{
    private readonly Dictionary<string, CelField> _fields = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public IReadOnlyDictionary<string, CelField> Fields => _fields;

    /// <summary>The field names in declaration order, for messages and map iteration.</summary>
    public List<string> Names { get; } = [];

    /// <summary>Declares a field; <paramref name="isSet"/> answers <c>has()</c> (always set when null).</summary>
    public CelObjectType Field<T>(string name, CelStaticType type, Func<T, CelValue> get, Func<T, bool>? isSet = null) where T : CelObject
    {
        _fields[name] = new CelField(name, type, o => get((T)o), isSet is null ? null : o => isSet((T)o));
        Names.Add(name);
        return this;
    }
}

public sealed record CelField(string Name, CelStaticType Type, Func<CelObject, CelValue> Get, Func<CelObject, bool>? IsSet);

/// <summary>A typed view object: a C# object whose fields CEL reads through accessors, and sees as a map with string keys.</summary>
public abstract class CelObject : CelMap
{
    public abstract CelObjectType ObjectType { get; }

    public override int Count
    {
        get
        {
            var count = 0;
            foreach (var member in ObjectType.Fields.Values)
            {
                count += member.IsSet is null || member.IsSet(this) ? 1 : 0;
            }
            return count;
        }
    }

    public override bool TryGet(in CelValue key, out CelValue value)
    {
        if (key.Kind == CelKind.String)
        {
            return TryGetField(key.AsString, out value);
        }
        value = default;
        return false;
    }

    public override bool TryGetField(string name, out CelValue value)
    {
        if (ObjectType.Fields.TryGetValue(name, out var field) && (field.IsSet is null || field.IsSet(this)))
        {
            value = field.Get(this);
            return true;
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys()
    {
        foreach (var name in ObjectType.Names)
        {
            var field = ObjectType.Fields[name];
            if (field.IsSet is null || field.IsSet(this))
            {
                yield return CelValue.String(name);
            }
        }
    }
}
