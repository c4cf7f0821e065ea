namespace AirflowGuard.Engine.Kubernetes;

/// <summary>RFC 6901 JSON pointer helpers.</summary>
public static class JsonPointer
{
    /// <summary>Escapes one reference token: "~" becomes "~0" and "/" becomes "~1", in that order.</summary>
    public static string Escape(string token)
    {
        if (token.AsSpan().IndexOfAny('~', '/') < 0)
        {
            return token;
        }
        return token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    public static string Unescape(string token) =>
        token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Turns JSON pointers into the dotted paths used in messages.</summary>
public static class JsonPathText
{
    /// <summary>"/spec/containers/0/env/3" → "spec.containers[0].env[3]".</summary>
    public static string FromPointer(string pointer)
    {
        // one pass over the segments, without splitting the pointer into strings (findings build one each)
        var builder = new System.Text.StringBuilder(pointer.Length + 8);
        foreach (var range in pointer.AsSpan().Split('/'))
        {
            var raw = pointer.AsSpan(range);
            if (raw.IsEmpty)
            {
                continue;
            }
            if (!raw.ContainsAnyExcept(Digits))
            {
                builder.Append('[').Append(raw).Append(']');
                continue;
            }
            if (builder.Length > 0)
            {
                builder.Append('.');
            }
            if (raw.Contains('~'))
            {
                builder.Append(JsonPointer.Unescape(raw.ToString()));
            }
            else
            {
                builder.Append(raw);
            }
        }
        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");
}
