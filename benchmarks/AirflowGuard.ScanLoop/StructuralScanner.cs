using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Unicode;

namespace AirflowGuard.ScanLoop;

/// <summary>
/// A prototype of simdjson's two stages in C# (Langdale and Lemire, "Parsing Gigabytes of JSON per Second", 2019),
/// written to measure whether a vectorised scanner could take a webhook below the <c>Utf8JsonReader</c> floor before
/// anyone builds one into the product (issue 27). It answers what the tokenize-only handler answers: is the body
/// JSON, and how many tokens it has.
/// <list type="number">
/// <item>Stage 1, 64 bytes at a time with <see cref="Vector128"/> compares (SSE2, which every x64 has, so the Native
/// AOT binary's default target runs it): bit masks of quotes, backslashes, operators and white space; the escaped
/// characters and the in-string mask computed with carries across blocks; the structural positions (operators and
/// the first byte of every scalar or string) written as indices. Control characters inside strings are refused here.
/// UTF-8 is checked by the runtime's vectorised <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>.</item>
/// <item>Stage 2 walks the indices with a container stack and checks the grammar: a key and a colon before each
/// member's value, commas between elements, literals spelled out, numbers as JSON writes them, escapes in strings
/// known.</item>
/// </list>
/// Not a product part: no values are decoded and no error says where. Program.cs checks it against
/// <c>Utf8JsonReader</c> on every review and on broken bodies before it measures.
/// </summary>
internal static class StructuralScanner
{
    /// <summary>The number of JSON tokens in <paramref name="json"/> (as Utf8JsonReader counts them), or -1 when it is not JSON.</summary>
    public static int CountTokens(ReadOnlySpan<byte> json, int[] structurals)
    {
        if (!Utf8.IsValid(json))
        {
            return -1;
        }
        var count = FindStructurals(json, structurals);
        return count < 0 ? -1 : Walk(json, structurals.AsSpan(0, count));
    }

    /// <summary>An index array large enough for any body of <paramref name="length"/> bytes.</summary>
    public static int[] IndexFor(int length) => new int[length + 64];

    // ---- stage 1 ----

