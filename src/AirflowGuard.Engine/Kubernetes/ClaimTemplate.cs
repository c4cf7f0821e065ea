namespace AirflowGuard.Engine.Kubernetes;

public sealed record ClaimTemplate(string? StorageClassName, AccessModes AccessModes);
