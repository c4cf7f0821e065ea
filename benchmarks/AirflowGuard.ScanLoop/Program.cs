// The vectorised scanner prototype of issue 27 against the floor: Utf8JsonReader over every token of the body (what
// the tokenize-only handler of benchmarks/AirflowGuard.LoadBaseline does) and StructuralScanner (simdjson's two
// stages) over the same bodies, the load tests' three AdmissionReviews, in one process, alternating, one thread.
// First it checks that both give the same token count on every review and refuse the same broken bodies.
// Prints, per review and side, the median and the minimum of the rounds in µs per body, and the ratio.
// Usage: AirflowGuard.ScanLoop [rounds] [seconds per run]   (5 rounds of 1 s)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using AirflowGuard.ScanLoop;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1;
Console.WriteLine($"Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
    $"SSSE3 {System.Runtime.Intrinsics.X86.Ssse3.IsSupported}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, " +
    $"PCLMULQDQ {System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported}");

string[] names = ["small", "medium", "large"];
var reviews = names.Select(name =>
{
    using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    return (Name: name, Body: copy.ToArray());
}).ToList();
var index = StructuralScanner.IndexFor(reviews.Max(r => r.Body.Length) + 1024);

// the same answers first: token counts on the reviews, refusals on broken bodies
var failures = 0;
foreach (var (name, body) in reviews)
{
    Same(name, body);
}
string[] broken =
[
    "", "{", "}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\":1}{}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":1.}",
    "{\"a\":-}", "{\"a\":1e}", "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"tab\there\"}", "[\"a\"\"b\"]",
    "{1:2}", "[{]}", "{\"a\":[}", "nul", "truefalse", "\"abc", "{\"a\":\"\\\\\"\"}", "[1]x",
];
string[] fine =
[
    "{}", "[]", "0", "-0.5e+10", "\"x\"", "true", " null ", "{\"a\":\"q\\\"uote\\\\\",\"b\":[1,2.5,-3e2,true,false,null,{}]}",
    "{\"\\u00e9t\\u00e9\":\"caf\u00e9\"}", "[[[[[]]]]]", "{\"a\":\"" + new string('x', 200) + "\\\\\"}",
    "{\"a\":\"" + new string('\\', 64) + "\",\"b\":1}", "[" + string.Join(",", Enumerable.Range(0, 100)) + "]",
];
foreach (var text in broken.Concat(fine))
{
    Same(text.Length > 30 ? text[..30] + "…" : text, Encoding.UTF8.GetBytes(text));
}
// and every split of a review's first 300 bytes into two blocks' worth of shifts: carries across 64-byte blocks
var medium = reviews[1].Body;
for (var pad = 0; pad < 64; pad++)
{
    Same($"medium shifted {pad}", [.. Enumerable.Repeat((byte)' ', pad), .. medium]);
}
if (failures > 0)
{
    Console.WriteLine($"{failures} disagreement(s): not measured");
    return 1;
}
Console.WriteLine($"agreement: {reviews.Count} reviews, {broken.Length} broken and {fine.Length} valid bodies, 64 shifts");

string[] sides = ["Utf8JsonReader", "StructuralScanner"];
var results = new Dictionary<(string, string), List<double>>();
for (var round = 0; round < rounds; round++)
{
    foreach (var (name, body) in reviews)
    {
        foreach (var side in sides)
        {
            Run(side, body, TimeSpan.FromSeconds(seconds / 4)); // warm
            var micros = Run(side, body, TimeSpan.FromSeconds(seconds));
            (results.TryGetValue((name, side), out var list) ? list : results[(name, side)] = []).Add(micros);
        }
    }
}
Console.WriteLine("review\tbytes\tUtf8JsonReader µs (median, min)\tStructuralScanner µs (median, min)\tscanner / reader (median)");
foreach (var (name, body) in reviews)
{
    var reader = results[(name, "Utf8JsonReader")];
    var scanner = results[(name, "StructuralScanner")];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}\t{body.Length}\t{Median(reader):F2} ({reader.Min():F2})\t{Median(scanner):F2} ({scanner.Min():F2})\t{Median(scanner) / Median(reader):F2}"));
}
return 0;

void Same(string name, byte[] body)
{
    var expected = ReaderTokens(body);
    var actual = StructuralScanner.CountTokens(body, index);
    if (expected != actual)
    {
        failures++;
        Console.WriteLine($"disagree on {name}: Utf8JsonReader {expected}, StructuralScanner {actual}");
    }
}

static int ReaderTokens(ReadOnlySpan<byte> body)
{
    var json = new Utf8JsonReader(body);
    var tokens = 0;
    try
    {
        while (json.Read())
        {
            tokens++;
        }
        return tokens == 0 ? -1 : tokens;
    }
    catch (JsonException)
    {
        return -1;
    }
}

double Run(string side, byte[] body, TimeSpan length)
{
    var stopwatch = Stopwatch.StartNew();
    long calls = 0;
    var sink = 0;
    while (stopwatch.Elapsed < length)
    {
        for (var i = 0; i < 100; i++)
        {
            sink += side == "Utf8JsonReader" ? ReaderTokens(body) : StructuralScanner.CountTokens(body, index);
        }
        calls += 100;
    }
    GC.KeepAlive(sink);
    return stopwatch.Elapsed.TotalMicroseconds / calls;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
