using System.Buffers;
using System.Text.Json;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Converts one YAML document straight to compact JSON, for the plain YAML that <c>helm template</c> and
/// <c>kubectl</c> emit: block mappings and sequences, plain, quoted and block scalars, and flow collections
/// that close on their own line. It is <c>check</c>'s fast path; YamlDotNet stays the reference.
/// <para>
/// It gives up (<see cref="Outcome.NotHandled"/>) on anything it does not read exactly as YamlDotNet does:
/// anchors, aliases, tags, directives, complex keys, multi-line plain or quoted scalars, flow collections
/// across lines, explicit block indentation, tabs, control characters and anything malformed. The caller
/// then parses the document with YamlDotNet, which also gives every error its message and location. So
/// the fast path never decides that a document is invalid, and never accepts one YamlDotNet refuses;
/// <c>BlockYamlReaderTests</c> holds it to YamlDotNet's output on every chart render in the repository
/// and on thousands of damaged documents.
/// </para>
/// </summary>
internal sealed class BlockYamlReader : IDisposable
{
    public enum Outcome
    {
        /// <summary>The document was one mapping, written as JSON.</summary>
        Converted,

        /// <summary>Only comments, blank lines and document markers.</summary>
        Empty,

        /// <summary>Not read: the caller parses it with YamlDotNet.</summary>
        NotHandled,
    }

    /// <summary>Characters that send a document to YamlDotNet wherever they appear: tabs, CR, controls, BOM, non-characters and surrogates.</summary>
    private static readonly SearchValues<char> Unusual = SearchValues.Create(Unusuals());

    private const int MaxKeyLength = 1024;

    [ThreadStatic]
    private static BlockYamlReader? t_reader;

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly List<(int Start, int Length)> _blockLines = [];
    private int[] _lineStarts = new int[256];
    private char[] _scratch = new char[256];
    private string _text = "";
    private int _lines;
    private int _line;
    private int _depth;

    // the keys (hashed) of the mappings being written, innermost last, to leave a duplicate key to YamlDotNet
    private readonly List<(int Depth, int Hash)> _keys = [];

    /// <summary>True while the value of the root mapping's "kind" is read; <see cref="_kind"/> is that value if it is a string.</summary>
    private bool _capture;
    private string? _kind;
    private bool _lastKeyIsKind;

    private BlockYamlReader() => _writer = new Utf8JsonWriter(_output, new JsonWriterOptions { SkipValidation = true });

    /// <summary>
    /// Reads <paramref name="text"/> (one document, as <see cref="YamlDocumentSplitter"/> cuts it). On
    /// <see cref="Outcome.Converted"/>, <paramref name="json"/> is the document as compact JSON (UTF-8),
    /// <paramref name="line"/> the 1-based line of its root mapping within <paramref name="text"/>, and
    /// <paramref name="kind"/> its "kind" when that is a string (as <see cref="Kubernetes.KubeObjectReader.Kind"/> reads it).
    /// </summary>
    public static Outcome TryConvert(string text, out byte[] json, out int line, out string? kind)
    {
        var reader = t_reader ??= new BlockYamlReader();
        var outcome = reader.Convert(text, out line);
        json = outcome == Outcome.Converted ? reader._output.WrittenSpan.ToArray() : [];
        kind = outcome == Outcome.Converted ? reader._kind : null;
        reader.Clear();
        if (reader._output.Capacity > 1024 * 1024)
        {
            t_reader = null; // one very large document: do not keep its buffers for the thread's life
            reader.Dispose();
        }
        return outcome;
    }

    private void Clear()
    {
        _text = "";
        _kind = null;
        _capture = false;
        _blockLines.Clear();
        _output.ResetWrittenCount();
        _writer.Reset(_output);
    }

    public void Dispose() => _writer.Dispose();

