using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Storage;

/// <summary>What really backs a pod volume, after following claim → volume → class → driver.</summary>
public sealed record VolumeBacking(BackingClass Class, string Description)
{
    public static VolumeBacking NoVolume { get; } = new(BackingClass.None, "the container's own file system (no volume)");

    /// <summary>CSI driver or provisioner name, when there is one.</summary>
    public string? Driver { get; init; }

    public DriverInfo? DriverInfo { get; init; }

    /// <summary>The claim name for PVC volumes.</summary>
    public string? Claim { get; init; }

    public string? PersistentVolume { get; init; }

    public AccessModes AccessModes { get; init; }

    /// <summary>Set when the backing rests on an assumption: the cluster's default StorageClass, not in view.</summary>
    public string? Assumption { get; init; }

    /// <summary>Why the backing is unknown, for <see cref="BackingClass.Unknown"/>.</summary>
    public string? UnknownReason { get; init; }

    /// <summary>"Alibaba Cloud OSS (ossfs)" or the driver name, or the class name.</summary>
    public string DriverTitle => DriverInfo?.Title ?? Driver ?? Class.ToName();
}
