using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The JSON path of a value being read (<c>request.object.spec.template.spec.containers[0].env[3].valueFrom</c>),
/// kept as a resolved prefix plus up to six pending segments and turned into text only when an error names it.
/// Reading a pod therefore builds no path strings at all unless something in it is wrong.
/// </summary>
public readonly struct JsonPath
{
    private const int MaxPending = 6;
    private readonly string _resolved;
    private readonly Segments _segments;
    private readonly int _pending;

    public JsonPath(string resolved) => _resolved = resolved;

    private JsonPath(string resolved, in Segments segments, int pending)
    {
        _resolved = resolved;
        _segments = segments;
        _pending = pending;
    }

    public static implicit operator JsonPath(string path) => new(path);

    /// <summary>The path of a property of this value.</summary>
    public JsonPath Child(string property) => Append(new Segment(property, -1));

    /// <summary>The path of an item of this list: <c>env[3]</c> is one segment.</summary>
    public JsonPath Index(int index)
    {
        if (_pending > 0 && _segments[_pending - 1] is { Index: < 0, Property: not null } last)
        {
            var segments = _segments;
            segments[_pending - 1] = last with { Index = index };
            return new JsonPath(_resolved, segments, _pending);
        }
        return Append(new Segment(null, index));
    }

    public override string ToString()
    {
        var text = _resolved;
        for (var i = 0; i < _pending; i++)
        {
            var segment = _segments[i];
            if (segment.Property is not null)
            {
                text = JsonRead.Child(text, segment.Property);
            }
            if (segment.Index >= 0)
            {
                text = JsonRead.Index(text, segment.Index);
            }
        }
        return text;
    }

    private JsonPath Append(Segment segment)
    {
        if (_pending == MaxPending)
        {
            var fresh = default(Segments);
            fresh[0] = segment;
            return new JsonPath(ToString(), fresh, 1); // deeper than any pod field: resolve what is pending
        }
        var segments = _segments;
        segments[_pending] = segment;
        return new JsonPath(_resolved, segments, _pending + 1);
    }

    /// <summary>A property name, an index, or a property's list item (<c>env[3]</c>).</summary>
    private readonly record struct Segment(string? Property, int Index);

    [InlineArray(MaxPending)]
    private struct Segments
    {
        private Segment _first;
    }
}
