namespace AirflowGuard.Engine.Kubernetes;

public enum VolumeSourceKind
{
    EmptyDir,
    HostPath,
    ConfigMap,
    Secret,
    Projected,
    DownwardApi,
    Nfs,
    PersistentVolumeClaim,
    Csi,
    Ephemeral,

    /// <summary>A StatefulSet's volumeClaimTemplates entry: one claim per replica, kept after the pod.</summary>
    ClaimTemplate,
    Other,
}
