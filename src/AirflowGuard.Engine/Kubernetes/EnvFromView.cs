namespace AirflowGuard.Engine.Kubernetes;

public sealed record EnvFromView(EnvFromKind Kind, string Name, string? Prefix);
