namespace AirflowGuard.Engine.Kubernetes;

public sealed record ProjectedKey(string Key, string Path);
