using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// What a kind's reader is given: the body under the kind's key, the rule (or mutation) item it sits in, where, and the
/// kind's placeholders and default texts, so that each reader only reads what is its own.
/// </summary>
internal sealed class KindBody(YamlNodeReader reader, MapNode item, string key, SourceLocation location)
{
    public YamlNodeReader Reader { get; } = reader;

    /// <summary>The rule or mutation item the body is in: <c>{ name, message, fix, forbidVolume: … }</c>.</summary>
    public MapNode Item { get; } = item;

    /// <summary>The kind's key: <c>forbidVolume</c>.</summary>
    public string Key { get; } = key;

    /// <summary>The value under <see cref="Key"/>.</summary>
    public YamlNode Node { get; } = item.Get(key)!;

    /// <summary>The rule's name ("" for a mutation).</summary>
    public string Name { get; init; } = "";

    public SourceLocation Location { get; } = location;

    /// <summary>The kind's placeholders and default message and fix, for <see cref="Message"/> and <see cref="Fix"/>.</summary>
    public RuleKind? Rule { get; init; }

    /// <summary>An empty body: nothing, <c>~</c>, <c>null</c> or <c>{}</c>.</summary>
    public bool IsEmpty => Node is YamlScalarNode { Value: null or "" or "~" or "null" } or YamlMappingNode { Children.Count: 0 };

    /// <summary>The body as a mapping with only <paramref name="keys"/> (each other key an error, with the closest suggested).</summary>
    public MapNode? Map(params string[] keys) => Reader.Map(Node, Key, keys);

    /// <summary>A kind that takes no parameters: true for an empty body, else every key is reported as unknown.</summary>
    public bool IsEmptyCheck()
    {
        if (IsEmpty)
        {
            return true;
        }
        Reader.Map(Node, Key); // reports every key as unknown
        return Node is YamlMappingNode { Children.Count: 0 };
    }

    /// <summary>The rule's message, or the kind's default; an unknown placeholder is an error where it is written.</summary>
    public MessageTemplate Message() => Template("message", Rule!.DefaultMessage)!;

    /// <summary>The rule's fix, or the kind's default (null when neither).</summary>
    public MessageTemplate? Fix() => Template("fix", Rule!.DefaultFix);

    /// <summary>The template under <paramref name="key"/> of the rule, or <paramref name="fallback"/>.</summary>
    public MessageTemplate? Template(string key, string? fallback, MapNode? within = null)
    {
        var map = within ?? Item;
        var text = map.String(key) ?? fallback;
        if (text is null)
        {
            return null;
        }
        var template = MessageTemplate.Parse(text.Trim(), Rule!.Placeholders, out var error);
        if (error is not null)
        {
            Reader.Error(map.Get(key) ?? map.Node, $"{key}: {error}");
        }
        return template;
    }
}
