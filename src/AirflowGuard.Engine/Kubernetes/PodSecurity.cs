namespace AirflowGuard.Engine.Kubernetes;

public sealed record PodSecurity(long? RunAsUser, long? RunAsGroup, long? FsGroup)
{
    public static PodSecurity None { get; } = new(null, null, null);
}
