namespace AirflowGuard.Engine.Kubernetes;

public sealed record ProjectedSource(EnvFromKind Kind, string Name, IReadOnlyList<ProjectedKey> Items);
