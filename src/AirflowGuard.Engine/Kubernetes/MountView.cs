namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A container's volume mount. Its path is kept normalised (<see cref="PathText.Normalize"/>), as the rules compare it.</summary>
public sealed record MountView(string Name, string MountPath, string? SubPath, bool ReadOnly, int Index)
{
    public string MountPath { get; init => field = PathText.Normalize(value); } = PathText.Normalize(MountPath);
}
