using System.Text.Json;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Finds credentials in a setting's value the ways Airflow and SQLAlchemy accept them: URL userinfo
/// (<c>scheme://user:password@host</c>, with reserved characters such as <c>/ # ? @</c> left unencoded in
/// the password, which SQLAlchemy's and Airflow's parsers take up to the last <c>@</c> before the host),
/// libpq key=value DSNs (<c>host=db password=…</c>), Airflow's JSON connections and their extras, and
/// secret-named query parameters (<c>?aws_secret_access_key=…</c>).
/// </summary>
internal static class SecretText
{
    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "private_key", "key_secret", "access_key"];

    public static bool HasCredentials(string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return false;
        }
        if (text[0] == '{')
        {
            return JsonHasSecret(text);
        }
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return scheme > 0 ? UrlHasCredentials(text, scheme + 3) : DsnHasPassword(text);
    }

    /// <summary>userinfo with a password, or a secret-named query parameter with a value.</summary>
    private static bool UrlHasCredentials(string text, int authorityStart)
    {
        // the host starts after the last '@' that comes before any unencoded path of the host part; a
        // password may hold '/', '#', '?' and even '@', so search for the last '@' in the whole rest
        var at = text.LastIndexOf('@');
        if (at > authorityStart)
        {
            var userinfo = text.AsSpan(authorityStart, at - authorityStart);
            var colon = userinfo.IndexOf(':');
            if (colon >= 0 && colon < userinfo.Length - 1 && !LooksLikePortThenPath(userinfo[(colon + 1)..]))
            {
                return true;
            }
        }
        var query = text.IndexOf('?', authorityStart);
        return query >= 0 && QueryHasSecret(text.AsSpan(query + 1));
    }

    /// <summary>"host:5432/db?x=a@b": the text after the colon is a port and a path, not a password.</summary>
    private static bool LooksLikePortThenPath(ReadOnlySpan<char> afterColon)
    {
        var digits = 0;
        while (digits < afterColon.Length && char.IsAsciiDigit(afterColon[digits]))
        {
            digits++;
        }
        return digits > 0 && digits < afterColon.Length && afterColon[digits] is '/' or '?';
    }

    private static bool QueryHasSecret(ReadOnlySpan<char> query)
    {
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals > 0 && equals < pair.Length - 1 && IsSecretName(pair[..equals]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>libpq's "host=db user=airflow password=secret dbname=airflow".</summary>
    private static bool DsnHasPassword(string text)
    {
        foreach (var range in text.AsSpan().Split(' '))
        {
            var pair = text.AsSpan()[range];
            var equals = pair.IndexOf('=');
            if (equals > 0 && equals < pair.Length - 1 && pair[..equals].Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool JsonHasSecret(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            return ElementHasSecret(document.RootElement, 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A secret-named key with a non-empty value, at any depth (Airflow's "extra" may be an object or a JSON string).</summary>
    private static bool ElementHasSecret(JsonElement element, int depth)
    {
        if (depth > 8)
        {
            return false;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } text &&
                        (IsSecretName(property.Name) || (property.Name == "extra" && text.TrimStart().StartsWith('{') && JsonHasSecret(text))))
                    {
                        return true;
                    }
                    if (ElementHasSecret(property.Value, depth + 1))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (ElementHasSecret(item, depth + 1))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private static bool IsSecretName(ReadOnlySpan<char> name)
    {
        foreach (var word in SecretWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
