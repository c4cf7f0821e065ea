namespace AirflowGuard.Engine.Yaml;

/// <summary>The text of one YAML document and the line of its input it starts on (1-based).</summary>
public readonly record struct YamlDocumentText(string Text, int FirstLine);
