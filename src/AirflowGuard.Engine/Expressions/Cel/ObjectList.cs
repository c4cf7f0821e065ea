namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// A CEL list of typed view objects, stored as they are. Kept as an array of <see cref="CelObject"/> (a view's
/// <c>AirflowMount[]</c> is one, by array covariance), so that a comprehension can walk it as a span without a
/// virtual call per element.
/// </summary>
internal sealed class ObjectList(CelObject[] items) : CelList
{
    public override int Count => items.Length;

    public override CelValue this[int index] => CelValue.Map(items[index]);

    /// <summary>The objects; read-only (the array may be of a derived class, which a writable span would refuse).</summary>
    public ReadOnlySpan<CelObject> Objects => items;
}
