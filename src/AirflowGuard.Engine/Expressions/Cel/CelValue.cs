using System.Globalization;
using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// One CEL value without boxing: a kind tag, 64 bits for bool, int, uint and double, and a reference for
/// strings, bytes, lists, maps, types and error messages. Errors are values, so that <c>&amp;&amp;</c>,
/// <c>||</c> and the comprehensions can absorb them as the spec requires.
/// </summary>
internal readonly struct CelValue
{
    private readonly long _bits;
    private readonly object? _ref;
    private readonly int _nanos; // timestamps and durations: seconds in _bits, 0..999,999,999 here

    private CelValue(CelKind kind, long bits, object? reference, int nanos = 0)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
        _nanos = nanos;
    }

    public CelKind Kind { get; }

    public static readonly CelValue Null;
    public static readonly CelValue True = new(CelKind.Bool, 1, null);
    public static readonly CelValue False = new(CelKind.Bool, 0, null);

    public static CelValue Bool(bool value) => value ? True : False;

    public static CelValue Int(long value) => new(CelKind.Int, value, null);

    public static CelValue Uint(ulong value) => new(CelKind.Uint, unchecked((long)value), null);

    public static CelValue Double(double value) => new(CelKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static CelValue String(string value) => new(CelKind.String, 0, value);

    /// <summary>A string, or null for a null reference.</summary>
    public static CelValue StringOrNull(string? value) => value is null ? Null : new(CelKind.String, 0, value);

    public static CelValue Bytes(byte[] value) => new(CelKind.Bytes, 0, value);

    public static CelValue List(CelList value) => new(CelKind.List, 0, value);

    public static CelValue Map(CelMap value) => new(CelKind.Map, 0, value);

    public static CelValue Type(CelType value) => new(CelKind.Type, 0, value);

    public static CelValue Error(string message) => new(CelKind.Error, 0, message);

    public static CelValue Opaque(CelOpaque value) => new(CelKind.Opaque, 0, value);

    public CelOpaque AsOpaque => Unsafe.As<CelOpaque>(_ref!);

    /// <summary>A timestamp (nanoseconds since the Unix epoch), or an error outside 0001-01-01 to 9999-12-31.</summary>
    public static CelValue Timestamp(Int128 nanos) =>
        nanos < CelTime.MinTimestamp || nanos > CelTime.MaxTimestamp ? Error("timestamp out of range") : Time(CelKind.Timestamp, nanos);

    /// <summary>A duration in nanoseconds, or an error beyond ±10,000 years.</summary>
    public static CelValue Duration(Int128 nanos) =>
        nanos < -CelTime.MaxDuration || nanos > CelTime.MaxDuration ? Error("duration out of range") : Time(CelKind.Duration, nanos);

    private static CelValue Time(CelKind kind, Int128 nanos)
    {
        var seconds = Int128.DivRem(nanos, CelTime.NanosPerSecond);
        var (whole, rest) = seconds;
        if (rest < 0)
        {
            whole -= 1;
            rest += CelTime.NanosPerSecond;
        }
        return new CelValue(kind, (long)whole, null, (int)rest);
    }

    /// <summary>A timestamp's or duration's nanoseconds (since the epoch, or in all).</summary>
    public Int128 AsNanos => ((Int128)_bits * CelTime.NanosPerSecond) + _nanos;

    public static CelValue NoSuchOverload(string function) => Error($"no such overload: {function}");

    public static CelValue NoSuchKey(CelValue key) => Error($"no such key: {key.Display()}");

    public static readonly CelValue Overflow = Error("return error for overflow");

    public bool IsError => Kind == CelKind.Error;

    public bool AsBool => _bits != 0;

    public long AsInt => _bits;

    public ulong AsUint => unchecked((ulong)_bits);

    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    public string AsString => Unsafe.As<string>(_ref!);

    public byte[] AsBytes => Unsafe.As<byte[]>(_ref!);

    public CelList AsList => Unsafe.As<CelList>(_ref!);

    public CelMap AsMap => Unsafe.As<CelMap>(_ref!);

    public CelType AsType => Unsafe.As<CelType>(_ref!);

    public string ErrorMessage => Kind == CelKind.Error ? (string)_ref! : "";

    /// <summary>The reference part (a map's or list's implementation), for typed fast paths.</summary>
    public object? Reference => _ref;

    public CelType TypeOf => Kind switch
    {
        CelKind.Null => CelType.Null,
        CelKind.Bool => CelType.Bool,
        CelKind.Int => CelType.Int,
        CelKind.Uint => CelType.Uint,
        CelKind.Double => CelType.Double,
        CelKind.String => CelType.String,
        CelKind.Bytes => CelType.Bytes,
        CelKind.List => CelType.List,
        CelKind.Map => CelType.Map,
        CelKind.Type => CelType.TypeType,
        CelKind.Timestamp => CelType.Timestamp,
        CelKind.Duration => CelType.Duration,
        CelKind.Opaque => AsOpaque.Type,
        _ => CelType.Error,
    };

    /// <summary>The value as plain .NET objects: null, bool, long, ulong, double, string, byte[], lists and dictionaries.</summary>
    public object? ToObject()
    {
        switch (Kind)
        {
            case CelKind.Bool: return AsBool;
            case CelKind.Int: return AsInt;
            case CelKind.Uint: return AsUint;
            case CelKind.Double: return AsDouble;
            case CelKind.String: return AsString;
            case CelKind.Bytes: return AsBytes;
            case CelKind.Type: return AsType.Name;
            case CelKind.Timestamp or CelKind.Duration: return CelTime.Format(this);
            case CelKind.Opaque: return AsOpaque.ToString();
            case CelKind.List:
                var list = new List<object?>();
                var source = AsList;
                for (var i = 0; i < source.Count; i++)
                {
                    list.Add(source[i].ToObject());
                }
                return list;
            case CelKind.Map:
                var map = new Dictionary<object, object?>();
                foreach (var key in AsMap.Keys())
                {
                    AsMap.TryGet(key, out var value);
                    map[key.ToObject()!] = value.ToObject();
                }
                return map;
            default: return null;
        }
    }

    /// <summary>The value as CEL source text, for messages.</summary>
    public string Display() => Kind switch
    {
        CelKind.Null => "null",
        CelKind.Bool => AsBool ? "true" : "false",
        CelKind.Int => AsInt.ToString(CultureInfo.InvariantCulture),
        CelKind.Uint => AsUint.ToString(CultureInfo.InvariantCulture) + "u",
        CelKind.Double => CelConversions.FormatDouble(AsDouble),
        CelKind.String => "'" + AsString + "'",
        CelKind.Bytes => "b'" + System.Text.Encoding.UTF8.GetString(AsBytes) + "'",
        CelKind.List => $"list of {AsList.Count}",
        CelKind.Map => $"map of {AsMap.Count}",
        CelKind.Type => AsType.Name,
        CelKind.Timestamp => $"timestamp('{CelTime.Format(this)}')",
        CelKind.Duration => $"duration('{CelTime.Format(this)}')",
        CelKind.Opaque => AsOpaque.ToString() ?? "",
        _ => "error: " + ErrorMessage,
    };

    public override string ToString() => Display();
}
