using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Yaml;

/// <summary>One document's parser events, and how many lines of the input come before the text they were parsed from.</summary>
public sealed record ParsedDocument(List<ParsingEvent> Events, int LineOffset);
