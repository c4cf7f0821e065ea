namespace AirflowGuard.Engine.Kubernetes;

[Flags]
public enum AccessModes
{
    None = 0,
    ReadWriteOnce = 1,
    ReadOnlyMany = 2,
    ReadWriteMany = 4,
    ReadWriteOncePod = 8,
}
