using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The pod and review readers' JSON reader against <see cref="Utf8JsonReader"/>, whose place it took: on JSONTestSuite's
/// 318 parsing cases, on the load reviews and every pod-running object of the repository's chart renders (compact and
/// indented), and on thousands of damaged copies of them, both accept the same texts and give the same tokens, values and
/// positions; what is not JSON is a <see cref="JsonException"/>, never another failure.
/// </summary>
public class JsonCursorTests
{
    private static readonly string SuiteFolder = Repo.Path("tests", "AirflowGuard.Engine.Tests", "TestData", "json-test-suite", "test_parsing");

    public static TheoryData<string> SuiteCases() => [.. Directory.EnumerateFiles(SuiteFolder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void JsonTestSuite_AcceptedAndRead_AsUtf8JsonReaderDoes(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(SuiteFolder, file));
        var expected = Tokens.OfUtf8JsonReader(json, 64);
        var actual = Tokens.OfCursor(json, 64);

        Assert.Equal(expected.Accepted, actual.Accepted);
        if (expected.Accepted)
        {
            Assert.Equal(expected.List, actual.List);
        }
        // a name with a lone surrogate escape is not text: both refuse it when they unescape it
        var (expectedByField, byField) = (Tokens.OfUtf8JsonReader(json, 64, names: true), Tokens.FieldByField(json, 64));
        Assert.Equal(expectedByField.Accepted, byField.Accepted);
        if (expectedByField.Accepted)
        {
            Assert.Equal(expectedByField.List, byField.List);
        }
        if (file.StartsWith("y_", StringComparison.Ordinal))
        {
            Assert.True(actual.Accepted, $"{file} is JSON: {actual.Error}");
        }
        else if (file.StartsWith("n_", StringComparison.Ordinal) && actual.Accepted)
        {
            // the suite's n_ cases that Utf8JsonReader's Read accepts: invalid UTF-8 inside a string, which it leaves to
            // GetString (as the cursor does); the webhook refuses those bodies before reading them (JsonStringCheck)
            Assert.Throws<InvalidOperationException>(() => Tokens.AllStrings(json));
        }
    }

    public static TheoryData<string> RealTexts()
    {
        var data = new TheoryData<string>();
        foreach (var review in new[] { "small-review.json", "scheduler-review.json", "large-review.json" })
        {
            data.Add(Repo.Path("benchmarks", "load", review));
        }
        data.Add("renders");
        return data;
    }

    [Theory]
    [MemberData(nameof(RealTexts))]
    public void RealObjects_CompactAndIndented_GiveTheSameTokens(string source)
    {
        foreach (var json in Texts(source))
        {
            foreach (var text in new[] { json, Indented(json) })
            {
                var expected = Tokens.OfUtf8JsonReader(text, 1024);
                Assert.True(expected.Accepted, expected.Error);
                Assert.Equal(expected.List, Tokens.OfCursor(text, 1024).List);
                Assert.Equal(Tokens.OfUtf8JsonReader(text, 1024, names: true).List, Tokens.FieldByField(text, 1024).List);
            }
        }
    }

    [Theory]
    [InlineData("small-review.json", 1)]
    [InlineData("scheduler-review.json", 2)]
    [InlineData("large-review.json", 3)]
    public void DamagedReviews_AreRefusedOrAcceptedAlike_AndReadAlike(string review, int seed)
    {
        var original = File.ReadAllBytes(Repo.Path("benchmarks", "load", review));
        // a large review damaged near its start is refused after a few tokens; most damage lands in the first 8 KB
        var random = new Random(seed);
        var refused = 0;
        for (var i = 0; i < 1500; i++)
        {
            var damaged = Damage(original, random);
            var expected = Tokens.OfUtf8JsonReader(damaged, 64);
            var actual = Tokens.OfCursor(damaged, 64);
            var what = $"damage {i} (seed {seed}): {Encoding.UTF8.GetString(damaged.AsSpan(0, Math.Min(damaged.Length, 200)))}…";
            Assert.True(expected.Accepted == actual.Accepted, $"{what}: Utf8JsonReader {expected.Error ?? "accepts"}, the cursor {actual.Error ?? "accepts"}");
            if (expected.Accepted)
            {
                Assert.Equal(expected.List, actual.List);
            }
            // as the pod and review readers walk it: field by field (the compact case read in one call), items with Read
            var (expectedByField, byField) = (Tokens.OfUtf8JsonReader(damaged, 64, names: true), Tokens.FieldByField(damaged, 64));
            Assert.True(expectedByField.Accepted == byField.Accepted, $"{what}: Utf8JsonReader {expectedByField.Error ?? "accepts"}, field by field {byField.Error ?? "accepts"}");
            if (expectedByField.Accepted)
            {
                Assert.Equal(expectedByField.List, byField.List);
            }
            refused += expected.Accepted ? 0 : 1;
        }
        Assert.InRange(refused, 300, 1500); // the damage makes non-JSON often enough to test refusal
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1024)]
    public void Nesting_UpToTheMaximumDepth_IsRead_OneDeeperIsRefused(int maxDepth)
    {
        foreach (var (open, close) in new[] { ("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]") })
        {
            foreach (var depth in new[] { maxDepth - 1, maxDepth, maxDepth + 1 })
            {
                var levels = open.Length == 1 ? depth : open == "{\"a\":" ? depth : depth / 2;
                var json = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, levels)) + "1" + string.Concat(Enumerable.Repeat(close, levels)));
                var expected = Tokens.OfUtf8JsonReader(json, maxDepth);
                var actual = Tokens.OfCursor(json, maxDepth);
                Assert.Equal(expected.Accepted, actual.Accepted);
                Assert.Equal(expected.List, actual.List);
            }
        }
    }

    [Theory]
    [InlineData("""{"a\u0062c":"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"}""")]
    [InlineData("""["plain","caf\u00e9","\u0041BC",""]""")]
    public void EscapedStrings_AreUnescapedAsUtf8JsonReaderDoes(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(json);
        var cursor = new JsonCursor(json);
        while (reader.Read())
        {
            Assert.True(cursor.Read());
            Assert.Equal(reader.TokenType, cursor.TokenType);
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                Assert.Equal(reader.ValueIsEscaped, cursor.ValueIsEscaped);
                Assert.Equal(reader.GetString(), cursor.GetString());
                var (expected, actual) = (new byte[64], new byte[64]);
                Assert.Equal(expected.AsSpan(0, reader.CopyString(expected)).ToArray(), actual.AsSpan(0, cursor.CopyString(actual)).ToArray());
            }
        }
        Assert.False(cursor.Read());
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void Strings_ReadForTheirText_AreUtf8JsonReadersText(string file)
    {
        // ASCII (nearly every Kubernetes string) is widened directly; anything else goes through the UTF-8 decoder
        var json = File.ReadAllBytes(Path.Combine(SuiteFolder, file));
        List<string> expected = [];
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    expected.Add(reader.GetString()!);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return; // not JSON, or a string that is not text: the cases above
        }
        List<string> actual = [];
        var cursor = new JsonCursor(json);
        while (cursor.Read())
        {
            if (cursor.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                actual.Add(cursor.GetString());
            }
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void SurrogateEscapes_AreNoted_ExactlyWhenSomeStringHasOne(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(SuiteFolder, file));
        bool expected;
        try
        {
            expected = HasSurrogateEscape(json);
        }
        catch (JsonException)
        {
            return; // not JSON: the cursor throws too (JsonTestSuite_AcceptedAndRead_AsUtf8JsonReaderDoes)
        }
        var cursor = new JsonCursor(json);
        while (cursor.Read())
        {
        }

        Assert.Equal(expected, cursor.HasSurrogateEscapes);
    }

    [Theory]
    [InlineData("\"\\ud800\"", true)]
    [InlineData("\"\\uDBFF\"", true)]
    [InlineData("\"a\\uD83D\\uDE00b\"", true)] // a pair: valid text, but noted, and told apart by JsonStringCheck
    [InlineData("{\"\\udfff\":1}", true)]
    [InlineData("[\"x\", {\"a\": [\"\\ud9ab\"]}]", true)]
    [InlineData("\"\\\\ud800\"", false)] // an escaped backslash, then the text ud800
    [InlineData("\"\\u0064800\"", false)] // d, then 800
    [InlineData("\"\\ud7ff\\ue000\\uc800\"", false)]
    [InlineData("\"ud800\"", false)]
    public void SurrogateEscapes_AreNoted_InStringsAndNames(string text, bool noted)
    {
        var cursor = new JsonCursor(Encoding.UTF8.GetBytes(text));
        while (cursor.Read())
        {
        }

        Assert.Equal(noted, cursor.HasSurrogateEscapes);
        Assert.Equal(noted, HasSurrogateEscape(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The reference: every string and name as Utf8JsonReader gives it, its escapes walked one by one and each \u's four digits parsed as a number.</summary>
    private static bool HasSurrogateEscape(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        var found = false;
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
            {
                continue;
            }
            var raw = reader.ValueSpan;
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '\\')
                {
                    continue;
                }
                if (raw[i + 1] == 'u' && int.Parse(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) is >= 0xD800 and <= 0xDFFF)
                {
                    found = true;
                }
                i++; // past the escaped character (a backslash escaping a backslash is not the start of another escape)
            }
        }
        return found;
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1000")]
    [InlineData("-17")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("1E-2")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775808")]
    public void Numbers_AreWholeNumbersExactlyWhenUtf8JsonReaderSaysSo(string number)
    {
        var json = Encoding.UTF8.GetBytes($"[{number}]");
        var reader = new Utf8JsonReader(json);
        var cursor = new JsonCursor(json);
        reader.Read();
        reader.Read();
        cursor.Read();
        cursor.Read();
        Assert.Equal(reader.TryGetInt64(out var expected), cursor.TryGetInt64(out var actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Skip_LandsWhereUtf8JsonReaderLands()
    {
        var json = File.ReadAllBytes(Repo.Path("benchmarks", "load", "scheduler-review.json"));
        var reader = new Utf8JsonReader(json);
        var cursor = new JsonCursor(json);
        var (skips, tokens) = (0, 0);
        while (reader.Read())
        {
            tokens++;
            Assert.True(cursor.Read(), $"the cursor ended at {cursor.BytesConsumed}");
            // from a property (onto its value, over it if a container) or a container's start, inside the pod
            if (tokens % 5 == 0 && reader.CurrentDepth >= 3 && reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                cursor.Skip();
                skips++;
            }
            Assert.Equal(reader.TokenType, cursor.TokenType);
            Assert.Equal(reader.BytesConsumed, cursor.BytesConsumed);
            Assert.Equal(reader.CurrentDepth, cursor.CurrentDepth);
        }
        Assert.False(cursor.Read());
        Assert.True(skips > 10, $"{skips} skips");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\" 1}")]
    [InlineData("[1,]")]
    [InlineData("[1 2]")]
    [InlineData("{} {}")]
    [InlineData("\"abc")]
    [InlineData("\"a\\x\"")]
    [InlineData("\"a\\u12\"")]
    [InlineData("tru")]
    [InlineData("-")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("1e")]
    public void NotJson_IsAJsonException_AndUtf8JsonReaderRefusesItToo(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        Assert.False(Tokens.OfUtf8JsonReader(json, 64).Accepted);
        var error = Assert.Throws<JsonException>(() => Tokens.OfCursor(json, 64, rethrow: true));
        Assert.StartsWith("not JSON at byte ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(JsonCursor.Describe(json, 64));
    }

    private static IEnumerable<byte[]> Texts(string source) => source == "renders"
        ? PodReaderTests.RealObjects().Select(o => Encoding.UTF8.GetBytes(o.Object.ToJsonString()))
        : [File.ReadAllBytes(source)];

    private static byte[] Indented(byte[] json) =>
        Encoding.UTF8.GetBytes(JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\n", "\r\n\t", StringComparison.Ordinal));

    /// <summary>One to three edits: a byte removed, one of JSON's own characters put in or over one, a part repeated, the end cut.</summary>
    private static byte[] Damage(byte[] json, Random random)
    {
        const string Significant = "{}[],:\"\\ \t\n0123456789-+.eEtrufalsn\u0001x";
        var bytes = new List<byte>(json);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            // mostly near the start, where the readers' states are most varied; sometimes anywhere
            var at = random.Next(random.Next(4) == 0 ? bytes.Count : Math.Min(bytes.Count, 8192));
            switch (random.Next(5))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, (byte)Significant[random.Next(Significant.Length)]);
                    break;
                case 2:
                    bytes[at] = (byte)Significant[random.Next(Significant.Length)];
                    break;
                case 3:
                    var length = random.Next(1, 40);
                    bytes.InsertRange(at, bytes.GetRange(Math.Max(0, at - length), Math.Min(length, at)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
            if (bytes.Count == 0)
            {
                bytes.Add((byte)'{');
            }
        }
        return [.. bytes];
    }

    /// <summary>Every token a reader gives: type, bytes, whether escaped, where it starts, the bytes consumed and the depth.</summary>
    private static class Tokens
    {
        /// <summary>With <paramref name="names"/>, a property name is listed as <see cref="FieldByField"/> sees it: its unescaped bytes only.</summary>
        public static (bool Accepted, List<string> List, string? Error) OfUtf8JsonReader(byte[] json, int maxDepth, bool names = false)
        {
            var list = new List<string>();
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
            try
            {
                while (reader.Read())
                {
                    list.Add(names && reader.TokenType == JsonTokenType.PropertyName ? Name(UnescapedName(ref reader))
                        : Describe(reader.TokenType, reader.ValueSpan, reader.ValueIsEscaped, reader.TokenStartIndex, reader.BytesConsumed, reader.CurrentDepth));
                }
                return (true, list, null);
            }
            catch (Exception ex) when (ex is JsonException || (names && ex is InvalidOperationException))
            {
                return (false, list, ex.Message);
            }
        }

        public static (bool Accepted, List<string> List, string? Error) OfCursor(byte[] json, int maxDepth, bool rethrow = false)
        {
            var list = new List<string>();
            var cursor = new JsonCursor(json, maxDepth);
            try
            {
                while (cursor.Read())
                {
                    list.Add(Describe(cursor.TokenType, cursor.ValueSpan, cursor.ValueIsEscaped, cursor.TokenStartIndex, cursor.BytesConsumed, cursor.CurrentDepth));
                }
                return (true, list, null);
            }
            catch (JsonException ex) when (!rethrow)
            {
                return (false, list, ex.Message);
            }
        }

        /// <summary>
        /// The tokens as the readers walk a value: an object's fields with <see cref="JsonTokens.NextField"/> (a name as
        /// the name it gives), a list's items with <see cref="JsonTokens.NextItem"/>, every other token as read.
        /// </summary>
        public static (bool Accepted, List<string> List, string? Error) FieldByField(byte[] json, int maxDepth)
        {
            var list = new List<string>();
            var cursor = new JsonCursor(json, maxDepth);
            try
            {
                cursor.Read();
                Walk(ref cursor, list);
                while (cursor.Read())
                {
                    list.Add(Describe(ref cursor));
                }
                return (true, list, null);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return (false, list, ex.Message);
            }
        }

        private static void Walk(ref JsonCursor cursor, List<string> list)
        {
            list.Add(Describe(ref cursor));
            if (cursor.TokenType == JsonTokenType.StartObject)
            {
                while (JsonTokens.NextField(ref cursor, out var name))
                {
                    list.Add(Name(name));
                    Walk(ref cursor, list);
                }
                list.Add(Describe(ref cursor));
            }
            else if (cursor.TokenType == JsonTokenType.StartArray)
            {
                while (JsonTokens.NextItem(ref cursor))
                {
                    Walk(ref cursor, list);
                }
                list.Add(Describe(ref cursor));
            }
        }

        // as NextField gives a name: unescaped when written with escapes, "\0" when that is longer than any name read
        private static byte[] UnescapedName(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                return reader.ValueSpan.ToArray();
            }
            if (reader.ValueSpan.Length > 64)
            {
                return [0];
            }
            var buffer = new byte[64];
            return buffer.AsSpan(0, reader.CopyString(buffer)).ToArray();
        }

        private static string Name(ReadOnlySpan<byte> name) => $"name {Convert.ToHexString(name)}";

        private static string Describe(ref JsonCursor cursor) =>
            Describe(cursor.TokenType, cursor.ValueSpan, cursor.ValueIsEscaped, cursor.TokenStartIndex, cursor.BytesConsumed, cursor.CurrentDepth);

        /// <summary>Reads every string and name with <see cref="JsonCursor.GetString"/>.</summary>
        public static void AllStrings(byte[] json)
        {
            var cursor = new JsonCursor(json);
            while (cursor.Read())
            {
                if (cursor.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    cursor.GetString();
                }
            }
        }

        private static string Describe(JsonTokenType type, ReadOnlySpan<byte> value, bool escaped, long start, long consumed, int depth) =>
            $"{type} {Convert.ToHexString(value)} escaped={escaped} at={start} consumed={consumed} depth={depth}";
    }
}
