namespace AirflowGuard.Engine.Expressions.Cel;

internal static class CelStaticTypeNames
{
    public static string Name(CelKind kind) => kind switch
    {
        CelKind.Null => "null_type",
        CelKind.Type => "type",
        CelKind.Timestamp => "google.protobuf.Timestamp",
        CelKind.Duration => "google.protobuf.Duration",
        CelKind.Opaque => "kubernetes.Quantity",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
