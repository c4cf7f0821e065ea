namespace AirflowGuard.Engine.Airflow;

/// <summary>A shell-style pattern: <c>*</c> matches any run of characters, <c>?</c> one character. Case-sensitive.</summary>
public sealed class Glob
{
    private readonly string _pattern;
    private readonly bool _literal;

    public Glob(string pattern)
    {
        _pattern = pattern;
        _literal = pattern.AsSpan().IndexOfAny('*', '?') < 0;
    }

    public string Pattern => _pattern;

    public bool IsMatch(string text) => _literal ? string.Equals(_pattern, text, StringComparison.Ordinal) : Match(_pattern, text);

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

    public static bool AnyMatch(IReadOnlyList<Glob> globs, string text)
    {
        foreach (var glob in globs)
        {
            if (glob.IsMatch(text))
            {
                return true;
            }
        }
        return false;
    }
}
