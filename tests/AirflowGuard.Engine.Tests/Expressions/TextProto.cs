using System.Globalization;
using System.Text;

namespace AirflowGuard.Engine.Tests.Expressions;

/// <summary>
/// Just enough of the protobuf text format to read cel-spec's conformance files: messages as ordered
/// lists of fields, scalars kept as text (strings unescaped to their bytes).
/// </summary>
public sealed class TextProto
{
    public List<(string Name, object Value)> Fields { get; } = [];

    public TextProto? Message(string name) => Fields.FirstOrDefault(f => f.Name == name).Value as TextProto;

    public IEnumerable<TextProto> Messages(string name) => Fields.Where(f => f.Name == name).Select(f => f.Value).OfType<TextProto>();

    public string? Scalar(string name) => Fields.FirstOrDefault(f => f.Name == name).Value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    public byte[]? Bytes(string name) => Fields.FirstOrDefault(f => f.Name == name).Value as byte[];

    public bool Has(string name) => Fields.Any(f => f.Name == name);

    public static TextProto Parse(string text)
    {
        var at = 0;
        var message = ParseFields(text, ref at, null);
        return message;
    }

    private static TextProto ParseFields(string text, ref int at, char? close)
    {
        var message = new TextProto();
        while (true)
        {
            Skip(text, ref at);
            if (at >= text.Length)
            {
                return close is null ? message : throw new FormatException("unterminated message");
            }
            if (close is { } c && text[at] == c)
            {
                at++;
                return message;
            }
            string name;
            if (text[at] == '[')
            {
                var end = text.IndexOf(']', at);
                name = text[at..(end + 1)];
                at = end + 1;
            }
            else
            {
                var start = at;
                while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '_'))
                {
                    at++;
                }
                name = text[start..at];
            }
            Skip(text, ref at);
            if (text[at] == ':')
            {
                at++;
                Skip(text, ref at);
            }
            if (text[at] == '[')
            {
                at++;
                while (true)
                {
                    Skip(text, ref at);
                    if (text[at] == ']')
                    {
                        at++;
                        break;
                    }
                    message.Fields.Add((name, Value(text, ref at)));
                    Skip(text, ref at);
                    if (text[at] == ',')
                    {
                        at++;
                    }
                }
            }
            else
            {
                message.Fields.Add((name, Value(text, ref at)));
            }
            Skip(text, ref at);
            if (at < text.Length && text[at] is ',' or ';')
            {
                at++;
            }
        }
    }

    private static object Value(string text, ref int at)
    {
        if (text[at] is '{' or '<')
        {
            var close = text[at] == '{' ? '}' : '>';
            at++;
            return ParseFields(text, ref at, close);
        }
        if (text[at] is '"' or '\'')
        {
            var bytes = new List<byte>();
            while (at < text.Length && text[at] is '"' or '\'')
            {
                bytes.AddRange(QuotedString(text, ref at));
                Skip(text, ref at);
            }
            return bytes.ToArray();
        }
        var start = at;
        while (at < text.Length && !char.IsWhiteSpace(text[at]) && text[at] is not (',' or ';' or '}' or '>' or ']'))
        {
            at++;
        }
        return text[start..at];
    }

    private static List<byte> QuotedString(string text, ref int at)
    {
        var quote = text[at++];
        var bytes = new List<byte>();
        while (text[at] != quote)
        {
            var c = text[at++];
            if (c != '\\')
            {
                var rune = Rune.GetRuneAt(text, at - 1);
                var buffer = new byte[4];
                bytes.AddRange(buffer.AsSpan(0, rune.EncodeToUtf8(buffer)).ToArray());
                at += rune.Utf16SequenceLength - 1;
                continue;
            }
            var e = text[at++];
            switch (e)
            {
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case 'x':
                    var hex = 0;
                    var n = 0;
                    while (n < 2 && char.IsAsciiHexDigit(text[at]))
                    {
                        hex = (hex * 16) + int.Parse(text[at].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        at++;
                        n++;
                    }
                    bytes.Add((byte)hex);
                    break;
                case 'u' or 'U':
                    var digits = e == 'u' ? 4 : 8;
                    var code = int.Parse(text.AsSpan(at, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    at += digits;
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                    break;
                case >= '0' and <= '7':
                    var octal = e - '0';
                    for (var i = 0; i < 2 && text[at] is >= '0' and <= '7'; i++)
                    {
                        octal = (octal * 8) + (text[at++] - '0');
                    }
                    bytes.Add((byte)octal);
                    break;
                default: bytes.Add((byte)e); break;
            }
        }
        at++;
        return bytes;
    }

    private static void Skip(string text, ref int at)
    {
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at]))
            {
                at++;
            }
            else if (text[at] == '#')
            {
                while (at < text.Length && text[at] != '\n')
                {
                    at++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
