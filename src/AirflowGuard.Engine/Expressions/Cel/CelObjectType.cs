using System.Runtime.CompilerServices;

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
        if (ClassOfObjects is { } declared && declared != typeof(T))
        {
            throw new InvalidOperationException($"{Name}: field {name} is declared for {typeof(T).Name}, its other fields for {declared.Name}");
        }
        ClassOfObjects = typeof(T);
        // an object of this type is a T (each view class passes its own type; see CelObject): the accessor is called with it as
        // it is, without a cast (in this shared generic code a runtime type lookup on every field read) and without a second
        // delegate to make one: a delegate taking a T takes any CelObject reference the same way
        _fields[name] = new CelField(name, type, Unsafe.As<Func<CelObject, CelValue>>(get), isSet is null ? null : Unsafe.As<Func<CelObject, bool>>(isSet));
        Names.Add(name);
        return this;
    }

    /// <summary>The class of the objects of this type, once a field is declared: each type's fields are read from objects of one class.</summary>
    public Type? ClassOfObjects { get; private set; }
}