    private Outcome Convert(string text, out int rootLine)
    {
        rootLine = 0;
        if (text.AsSpan().ContainsAny(Unusual))
        {
            return Outcome.NotHandled;
        }
        _text = text;
        _depth = 0;
        _keys.Clear();
        IndexLines();
        _line = 0;
        SkipBlankAndComments();
        if (_line < _lines && IsMarker(_line, '-'))
        {
            if (!RestIsBlank(LineStart(_line) + 3))
            {
                return Outcome.NotHandled; // content on the marker's line ("--- |", "--- {}")
            }
            _line++;
            SkipBlankAndComments();
        }
        if (_line == _lines || IsMarker(_line, '.'))
        {
            return AfterDocument() ? Outcome.Empty : Outcome.NotHandled;
        }
        var start = LineStart(_line);
        if (Indent(_line) != 0 || !ScanKey(start, LineEnd(_line), out _, out _, out _))
        {
            return Outcome.NotHandled; // a root that is not a block mapping at column 0
        }
        rootLine = _line + 1;
        if (!Mapping(0, start) || !AfterDocument())
        {
            return Outcome.NotHandled;
        }
        _writer.Flush();
        return Outcome.Converted;
    }

    /// <summary>After the root: only blank lines and comments, or a "..." end marker followed by them.</summary>
    private bool AfterDocument()
    {
        SkipBlankAndComments();
        if (_line < _lines && IsMarker(_line, '.') && RestIsBlank(LineStart(_line) + 3))
        {
            _line++;
            SkipBlankAndComments();
        }
        return _line == _lines;
    }

    // ---- lines

    private void IndexLines()
    {
        _lines = 0;
        var position = 0;
        while (position < _text.Length)
        {
            if (_lines + 1 >= _lineStarts.Length)
            {
                Array.Resize(ref _lineStarts, _lineStarts.Length * 2);
            }
            _lineStarts[_lines++] = position;
            var newline = _text.IndexOf('\n', position);
            position = newline < 0 ? _text.Length : newline + 1;
        }
        _lineStarts[_lines] = _text.Length + (_text.EndsWith('\n') ? 0 : 1);
    }

    private int LineStart(int line) => _lineStarts[line];

    /// <summary>The position of the line's '\n' (or the text's end).</summary>
    private int LineEnd(int line) => _lineStarts[line + 1] - 1;

    private int Indent(int line)
    {
        var start = LineStart(line);
        var position = start;
        SkipSpaces(ref position, LineEnd(line));
        return position - start;
    }

    /// <summary>Blank (spaces only) or a comment.</summary>
    private bool IsBlankOrComment(int line)
    {
        var position = LineStart(line) + Indent(line);
        return position == LineEnd(line) || _text[position] == '#';
    }

    private void SkipBlankAndComments()
    {
        while (_line < _lines && IsBlankOrComment(_line))
        {
            _line++;
        }
    }

    /// <summary>Moves to the next line with content and returns its indentation; -1 at the document's end (its last line or a marker).</summary>
    private int NextIndent()
    {
        SkipBlankAndComments();
        return _line == _lines || IsMarker(_line, '-') || IsMarker(_line, '.') ? -1 : Indent(_line);
    }

    /// <summary>A "---" or "..." document marker line.</summary>
    private bool IsMarker(int line, char c)
    {
        var start = LineStart(line);
        var end = LineEnd(line);
        return end - start >= 3 && _text[start] == c && _text[start + 1] == c && _text[start + 2] == c &&
               (end - start == 3 || _text[start + 3] == ' ');
    }

    /// <summary>From <paramref name="position"/> to the line's end: spaces, then nothing or a comment.</summary>
    private bool RestIsBlank(int position)
    {
        var end = LineEnd(_line);
        var spaced = position < end && _text[position] == ' ';
        SkipSpaces(ref position, end);
        return position == end || (spaced && _text[position] == '#');
    }

    // ---- block structure

