using AirflowGuard.Engine.Policies;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Reads policy YAML nodes, collecting located errors instead of throwing. Every mapping is read
/// through <see cref="Map"/>, which rejects keys it does not know and suggests the closest one.
/// </summary>
public sealed class YamlNodeReader(string file)
{
    private readonly List<PolicyError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<PolicyError> Errors => _errors;

    public int ErrorCount => _errors.Count;

    public void Error(YamlNode node, string message) => _errors.Add(new PolicyError(File, (int)node.Start.Line, (int)node.Start.Column, message));

    public void Error(long line, long column, string message) => _errors.Add(new PolicyError(File, (int)line, (int)column, message));

    public SourceLocation Location(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>Opens <paramref name="node"/> as a mapping with the given keys; null (and an error) if it is not one.</summary>
    public MapNode? Map(YamlNode? node, string what, params string[] allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            if (node is not null)
            {
                Error(node, $"{what} must be a mapping, found {Describe(node)}");
            }
            return null;
        }
        var map = new MapNode(this, mapping, what);
        foreach (var (key, _) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(allowedKeys, name) < 0)
            {
                var suggestion = NameSuggestion.Closest(name, allowedKeys);
                Error(key, $"unknown field \"{name}\" in {what}" +
                           (suggestion is null ? $"; expected one of: {string.Join(", ", allowedKeys)}" : $"; did you mean \"{suggestion}\"?"));
            }
        }
        return map;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: null or "" or "~" or "null" } => "nothing",
        YamlScalarNode scalar => $"\"{scalar.Value}\"",
        _ => "an unknown node",
    };
}
