using System.Buffers;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// A prefilter for several globs tested against many texts (every env var name of a pod): one vectorised
/// search for any of their literal runs rules out most texts before a single pattern is tried.
/// </summary>
internal sealed class GlobSet
{
    // as many slots as the text pool has: a pod with thousands of distinct env names (the 208 KB review
    // has 2,435) evicted half its own answers from 4,096
    private const int SeenSlots = 16384;

    private readonly bool _empty;
    private readonly TextSearch? _anchors;

    public GlobSet(IEnumerable<Glob> globs)
    {
        Glob[] all = [.. globs];
        _empty = all.Length == 0;
        // a glob without a literal run (* or ?) matches texts that contain no anchor: no prefilter then
        _anchors = !_empty && Array.TrueForAll(all, g => g.Anchor.Length > 0)
            ? new TextSearch(SearchValues.Create([.. all.Select(g => g.Anchor).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal), SeenSlots)
            : null;
    }

    /// <summary>Whether some glob could match <paramref name="text"/>; false means none does.</summary>
    public bool MayMatch(string text) => _anchors is null ? !_empty : _anchors.ContainsAny(text);
}
