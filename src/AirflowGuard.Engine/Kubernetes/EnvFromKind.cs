namespace AirflowGuard.Engine.Kubernetes;

public enum EnvFromKind
{
    ConfigMap,
    Secret,
}
