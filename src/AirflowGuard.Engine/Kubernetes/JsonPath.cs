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
    // the pending segments: property names as numbers (PathNames; 0 for a bare index) and list indexes (-1 for none),
    // so that a step copies one reference and plain numbers, without a write barrier for each pending name
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
    public JsonPath Child(string property) => PathNames.Of(property) is var number and > 0
        ? Append(number, -1)
        : new JsonPath(JsonRead.Child(ToString(), property)); // no number left for a new name: what is pending becomes text

    /// <summary>The path of an item of this list: <c>env[3]</c> is one segment.</summary>
    public JsonPath Index(int index)
    {
        var last = _pending - 1;
        if (last >= 0 && _indexes[last] < 0 && _properties[last] != 0)
        {
            var indexes = _indexes;
            indexes[last] = index;
            return new JsonPath(_resolved, _properties, indexes, _pending);
        }
        return Append(0, index);
    }

    public override string ToString()
    {
        var text = _resolved;
        for (var i = 0; i < _pending; i++)
        {
            if (_properties[i] != 0)
            {
                text = JsonRead.Child(text, PathNames.Name(_properties[i]));
            }
            if (_indexes[i] >= 0)
            {
                text = JsonRead.Index(text, _indexes[i]);
            }
        }
        return text;
    }

    private JsonPath Append(int property, int index)
    {
        if (_pending == MaxPending)
        {
            return new JsonPath(ToString()).Append(property, index); // deeper than any pod field: what is pending becomes text
        }
        var properties = _properties;
        properties[_pending] = (short)property;
        var indexes = _indexes;
        indexes[_pending] = index;
        return new JsonPath(_resolved, properties, indexes, _pending + 1);
    }

    [InlineArray(MaxPending)]
    private struct Properties
    {
        private short _first;
    }

    [InlineArray(MaxPending)]
    private struct Indexes
    {
        private int _first;
    }
}
