using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The strings pods repeat on every request (env names, images, container and volume names, mount paths,
/// label keys) read once and then shared: a fixed table keyed by the UTF-8 bytes, so a
/// pod read allocates no new string for text it has seen before. Bounded (16,384 slots in buckets of four, see
/// <see cref="TextSlots"/>), safe across threads (a slot holds a string, published with one reference write), and
/// used only for short ASCII text without escapes, which is what these fields are: a slot's string is compared with
/// the bytes directly, so a lookup touches the bucket and the strings of its length and nothing else.
/// Literal env values never go here: they may be secrets.
/// </summary>
internal static class TextPool
{
    private const int SlotBits = 14;
    private const int Slots = 1 << SlotBits;
    /// <summary>The longest text pooled, in bytes: a longer one is a new string on every read.</summary>
    internal const int MaxBytes = 96;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The text of a JSON string value.</summary>
    public static string Of(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Length >= 2 ? Find(raw[1..^1]) ?? Add(raw[1..^1], value.GetString()!) : value.GetString()!;
    }

    /// <summary>The text of the string (or property name) a reader is on.</summary>
    public static string Of(ref JsonCursor reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!;
        }
        var utf8 = reader.ValueSpan;
        return Find(utf8) ?? Add(utf8, reader.GetString()!);
    }

    /// <summary>The name of a JSON property.</summary>
    public static string NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return Find(raw) ?? Add(raw, property.Name);
    }

    private static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return null;
        }
        // a slot only ever holds a string whose ASCII is its key (see Add): escaped or non-ASCII bytes match none
        var bucket = TextSlots.Bucket(Slot(utf8));
        for (var way = 0; way < TextSlots.Ways; way++)
        {
            var text = Volatile.Read(ref Table[bucket + way]);
            if (text is null)
            {
                return null; // a bucket fills from its first slot and is never emptied
            }
            if (text.Length == utf8.Length && SameText(utf8, text))
            {
                return text;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether the bytes spell the slot's text, of the same length and ASCII (as every text kept is): 8 (or 4) bytes at a
    /// time, each widened and compared with its character, the last block overlapping the one before. About a third of
    /// what <see cref="Ascii.Equals(ReadOnlySpan{byte}, ReadOnlySpan{char})"/> takes on names this short (ab.sh
    /// --instructions), and as exact: a byte above 0x7F widens to a character no ASCII text has.
    /// </summary>
    internal static bool SameText(ReadOnlySpan<byte> utf8, string text)
    {
        var length = utf8.Length;
        if (length < 4 || !Vector128.IsHardwareAccelerated)
        {
            return Ascii.Equals(utf8, text);
        }
        ref var bytes = ref MemoryMarshal.GetReference(utf8);
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text.AsSpan()));
        if (length < 8)
        {
            return SameFour(ref bytes, ref chars, 0) && SameFour(ref bytes, ref chars, length - 4);
        }
        for (var i = 0; i < length - 8; i += 8)
        {
            if (!SameEight(ref bytes, ref chars, i))
            {
                return false;
            }
        }
        return SameEight(ref bytes, ref chars, length - 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameEight(ref byte bytes, ref ushort chars, int at) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, at))).AsByte()) ==
        Vector128.LoadUnsafe(ref chars, (nuint)at);

    // the four bytes widened are the low 64 bits of the vector; the rest is not compared
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameFour(ref byte bytes, ref ushort chars, int at) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref bytes, at))).AsByte()).AsUInt64().ToScalar() ==
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref chars, at)));

    private static string Add(ReadOnlySpan<byte> utf8, string text)
    {
        // only text spelled exactly by its bytes: no escapes (the bytes would differ from the text), ASCII only
        if (utf8.Length <= MaxBytes && Ascii.Equals(utf8, text))
        {
            TextSlots.Put(Table, Slot(utf8), text);
        }
        return text;
    }

    // seeded per process; a collision only costs a miss (a bucket never chains), so speed matters more than strength
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        var length = utf8.Length;
        ref var start = ref MemoryMarshal.GetReference(utf8);
        var hash = Seed ^ (ulong)length;
        // the last (or only) block is read whole, overlapping the one before: no loop over the bytes of a tail,
        // and the length, mixed in above, tells apart texts that the overlap would read alike
        ulong last;
        if (length >= 8)
        {
            for (var i = 0; i < length - 8; i += 8)
            {
                hash = (hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * Multiplier;
                hash ^= hash >> 29;
            }
            last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
        }
        else if (length >= 4)
        {
            last = Unsafe.ReadUnaligned<uint>(ref start) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4)) << 32);
        }
        else
        {
            last = length == 0 ? 0 : start | ((ulong)Unsafe.Add(ref start, length >> 1) << 8) | ((ulong)Unsafe.Add(ref start, length - 1) << 16);
        }
        // the top bits: a product's bit depends on the factors' bits at and below it, so only the top ones see every byte
        // (the last byte of a long text is the top byte of the last block; with bits 40 to 53, FLAG_017, FLAG_018 and
        // FLAG_019 would share a slot: TextPoolTests)
        hash = (hash ^ last) * Multiplier;
        return (int)(hash >> (64 - SlotBits));
    }
}
