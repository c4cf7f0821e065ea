using AirflowGuard.Engine.Kubernetes;
using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// One parsed document: YamlDotNet's events, or, when <see cref="BlockYamlReader"/> read it, its JSON, kind and the
/// line of its root. <see cref="LineOffset"/> is how many lines of the input come before the text it was parsed from.
/// </summary>
public sealed record ParsedDocument(List<ParsingEvent>? Events, int LineOffset)
{
    /// <summary>The document as JSON when the fast reader converted it (then <see cref="Events"/> is null).</summary>
    public JsonSource? Source { get; init; }

    /// <summary>With <see cref="Source"/>: the document's kind, when a string.</summary>
    public string? Kind { get; init; }

    /// <summary>With <see cref="Source"/>: the 1-based line of the root mapping within the parsed text.</summary>
    public int Line { get; init; }
}
