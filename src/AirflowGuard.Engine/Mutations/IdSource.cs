namespace AirflowGuard.Engine.Mutations;

/// <summary>Where a uid or gid comes from: a fixed number, or the pod's security context with a fallback.</summary>
internal sealed record IdSource(long? Fixed, IdField? FromPod = null, long? Default = null);
