namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A typed view object's type: its name and fields, each with its static type and accessor.</summary>
internal sealed class CelObjectType(string name)
{
    private readonly Dictionary<string, CelField> _fields = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public IReadOnlyDictionary<string, CelField> Fields => _fields;

    /// <summary>The field names in declaration order, for messages and map iteration.</summary>
    public List<string> Names { get; } = [];

    /// <summary>Declares a field; <paramref name="isSet"/> answers <c>has()</c> (always set when null).</summary>
    public CelObjectType Field<T>(string name, CelStaticType type, Func<T, CelValue> get, Func<T, bool>? isSet = null) where T : CelObject
    {
        _fields[name] = new CelField(name, type, o => get((T)o), isSet is null ? null : o => isSet((T)o));
        Names.Add(name);
        return this;
    }
}
