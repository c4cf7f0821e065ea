namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A CEL list of typed view objects, stored as they are.</summary>
internal sealed class ObjectList<T>(T[] items) : CelList where T : CelObject
{
    public override int Count => items.Length;

    public override CelValue this[int index] => CelValue.Map(items[index]);
}
