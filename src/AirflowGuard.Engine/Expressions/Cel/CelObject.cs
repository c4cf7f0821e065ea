namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A typed view object: a C# object whose fields CEL reads through accessors, and sees as a map with string keys.</summary>
internal abstract class CelObject(CelObjectType type) : CelStringKeyedMap
{
    /// <summary>The object's CEL type: a field, not a virtual property, since every compiled field read compares it.</summary>
    public CelObjectType ObjectType { get; } = type;

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
