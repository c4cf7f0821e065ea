using System.Text;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// The string functions of CEL and of its strings extension as Kubernetes enables it (charAt, indexOf,
/// lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join, reverse). Positions and
/// sizes count code points, as the spec says, not UTF-16 units.
/// </summary>
internal static class CelStrings
{
    public static CelValue Size(CelValue v) => v.Kind switch
    {
        CelKind.String => CelValue.Int(CodePoints(v.AsString)),
        CelKind.Bytes => CelValue.Int(v.AsBytes.Length),
        CelKind.List => CelValue.Int(v.AsList.Count),
        CelKind.Map => CelValue.Int(v.AsMap.Count),
        CelKind.Error => v,
        _ => CelValue.NoSuchOverload("size"),
    };

    public static int CodePoints(string s)
    {
        var count = s.Length;
        foreach (var c in s)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }
        return count;
    }

    private static bool HasSurrogates(string s)
    {
        foreach (var c in s)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The UTF-16 offset of code point <paramref name="index"/>, or -1 past the end.</summary>
    private static int Offset(string s, long index)
    {
        if (index < 0)
        {
            return -1;
        }
        if (!HasSurrogates(s))
        {
            return index <= s.Length ? (int)index : -1;
        }
        var at = 0;
        for (var i = 0L; i < index; i++)
        {
            if (at >= s.Length)
            {
                return -1;
            }
            at += char.IsHighSurrogate(s[at]) && at + 1 < s.Length ? 2 : 1;
        }
        return at;
    }

    private static int IndexOfOffset(string s, int offset) => HasSurrogates(s) ? CodePoints(s[..offset]) : offset;

    public static CelValue Contains(CelValue s, CelValue sub) =>
        Both(s, sub, "contains") ?? CelValue.Bool(s.AsString.Contains(sub.AsString, StringComparison.Ordinal));

    public static CelValue StartsWith(CelValue s, CelValue prefix) =>
        Both(s, prefix, "startsWith") ?? CelValue.Bool(s.AsString.StartsWith(prefix.AsString, StringComparison.Ordinal));

    public static CelValue EndsWith(CelValue s, CelValue suffix) =>
        Both(s, suffix, "endsWith") ?? CelValue.Bool(s.AsString.EndsWith(suffix.AsString, StringComparison.Ordinal));

    private static CelValue? Both(in CelValue a, in CelValue b, string function) =>
        a.IsError ? a : b.IsError ? b : a.Kind != CelKind.String || b.Kind != CelKind.String ? CelValue.NoSuchOverload(function) : null;

    public static CelValue CharAt(CelValue s, CelValue index)
    {
        if (s.IsError || index.IsError || s.Kind != CelKind.String || index.Kind != CelKind.Int)
        {
            return Strict(s, index, "charAt");
        }
        var text = s.AsString;
        var at = Offset(text, index.AsInt);
        if (at < 0)
        {
            return CelValue.Error($"index out of range: {index.AsInt}");
        }
        if (at == text.Length)
        {
            return CelValue.String("");
        }
        return CelValue.String(text.Substring(at, char.IsHighSurrogate(text[at]) && at + 1 < text.Length ? 2 : 1));
    }

    public static CelValue IndexOf(CelValue s, CelValue sub, CelValue start, bool last)
    {
        var name = last ? "lastIndexOf" : "indexOf";
        if (s.IsError || sub.IsError || start.IsError || s.Kind != CelKind.String || sub.Kind != CelKind.String || start.Kind is not (CelKind.Int or CelKind.Null))
        {
            return s.IsError ? s : sub.IsError ? sub : start.IsError ? start : CelValue.NoSuchOverload(name);
        }
        var text = s.AsString;
        var needle = sub.AsString;
        int from;
        if (start.Kind == CelKind.Null)
        {
            from = last ? text.Length : 0;
        }
        else
        {
            from = Offset(text, start.AsInt);
            if (from < 0)
            {
                return CelValue.Error($"index out of range: {start.AsInt}");
            }
        }
        int found;
        if (last)
        {
            var limit = Math.Min(text.Length, from + needle.Length);
            found = text[..limit].LastIndexOf(needle, StringComparison.Ordinal);
        }
        else
        {
            found = text.IndexOf(needle, from, StringComparison.Ordinal);
        }
        return CelValue.Int(found < 0 ? -1 : IndexOfOffset(text, found));
    }

    public static CelValue LowerAscii(CelValue s) => Unary(s, "lowerAscii", text => string.Create(text.Length, text, static (span, t) =>
    {
        for (var i = 0; i < t.Length; i++)
        {
            span[i] = t[i] is >= 'A' and <= 'Z' ? (char)(t[i] + 32) : t[i];
        }
    }));

    public static CelValue UpperAscii(CelValue s) => Unary(s, "upperAscii", text => string.Create(text.Length, text, static (span, t) =>
    {
        for (var i = 0; i < t.Length; i++)
        {
            span[i] = t[i] is >= 'a' and <= 'z' ? (char)(t[i] - 32) : t[i];
        }
    }));

    public static CelValue Trim(CelValue s) => Unary(s, "trim", text => text.Trim());

    public static CelValue Reverse(CelValue s) => Unary(s, "reverse", text =>
    {
        var runes = text.EnumerateRunes().ToArray();
        Array.Reverse(runes);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in runes)
        {
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    });

    private static CelValue Unary(in CelValue s, string name, Func<string, string> f) =>
        s.IsError ? s : s.Kind != CelKind.String ? CelValue.NoSuchOverload(name) : CelValue.String(f(s.AsString));

    public static CelValue Replace(CelValue s, CelValue old, CelValue replacement, CelValue count)
    {
        if (s.Kind != CelKind.String || old.Kind != CelKind.String || replacement.Kind != CelKind.String || count.Kind is not (CelKind.Int or CelKind.Null))
        {
            return Strict(s, old, replacement, count, "replace");
        }
        var n = count.Kind == CelKind.Null ? -1 : count.AsInt;
        var text = s.AsString;
        if (n < 0)
        {
            return CelValue.String(old.AsString.Length == 0 ? ReplaceEmpty(text, replacement.AsString, -1) : text.Replace(old.AsString, replacement.AsString, StringComparison.Ordinal));
        }
        if (old.AsString.Length == 0)
        {
            return CelValue.String(ReplaceEmpty(text, replacement.AsString, n));
        }
        var builder = new StringBuilder();
        var at = 0;
        for (var done = 0L; done < n; done++)
        {
            var next = text.IndexOf(old.AsString, at, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }
            builder.Append(text, at, next - at).Append(replacement.AsString);
            at = next + old.AsString.Length;
        }
        return CelValue.String(builder.Append(text, at, text.Length - at).ToString());
    }

    /// <summary>Go's strings.Replace with an empty old string: the replacement before each code point and at the end.</summary>
    private static string ReplaceEmpty(string text, string replacement, long n)
    {
        var builder = new StringBuilder();
        var done = 0L;
        foreach (var rune in text.EnumerateRunes())
        {
            if (n < 0 || done < n)
            {
                builder.Append(replacement);
                done++;
            }
            builder.Append(rune.ToString());
        }
        if (n < 0 || done < n)
        {
            builder.Append(replacement);
        }
        return builder.ToString();
    }

    public static CelValue Split(CelValue s, CelValue separator, CelValue limit)
    {
        if (s.Kind != CelKind.String || separator.Kind != CelKind.String || limit.Kind is not (CelKind.Int or CelKind.Null))
        {
            return Strict(s, separator, limit, CelValue.Null, "split");
        }
        var n = limit.Kind == CelKind.Null ? -1 : limit.AsInt;
        if (n == 0)
        {
            return CelValue.List(CelList.Empty);
        }
        var text = s.AsString;
        var sep = separator.AsString;
        string[] parts;
        if (sep.Length == 0)
        {
            var runes = text.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                var head = runes.Take((int)n - 1).ToList();
                head.Add(string.Concat(runes.Skip((int)n - 1)));
                runes = head;
            }
            parts = [.. runes];
        }
        else
        {
            parts = n < 0 ? text.Split(sep) : text.Split(sep, (int)Math.Min(n, int.MaxValue));
        }
        return CelValue.List(CelList.Of([.. parts.Select(CelValue.String)]));
    }

    public static CelValue Substring(CelValue s, CelValue start, CelValue end)
    {
        if (s.Kind != CelKind.String || start.Kind != CelKind.Int || end.Kind is not (CelKind.Int or CelKind.Null))
        {
            return Strict(s, start, end, CelValue.Null, "substring");
        }
        var text = s.AsString;
        var from = Offset(text, start.AsInt);
        if (from < 0)
        {
            return CelValue.Error($"index out of range: {start.AsInt}");
        }
        if (end.Kind == CelKind.Null)
        {
            return CelValue.String(text[from..]);
        }
        if (end.AsInt < start.AsInt)
        {
            return CelValue.Error($"invalid substring range. start: {start.AsInt}, end: {end.AsInt}");
        }
        var to = Offset(text, end.AsInt);
        return to < 0 ? CelValue.Error($"index out of range: {end.AsInt}") : CelValue.String(text[from..to]);
    }

    public static CelValue Join(CelValue list, CelValue separator)
    {
        if (list.Kind != CelKind.List || separator.Kind is not (CelKind.String or CelKind.Null))
        {
            return Strict(list, separator, "join");
        }
        var items = list.AsList;
        var builder = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != CelKind.String)
            {
                return item.IsError ? item : CelValue.NoSuchOverload("join");
            }
            if (i > 0 && separator.Kind == CelKind.String)
            {
                builder.Append(separator.AsString);
            }
            builder.Append(item.AsString);
        }
        return CelValue.String(builder.ToString());
    }

    private static CelValue Strict(in CelValue a, in CelValue b, string name) =>
        a.IsError ? a : b.IsError ? b : CelValue.NoSuchOverload(name);

    private static CelValue Strict(in CelValue a, in CelValue b, in CelValue c, in CelValue d, string name) =>
        a.IsError ? a : b.IsError ? b : c.IsError ? c : d.IsError ? d : CelValue.NoSuchOverload(name);
}
