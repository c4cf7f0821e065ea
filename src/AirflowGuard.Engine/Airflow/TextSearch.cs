using System.Buffers;
using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Whether a text contains any of several strings (<see cref="SearchValues{T}"/>), for texts that repeat: env
/// names, container names and images come from the text pool as the same string objects on every pod of a
/// workload, so the answer for a string seen before is one lookup by identity instead of a search. That
/// matters most in the Native AOT binary, where the multi-string search costs several times what it does
/// under the JIT. Texts that match and texts that do not are remembered in two tables of strings, so an
/// answer is one reference read and never an object of its own (nor a pair that a racing write could tear);
/// a text whose slot another text took is searched again.
/// </summary>
internal sealed class TextSearch
{
    private readonly SearchValues<string> _values;
    private readonly int _mask;
    private readonly string?[] _matches;
    private readonly string?[] _misses;

    /// <param name="slots">How many answers of each kind are kept: a power of two.</param>
    public TextSearch(SearchValues<string> values, int slots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        }
        _values = values;
        _mask = slots - 1;
        _matches = new string?[slots];
        _misses = new string?[slots];
    }

    public bool ContainsAny(string text)
    {
        var slot = RuntimeHelpers.GetHashCode(text) & _mask;
        if (ReferenceEquals(Volatile.Read(ref _misses[slot]), text))
        {
            return false;
        }
        if (ReferenceEquals(Volatile.Read(ref _matches[slot]), text))
        {
            return true;
        }
        var result = text.AsSpan().ContainsAny(_values);
        Volatile.Write(ref (result ? _matches : _misses)[slot], text);
        return result;
    }
}
