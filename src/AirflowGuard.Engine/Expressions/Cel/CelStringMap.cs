namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A map of strings (a container's env) as CEL sees it; a null value is CEL null.</summary>
internal sealed class CelStringMap(IReadOnlyDictionary<string, string?> entries) : CelMap
{
    public override int Count => entries.Count;

    public override bool TryGet(in CelValue key, out CelValue value)
    {
        if (key.Kind == CelKind.String)
        {
            return TryGetField(key.AsString, out value);
        }
        value = default;
        return false;
    }

    public override bool TryGetField(string name, out CelValue value)
    {
        if (entries.TryGetValue(name, out var text))
        {
            value = CelValue.StringOrNull(text);
            return true;
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys() => entries.Keys.Select(CelValue.String);
}
