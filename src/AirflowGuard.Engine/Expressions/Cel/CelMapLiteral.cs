namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A map built by an expression (a map literal): keys of int, uint, bool or string, numeric keys compared by value.</summary>
internal sealed class CelMapLiteral : CelMap
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