    /// <summary>A block mapping whose keys stand at column <paramref name="indent"/>; the first key starts at <paramref name="position"/> on the current line.</summary>
    private bool Mapping(int indent, int position)
    {
        if (!Enter())
        {
            return false;
        }
        _writer.WriteStartObject();
        while (true)
        {
            var end = LineEnd(_line);
            if (!ScanKey(position, end, out var keyEnd, out var afterColon, out var quoted))
            {
                return false;
            }
            if (!WriteKey(position, keyEnd, quoted))
            {
                return false;
            }
            if (_depth == 1 && _lastKeyIsKind)
            {
                _kind = null; // the last "kind" counts, as in a JsonElement
                _capture = true;
            }
            var read = Value(indent, afterColon, sequenceAtIndent: true);
            _capture = false;
            if (!read)
            {
                return false;
            }
            var next = NextIndent();
            if (next < indent)
            {
                break;
            }
            position = LineStart(_line) + next;
            if (next > indent || IsEntry(position))
            {
                return false; // a continuation line, or an entry where a key belongs
            }
        }
        _writer.WriteEndObject();
        _depth--;
        return true;
    }

    /// <summary>A block sequence whose dashes stand at column <paramref name="indent"/>, starting on the current line.</summary>
    private bool Sequence(int indent)
    {
        if (!Enter())
        {
            return false;
        }
        _writer.WriteStartArray();
        while (true)
        {
            var end = LineEnd(_line);
            var position = LineStart(_line) + indent + 1; // after the dash
            SkipSpaces(ref position, end);
            if (position < end && IsEntry(position))
            {
                return false; // "- - x": a sequence in a sequence on one line
            }
            if (position < end && _text[position] != '#' && ScanKey(position, end, out _, out _, out _))
            {
                if (!Mapping(position - LineStart(_line), position))
                {
                    return false;
                }
            }
            else if (!Value(indent, position, sequenceAtIndent: false))
            {
                return false;
            }
            var next = NextIndent();
            if (next < indent)
            {
                break;
            }
            if (next > indent)
            {
                return false;
            }
            if (!IsEntry(LineStart(_line) + next))
            {
                break; // the next key of the mapping this sequence is a value of
            }
        }
        _writer.WriteEndArray();
        _depth--;
        return true;
    }

    /// <summary>"-" followed by a space or the line's end.</summary>
    private bool IsEntry(int position)
    {
        var end = LineEnd(_line);
        return _text[position] == '-' && (position + 1 == end || _text[position + 1] == ' ');
    }

    /// <summary>
    /// The value after a key's colon or an entry's dash at <paramref name="position"/>, whose owner (key or dash)
    /// stands at column <paramref name="owner"/>: on the same line, or as a block on the lines below.
    /// </summary>
    private bool Value(int owner, int position, bool sequenceAtIndent)
    {
        var end = LineEnd(_line);
        SkipSpaces(ref position, end);
        if (position == end || _text[position] == '#')
        {
            _line++;
            var indent = NextIndent();
            if (indent >= 0)
            {
                var start = LineStart(_line) + indent;
                if (indent > owner)
                {
                    if (IsEntry(start))
                    {
                        return Sequence(indent);
                    }
                    if (_text[start] is '[' or '{')
                    {
                        // helm's "key: {{- toYaml .Values.x | nindent N }}" of an empty value: "{}" on a line of its own
                        var after = start;
                        if (!Flow(ref after, LineEnd(_line)) || !RestIsBlank(after))
                        {
                            return false;
                        }
                        _line++;
                        return true;
                    }
                    return ScanKey(start, LineEnd(_line), out _, out _, out _) && Mapping(indent, start);
                }
                if (indent == owner && sequenceAtIndent && IsEntry(start))
                {
                    return Sequence(indent);
                }
            }
            _writer.WriteNullValue(); // nothing: an empty plain scalar
            return true;
        }
        bool written;
        switch (_text[position])
        {
            case '|' or '>':
                return BlockScalar(owner, position);
            case '[' or '{':
                written = Flow(ref position, end);
                break;
            case '"':
                written = DoubleQuoted(ref position, end, out var length) && WriteString(_scratch.AsSpan(0, length));
                break;
            case '\'':
                written = SingleQuoted(ref position, end, out length) && WriteString(_scratch.AsSpan(0, length));
                break;
            default:
                written = BlockPlain(ref position, end);
                break;
        }
        if (!written || !RestIsBlank(position))
        {
            return false;
        }
        _line++;
        return true;
    }

