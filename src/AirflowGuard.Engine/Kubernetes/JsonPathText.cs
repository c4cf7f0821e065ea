namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Turns JSON pointers into the dotted paths used in messages.</summary>
internal static class JsonPathText
{
    /// <summary>"/spec/containers/0/env/3" → "spec.containers[0].env[3]".</summary>
    public static string FromPointer(string pointer)
    {
        // one pass over the characters into one buffer (findings build one path each; a split and a builder
        // cost several times as much in the Native AOT binary). The path is at most half as long again as the
        // pointer, and 2 more: an index segment "/0" gains a bracket, any other segment loses or gains nothing.
        var buffer = pointer.Length <= 160 ? stackalloc char[256] : new char[pointer.Length * 2 + 2];
        var length = 0;
        var start = 0;
        for (var end = 0; end <= pointer.Length; end++)
        {
            if (end == pointer.Length || pointer[end] == '/')
            {
                length = AppendSegment(buffer, length, pointer.AsSpan(start, end - start)); // empty ones add nothing
                start = end + 1;
            }
        }
        return new string(buffer[..length]);
    }

    private static int AppendSegment(Span<char> buffer, int length, ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return length;
        }
        if (IsIndex(segment))
        {
            buffer[length++] = '[';
            segment.CopyTo(buffer[length..]);
            length += segment.Length;
            buffer[length++] = ']';
            return length;
        }
        if (length > 0)
        {
            buffer[length++] = '.';
        }
        // an escaped token ("~1" for "/", "~0" for "~") is rare: unescaped as a string, never longer than the token
        var text = segment.Contains('~') ? JsonPointer.Unescape(segment.ToString()).AsSpan() : segment;
        text.CopyTo(buffer[length..]);
        return length + text.Length;
    }

    private static bool IsIndex(ReadOnlySpan<char> segment)
    {
        foreach (var c in segment)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
