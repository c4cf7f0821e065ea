using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Walking JSON with a <see cref="JsonCursor"/>: the next field of an object (its name unescaped when written with
/// escapes), the next item of a list, and what a value is, for messages. The readers of pods, volumes and reviews share them.
/// </summary>
public static class JsonTokens
{
    /// <summary>Room to unescape a property name: longer escaped names are none of those read.</summary>
    private const int NameBytes = 64;

    [ThreadStatic]
    private static byte[]? t_name;

    /// <summary>
    /// Moves to the next field of the object the reader is in, and onto its value; false at the object's end. An escaped
    /// name (rare) is unescaped into a buffer of the thread's, valid until the next call; one longer than any name the
    /// readers look for is none of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a call and two compares in each reader's loop, not a second call
    public static bool NextField(ref JsonCursor reader, out ReadOnlySpan<byte> name)
    {
        var read = reader.TryReadPlainField(out name);
        return read == JsonCursor.PlainField.Read || (read == JsonCursor.PlainField.Other && NextFieldAnyCase(ref reader, out name));
    }

    private static bool NextFieldAnyCase(ref JsonCursor reader, out ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }
        if (!reader.ValueIsEscaped)
        {
            name = reader.ValueSpan;
        }
        else if (reader.ValueSpan.Length <= NameBytes)
        {
            var buffer = t_name ??= new byte[NameBytes];
            name = buffer.AsSpan(0, reader.CopyString(buffer));
        }
        else
        {
            name = "\0"u8;
        }
        reader.Read();
        return true;
    }

    /// <summary>Moves onto the next item of the list the reader is in; false at the list's end.</summary>
    public static bool NextItem(ref JsonCursor reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>What the value the reader is on is, for a message: "an object", "the number 3", "null" (as <see cref="JsonRead.Describe"/> says it of an element).</summary>
    public static string Describe(ref JsonCursor reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };
}
