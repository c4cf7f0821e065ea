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
        var builder = new System.Text.StringBuilder(pointer.Length + 8);
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = JsonPointer.Unescape(raw);
            if (token.Length > 0 && token.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(token).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }
                builder.Append(token);
            }
        }
        return builder.ToString();
    }
}
