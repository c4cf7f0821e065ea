using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Where an embedded pod template lives: the data key of a ConfigMap, and the ConfigMap's own labels (the chart that
/// rendered it: the community chart labels its pod_template ConfigMap, not the pod inside).
/// </summary>
public sealed record EmbeddedTemplate(string Key, string ConfigMap)
{
    public IReadOnlyDictionary<string, string> ConfigMapLabels { get; init; } = ObjectMetadata.NoEntries;

    /// <summary>The ConfigMap as the owner of the task pods made from the template.</summary>
    public ObjectMetadata Owner(string? @namespace) => new(ConfigMap, null, @namespace, ConfigMapLabels, ObjectMetadata.NoEntries);

    public override string ToString() => $"{Key} in ConfigMap {ConfigMap}";
}
