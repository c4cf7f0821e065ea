namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>The kinds of CEL value (https://github.com/google/cel-spec/blob/master/doc/langdef.md#values).</summary>
internal enum CelKind : byte
{
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    List,
    Map,
    Type,
    Timestamp,
    Duration,

    /// <summary>A value of an extension type (a Kubernetes quantity), compared by its own rules.</summary>
    Opaque,
    Error,
}
