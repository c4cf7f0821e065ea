using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Numbers for the property names a <see cref="JsonPath"/> keeps pending, given once per process, so that a path step
/// copies numbers and not references: a struct of references returned from a call is copied with write barriers, and
/// the pod reader's path steps cost 4% of the medium review's handler that way. A name is found by its reference first
/// (the readers pass the same literals on every request); a new string is matched by its text, and a text never seen
/// gets the next number. The numbers are bounded (<see cref="Capacity"/>): when they run out, <see cref="Of"/> answers 0
/// and the path writes out what is pending as text, as it does for a path deeper than it keeps.
/// </summary>
internal static class PathNames
{
    /// <summary>The most names numbered: the readers' own field names are about a hundred; the rest are keys met on error paths.</summary>
    internal const int Capacity = 1024;

    // number → name ([0] unused: 0 is "no name"); written before the number is published in a slot
    private static readonly string?[] Names = new string?[Capacity];
    // open addressing on the name's reference: the number of the name in each slot, 0 for an empty one (at most half full)
    private static readonly int[] Slots = new int[2 * Capacity];
    private static readonly Dictionary<string, int> ByText = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();
    private static int _count;

    /// <summary>The number of <paramref name="name"/>, 1 or more; 0 when every number is given and the text is new.</summary>
    public static int Of(string name)
    {
        const int Mask = (2 * Capacity) - 1;
        for (var slot = RuntimeHelpers.GetHashCode(name) & Mask; ; slot = (slot + 1) & Mask)
        {
            var number = Volatile.Read(ref Slots[slot]);
            if (number == 0)
            {
                return Add(name);
            }
            if (ReferenceEquals(Names[number], name))
            {
                return number;
            }
        }
    }

    /// <summary>The name numbered <paramref name="number"/>.</summary>
    public static string Name(int number) => Names[number]!;

    private static int Add(string name)
    {
        lock (Gate)
        {
            if (ByText.TryGetValue(name, out var known))
            {
                return known; // the same text in another string: not put in a slot, which holds one string per number
            }
            if (_count == Capacity - 1)
            {
                return 0;
            }
            var number = ++_count;
            Volatile.Write(ref Names[number], name);
            ByText[name] = number;
            const int Mask = (2 * Capacity) - 1;
            var slot = RuntimeHelpers.GetHashCode(name) & Mask;
            while (Slots[slot] != 0)
            {
                slot = (slot + 1) & Mask;
            }
            Volatile.Write(ref Slots[slot], number);
            return number;
        }
    }
}
