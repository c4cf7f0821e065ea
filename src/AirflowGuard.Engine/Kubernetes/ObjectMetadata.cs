namespace AirflowGuard.Engine.Kubernetes;

public sealed record ObjectMetadata(
    string? Name,
    string? GenerateName,
    string? Namespace,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    public static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>();

    public static ObjectMetadata Empty { get; } = new(null, null, null, NoEntries, NoEntries);

    public string? Label(string key) => Labels.TryGetValue(key, out var value) ? value : null;
}
