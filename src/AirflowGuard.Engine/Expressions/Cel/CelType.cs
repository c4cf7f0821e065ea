namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A CEL type as a value (what <c>type(x)</c> gives and the names <c>int</c>, <c>string</c>… denote).</summary>
internal sealed class CelType
{
    private CelType(string name) => Name = name;

    public string Name { get; }

    public static readonly CelType Null = new("null_type");
    public static readonly CelType Bool = new("bool");
    public static readonly CelType Int = new("int");
    public static readonly CelType Uint = new("uint");
    public static readonly CelType Double = new("double");
    public static readonly CelType String = new("string");
    public static readonly CelType Bytes = new("bytes");
    public static readonly CelType List = new("list");
    public static readonly CelType Map = new("map");
    public static readonly CelType TypeType = new("type");
    public static readonly CelType Timestamp = new("google.protobuf.Timestamp");
    public static readonly CelType Duration = new("google.protobuf.Duration");
    public static readonly CelType Error = new("error");

    /// <summary>The type names an expression can refer to.</summary>
    public static readonly IReadOnlyDictionary<string, CelType> Named = new Dictionary<string, CelType>(StringComparer.Ordinal)
    {
        ["null_type"] = Null,
        ["bool"] = Bool,
        ["int"] = Int,
        ["uint"] = Uint,
        ["double"] = Double,
        ["string"] = String,
        ["bytes"] = Bytes,
        ["list"] = List,
        ["map"] = Map,
        ["type"] = TypeType,
        ["google.protobuf.Timestamp"] = Timestamp,
        ["google.protobuf.Duration"] = Duration,
    };

    /// <summary>The type of an extension's values (<c>kubernetes.Quantity</c>).</summary>
    public static CelType Extension(string name) => new(name);

    public override string ToString() => Name;
}