    private bool Enter()
    {
        ++_depth;
        // the keys of an earlier container at this depth are not this one's
        while (_keys.Count > 0 && _keys[^1].Depth >= _depth)
        {
            _keys.RemoveAt(_keys.Count - 1);
        }
        return _depth <= YamlLimits.MaxDepth;
    }

    /// <summary>
    /// Writes a mapping's key; false (left to YamlDotNet, which reports it with its place) when the mapping already has
    /// it: kubectl refuses a duplicate key, and JSON would keep only the last.
    /// </summary>
    private bool Key(ReadOnlySpan<char> key)
    {
        while (_keys.Count > 0 && _keys[^1].Depth > _depth)
        {
            _keys.RemoveAt(_keys.Count - 1);
        }
        var hash = string.GetHashCode(key, StringComparison.Ordinal);
        for (var i = _keys.Count - 1; i >= 0 && _keys[i].Depth == _depth; i--)
        {
            if (_keys[i].Hash == hash)
            {
                return false;
            }
        }
        _keys.Add((_depth, hash));
        _writer.WritePropertyName(key);
        return true;
    }

    // ---- keys

    /// <summary>
    /// A key at <paramref name="position"/>: a plain or single-line quoted scalar followed by ':' and a space or the
    /// line's end. <paramref name="keyEnd"/> is where the key's text ends, <paramref name="afterColon"/> just after the colon.
    /// </summary>
    private bool ScanKey(int position, int end, out int keyEnd, out int afterColon, out bool quoted)
    {
        keyEnd = afterColon = 0;
        quoted = false;
        var c = _text[position];
        int colon;
        if (c is '"' or '\'')
        {
            quoted = true;
            var after = position;
            if (!(c == '"' ? DoubleQuoted(ref after, end, out _) : SingleQuoted(ref after, end, out _)))
            {
                return false;
            }
            keyEnd = after;
            colon = after;
            SkipSpaces(ref colon, end);
            if (colon == end || _text[colon] != ':')
            {
                return false;
            }
        }
        else
        {
            if (!PlainMayStart(position, end, flow: false))
            {
                return false;
            }
            colon = position;
            while (true)
            {
                colon = _text.IndexOf(':', colon, end - colon);
                if (colon < 0)
                {
                    return false;
                }
                if (colon + 1 == end || _text[colon + 1] == ' ')
                {
                    break;
                }
                colon++;
            }
            if (_text.AsSpan(position, colon - position).Contains(" #", StringComparison.Ordinal))
            {
                return false; // a comment comes first
            }
            keyEnd = colon;
            while (keyEnd > position && _text[keyEnd - 1] == ' ')
            {
                keyEnd--;
            }
        }
        if (colon - position > MaxKeyLength || !(colon + 1 == end || _text[colon + 1] == ' '))
        {
            return false;
        }
        afterColon = colon + 1;
        return true;
    }

    private bool WriteKey(int position, int keyEnd, bool quoted)
    {
        if (!quoted)
        {
            var key = _text.AsSpan(position, keyEnd - position);
            _lastKeyIsKind = key.SequenceEqual("kind");
            return Key(key);
        }
        int length;
        var ok = _text[position] == '"' ? DoubleQuoted(ref position, keyEnd, out length) : SingleQuoted(ref position, keyEnd, out length);
        if (ok)
        {
            _lastKeyIsKind = _scratch.AsSpan(0, length).SequenceEqual("kind");
            return Key(_scratch.AsSpan(0, length));
        }
        return ok;
    }

    /// <summary>A string value written: noted when it is the root's kind.</summary>
    private void Noted(ReadOnlySpan<char> text)
    {
        if (_capture && _depth == 1)
        {
            _kind = new string(text);
        }
    }

    // ---- scalars

