using System.Text.Json;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// JSON as CEL sees it (what Kubernetes' ValidatingAdmissionPolicy gives its expressions), read lazily
/// from the <see cref="JsonElement"/>: objects are maps with string keys, arrays lists, integers int,
/// other numbers double. Nothing is converted until an expression reads it.
/// </summary>
internal static class CelJson
{
    public static CelValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => CelValue.Map(new JsonMap(element)),
        JsonValueKind.Array => CelValue.List(new JsonList(element)),
        JsonValueKind.String => CelValue.String(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? CelValue.Int(integer) : CelValue.Double(element.GetDouble()),
        JsonValueKind.True => CelValue.True,
        JsonValueKind.False => CelValue.False,
        _ => CelValue.Null,
    };

    private sealed class JsonMap(JsonElement element) : CelStringKeyedMap
    {
        private int _count = -1;

        public override int Count
        {
            get
            {
                if (_count < 0)
                {
                    var count = 0;
                    foreach (var _ in element.EnumerateObject())
                    {
                        count++;
                    }
                    _count = count;
                }
                return _count;
            }
        }

        public override bool TryGetField(string name, out CelValue value)
        {
            if (element.TryGetProperty(name, out var property))
            {
                value = From(property);
                return true;
            }
            value = default;
            return false;
        }

        public override IEnumerable<CelValue> Keys()
        {
            foreach (var property in element.EnumerateObject())
            {
                yield return CelValue.String(property.Name);
            }
        }
    }

    private sealed class JsonList(JsonElement element) : CelList
    {
        private JsonElement[]? _items;

        public override int Count => element.GetArrayLength();

        public override CelValue this[int index]
        {
            get
            {
                _items ??= [.. element.EnumerateArray()];
                return From(_items[index]);
            }
        }
    }
}
