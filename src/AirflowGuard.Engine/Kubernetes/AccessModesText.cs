namespace AirflowGuard.Engine.Kubernetes;

internal static class AccessModesText
{
    public static AccessModes Parse(string text) => text switch
    {
        "ReadWriteOnce" => AccessModes.ReadWriteOnce,
        "ReadOnlyMany" => AccessModes.ReadOnlyMany,
        "ReadWriteMany" => AccessModes.ReadWriteMany,
        "ReadWriteOncePod" => AccessModes.ReadWriteOncePod,
        _ => AccessModes.None,
    };

    /// <summary>Only single-node write modes: the claim cannot be written from two nodes at once.</summary>
    public static bool IsSingleNodeWrite(this AccessModes modes) =>
        modes != AccessModes.None && (modes & AccessModes.ReadWriteMany) == 0 &&
        (modes & (AccessModes.ReadWriteOnce | AccessModes.ReadWriteOncePod)) != 0;

    public static string Describe(this AccessModes modes) => modes == AccessModes.None ? "unspecified" : modes.ToString();
}
