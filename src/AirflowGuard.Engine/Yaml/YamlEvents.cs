using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Yaml;

/// <summary>Rewrites of a document's parser events.</summary>
internal static class YamlEvents
{
    /// <summary>
    /// The events with every mapping's repeated keys dropped but the last, as helm and kubectl read such a document
    /// (their YAML-to-JSON conversion keeps the last value of a key). Keys are compared by their scalar text.
    /// </summary>
    /// <param name="dropped">Receives each repeated key (the later of two) and the earlier one it replaces.</param>
    public static List<ParsingEvent> LastKeyWins(List<ParsingEvent> events, List<(Scalar Again, Scalar Before)> dropped)
    {
        var output = new List<ParsingEvent>(events.Count);
        var position = 0;
        while (position < events.Count)
        {
            position = Copy(events, position, output, dropped);
        }
        return output;
    }

    /// <summary>Copies the node that starts at <paramref name="start"/> (or a document marker) and returns where the next begins.</summary>
    private static int Copy(List<ParsingEvent> events, int start, List<ParsingEvent> output, List<(Scalar Again, Scalar Before)> dropped)
    {
        switch (events[start])
        {
            case MappingStart:
                output.Add(events[start]);
                var pairs = new List<(string? Key, int Start, int End)>();
                var at = start + 1;
                while (events[at] is not MappingEnd)
                {
                    var valueAt = End(events, at);
                    var next = End(events, valueAt);
                    pairs.Add((events[at] is Scalar key ? key.Value : null, at, next));
                    at = next;
                }
                for (var i = 0; i < pairs.Count; i++)
                {
                    var (key, from, to) = pairs[i];
                    var again = key is null ? -1 : pairs.FindIndex(i + 1, p => p.Key == key);
                    if (again >= 0)
                    {
                        dropped.Add(((Scalar)events[pairs[again].Start], (Scalar)events[from])); // a later pair sets the same key
                        continue;
                    }
                    for (var e = from; e < to;)
                    {
                        e = Copy(events, e, output, dropped);
                    }
                }
                output.Add(events[at]);
                return at + 1;
            case SequenceStart:
                output.Add(events[start]);
                var item = start + 1;
                while (events[item] is not SequenceEnd)
                {
                    item = Copy(events, item, output, dropped);
                }
                output.Add(events[item]);
                return item + 1;
            default:
                output.Add(events[start]);
                return start + 1;
        }
    }

    /// <summary>Where the node that starts at <paramref name="start"/> ends (the index after its last event).</summary>
    private static int End(List<ParsingEvent> events, int start)
    {
        var depth = 0;
        var at = start;
        do
        {
            depth += events[at] switch
            {
                MappingStart or SequenceStart => 1,
                MappingEnd or SequenceEnd => -1,
                _ => 0,
            };
            at++;
        }
        while (depth > 0);
        return at;
    }
}
