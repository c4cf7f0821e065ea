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
    // the pending segments: property names (null for a bare index) and list indexes (-1 for none) in two arrays,
    // so that a step copies six references and six integers, not six pairs padded to 16 bytes each
    private readonly Properties _properties;
    private readonly Indexes _indexes;
    private readonly int _pending;

    public JsonPath(string resolved) => _resolved = resolved;

    private JsonPath(string resolved, in Properties properties, in Indexes indexes, int pending)
    {
        _resolved = resolved;
        _properties = properties;
        _indexes = indexes;
        _pending = pending;
    }

    public static implicit operator JsonPath(string path) => new(path);

    /// <summary>The path of a property of this value.</summary>
    public JsonPath Child(string property) => Append(property, -1);

    /// <summary>The path of an item of this list: <c>env[3]</c> is one segment.</summary>
    public JsonPath Index(int index)
    {
        var last = _pending - 1;
        if (last >= 0 && _indexes[last] < 0 && _properties[last] is not null)
        {
            var indexes = _indexes;
            indexes[last] = index;
            return new JsonPath(_resolved, _properties, indexes, _pending);
        }
        return Append(null, index);
    }

    public override string ToString()
    {
        var text = _resolved;
        for (var i = 0; i < _pending; i++)
        {
            if (_properties[i] is { } property)
            {
                text = JsonRead.Child(text, property);
            }
            if (_indexes[i] >= 0)
            {
                text = JsonRead.Index(text, _indexes[i]);
            }
        }
        return text;
    }

    private JsonPath Append(string? property, int index)
    {
        if (_pending == MaxPending)
        {
            return new JsonPath(ToString()).Append(property, index); // deeper than any pod field: what is pending becomes text
        }
        var properties = _properties;
        properties[_pending] = property;
        var indexes = _indexes;
        indexes[_pending] = index;
        return new JsonPath(_resolved, properties, indexes, _pending + 1);
    }

    [InlineArray(MaxPending)]
    private struct Properties
    {
        private string? _first;
    }

    [InlineArray(MaxPending)]
    private struct Indexes
    {
        private int _first;
    }
}
