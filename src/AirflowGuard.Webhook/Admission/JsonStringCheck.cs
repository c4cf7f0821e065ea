using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// Finds the first string or property name in a JSON body that is not valid Unicode: invalid UTF-8
/// bytes, or an escape that decodes to a lone surrogate (<c>"\ud800"</c>). The JSON reader accepts
/// both and only fails when the string is read, deep inside the engine. The handler checks the UTF-8
/// before reading and the reader notes surrogate escapes as it reads (<see cref="JsonCursor.HasSurrogateEscapes"/>);
/// either way, such a body is a 400 naming the path, found here in one forward pass, with no recursion and no
/// allocation for names and strings without escapes.
/// </summary>
public static class JsonStringCheck
{
    /// <summary>The problem of a body with a string that is not valid Unicode at <paramref name="path"/> (from <see cref="FindInvalid"/>).</summary>
    public static BadAdmissionRequest Problem(string path) => new("bad-string",
        $"a string at {path} is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\ud800)", path);

    /// <summary>
    /// The path of the first bad string (<c>request.object.metadata.name</c>), or null when every string is valid (a body
    /// whose surrogate escapes are all in pairs). The body must already have parsed as JSON. Asked only of a body that
    /// failed the UTF-8 check or in which the reader noted a surrogate escape: nearly every body is never walked here.
    /// </summary>
    public static string? FindInvalid(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new JsonCursor(json, maxDepth);
        var containers = new List<Container>();
        var name = default(Name);
        while (reader.Read())
        {
            var token = reader.TokenType;
            switch (token)
            {
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    containers.RemoveAt(containers.Count - 1);
                    continue;
                case JsonTokenType.PropertyName:
                    var (start, length) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    if (!IsValid(ref reader))
                    {
                        return Describe(json, containers, "(a property name)", skipTopName: true);
                    }
                    name = new Name(start, length, reader.ValueIsEscaped ? reader.GetString() : null);
                    continue;
                default:
                    break;
            }
            // a value: name it within its container
            if (containers.Count > 0)
            {
                var top = containers[^1];
                containers[^1] = top.IsArray ? top with { Index = top.Index + 1, Current = new Name(-1, top.Index, null) } : top with { Current = name };
            }
            if (token == JsonTokenType.String && !IsValid(ref reader))
            {
                return Describe(json, containers, null, skipTopName: false);
            }
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                containers.Add(new Container(token == JsonTokenType.StartArray, 0, default));
            }
        }
        return null;
    }

    private static bool IsValid(ref JsonCursor reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(ReadOnlySpan<byte> json, List<Container> containers, string? last, bool skipTopName)
    {
        var text = new StringBuilder();
        for (var i = 0; i < containers.Count - (skipTopName ? 1 : 0); i++)
        {
            var current = containers[i].Current;
            if (current.Start < 0)
            {
                text.Append('[').Append(current.Length).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(current.Escaped ?? Encoding.UTF8.GetString(json.Slice(current.Start, current.Length)));
            }
        }
        if (last is not null)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(last);
        }
        return text.Length == 0 ? "$" : text.ToString();
    }

    /// <summary>A property name as a slice of the body (or its unescaped text), or an array index (Start -1, Length the index).</summary>
    private readonly record struct Name(int Start, int Length, string? Escaped);

    private readonly record struct Container(bool IsArray, int Index, Name Current);
}