    /// <summary>Whether a plain scalar may start here (YAML 1.2 ns-plain-first).</summary>
    private bool PlainMayStart(int position, int end, bool flow)
    {
        var c = _text[position];
        switch (c)
        {
            case ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                return false;
            case '-' or '?' or ':':
                if (position + 1 == end)
                {
                    return false;
                }
                var next = _text[position + 1];
                return next != ' ' && !(flow && next is ',' or '[' or ']' or '{' or '}') && c != '?';
            default:
                return true;
        }
    }

    /// <summary>A plain scalar on one line in block context, ending at the line's end or a comment.</summary>
    private bool BlockPlain(ref int position, int end)
    {
        if (!PlainMayStart(position, end, flow: false))
        {
            return false;
        }
        var start = position;
        var stop = end;
        var comment = _text.IndexOf(" #", start, end - start, StringComparison.Ordinal);
        if (comment >= 0)
        {
            stop = comment;
        }
        var text = _text.AsSpan(start, stop - start).TrimEnd(' ');
        if (text.Contains(": ", StringComparison.Ordinal) || text[^1] == ':')
        {
            return false; // a mapping where a scalar belongs
        }
        if (YamlJson.WriteScalar(_writer, text, plain: true))
        {
            Noted(text);
        }
        position = stop;
        return true;
    }

    /// <summary>A plain scalar in a flow collection: it ends at ',', a bracket, ": " or a comment.</summary>
    private bool FlowPlain(ref int position, int end, out ReadOnlySpan<char> text)
    {
        text = default;
        if (!PlainMayStart(position, end, flow: true))
        {
            return false;
        }
        var start = position;
        while (position < end)
        {
            var c = _text[position];
            if (c is ',' or '[' or ']' or '{' or '}')
            {
                break;
            }
            if (c == ':' && (position + 1 == end || _text[position + 1] is ' ' or ',' or '[' or ']' or '{' or '}'))
            {
                break;
            }
            if (c == '#' && _text[position - 1] == ' ')
            {
                return false;
            }
            position++;
        }
        text = _text.AsSpan(start, position - start).TrimEnd(' ');
        return text.Length > 0;
    }

    /// <summary>A single-quoted scalar closed on this line, decoded into the scratch buffer.</summary>
    private bool SingleQuoted(ref int position, int end, out int length)
    {
        length = 0;
        position++;
        while (position < end)
        {
            var c = _text[position++];
            if (c == '\'')
            {
                if (position < end && _text[position] == '\'')
                {
                    Put('\'', ref length);
                    position++;
                    continue;
                }
                return true;
            }
            Put(c, ref length);
        }
        return false; // continues on the next line
    }

    /// <summary>A double-quoted scalar closed on this line, decoded into the scratch buffer.</summary>
    private bool DoubleQuoted(ref int position, int end, out int length)
    {
        length = 0;
        position++;
        while (position < end)
        {
            var c = _text[position++];
            if (c == '"')
            {
                return true;
            }
            if (c != '\\')
            {
                Put(c, ref length);
                continue;
            }
            if (position == end)
            {
                return false; // an escaped line break
            }
            var escape = _text[position++];
            char decoded;
            switch (escape)
            {
                case '0': decoded = '\0'; break;
                case 'a': decoded = '\a'; break;
                case 'b': decoded = '\b'; break;
                case 't': decoded = '\t'; break;
                case 'n': decoded = '\n'; break;
                case 'v': decoded = '\v'; break;
                case 'f': decoded = '\f'; break;
                case 'r': decoded = '\r'; break;
                case 'e': decoded = '\u001b'; break;
                case ' ': decoded = ' '; break;
                case '"': decoded = '"'; break;
                case '/': decoded = '/'; break;
                case '\\': decoded = '\\'; break;
                case 'N': decoded = '\u0085'; break;
                case '_': decoded = '\u00a0'; break;
                case 'L': decoded = '\u2028'; break;
                case 'P': decoded = '\u2029'; break;
                case 'x' or 'u':
                    var digits = escape == 'x' ? 2 : 4;
                    if (position + digits > end ||
                        !int.TryParse(_text.AsSpan(position, digits), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code) ||
                        char.IsSurrogate((char)code))
                    {
                        return false;
                    }
                    foreach (var digit in _text.AsSpan(position, digits))
                    {
                        if (!char.IsAsciiHexDigit(digit))
                        {
                            return false;
                        }
                    }
                    decoded = (char)code;
                    position += digits;
                    break;
                default:
                    return false; // \U, or not an escape
            }
            Put(decoded, ref length);
        }
        return false; // continues on the next line
    }

