namespace AirflowGuard.Engine.Mutations;

/// <summary>The field of the pod's security context a uid or gid is taken from.</summary>
internal enum IdField
{
    RunAsUser,
    RunAsGroup,
    FsGroup,
}
