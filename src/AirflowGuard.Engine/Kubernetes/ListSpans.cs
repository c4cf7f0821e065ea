using System.Runtime.InteropServices;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The views' lists are arrays or <see cref="List{T}"/>s behind <see cref="IReadOnlyList{T}"/>. A <c>foreach</c>
/// over the interface boxes an enumerator and dispatches every step through it; the rules walk these lists
/// on every request, so they walk them as spans instead: <c>foreach (var mount in container.Mounts.AsReadOnlySpan())</c>.
/// </summary>
internal static class ListSpans
{
    /// <summary>The list's items as a span: the array or list itself, else (another list type) a copy.</summary>
    public static ReadOnlySpan<T> AsReadOnlySpan<T>(this IReadOnlyList<T> list) => list switch
    {
        T[] array => array,
        List<T> items => CollectionsMarshal.AsSpan(items),
        _ => list.ToArray(),
    };
}