    private void Put(char c, ref int length)
    {
        if (length == _scratch.Length)
        {
            Array.Resize(ref _scratch, _scratch.Length * 2);
        }
        _scratch[length++] = c;
    }

    private bool WriteString(ReadOnlySpan<char> text)
    {
        _writer.WriteStringValue(text);
        Noted(text);
        return true;
    }

    /// <summary>
    /// A literal (|) or folded (&gt;) block scalar whose header is at <paramref name="position"/>; its content is
    /// indented past column <paramref name="owner"/>, by as much as its first line with content.
    /// </summary>
    private bool BlockScalar(int owner, int position)
    {
        var literal = _text[position] == '|';
        var end = LineEnd(_line);
        position++;
        var chomping = ' ';
        if (position < end && _text[position] is '-' or '+')
        {
            chomping = _text[position++];
        }
        if (position < end && _text[position] != ' ')
        {
            return false; // an indentation indicator, or something else after the header
        }
        if (!RestIsBlank(position))
        {
            return false;
        }
        _line++;
        var lines = _blockLines;
        lines.Clear();
        var indent = -1;
        while (_line < _lines)
        {
            var start = LineStart(_line);
            var lineEnd = LineEnd(_line);
            var spaces = Indent(_line);
            var blank = start + spaces == lineEnd;
            if (indent < 0)
            {
                if (blank)
                {
                    if (spaces > 0)
                    {
                        return false; // a leading line of spaces only (the splitter blanks those it can)
                    }
                    lines.Add((start, 0));
                    _line++;
                    continue;
                }
                if (spaces <= owner)
                {
                    break; // no content: the scalar is empty
                }
                indent = spaces;
            }
            if (blank)
            {
                if (spaces > indent && !literal)
                {
                    return false; // spaces as content of a folded scalar: more-indented, its breaks are kept
                }
                lines.Add(spaces > indent ? (start + indent, spaces - indent) : (start, 0));
            }
            else if (spaces < indent)
            {
                break;
            }
            else
            {
                if (!literal && spaces > indent)
                {
                    return false; // a more-indented line of a folded scalar: its breaks are kept
                }
                lines.Add((start + indent, lineEnd - start - indent));
            }
            _line++;
        }
        if (indent < 0)
        {
            // no content: clip and strip give an empty string; keep would give the line breaks
            if (chomping == '+' && lines.Count > 0)
            {
                return false;
            }
            return WriteString("");
        }
        var last = lines.Count - 1;
        while (lines[last].Length == 0)
        {
            last--;
        }
        var length = 0;
        if (literal)
        {
            for (var i = 0; i <= last; i++)
            {
                if (i > 0)
                {
                    Put('\n', ref length);
                }
                PutLine(lines[i], ref length);
            }
        }
        else
        {
            // folded: leading empty lines are breaks; between two lines, no empty line folds to a space,
            // n empty lines give n breaks
            var i = 0;
            while (lines[i].Length == 0)
            {
                Put('\n', ref length);
                i++;
            }
            PutLine(lines[i], ref length);
            var previous = i;
            for (i++; i <= last; i++)
            {
                if (lines[i].Length == 0)
                {
                    continue;
                }
                var empty = i - previous - 1;
                if (empty == 0)
                {
                    Put(' ', ref length);
                }
                for (var e = 0; e < empty; e++)
                {
                    Put('\n', ref length);
                }
                PutLine(lines[i], ref length);
                previous = i;
            }
        }
        var breaks = chomping switch
        {
            '-' => 0,
            '+' => lines.Count - last,
            _ => 1,
        };
        for (var i = 0; i < breaks; i++)
        {
            Put('\n', ref length);
        }
        return WriteString(_scratch.AsSpan(0, length));
    }

