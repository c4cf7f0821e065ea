namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A map whose keys are all strings (a JSON object, a view object, a container's env): any other key is absent.</summary>
internal abstract class CelStringKeyedMap : CelMap
{
    protected CelStringKeyedMap()
    {
    }

    private protected CelStringKeyedMap(CelObjectType viewType)
        : base(viewType)
    {
    }

    public sealed override bool TryGet(in CelValue key, out CelValue value)
    {
        if (key.Kind == CelKind.String)
        {
            return TryGetField(key.AsString, out value);
        }
        value = default;
        return false;
    }

    public abstract override bool TryGetField(string name, out CelValue value);
}
