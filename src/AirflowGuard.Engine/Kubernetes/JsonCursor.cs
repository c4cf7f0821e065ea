using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// A forward-only reader of one JSON value held whole in memory, with the part of <see cref="Utf8JsonReader"/>'s surface
/// the pod and review readers use (<see cref="Read"/>, <see cref="Skip"/>, <see cref="TokenType"/>, <see cref="ValueSpan"/>,
/// <see cref="GetString"/>, positions). It accepts exactly the JSON (RFC 8259) that <see cref="Utf8JsonReader"/> accepts with
/// default options and the same maximum depth, and gives the same tokens; it is faster because it has only that case
/// to handle: the whole text is there (no partial blocks to roll back), no comments or trailing commas to allow, and a
/// string's end is found 16 bytes at a time. Strings written with escapes are unescaped by <see cref="Utf8JsonReader"/>
/// itself (rare in Kubernetes objects). What is not JSON throws a <see cref="JsonException"/> with the byte offset; for
/// its wording as users see it, callers read the text again with <see cref="Utf8JsonReader"/>, whose messages the tools
/// give (<see cref="Describe(ReadOnlySpan{byte}, int)"/>). Like <see cref="Utf8JsonReader"/>'s <c>Read</c>, it does not check
/// that a string is valid UTF-8; <see cref="GetString"/> does.
/// Compact JSON without escapes, as the API server writes it, is read by short paths that end in a jump and fall back to
/// the general readers (<c>ReadAnyCase</c>, <c>ReadOtherName</c>, <c>ReadOtherString</c>) on anything else; a field is read
/// with its name and value in one call (<see cref="TryReadPlainField"/>, for <see cref="JsonTokens.NextField"/>).
/// JsonCursorTests check every path against <see cref="Utf8JsonReader"/>.
/// </summary>
public ref struct JsonCursor
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _json;
    private readonly int _maxDepth;
    private int _next;
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    private int _depth;
    // one bit per open container, set for an object: the first 64 levels here, deeper ones in _deeper
    private ulong _objects;
    private bool[]? _deeper;

    public JsonCursor(ReadOnlySpan<byte> json, int maxDepth = 64)
    {
        _json = json;
        _maxDepth = maxDepth > 0 ? maxDepth : 64;
    }

    /// <summary>The token read last; <see cref="JsonTokenType.None"/> before the first.</summary>
    public JsonTokenType TokenType { get; private set; }

    /// <summary>Whether the string or property name read last has escapes (its <see cref="ValueSpan"/> is as written).</summary>
    public bool ValueIsEscaped { get; private set; }

    /// <summary>
    /// Whether some string or name read so far has an escape in D800–DFFF (<c>"\ud800"</c>): half of a surrogate pair, or a
    /// lone one, which is not Unicode text and which <see cref="GetString"/> refuses. Noted as the escapes are checked, so
    /// that a caller need not search the text for them again (the pairs are rare in Kubernetes objects, the lone ones rarer).
    /// </summary>
    public bool HasSurrogateEscapes { get; private set; }

    /// <summary>The bytes of the token read last as written: a string's or name's without its quotes, a number's, a literal's.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _valueLength);

    /// <summary>Where the token read last starts (a string's or name's opening quote).</summary>
    public readonly long TokenStartIndex => _tokenStart;

    /// <summary>How many bytes have been read, up to the end of the token read last.</summary>
    public readonly long BytesConsumed => _next;

    /// <summary>How many containers are open around the token read last (as <see cref="Utf8JsonReader.CurrentDepth"/>).</summary>
    public readonly int CurrentDepth => TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? _depth - 1 : _depth;

    /// <summary>Reads the next token; false once the value is complete and only white space is left.</summary>
    /// <exception cref="JsonException">The text is not one JSON value, or is nested deeper than the maximum depth.</exception>
    public bool Read()
    {
        // the common case, compact JSON (as the API server sends it) inside a container: no white space, no error, and no
        // call but the one to the token's own reader, made last (a jump), so that hardly a register is saved (six were,
        // when a value lived across the call to the white-space skipper)
        var json = _json;
        var i = _next;
        if ((uint)i < (uint)json.Length && json[i] is var c and > (byte)' ' && _depth != 0)
        {
            if (TokenType == JsonTokenType.PropertyName)
            {
                return ReadValue(c, i);
            }
            var inObject = InObject();
            if (c == (inObject ? (byte)'}' : (byte)']'))
            {
                return Close(i);
            }
            if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                i++;
                if (c != ',' || (uint)i >= (uint)json.Length || json[i] <= (byte)' ')
                {
                    return ReadAnyCase(); // a missing comma, or white space after one
                }
                c = json[i];
            }
            return inObject ? ReadName(c, i) : ReadValue(c, i);
        }
        return ReadAnyCase();
    }

    /// <summary><see cref="Read"/> for every case: white space, the first token, the end of the text, errors.</summary>
    private bool ReadAnyCase()
    {
        var json = _json;
        var i = SkipWhiteSpace(json, _next);
        if (i >= json.Length)
        {
            if (_depth == 0 && TokenType != JsonTokenType.None)
            {
                _next = i;
                return false;
            }
            throw Invalid(i, "the JSON ends before its value does");
        }
        var c = json[i];
        if (TokenType == JsonTokenType.PropertyName)
        {
            // a name's value, half of an object's reads: before the depth and the container are looked at
            return ReadValue(c, i);
        }
        if (_depth == 0)
        {
            return TokenType == JsonTokenType.None ? ReadValue(c, i) : throw Invalid(i, "more after the JSON value");
        }
        var inObject = InObject();
        switch (TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                if (c == (inObject ? (byte)'}' : (byte)']'))
                {
                    return Close(i);
                }
                break;
            default:
                if (c == (inObject ? (byte)'}' : (byte)']'))
                {
                    return Close(i);
                }
                if (c != ',')
                {
                    throw Invalid(i, inObject ? "expected ',' or '}'" : "expected ',' or ']'");
                }
                i = SkipWhiteSpace(json, i + 1);
                if (i >= json.Length)
                {
                    throw Invalid(i, "the JSON ends before its value does");
                }
                c = json[i];
                break;
        }
        return inObject ? ReadName(c, i) : ReadValue(c, i);
    }

    /// <summary>
    /// In an object, on its start or on the last token of a field's value: reads the next field's name and moves onto its
    /// value, in one call, when the name is written without escapes and the JSON is compact around it (as the API server
    /// writes it), and <paramref name="name"/> is then the name as written; or reads the object's end when it comes next.
    /// <see cref="PlainField.Other"/>, with nothing read, in every other case (escapes, white space, anything that is not
    /// JSON): the caller then reads with <see cref="Read"/>.
    /// </summary>
    internal PlainField TryReadPlainField(out ReadOnlySpan<byte> name)
    {
        var json = _json;
        var i = _next;
        name = default;
        if (_depth == 0 || TokenType == JsonTokenType.PropertyName || (uint)i >= (uint)json.Length || !InObject())
        {
            return PlainField.Other;
        }
        var c = json[i];
        if (c == '}')
        {
            Close(i);
            return PlainField.End;
        }
        if (TokenType != JsonTokenType.StartObject)
        {
            i++;
            if (c != ',' || (uint)i >= (uint)json.Length)
            {
                return PlainField.Other;
            }
            c = json[i];
        }
        if (c != '"')
        {
            return PlainField.Other;
        }
        var end = PlainNameEnd(json, i);
        var value = end + 2;
        if (end < 0 || (uint)value >= (uint)json.Length || json[value] <= (byte)' ')
        {
            return PlainField.Other;
        }
        name = json.Slice(i + 1, end - i - 1);
        TokenType = JsonTokenType.PropertyName;
        ReadValue(json[value], value);
        return PlainField.Read;
    }

    /// <summary>What <see cref="TryReadPlainField"/> read.</summary>
    internal enum PlainField
    {
        /// <summary>Nothing: the case is not the common one.</summary>
        Other,

        /// <summary>A field: the reader is on its value.</summary>
        Read,

        /// <summary>The object's end.</summary>
        End,
    }

    /// <summary>
    /// On a property name, moves onto its value; on the start of an object or list, moves onto its end; else stays
    /// (as <see cref="Utf8JsonReader.Skip"/>).
    /// </summary>
    public void Skip()
    {
        if (TokenType == JsonTokenType.PropertyName)
        {
            Read();
        }
        if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = _depth - 1;
            while (_depth > depth)
            {
                Read();
            }
        }
    }

    /// <summary>The string or property name read last, unescaped.</summary>
    /// <exception cref="InvalidOperationException">The token is not a string or name, or is not valid UTF-8.</exception>
    public readonly string GetString()
    {
        if (TokenType is (JsonTokenType.String or JsonTokenType.PropertyName) && !ValueIsEscaped && ValueSpan is var utf8 && Ascii.IsValid(utf8))
        {
            // nearly every string of a Kubernetes object: widened into the new string, about a tenth of the instructions
            // the UTF-8 decoder's general path takes for a short text (ab.sh --instructions)
            return string.Create(utf8.Length, utf8, static (chars, bytes) => Ascii.ToUtf16(bytes, chars, out _));
        }
        return GetOtherString();
    }

    /// <summary>
    /// <see cref="GetString"/> for text that is escaped or not ASCII, and its errors: apart, so that the common case does
    /// not clear the stack room of the <see cref="Utf8JsonReader"/> an escaped string is read with on every call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly string GetOtherString()
    {
        if (TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new InvalidOperationException($"cannot read a string from a {TokenType} token");
        }
        if (ValueIsEscaped)
        {
            var quoted = QuotedToken();
            return quoted.GetString()!;
        }
        try
        {
            return StrictUtf8.GetString(ValueSpan);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidOperationException("the string is not valid UTF-8", ex);
        }
    }

    /// <summary>Copies the string or name read last, unescaped, into <paramref name="utf8"/>; the bytes written.</summary>
    public readonly int CopyString(Span<byte> utf8)
    {
        if (!ValueIsEscaped)
        {
            ValueSpan.CopyTo(utf8);
            return _valueLength;
        }
        var quoted = QuotedToken();
        return quoted.CopyString(utf8);
    }

    /// <summary>The number read last as a whole number that fits in 64 bits (false for 1.5, 1e3 or one too large).</summary>
    public readonly bool TryGetInt64(out long value)
    {
        if (TokenType != JsonTokenType.Number)
        {
            throw new InvalidOperationException($"cannot read a number from a {TokenType} token");
        }
        // an integer as written: 1.0 and 1e3 are not (Utf8Parser would take the first)
        if (ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength)
        {
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Where <paramref name="json"/> stops being JSON, in <see cref="Utf8JsonReader"/>'s words (for a message), or null when it is JSON.</summary>
    public static JsonException? Describe(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    private readonly Utf8JsonReader QuotedToken()
    {
        var end = _valueStart + _valueLength + 1;
        var reader = new Utf8JsonReader(_json[_tokenStart..end]);
        reader.Read();
        return reader;
    }

    private bool ReadValue(byte c, int i)
    {
        switch (c)
        {
            case (byte)'{':
                return Open(i, isObject: true);
            case (byte)'[':
                return Open(i, isObject: false);
            case (byte)'"':
                var end = NextSpecial(_json, i + 1);
                if ((uint)end < (uint)_json.Length && _json[end] == '"')
                {
                    SetPlainString(i, end);
                    _next = end + 1;
                    TokenType = JsonTokenType.String;
                    return true;
                }
                return ReadOtherString(i);
            case (byte)'t':
                return Literal(i, "true"u8, JsonTokenType.True);
            case (byte)'f':
                return Literal(i, "false"u8, JsonTokenType.False);
            case (byte)'n':
                return Literal(i, "null"u8, JsonTokenType.Null);
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                return Number(i);
            default:
                throw Invalid(i, "expected a value");
        }
    }

    /// <summary>A string with an escape or a control character in it, or one that does not end: apart from <see cref="ReadValue"/>'s common case.</summary>
    private bool ReadOtherString(int quote)
    {
        _next = ScanString(quote) + 1;
        TokenType = JsonTokenType.String;
        return true;
    }

    private bool ReadName(byte c, int i)
    {
        // the common case, a name without escapes and its colon right after it, with no call
        if (c == '"' && PlainNameEnd(_json, i) is var end and >= 0)
        {
            SetPlainString(i, end);
            _next = end + 2;
            TokenType = JsonTokenType.PropertyName;
            return true;
        }
        return ReadOtherName(c, i);
    }

    /// <summary>
    /// The closing quote of the name whose opening quote is at <paramref name="quote"/>, when the name has no escapes and
    /// its colon follows at once; -1 for any other name (<see cref="ReadOtherName"/>'s case).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlainNameEnd(ReadOnlySpan<byte> json, int quote)
    {
        var end = NextSpecial(json, quote + 1);
        return (uint)(end + 1) < (uint)json.Length && json[end] == '"' && json[end + 1] == ':' ? end : -1;
    }

    /// <summary><see cref="ReadName"/> for every case: escapes, white space before the colon, errors.</summary>
    private bool ReadOtherName(byte c, int i)
    {
        if (c != '"')
        {
            throw Invalid(i, "expected a property name");
        }
        var end = ScanString(i);
        var colon = SkipWhiteSpace(_json, end + 1);
        if (colon >= _json.Length || _json[colon] != ':')
        {
            throw Invalid(colon, "expected ':' after a property name");
        }
        _next = colon + 1;
        TokenType = JsonTokenType.PropertyName;
        return true;
    }

    private bool Open(int i, bool isObject)
    {
        if (_depth >= _maxDepth || _depth >= 64)
        {
            return OpenDeep(i, isObject);
        }
        _objects = isObject ? _objects | (1UL << _depth) : _objects & ~(1UL << _depth);
        return Opened(i, isObject);
    }

    /// <summary><see cref="Open"/> past the first 64 levels, or past the maximum depth (an error): apart, so that the common case calls nothing.</summary>
    private bool OpenDeep(int i, bool isObject)
    {
        if (_depth >= _maxDepth)
        {
            throw Invalid(i, $"nested deeper than the maximum depth of {_maxDepth}");
        }
        _deeper ??= new bool[_maxDepth];
        _deeper[_depth] = isObject;
        return Opened(i, isObject);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Opened(int i, bool isObject)
    {
        _depth++;
        _tokenStart = i;
        ValueIsEscaped = false;
        _valueStart = i;
        _valueLength = 1;
        _next = i + 1;
        TokenType = isObject ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        return true;
    }

    private bool Close(int i)
    {
        var wasObject = InObject();
        _depth--;
        _tokenStart = i;
        _valueStart = i;
        _valueLength = 1;
        _next = i + 1;
        TokenType = wasObject ? JsonTokenType.EndObject : JsonTokenType.EndArray;
        ValueIsEscaped = false;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool InObject() =>
        _depth <= 64 ? (_objects & (1UL << (_depth - 1))) != 0 : _deeper![_depth - 1];

    private bool Literal(int i, ReadOnlySpan<byte> literal, JsonTokenType type)
    {
        if (!_json[i..].StartsWith(literal))
        {
            throw Invalid(i, $"expected {Encoding.ASCII.GetString(literal)}");
        }
        _tokenStart = i;
        _valueStart = i;
        _valueLength = literal.Length;
        _next = i + literal.Length;
        TokenType = type;
        ValueIsEscaped = false;
        return true;
    }

    private bool Number(int start)
    {
        var json = _json;
        var i = start;
        if (json[i] == '-')
        {
            i++;
        }
        if (i < json.Length && json[i] == '0')
        {
            i++;
        }
        else
        {
            i = Digits(json, i, start);
        }
        if (i < json.Length && json[i] == '.')
        {
            i = Digits(json, i + 1, start);
        }
        if (i < json.Length && (json[i] | 0x20) == 'e')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }
            i = Digits(json, i, start);
        }
        _tokenStart = start;
        _valueStart = start;
        _valueLength = i - start;
        _next = i;
        TokenType = JsonTokenType.Number;
        ValueIsEscaped = false;
        return true;
    }

    /// <summary>One or more digits from <paramref name="i"/>; the index after them.</summary>
    private static int Digits(ReadOnlySpan<byte> json, int i, int start)
    {
        var first = i;
        while (i < json.Length && (uint)(json[i] - '0') <= 9)
        {
            i++;
        }
        return i > first ? i : throw Invalid(i, $"a number at {start} needs a digit here");
    }

    /// <summary>Sets the value to the content of the string from <paramref name="quote"/> to <paramref name="end"/> (its quotes), without escapes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetPlainString(int quote, int end)
    {
        _tokenStart = quote;
        _valueStart = quote + 1;
        _valueLength = end - quote - 1;
        ValueIsEscaped = false;
    }

    /// <summary>The string whose opening quote is at <paramref name="quote"/>: sets the value to its content; the closing quote's index.</summary>
    private int ScanString(int quote)
    {
        var json = _json;
        var i = quote + 1;
        var escaped = false;
        while (true)
        {
            i = NextSpecial(json, i);
            if (i >= json.Length)
            {
                throw Invalid(quote, "a string that does not end");
            }
            var c = json[i];
            if (c == '"')
            {
                break;
            }
            if (c < 0x20)
            {
                throw Invalid(i, "a control character in a string (write it escaped)");
            }
            escaped = true;
            var backslash = i;
            i = Escape(json, i);
            if (i - backslash == 6 && IsSurrogate(json[backslash + 2], json[backslash + 3]))
            {
                HasSurrogateEscapes = true;
            }
        }
        _tokenStart = quote;
        _valueStart = quote + 1;
        _valueLength = i - quote - 1;
        ValueIsEscaped = escaped;
        return i;
    }

    /// <summary>The escape whose backslash is at <paramref name="i"/>, checked; the index after it.</summary>
    private static int Escape(ReadOnlySpan<byte> json, int i)
    {
        if (i + 1 >= json.Length)
        {
            throw Invalid(i, "a string that does not end");
        }
        switch (json[i + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return i + 2;
            case (byte)'u':
                if (i + 6 > json.Length || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]) || !IsHex(json[i + 5]))
                {
                    throw Invalid(i, "\\u needs four hexadecimal digits");
                }
                return i + 6;
            default:
                throw Invalid(i, "an escape JSON does not have");
        }
    }

    /// <summary>Whether a \u escape whose first two digits (already checked to be hexadecimal) are these is in D800–DFFF.</summary>
    private static bool IsSurrogate(byte first, byte second) => (first | 0x20) == 'd' && second is (byte)'8' or (byte)'9' or >= (byte)'A';

    private static bool IsHex(byte c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    /// <summary>The first quote, backslash or control character at or after <paramref name="i"/>; the length when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextSpecial(ReadOnlySpan<byte> json, int i)
    {
        ref var start = ref MemoryMarshal.GetReference(json);
        while (i + 16 <= json.Length)
        {
            var block = Vector128.LoadUnsafe(ref start, (nuint)i);
            var special = Vector128.Equals(block, Vector128.Create((byte)'"')) | Vector128.Equals(block, Vector128.Create((byte)'\\')) |
                Vector128.LessThan(block, Vector128.Create((byte)0x20));
            var bits = special.ExtractMostSignificantBits();
            if (bits != 0)
            {
                return i + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
            i += 16;
        }
        while (i < json.Length)
        {
            var c = json[i];
            if (c == '"' || c == '\\' || c < 0x20)
            {
                return i;
            }
            i++;
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int i)
    {
        // compact JSON (as the API server sends it) has none: one compare
        if ((uint)i < (uint)json.Length && json[i] > ' ')
        {
            return i;
        }
        return SkipWhiteSpaceSlow(json, i);
    }

    private static int SkipWhiteSpaceSlow(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length)
        {
            var c = json[i];
            if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t'))
            {
                return i;
            }
            i++;
        }
        return i;
    }

    private static JsonException Invalid(int at, string what) => new($"not JSON at byte {at}: {what}", null, null, at);
}
