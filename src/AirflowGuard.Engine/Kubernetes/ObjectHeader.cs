namespace AirflowGuard.Engine.Kubernetes;

/// <summary>What an object says of itself at its top, as read: its apiVersion and kind (each when a string) and its own metadata.</summary>
public sealed record ObjectHeader(string? ApiVersion, string? Kind, ObjectMetadata Metadata);
