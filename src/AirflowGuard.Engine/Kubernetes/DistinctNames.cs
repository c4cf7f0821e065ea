namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Names counted once each, in the order first seen: the first <see cref="Kept"/> kept for messages, every one counted by a
/// 64-bit hash, so that memory stays small however many there are.
/// </summary>
internal sealed class DistinctNames
{
    public const int Kept = 6;

    private readonly List<string> _first = [];
    private readonly HashSet<ulong> _seen = [];

    public int Count => _seen.Count;

    public IReadOnlyList<string> First => _first;

    public void Add(string name)
    {
        if (_seen.Add(Hash(name)) && _first.Count < Kept)
        {
            _first.Add(name);
        }
    }

    /// <summary>Every name up to six, then the first five and how many more.</summary>
    public override string ToString() =>
        Count <= Kept ? string.Join(", ", _first) : $"{string.Join(", ", _first.Take(Kept - 1))} and {Count - (Kept - 1):N0} more";

    /// <summary>FNV-1a over the UTF-16 code units: two names alike by chance among a million have odds near 10⁻⁸.</summary>
    private static ulong Hash(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
