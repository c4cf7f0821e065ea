namespace AirflowGuard.Engine.Kubernetes;

public sealed record StorageClassInfo(string Name, string Provisioner, bool IsDefault)
{
    public IReadOnlyList<string> MountOptions { get; init; } = [];
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = ObjectMetadata.NoEntries;
}
