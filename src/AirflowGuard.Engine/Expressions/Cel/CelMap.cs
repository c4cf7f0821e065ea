namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// A CEL map: looked up by key, however it is stored (a literal, a JSON object, a typed view object).
/// String keys have their own path, so a field selection <c>m.f</c> costs no key value.
/// </summary>
public abstract class CelMap
{
    public abstract int Count { get; }

    public abstract bool TryGet(in CelValue key, out CelValue value);

    public virtual bool TryGetField(string name, out CelValue value) => TryGet(CelValue.String(name), out value);

    public abstract IEnumerable<CelValue> Keys();

    public static readonly CelMap Empty = new CelMapLiteral();
}

/// <summary>A map built by an expression (a map literal): keys of int, uint, bool or string, numeric keys compared by value.</summary>
public sealed class CelMapLiteral : CelMap
{
    private readonly Dictionary<MapKey, CelValue> _entries = [];
    private readonly List<CelValue> _keys = [];

    public override int Count => _keys.Count;

    /// <summary>Adds an entry; false when the key is already there or is no valid key.</summary>
    public bool Add(CelValue key, CelValue value)
    {
        if (MapKey.Of(key) is not { } k || !_entries.TryAdd(k, value))
        {
            return false;
        }
        _keys.Add(key);
        return true;
    }

    public override bool TryGet(in CelValue key, out CelValue value)
    {
        if (MapKey.Of(key) is { } k)
        {
            return _entries.TryGetValue(k, out value);
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys() => _keys;

    public static bool IsValidKey(in CelValue key) => key.Kind is CelKind.Int or CelKind.Uint or CelKind.Bool or CelKind.String;

    /// <summary>A key normalised so that 1, 1u and 1.0 find the same entry.</summary>
    private readonly record struct MapKey(byte Kind, long Bits, string? Text)
    {
        public static MapKey? Of(in CelValue key) => key.Kind switch
        {
            CelKind.String => new MapKey(1, 0, key.AsString),
            CelKind.Bool => new MapKey(2, key.AsBool ? 1 : 0, null),
            CelKind.Int => new MapKey(3, key.AsInt, null),
            CelKind.Uint => key.AsUint <= long.MaxValue ? new MapKey(3, key.AsInt, null) : new MapKey(4, key.AsInt, null),
            CelKind.Double when key.AsDouble is var d && Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18 => new MapKey(3, (long)d, null),
            CelKind.Double when key.AsDouble is var d && Math.Floor(d) == d && d >= 9.2233720368547758E18 && d < 1.8446744073709552E19 => new MapKey(4, unchecked((long)(ulong)d), null),
            _ => null,
        };
    }
}

/// <summary>A map of strings (a container's env) as CEL sees it; a null value is CEL null.</summary>
public sealed class CelStringMap(IReadOnlyDictionary<string, string?> entries) : CelMap
{
    public override int Count => entries.Count;

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
        if (entries.TryGetValue(name, out var text))
        {
            value = CelValue.StringOrNull(text);
            return true;
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys() => entries.Keys.Select(CelValue.String);
}