    private static int FindStructurals(ReadOnlySpan<byte> json, int[] indices)
    {
        var count = 0;
        ulong prevEscaped = 0, prevInString = 0, prevScalar = 0; // carried from one block to the next
        Span<byte> tail = stackalloc byte[64];
        for (var offset = 0; offset < json.Length; offset += 64)
        {
            scoped ReadOnlySpan<byte> block;
            if (json.Length - offset >= 64)
            {
                block = json.Slice(offset, 64);
            }
            else
            {
                tail.Fill((byte)' '); // padding: white space changes nothing
                json[offset..].CopyTo(tail);
                block = tail;
            }
            Classify(block, out var quote, out var backslash, out var op, out var space, out var control);

            var escaped = Escaped(backslash, ref prevEscaped);
            if (escaped != 0 && !EscapesOk(json, offset, escaped))
            {
                return -1;
            }
            var realQuote = quote & ~escaped;
            var inString = PrefixXor(realQuote) ^ prevInString; // opening quote and the string's bytes, not the closing quote
            prevInString = (ulong)((long)inString >> 63);
            if ((control & inString) != 0)
            {
                return -1; // a control character inside a string must be escaped
            }
            var stringTail = inString ^ realQuote; // the string's bytes and its closing quote
            var scalar = ~(op | space);
            var nonQuoteScalar = scalar & ~realQuote;
            var followsNonQuoteScalar = (nonQuoteScalar << 1) | prevScalar;
            prevScalar = nonQuoteScalar >> 63;
            var starts = (op | (scalar & ~followsNonQuoteScalar)) & ~stringTail;
            if (json.Length - offset < 64)
            {
                starts &= (1UL << (json.Length - offset)) - 1;
            }
            while (starts != 0)
            {
                indices[count++] = offset + BitOperations.TrailingZeroCount(starts);
                starts &= starts - 1;
            }
        }
        return prevInString != 0 ? -1 : count; // a string left open
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Classify(ReadOnlySpan<byte> block, out ulong quote, out ulong backslash, out ulong op, out ulong space, out ulong control)
    {
        quote = backslash = op = space = control = 0;
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(block);
        for (var i = 0; i < 4; i++)
        {
            var v = Vector128.LoadUnsafe(ref start, (nuint)(i * 16));
            var shift = i * 16;
            quote |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << shift;
            backslash |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\\')).ExtractMostSignificantBits() << shift;
            Vector128<byte> operators, ws;
            if (Ssse3.IsSupported)
            {
                // simdjson's classification: one table lookup by the low nibble each. [ and ] become { and } with 0x20
                // set; the few other bytes that match (0x1A, 0x0C) are control characters, refused where they stand
                operators = Vector128.Equals(v | Vector128.Create((byte)0x20), Ssse3.Shuffle(OperatorTable, v));
                ws = Vector128.Equals(v, Ssse3.Shuffle(SpaceTable, v));
            }
            else
            {
                operators = Vector128.Equals(v, Vector128.Create((byte)'{')) | Vector128.Equals(v, Vector128.Create((byte)'}'))
                    | Vector128.Equals(v, Vector128.Create((byte)'[')) | Vector128.Equals(v, Vector128.Create((byte)']'))
                    | Vector128.Equals(v, Vector128.Create((byte)':')) | Vector128.Equals(v, Vector128.Create((byte)','));
                ws = Vector128.Equals(v, Vector128.Create((byte)' ')) | Vector128.Equals(v, Vector128.Create((byte)'\n'))
                    | Vector128.Equals(v, Vector128.Create((byte)'\r')) | Vector128.Equals(v, Vector128.Create((byte)'\t'));
            }
            op |= (ulong)operators.ExtractMostSignificantBits() << shift;
            space |= (ulong)ws.ExtractMostSignificantBits() << shift;
            control |= (ulong)Vector128.LessThan(v, Vector128.Create((byte)0x20)).ExtractMostSignificantBits() << shift;
        }
    }

    private static readonly Vector128<byte> OperatorTable = Vector128.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)':', (byte)'{', (byte)',', (byte)'}', 0, 0);

    // for each low nibble the one white-space byte that has it, else a byte whose low nibble differs from its index
    private static readonly Vector128<byte> SpaceTable = Vector128.Create((byte)' ', 100, 100, 100, 17, 100, 113, 2, 100, (byte)'\t', (byte)'\n', 112, 100, (byte)'\r', 100, 100);

    /// <summary>The bytes escaped by a backslash (simdjson's branchless find_escaped), carrying an odd run across blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Escaped(ulong backslash, ref ulong prevEscaped)
    {
        const ulong evenBits = 0x5555555555555555UL;
        backslash &= ~prevEscaped;
        var followsEscape = (backslash << 1) | prevEscaped;
        var oddSequenceStarts = backslash & ~evenBits & ~followsEscape;
        var sequencesStartingOnEvenBits = unchecked(oddSequenceStarts + backslash);
        prevEscaped = sequencesStartingOnEvenBits < oddSequenceStarts ? 1UL : 0UL;
        var invertMask = sequencesStartingOnEvenBits << 1;
        return (evenBits ^ invertMask) & followsEscape;
    }

    /// <summary>
    /// Each escaped byte (the one after an odd run of backslashes) is one JSON allows after a backslash, and
    /// <c>\u</c> has four hex digits. Escapes are rare outside annotations, so this runs only for blocks that have one.
    /// An escaped byte outside a string is refused by stage 2 anyway (a backslash there is a scalar no grammar takes).
    /// </summary>
    private static bool EscapesOk(ReadOnlySpan<byte> json, int offset, ulong escaped)
    {
        while (escaped != 0)
        {
            var at = offset + BitOperations.TrailingZeroCount(escaped);
            escaped &= escaped - 1;
            if (at >= json.Length)
            {
                return false; // a backslash at the very end
            }
            switch (json[at])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    break;
                case (byte)'u':
                    if (at + 5 > json.Length || !IsHex(json.Slice(at + 1, 4)))
                    {
                        return false;
                    }
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>Bit i is the xor of bits 0..i: set between an opening quote and its closing one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    // ---- stage 2 ----

    private enum Expect : byte { Value, KeyOrEnd, Key, Colon, CommaOrEnd, ValueOrEnd }

    private static int Walk(ReadOnlySpan<byte> json, ReadOnlySpan<int> structurals)
    {
        Span<bool> inObject = stackalloc bool[256]; // Utf8JsonReader's default depth limit is 64; the webhook's 256
        var depth = 0;
        var tokens = 0;
        var expect = Expect.Value;
        var done = false;
        for (var s = 0; s < structurals.Length; s++)
        {
            var at = structurals[s];
            var c = json[at];
            if (done)
            {
                return -1; // more than one value
            }
            switch (c)
            {
                case (byte)'{' or (byte)'[':
                    if (expect is not (Expect.Value or Expect.ValueOrEnd) || depth == inObject.Length)
                    {
                        return -1;
                    }
                    inObject[depth++] = c == '{';
                    expect = c == '{' ? Expect.KeyOrEnd : Expect.ValueOrEnd;
                    tokens++;
                    break;
                case (byte)'}' or (byte)']':
                    if (depth == 0 || inObject[depth - 1] != (c == '}') ||
                        expect is not (Expect.CommaOrEnd or Expect.KeyOrEnd or Expect.ValueOrEnd) ||
                        (expect == Expect.ValueOrEnd && c == '}') || (expect == Expect.KeyOrEnd && c == ']'))
                    {
                        return -1;
                    }
                    depth--;
                    tokens++;
                    expect = Expect.CommaOrEnd;
                    done = depth == 0;
                    break;
                case (byte)':':
                    if (expect != Expect.Colon)
                    {
                        return -1;
                    }
                    expect = Expect.Value;
                    break;
                case (byte)',':
                    if (expect != Expect.CommaOrEnd || depth == 0)
                    {
                        return -1;
                    }
                    expect = inObject[depth - 1] ? Expect.Key : Expect.Value;
                    break;
                case (byte)'"':
                    // stage 1 found where it ends and checked its escapes and control characters; anything but
                    // white space after the closing quote is a structural of its own, which the grammar refuses
                    tokens++;
                    if (expect is Expect.Key or Expect.KeyOrEnd)
                    {
                        expect = Expect.Colon;
                    }
                    else if (expect is Expect.Value or Expect.ValueOrEnd)
                    {
                        expect = Expect.CommaOrEnd;
                        done = depth == 0;
                    }
                    else
                    {
                        return -1;
                    }
                    break;
                default:
                    var next = s + 1 < structurals.Length ? structurals[s + 1] : json.Length;
                    if (expect is not (Expect.Value or Expect.ValueOrEnd) || !ScalarOk(json[at..next]))
                    {
                        return -1;
                    }
                    tokens++;
                    expect = Expect.CommaOrEnd;
                    done = depth == 0;
                    break;
            }
        }
        return done ? tokens : -1;
    }

    private static bool IsHex(ReadOnlySpan<byte> digits)
    {
        foreach (var d in digits)
        {
            if (!char.IsAsciiHexDigit((char)d))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>true, false, null or a number: the bytes up to the next structural, less the white space before it.</summary>
    private static bool ScalarOk(ReadOnlySpan<byte> text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            end--;
        }
        var word = text[..end];
        // white space inside ("tr ue") would have started a scalar of its own: a structural between
        return word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8) || word.SequenceEqual("null"u8) || NumberOk(word);
    }

    /// <summary>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool NumberOk(ReadOnlySpan<byte> n)
    {
        var i = 0;
        if (i < n.Length && n[i] == '-')
        {
            i++;
        }
        if (i >= n.Length || !char.IsAsciiDigit((char)n[i]))
        {
            return false;
        }
        if (n[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < n.Length && char.IsAsciiDigit((char)n[i]))
            {
                i++;
            }
        }
        if (i < n.Length && n[i] == '.')
        {
            var digits = ++i;
            while (i < n.Length && char.IsAsciiDigit((char)n[i]))
            {
                i++;
            }
            if (i == digits)
            {
                return false;
            }
        }
        if (i < n.Length && (n[i] | 0x20) == 'e')
        {
            i++;
            if (i < n.Length && n[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }
            var digits = i;
            while (i < n.Length && char.IsAsciiDigit((char)n[i]))
            {
                i++;
            }
            if (i == digits)
            {
                return false;
            }
        }
        return i == n.Length;
    }
}
