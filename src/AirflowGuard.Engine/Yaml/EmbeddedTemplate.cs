namespace AirflowGuard.Engine.Yaml;

/// <summary>Where an embedded pod template lives: the data key of a ConfigMap.</summary>
public sealed record EmbeddedTemplate(string Key, string ConfigMap)
{
    public override string ToString() => $"{Key} in ConfigMap {ConfigMap}";
}
