using System.Globalization;
using System.Text;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>CEL's lexical grammar: numbers (decimal and hex, u suffix), strings and bytes with every escape, raw and triple-quoted forms, comments.</summary>
internal static class CelLexer
{
    private static readonly string[] Puncts = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", "[", "]", "(", ")", "{", "}"];

    public static List<Token> Tokens(string text)
    {
        var tokens = new List<Token>();
        var at = 0;
        while (true)
        {
            at = SkipSpace(text, at);
            if (at >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, at, ""));
                return tokens;
            }
            var c = text[at];
            if (char.IsAsciiDigit(c) || (c == '.' && at + 1 < text.Length && char.IsAsciiDigit(text[at + 1]) && !AfterOperand(tokens)))
            {
                tokens.Add(Number(text, ref at));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(Quoted(text, ref at, at, raw: false, bytes: false));
            }
            else if ((c is 'r' or 'R' or 'b' or 'B') && StringPrefix(text, at) is var prefix and > 0)
            {
                var start = at;
                var raw = text.AsSpan(at, prefix).ContainsAny('r', 'R');
                var bytes = text.AsSpan(at, prefix).ContainsAny('b', 'B');
                at += prefix;
                tokens.Add(Quoted(text, ref at, start, raw, bytes));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = at;
                while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] == '_'))
                {
                    at++;
                }
                tokens.Add(new Token(TokenKind.Ident, start, text[start..at]));
            }
            else if (c == '`')
            {
                var end = text.IndexOf('`', at + 1);
                if (end < 0)
                {
                    throw new CelSyntaxException(at, "unterminated quoted field name");
                }
                tokens.Add(new Token(TokenKind.Ident, at, text[(at + 1)..end], CelValue.True));
                at = end + 1;
            }
            else
            {
                var punct = Array.Find(Puncts, p => string.CompareOrdinal(text, at, p, 0, p.Length) == 0)
                    ?? throw new CelSyntaxException(at, $"unexpected character '{c}'");
                tokens.Add(new Token(TokenKind.Punct, at, punct));
                at += punct.Length;
            }
        }
    }

    private static bool AfterOperand(List<Token> tokens) =>
        tokens.Count > 0 && tokens[^1] is var t && (t.Kind is TokenKind.Ident or TokenKind.Int or TokenKind.Uint or TokenKind.Double or TokenKind.String or TokenKind.Bytes
            || (t.Kind == TokenKind.Punct && t.Text is ")" or "]" or "}"));

    private static int SkipSpace(string text, int at)
    {
        while (at < text.Length)
        {
            if (text[at] is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                at++;
            }
            else if (text[at] == '/' && at + 1 < text.Length && text[at + 1] == '/')
            {
                while (at < text.Length && text[at] != '\n')
                {
                    at++;
                }
            }
            else
            {
                break;
            }
        }
        return at;
    }

    /// <summary>The length of a string prefix (r, b, rb, br in any case) directly followed by a quote; 0 when there is none.</summary>
    private static int StringPrefix(string text, int at)
    {
        static bool Quote(string t, int i) => i < t.Length && t[i] is '\'' or '"';
        if (Quote(text, at + 1))
        {
            return 1;
        }
        return at + 1 < text.Length && char.ToLowerInvariant(text[at]) != char.ToLowerInvariant(text[at + 1])
            && text[at + 1] is 'r' or 'R' or 'b' or 'B' && Quote(text, at + 2) ? 2 : 0;
    }

    private static Token Number(string text, ref int at)
    {
        var start = at;
        if (text[at] == '0' && at + 1 < text.Length && text[at + 1] is 'x' or 'X')
        {
            at += 2;
            var digits = at;
            while (at < text.Length && char.IsAsciiHexDigit(text[at]))
            {
                at++;
            }
            var hex = text[digits..at];
            if (hex.Length == 0)
            {
                throw new CelSyntaxException(start, "invalid hex literal");
            }
            if (at < text.Length && text[at] is 'u' or 'U')
            {
                at++;
                return ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hu)
                    ? new Token(TokenKind.Uint, start, text[start..at], CelValue.Uint(hu))
                    : throw new CelSyntaxException(start, "uint literal out of range");
            }
            return ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hi) && hi <= 0x8000000000000000
                ? new Token(TokenKind.Int, start, text[start..at], CelValue.Uint(hi))
                : throw new CelSyntaxException(start, "int literal out of range");
        }
        while (at < text.Length && char.IsAsciiDigit(text[at]))
        {
            at++;
        }
        var isDouble = false;
        if (at + 1 < text.Length && text[at] == '.' && char.IsAsciiDigit(text[at + 1]))
        {
            isDouble = true;
            at++;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                at++;
            }
        }
        if (at < text.Length && text[at] is 'e' or 'E')
        {
            var e = at + 1;
            if (e < text.Length && text[e] is '+' or '-')
            {
                e++;
            }
            if (e < text.Length && char.IsAsciiDigit(text[e]))
            {
                isDouble = true;
                at = e;
                while (at < text.Length && char.IsAsciiDigit(text[at]))
                {
                    at++;
                }
            }
        }
        var literal = text[start..at];
        if (isDouble)
        {
            return new Token(TokenKind.Double, start, literal, CelValue.Double(double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        if (at < text.Length && text[at] is 'u' or 'U')
        {
            at++;
            return ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                ? new Token(TokenKind.Uint, start, text[start..at], CelValue.Uint(u))
                : throw new CelSyntaxException(start, "uint literal out of range");
        }
        // the magnitude, as a uint: the parser folds a leading minus in so that -9223372036854775808 is an int
        return ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude) && magnitude <= 0x8000000000000000
            ? new Token(TokenKind.Int, start, literal, CelValue.Uint(magnitude))
            : throw new CelSyntaxException(start, "int literal out of range");
    }

    private static Token Quoted(string text, ref int at, int start, bool raw, bool bytes)
    {
        var quote = text[at];
        var triple = at + 2 < text.Length && text[at + 1] == quote && text[at + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        at += delimiter.Length;
        var buffer = new List<byte>();
        var utf8 = new byte[4];
        while (true)
        {
            if (at >= text.Length)
            {
                throw new CelSyntaxException(start, "unterminated string literal");
            }
            if (string.CompareOrdinal(text, at, delimiter, 0, delimiter.Length) == 0)
            {
                at += delimiter.Length;
                break;
            }
            var c = text[at];
            if (!triple && c is '\n' or '\r')
            {
                throw new CelSyntaxException(at, "newline in a single-quoted string literal (use ''' or \\n)");
            }
            if (c == '\\' && !raw)
            {
                Escape(text, ref at, buffer, bytes);
                continue;
            }
            if (c == '\\' && raw && at + 1 < text.Length && text[at + 1] == quote)
            {
                // a raw string keeps the backslash, and the quote does not end it
                buffer.Add((byte)'\\');
                buffer.Add((byte)quote);
                at += 2;
                continue;
            }
            var rune = Rune.GetRuneAt(text, at);
            var n = rune.EncodeToUtf8(utf8);
            buffer.AddRange(utf8.AsSpan(0, n));
            at += rune.Utf16SequenceLength;
        }
        var data = buffer.ToArray();
        if (bytes)
        {
            return new Token(TokenKind.Bytes, start, text[start..at], CelValue.Bytes(data));
        }
        try
        {
            return new Token(TokenKind.String, start, text[start..at], CelValue.String(new UTF8Encoding(false, true).GetString(data)));
        }
        catch (DecoderFallbackException)
        {
            throw new CelSyntaxException(start, "invalid UTF-8 in string literal");
        }
    }

    private static void Escape(string text, ref int at, List<byte> buffer, bool bytes)
    {
        var start = at;
        at++;
        if (at >= text.Length)
        {
            throw new CelSyntaxException(start, "unterminated escape sequence");
        }
        var c = text[at++];
        switch (c)
        {
            case 'a': buffer.Add(7); return;
            case 'b': buffer.Add(8); return;
            case 'f': buffer.Add(12); return;
            case 'n': buffer.Add(10); return;
            case 'r': buffer.Add(13); return;
            case 't': buffer.Add(9); return;
            case 'v': buffer.Add(11); return;
            case '\\' or '\'' or '"' or '`' or '?': buffer.Add((byte)c); return;
            case 'x' or 'X':
                buffer.AddRange(Code(text, ref at, 2, 16, start, bytes));
                return;
            case 'u':
                if (bytes)
                {
                    throw new CelSyntaxException(start, "\\u is not allowed in bytes literals");
                }
                buffer.AddRange(Code(text, ref at, 4, 16, start, bytes));
                return;
            case 'U':
                if (bytes)
                {
                    throw new CelSyntaxException(start, "\\U is not allowed in bytes literals");
                }
                buffer.AddRange(Code(text, ref at, 8, 16, start, bytes));
                return;
            case >= '0' and <= '3':
                at--;
                buffer.AddRange(Code(text, ref at, 3, 8, start, bytes));
                return;
            default:
                throw new CelSyntaxException(start, $"invalid escape sequence \\{c}");
        }
    }

    /// <summary>A \x, \u, \U or octal escape: one raw byte in bytes literals (\x, octal), else a code point in UTF-8.</summary>
    private static byte[] Code(string text, ref int at, int digits, int radix, int start, bool bytes)
    {
        if (at + digits > text.Length)
        {
            throw new CelSyntaxException(start, "truncated escape sequence");
        }
        var value = 0;
        for (var i = 0; i < digits; i++)
        {
            var d = text[at + i];
            var digit = radix == 8 ? (d is >= '0' and <= '7' ? d - '0' : -1) : (char.IsAsciiHexDigit(d) ? Convert.ToInt32(d.ToString(), 16) : -1);
            if (digit < 0)
            {
                throw new CelSyntaxException(start, "invalid escape sequence");
            }
            value = (value * radix) + digit;
        }
        at += digits;
        if (bytes && digits <= 3)
        {
            return [(byte)value];
        }
        if (value is >= 0xD800 and <= 0xDFFF || value > 0x10FFFF)
        {
            throw new CelSyntaxException(start, "invalid code point in escape sequence");
        }
        var utf8 = new byte[4];
        var n = new Rune(value).EncodeToUtf8(utf8);
        return utf8[..n];
    }
}
