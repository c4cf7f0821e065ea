namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// A shell-style pattern: <c>*</c> matches any run of characters, <c>?</c> one character. Case-sensitive.
/// Compiled when the policy loads: the shapes policies use (<c>X</c>, <c>X*</c>, <c>*X</c>, <c>*X*</c>,
/// <c>X*Y</c>) are a single vectorised comparison, and only other patterns run the general matcher.
/// </summary>
public sealed class Glob
{
    private readonly string _pattern;
    private readonly Shape _shape;
    private readonly string _head = "";
    private readonly string _tail = "";

    public Glob(string pattern)
    {
        _pattern = pattern;
        var span = pattern.AsSpan();
        if (span.IndexOf('?') >= 0)
        {
            _shape = Shape.General;
        }
        else if (span.IndexOf('*') is var star && star < 0)
        {
            _shape = Shape.Literal;
        }
        else
        {
            var last = span.LastIndexOf('*');
            if (star == last)
            {
                // X* or *X or X*Y (and "*": matches everything, a prefix of "")
                (_head, _tail) = (pattern[..star], pattern[(star + 1)..]);
                _shape = _tail.Length == 0 ? Shape.Prefix : _head.Length == 0 ? Shape.Suffix : Shape.PrefixSuffix;
            }
            else if (star == 0 && last == span.Length - 1 && span[1..last].IndexOf('*') < 0)
            {
                _head = pattern[1..last];
                _shape = Shape.Contains;
            }
            else
            {
                _shape = Shape.General;
            }
        }
        Anchor = LongestLiteralRun(pattern);
    }

    private enum Shape
    {
        Literal,
        Prefix,
        Suffix,
        PrefixSuffix,
        Contains,
        General,
    }

    public string Pattern => _pattern;

    /// <summary>The longest run of plain characters: every matching text contains it ("" for <c>*</c> or <c>?</c>).</summary>
    internal string Anchor { get; }

    public bool IsMatch(string text) => _shape switch
    {
        Shape.Literal => string.Equals(_pattern, text, StringComparison.Ordinal),
        Shape.Prefix => text.StartsWith(_head, StringComparison.Ordinal),
        Shape.Suffix => text.EndsWith(_tail, StringComparison.Ordinal),
        Shape.PrefixSuffix => text.Length >= _head.Length + _tail.Length &&
                              text.StartsWith(_head, StringComparison.Ordinal) && text.EndsWith(_tail, StringComparison.Ordinal),
        Shape.Contains => text.Contains(_head, StringComparison.Ordinal),
        _ => Match(_pattern, text),
    };

    public override string ToString() => _pattern;

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    private static string LongestLiteralRun(string pattern)
    {
        var best = "";
        foreach (var range in pattern.AsSpan().SplitAny("*?"))
        {
            if (range.End.GetOffset(pattern.Length) - range.Start.GetOffset(pattern.Length) > best.Length)
            {
                best = pattern[range];
            }
        }
        return best;
    }

    public static bool AnyMatch(IReadOnlyList<Glob> globs, string text)
    {
        for (var i = 0; i < globs.Count; i++)
        {
            if (globs[i].IsMatch(text))
            {
                return true;
            }
        }
        return false;
    }
}