    private void PutLine((int Start, int Length) line, ref int length)
    {
        foreach (var c in _text.AsSpan(line.Start, line.Length))
        {
            Put(c, ref length);
        }
    }

    // ---- flow collections

    /// <summary>A flow sequence or mapping that closes on this line.</summary>
    private bool Flow(ref int position, int end)
    {
        if (!Enter())
        {
            return false;
        }
        var sequence = _text[position] == '[';
        var close = sequence ? ']' : '}';
        if (sequence)
        {
            _writer.WriteStartArray();
        }
        else
        {
            _writer.WriteStartObject();
        }
        position++;
        SkipSpaces(ref position, end);
        if (position < end && _text[position] == close)
        {
            position++;
            return Leave(sequence);
        }
        while (true)
        {
            if (position == end)
            {
                return false;
            }
            if (!sequence)
            {
                if (!FlowKey(ref position, end))
                {
                    return false;
                }
                SkipSpaces(ref position, end);
            }
            if (position == end || !FlowNode(ref position, end))
            {
                return false;
            }
            SkipSpaces(ref position, end);
            if (position == end)
            {
                return false;
            }
            var c = _text[position++];
            if (c == close)
            {
                return Leave(sequence);
            }
            if (c != ',')
            {
                return false; // "a: b" in a sequence, or anything else unexpected
            }
            SkipSpaces(ref position, end);
            if (position < end && _text[position] == close)
            {
                return false; // a trailing comma
            }
        }
    }

    private bool Leave(bool sequence)
    {
        if (sequence)
        {
            _writer.WriteEndArray();
        }
        else
        {
            _writer.WriteEndObject();
        }
        _depth--;
        return true;
    }

    /// <summary>A key in a flow mapping and its ": ".</summary>
    private bool FlowKey(ref int position, int end)
    {
        var c = _text[position];
        if (c is '"' or '\'')
        {
            if (!(c == '"' ? DoubleQuoted(ref position, end, out var length) : SingleQuoted(ref position, end, out length)) ||
                !Key(_scratch.AsSpan(0, length)))
            {
                return false;
            }
        }
        else
        {
            if (!FlowPlain(ref position, end, out var key) || !Key(key))
            {
                return false;
            }
        }
        SkipSpaces(ref position, end);
        // ": " and a value; a key without a value, or "a:b" after a quoted key, is left to YamlDotNet
        if (position + 1 >= end || _text[position] != ':' || _text[position + 1] != ' ')
        {
            return false;
        }
        position += 2;
        return true;
    }

    private bool FlowNode(ref int position, int end)
    {
        switch (_text[position])
        {
            case '[' or '{':
                return Flow(ref position, end);
            case '"':
                return DoubleQuoted(ref position, end, out var length) && WriteString(_scratch.AsSpan(0, length));
            case '\'':
                return SingleQuoted(ref position, end, out length) && WriteString(_scratch.AsSpan(0, length));
            default:
                if (!FlowPlain(ref position, end, out var text))
                {
                    return false;
                }
                YamlJson.WriteScalar(_writer, text, plain: true);
                return true;
        }
    }

    private void SkipSpaces(ref int position, int end)
    {
        while (position < end && _text[position] == ' ')
        {
            position++;
        }
    }

    private static string Unusuals()
    {
        var chars = new System.Text.StringBuilder();
        for (var c = 0; c < 0x20; c++)
        {
            if (c != '\n')
            {
                chars.Append((char)c);
            }
        }
        for (var c = 0x7f; c <= 0x9f; c++)
        {
            chars.Append((char)c);
        }
        for (var c = 0xd800; c <= 0xdfff; c++)
        {
            chars.Append((char)c);
        }
        chars.Append('\ufeff').Append('\ufffe').Append('\uffff');
        return chars.ToString();
    }
}
