using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>A path inside a container, and the mount, volume and storage it lives on.</summary>
internal readonly record struct PathBacking(string Path, MountView? Mount, VolumeView? Volume, VolumeBacking Backing)
{
    public bool Writable => Mount is null || (!Mount.ReadOnly && !(Volume?.Source.ReadOnly ?? false) && Backing.Class != BackingClass.Config);

    public string VolumeName => Volume?.Name ?? Mount?.Name ?? "(none)";
}
