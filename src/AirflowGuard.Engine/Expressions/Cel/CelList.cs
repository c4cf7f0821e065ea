namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A CEL list: read by index, however it is stored (an array, a JSON array, a view's containers).</summary>
internal abstract class CelList
{
    public abstract int Count { get; }

    public abstract CelValue this[int index] { get; }

    public static readonly CelList Empty = new ArrayList([]);

    public static CelList Of(CelValue[] items) => items.Length == 0 ? Empty : new ArrayList(items);

    private sealed class ArrayList(CelValue[] items) : CelList
    {
        public override int Count => items.Length;

        public override CelValue this[int index] => items[index];
    }
}
