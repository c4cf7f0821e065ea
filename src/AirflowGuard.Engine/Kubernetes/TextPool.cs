using System.Runtime.InteropServices;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The strings pods repeat on every request (env names, images, container and volume names, mount paths,
/// label keys) read once and then shared: a fixed table of 4,096 slots keyed by the UTF-8 bytes, so a
/// pod read allocates no new string for text it has seen before. Bounded (a miss replaces the slot),
/// safe across threads (an entry is immutable and published with one reference write), and used only for
/// short, unescaped text. Literal env values never go here: they may be secrets.
/// </summary>
internal static class TextPool
{
    private const int Slots = 4096;
    private const int MaxBytes = 96;
    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The text of a JSON string value.</summary>
    public static string Of(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Length >= 2 ? Find(raw[1..^1]) ?? Add(raw[1..^1], value.GetString()!) : value.GetString()!;
    }

    /// <summary>The name of a JSON property.</summary>
    public static string NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return Find(raw) ?? Add(raw, property.Name);
    }

    private static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes || utf8.Contains((byte)'\\'))
        {
            return null;
        }
        var entry = Volatile.Read(ref Table[Slot(utf8)]);
        return entry is not null && utf8.SequenceEqual(entry.Utf8) ? entry.Text : null;
    }

    private static string Add(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length <= MaxBytes && !utf8.Contains((byte)'\\'))
        {
            Volatile.Write(ref Table[Slot(utf8)], new Entry(utf8.ToArray(), text));
        }
        return text;
    }

    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode(); // seeded per process: text chosen to collide cannot be prepared in advance
        hash.AddBytes(utf8);
        return hash.ToHashCode() & (Slots - 1);
    }

    private sealed class Entry(byte[] utf8, string text)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Text = text;
    }
}
