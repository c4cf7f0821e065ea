using AirflowGuard.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Playground;

/// <summary>
/// Finds the line a finding's JSON path (<c>spec.template.spec.containers[0].volumeMounts[1]</c>)
/// points at in the manifest text, by walking the YAML nodes of the object that starts at a line.
/// </summary>
internal sealed class YamlPathLines
{
    private readonly string _text;
    private Dictionary<int, (YamlNode Node, int Offset)>? _roots;

    public YamlPathLines(string text) => _text = text;

    /// <summary>The 1-based line of <paramref name="path"/> inside the object starting at <paramref name="objectLine"/>; the object's line when the path cannot be followed.</summary>
    public int Line(int objectLine, string? path)
    {
        if (string.IsNullOrEmpty(path) || !Roots().TryGetValue(objectLine, out var root))
        {
            return objectLine;
        }
        var (node, offset) = root;
        var line = objectLine;
        foreach (var step in Steps(path))
        {
            YamlNode? next = null;
            if (step.Index is { } index && node is YamlSequenceNode sequence && index < sequence.Children.Count)
            {
                next = sequence.Children[index];
            }
            else if (step.Key is { } key && node is YamlMappingNode mapping)
            {
                foreach (var (k, v) in mapping.Children)
                {
                    if (k is YamlScalarNode { Value: { } name } && name == key)
                    {
                        next = v;
                        line = (int)k.Start.Line + offset;
                        break;
                    }
                }
            }
            if (next is null)
            {
                break;
            }
            node = next;
            if (step.Index is not null)
            {
                line = (int)next.Start.Line + offset;
            }
        }
        return line;
    }

    /// <summary>
    /// For a pod template embedded in a ConfigMap (<paramref name="embeddedIn"/>: "KEY in ConfigMap NAME"),
    /// the line inside the literal block that holds it; the object's line when it is not one.
    /// </summary>
    public int LineInEmbedded(int objectLine, string? path, Engine.Yaml.EmbeddedTemplate embeddedIn)
    {
        if (string.IsNullOrEmpty(path))
        {
            return objectLine;
        }
        var key = new YamlScalarNode(embeddedIn.Key);
        foreach (var (node, offset) in Roots().Values)
        {
            if (node is YamlMappingNode root && root.Children.TryGetValue(new YamlScalarNode("data"), out var data) && data is YamlMappingNode entries &&
                entries.Children.TryGetValue(key, out var value) && value is YamlScalarNode { Style: ScalarStyle.Literal, Value: { } text } block &&
                block.Start.Line + offset < objectLine && objectLine <= block.End.Line + offset)
            {
                // a literal block's lines are the file's lines, one for one, from the line after its indicator
                var first = (int)block.Start.Line + offset + 1;
                return new YamlPathLines(text).Line(objectLine - first + 1, path) + first - 1;
            }
        }
        return objectLine;
    }

    private Dictionary<int, (YamlNode, int)> Roots()
    {
        if (_roots is not null)
        {
            return _roots;
        }
        _roots = [];
        foreach (var chunk in YamlDocumentSplitter.Split(new StringReader(_text)))
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(chunk.Text));
            }
            catch (YamlException)
            {
                continue; // reported, located, by the manifest reader
            }
            var offset = chunk.FirstLine - 1;
            foreach (var document in stream.Documents)
            {
                Index(document.RootNode, offset);
            }
        }
        return _roots;
    }

    private void Index(YamlNode root, int offset)
    {
        // node lines are relative to the chunk; the offset makes them lines of the whole text
        _roots![(int)root.Start.Line + offset] = (root, offset);
        if (root is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode list)
        {
            foreach (var item in list.Children)
            {
                _roots[(int)item.Start.Line + offset] = (item, offset);
            }
        }
    }

    private static IEnumerable<(string? Key, int? Index)> Steps(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    yield break;
                }
                var inner = path[(i + 1)..close];
                yield return int.TryParse(inner, out var index) ? (null, index) : (inner.Trim('"', '\''), null);
                i = close + 1;
                continue;
            }
            var end = path.IndexOfAny(['.', '['], i);
            end = end < 0 ? path.Length : end;
            yield return (path[i..end], null);
            i = end;
        }
    }
}
