using System.Text;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// A message with <c>{placeholder}</c>s, split into parts once at load. Unknown placeholders are a
/// load error, so a typo never reaches a user as a literal "{volme}".
/// </summary>
public sealed class MessageTemplate
{
    private readonly (string Text, bool IsPlaceholder)[] _parts;

    private MessageTemplate(string text, (string, bool)[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>The literal texts and placeholder names, in order.</summary>
    internal IReadOnlyList<(string Text, bool IsPlaceholder)> Parts => _parts;

    /// <summary>Parses <paramref name="text"/>; returns an error message for an unknown or unclosed placeholder.</summary>
    public static MessageTemplate Parse(string text, IReadOnlyCollection<string> allowed, out string? error)
    {
        error = null;
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }
            if (text[i] != '{')
            {
                literal.Append(text[i]);
                continue;
            }
            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                error = $"unclosed placeholder at character {i + 1}; write {{{{ for a literal brace";
                break;
            }
            var name = text[(i + 1)..close];
            if (!allowed.Contains(name))
            {
                var suggestion = NameSuggestion.Closest(name, allowed);
                error = $"unknown placeholder {{{name}}}" + (suggestion is null ? "" : $"; did you mean {{{suggestion}}}?") +
                        $" (this rule offers: {string.Join(", ", allowed.Order(StringComparer.Ordinal).Select(a => "{" + a + "}"))})";
                break;
            }
            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), false));
                literal.Clear();
            }
            parts.Add((name, true));
            i = close;
        }
        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), false));
        }
        return new MessageTemplate(text, [.. parts]);
    }

    public string Render(IMessageValues values)
    {
        if (_parts.Length == 1 && !_parts[0].IsPlaceholder)
        {
            return _parts[0].Text;
        }
        var builder = new StringBuilder(Text.Length + 64);
        foreach (var (text, isPlaceholder) in _parts)
        {
            builder.Append(isPlaceholder ? values.Get(text) ?? "?" : text);
        }
        return builder.ToString();
    }

    public override string ToString() => Text;
}
