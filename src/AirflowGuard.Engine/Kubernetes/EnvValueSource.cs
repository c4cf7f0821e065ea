namespace AirflowGuard.Engine.Kubernetes;

public enum EnvValueSource
{
    Literal,
    SecretKey,
    ConfigMapKey,
    Field,
    ResourceField,
}
