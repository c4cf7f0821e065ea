namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// A CEL map: looked up by key, however it is stored (a literal, a JSON object, a typed view object).
/// String keys have their own path, so a field selection <c>m.f</c> costs no key value.
/// </summary>
internal abstract class CelMap
{
    protected CelMap()
    {
    }

    private protected CelMap(CelObjectType viewType) => ViewType = viewType;

    /// <summary>
    /// The type of a typed view object (<see cref="CelObject"/>); null for every other map. Kept on the base class so
    /// that a compiled field read tells a view object of its type by one comparison, without a type check of the object.
    /// </summary>
    internal CelObjectType? ViewType { get; }

    public abstract int Count { get; }

    public abstract bool TryGet(in CelValue key, out CelValue value);

    public virtual bool TryGetField(string name, out CelValue value) => TryGet(CelValue.String(name), out value);

    public abstract IEnumerable<CelValue> Keys();

    public static readonly CelMap Empty = new CelMapLiteral();
}
