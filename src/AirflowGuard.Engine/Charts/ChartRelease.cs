namespace AirflowGuard.Engine.Charts;

/// <summary>The chart an object was rendered from, its version when the labels give it, and the labels that told.</summary>
public sealed record ChartRelease(ChartFamily Family, string? Version, string Evidence)
{
    public static ChartRelease Unknown { get; } = new(ChartFamily.Unknown, null, "no chart labels");

    /// <summary>"official 1.16.0", "community", "unknown".</summary>
    public override string ToString() => Version is null ? Family.ToName() : $"{Family.ToName()} {Version}";

    /// <summary>The chart's major version, when known (1 for the official chart's 1.16.0).</summary>
    public int? Major => Version is { } v && int.TryParse(v.AsSpan(0, v.IndexOf('.') is var dot and > 0 ? dot : v.Length), out var major) ? major : null;

    /// <summary>True when the version is known and at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public bool AtLeast(int major, int minor)
    {
        if (Version is null)
        {
            return false;
        }
        var parts = Version.Split('.', '-');
        return parts.Length >= 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && (a > major || (a == major && b >= minor));
    }
}
