using System.Diagnostics;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A typed view object: a C# object whose fields CEL reads through accessors, and sees as a map with string keys.</summary>
internal abstract class CelObject : CelStringKeyedMap
{
    protected CelObject(CelObjectType type)
        : base(type)
    {
        CheckClass(type);
    }

    /// <summary>
    /// The type's accessors take the object as its declared class without a cast (see <see cref="CelObjectType.Field"/>),
    /// so an object must be of the class its type's fields are declared for. Checked in Debug builds only: asking an
    /// object its class costs more in the Native AOT binary than the view object's whole making. Release builds rest on
    /// each view class passing its own <c>Type</c>, which ExpressionViewTests checks for every class.
    /// </summary>
    [Conditional("DEBUG")]
    private void CheckClass(CelObjectType type)
    {
        if (type.ClassOfObjects is { } declared && declared != GetType())
        {
            throw new InvalidOperationException($"a {GetType().Name} cannot be an object of {type.Name}, whose fields are declared for {declared.Name}");
        }
    }

    /// <summary>The object's CEL type: a field (of the base class), not a virtual property, since every compiled field read compares it.</summary>
    public CelObjectType ObjectType => ViewType!;

    public override int Count
    {
        get
        {
            var count = 0;
            foreach (var member in ObjectType.Fields.Values)
            {
                count += member.IsSet is null || member.IsSet(this) ? 1 : 0;
            }
            return count;
        }
    }

    public override bool TryGetField(string name, out CelValue value)
    {
        if (ObjectType.Fields.TryGetValue(name, out var field) && (field.IsSet is null || field.IsSet(this)))
        {
            value = field.Get(this);
            return true;
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys()
    {
        foreach (var name in ObjectType.Names)
        {
            var field = ObjectType.Fields[name];
            if (field.IsSet is null || field.IsSet(this))
            {
                yield return CelValue.String(name);
            }
        }
    }
}
