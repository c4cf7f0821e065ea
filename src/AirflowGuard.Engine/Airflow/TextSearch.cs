using System.Buffers;
using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Whether a text contains any of several strings (<see cref="SearchValues{T}"/>), for texts that repeat: env
/// names, container names and images come from the text pool as the same string objects on every pod of a
/// workload, so the answer for a string seen before is one lookup by identity instead of a search. That
/// matters most in the Native AOT binary, where the multi-string search costs several times what it does
/// under the JIT. Texts that match and texts that do not are remembered in two tables of strings, so an
/// answer is one reference read and never an object of its own (nor a pair that a racing write could tear).
/// Each text may sit in any slot of a bucket of four (<see cref="Kubernetes.TextSlots"/>), as in
/// <see cref="Kubernetes.TextPool"/>: with one slot per text, 390 of the 208 KB review's 2,606 name lookups searched
/// again on every request; with pairs, 130, most of them names the text pool could not keep (new strings on every
/// read); with buckets of four, a handful. Texts longer than the pool keeps (images pinned by digest) are never the
/// same object twice, so they are searched and not remembered.
/// </summary>
internal sealed class TextSearch
{
    private readonly SearchValues<string> _values;
    private readonly int _mask;
    private readonly string?[] _matches;
    private readonly string?[] _misses;

    /// <param name="slots">How many answers of each kind are kept: a power of two, at least one bucket's (4).</param>
    public TextSearch(SearchValues<string> values, int slots)
    {
        if (slots < Kubernetes.TextSlots.Ways || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, $"a power of two, at least {Kubernetes.TextSlots.Ways}");
        }
        _values = values;
        _mask = slots - 1;
        _matches = new string?[slots];
        _misses = new string?[slots];
    }

    public bool ContainsAny(string text)
    {
        if (text.Length > Kubernetes.TextPool.MaxBytes)
        {
            return text.AsSpan().ContainsAny(_values);
        }
        var slot = RuntimeHelpers.GetHashCode(text) & _mask;
        if (Holds(_misses, slot, text))
        {
            return false;
        }
        if (Holds(_matches, slot, text))
        {
            return true;
        }
        var result = text.AsSpan().ContainsAny(_values);
        Kubernetes.TextSlots.Put(result ? _matches : _misses, slot, text);
        return result;
    }

    private static bool Holds(string?[] table, int slot, string text)
    {
        var bucket = Kubernetes.TextSlots.Bucket(slot);
        for (var way = 0; way < Kubernetes.TextSlots.Ways; way++)
        {
            var held = Volatile.Read(ref table[bucket + way]);
            if (ReferenceEquals(held, text))
            {
                return true;
            }
            if (held is null)
            {
                return false; // a bucket fills from its first slot and is never emptied
            }
        }
        return false;
    }
}
