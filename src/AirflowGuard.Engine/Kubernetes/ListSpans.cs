using System.Runtime.InteropServices;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The views' lists are arrays or <see cref="List{T}"/>s behind <see cref="IReadOnlyList{T}"/>. A <c>foreach</c>
/// over the interface boxes an enumerator and dispatches every step through it; the rules walk these lists
/// on every request, so they walk them as spans instead: <c>foreach (var mount in container.Mounts.AsReadOnlySpan())</c>.
/// </summary>
internal static class ListSpans
{
    /// <summary>The list's items as a span: the list or array itself, else (another list type) a copy.</summary>
    /// <remarks>
    /// The readers build <see cref="List{T}"/>s, so that is tested first: a match is one comparison of types, while
    /// <c>is T[]</c> for a reference type T must allow for array covariance, a general type check that Native AOT
    /// does not inline.
    /// </remarks>
    public static ReadOnlySpan<T> AsReadOnlySpan<T>(this IReadOnlyList<T> list) => list switch
    {
        List<T> items => CollectionsMarshal.AsSpan(items),
        T[] array => new ReadOnlySpan<T>(array), // not through Span<T>, which refuses an array of a derived type
        _ => list.ToArray(),
    };
}
