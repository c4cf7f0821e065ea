using System.Globalization;
using System.Text;
using AirflowGuard.Engine.Expressions.Cel;
using Xunit.Abstractions;

namespace AirflowGuard.Engine.Tests.Expressions;

/// <summary>
/// AirflowGuard's CEL implementation against the cel-spec conformance data (TestData/cel-spec, copied
/// from google/cel-spec): every case of the files below runs, except the sections and cases listed with
/// their reason (protobuf messages, which policies never see, and features left out). A case passes when
/// the value is the expected one (same kind, same value) or, where an error is expected, when compiling
/// or evaluating gives an error.
/// </summary>
public class CelConformanceTests(ITestOutputHelper log)
{
    public static readonly string[] Files =
    [
        "basic", "comparisons", "conversions", "fields", "fp_math", "integer_math", "lists", "logic", "macros", "macros2",
        "parse", "plumbing", "string", "string_ext", "timestamps",
    ];

    /// <summary>Whole sections left out, and why.</summary>
    public static readonly Dictionary<string, string> SkippedSections = new(StringComparer.Ordinal)
    {
        ["comparisons/eq_wrapper"] = "protobuf wrapper types",
        ["comparisons/ne_wrapper"] = "protobuf wrapper types",
        ["fields/qualified_identifier_resolution"] = "containers and protobuf message types",
        ["string_ext/quote"] = "strings.quote, not offered",
        ["string_ext/format"] = "string.format, not offered",
        ["string_ext/format_errors"] = "string.format, not offered",
    };

    /// <summary>Single cases known to fail, and why (kept empty where possible).</summary>
    public static readonly Dictionary<string, string> KnownFailures = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void ConformanceCases_PassOrAreListedAsSkipped()
    {
        int passed = 0, skipped = 0, failed = 0;
        var failures = new List<string>();
        var skipReasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            var data = TextProto.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "cel-spec", file + ".textproto")));
            int filePassed = 0, fileSkipped = 0;
            foreach (var section in data.Messages("section"))
            {
                var sectionName = $"{file}/{section.Scalar("name")}";
                foreach (var test in section.Messages("test"))
                {
                    var name = $"{sectionName}/{test.Scalar("name")}";
                    var reason = SkippedSections.GetValueOrDefault(sectionName) ?? SkipReason(test);
                    if (reason is not null)
                    {
                        skipped++;
                        fileSkipped++;
                        skipReasons[reason] = skipReasons.GetValueOrDefault(reason) + 1;
                        continue;
                    }
                    var problem = Run(test);
                    if (problem is null)
                    {
                        passed++;
                        filePassed++;
                    }
                    else if (KnownFailures.TryGetValue(name, out var known))
                    {
                        skipped++;
                        fileSkipped++;
                        skipReasons[known] = skipReasons.GetValueOrDefault(known) + 1;
                    }
                    else
                    {
                        failed++;
                        failures.Add($"{name}: {test.Scalar("expr")} → {problem}");
                    }
                }
            }
            log.WriteLine($"{file}: {filePassed} passed, {fileSkipped} skipped");
        }
        log.WriteLine($"total: {passed} passed, {failed} failed, {skipped} skipped; pass rate of the cases run {100.0 * passed / (passed + failed):F1} %");
        foreach (var (reason, count) in skipReasons)
        {
            log.WriteLine($"skipped {count}: {reason}");
        }
        foreach (var failure in failures)
        {
            log.WriteLine("FAIL " + failure);
        }
        Assert.Empty(failures);
    }

    /// <summary>Why a single case cannot run here (protobuf messages and the like), or null.</summary>
    private static string? SkipReason(TextProto test)
    {
        var expr = test.Scalar("expr") ?? "";
        if (test.Has("container") || expr.Contains("TestAllTypes", StringComparison.Ordinal) || expr.Contains("google.protobuf", StringComparison.Ordinal)
            || expr.Contains("cel.expr", StringComparison.Ordinal) || Mentions(test, "object_value") || Mentions(test, "enum_value"))
        {
            return "protobuf messages and enums (policies see JSON, never protobuf)";
        }
        if (test.Has("check_only") || (test.Message("typed_result") is { } typed && typed.Message("result") is null))
        {
            return "type-check-only cases (the checker's deduced types are not compared)";
        }
        if (test.Has("unknown") || test.Has("any_unknowns"))
        {
            return "unknown values (partial evaluation)";
        }
        if (expr.Contains(".?", StringComparison.Ordinal) || expr.Contains("[?", StringComparison.Ordinal) || expr.Contains("optional.", StringComparison.Ordinal))
        {
            return "optional types, not offered";
        }
        return null;
    }

    private static bool Mentions(TextProto message, string field) =>
        message.Fields.Any(f => f.Name == field || (f.Value is TextProto inner && Mentions(inner, field)));

    /// <summary>Null when the case passes, else what happened.</summary>
    private static string? Run(TextProto test)
    {
        var expr = test.Scalar("expr")!;
        var environment = new CelEnvironment { Unchecked = test.Scalar("disable_check") == "true" };
        var values = new List<CelValue>();
        foreach (var binding in test.Messages("bindings"))
        {
            var value = binding.Message("value")?.Message("value");
            if (value is null || ExpectedValue(value) is not { } v)
            {
                return "unsupported binding";
            }
            environment.Declare(binding.Scalar("key")!, CelStaticType.Dyn);
            values.Add(v);
        }
        foreach (var declaration in test.Messages("type_env"))
        {
            if (declaration.Scalar("name") is { } name && !environment.TryGetVariable(name, out _, out _) && declaration.Message("ident") is not null)
            {
                environment.Declare(name, CelStaticType.Dyn);
                values.Add(CelValue.Error($"no value for {name}"));
            }
        }
        var expectError = test.Has("eval_error");
        var expected = test.Message("value") ?? test.Message("typed_result")?.Message("result");
        CelValue actual;
        try
        {
            actual = environment.Compile(expr).Evaluate(CelActivation.Of([.. values]));
        }
        catch (CelSyntaxException ex)
        {
            return expectError ? null : $"compile error: {ex.Message}";
        }
        if (expectError)
        {
            return actual.IsError ? null : $"expected an error, got {actual.Display()}";
        }
        if (actual.IsError)
        {
            return $"error: {actual.ErrorMessage}";
        }
        if (expected is null)
        {
            // no value given: the spec's default is true
            return actual.Kind == CelKind.Bool && actual.AsBool ? null : $"expected true, got {actual.Display()}";
        }
        var want = ExpectedValue(expected);
        if (want is null)
        {
            return "unsupported expected value";
        }
        return StrictEqual(actual, want.Value) ? null : $"expected {want.Value.Display()}, got {actual.Display()} ({actual.Kind})";
    }

    private static CelValue? ExpectedValue(TextProto value)
    {
        if (value.Fields.Count == 0)
        {
            return null;
        }
        var (kind, raw) = value.Fields[0];
        var text = raw switch { byte[] b => Encoding.UTF8.GetString(b), string s => s, _ => null };
        switch (kind)
        {
            case "int64_value": return CelValue.Int(long.Parse(text!, CultureInfo.InvariantCulture));
            case "uint64_value": return CelValue.Uint(ulong.Parse(text!, CultureInfo.InvariantCulture));
            case "double_value":
                return CelValue.Double(text!.ToLowerInvariant() switch
                {
                    "inf" or "infinity" => double.PositiveInfinity,
                    "-inf" or "-infinity" => double.NegativeInfinity,
                    "nan" => double.NaN,
                    _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                });
            case "string_value": return CelValue.String(text!);
            case "bytes_value": return CelValue.Bytes((byte[])raw);
            case "bool_value": return CelValue.Bool(text == "true");
            case "null_value": return CelValue.Null;
            case "type_value": return CelType.Named.TryGetValue(text!, out var type) ? CelValue.Type(type) : null;
            case "list_value":
                var items = new List<CelValue>();
                foreach (var item in ((TextProto)raw).Messages("values"))
                {
                    if (ExpectedValue(item) is not { } v)
                    {
                        return null;
                    }
                    items.Add(v);
                }
                return CelValue.List(CelList.Of([.. items]));
            case "map_value":
                var map = new CelMapLiteral();
                foreach (var entry in ((TextProto)raw).Messages("entries"))
                {
                    if (ExpectedValue(entry.Message("key")!) is not { } k || ExpectedValue(entry.Message("value")!) is not { } v)
                    {
                        return null;
                    }
                    map.Add(k, v);
                }
                return CelValue.Map(map);
            default: return null;
        }
    }

    private static bool StrictEqual(CelValue a, CelValue b)
    {
        if (a.Kind != b.Kind)
        {
            return false;
        }
        switch (a.Kind)
        {
            case CelKind.Double: return a.AsDouble.Equals(b.AsDouble);
            case CelKind.List:
                if (a.AsList.Count != b.AsList.Count)
                {
                    return false;
                }
                for (var i = 0; i < a.AsList.Count; i++)
                {
                    if (!StrictEqual(a.AsList[i], b.AsList[i]))
                    {
                        return false;
                    }
                }
                return true;
            case CelKind.Map:
                if (a.AsMap.Count != b.AsMap.Count)
                {
                    return false;
                }
                foreach (var key in a.AsMap.Keys())
                {
                    if (!a.AsMap.TryGet(key, out var x) || !b.AsMap.TryGet(key, out var y) || !StrictEqual(x, y))
                    {
                        return false;
                    }
                }
                return true;
            default: return CelOperators.AreEqual(a, b);
        }
    }
}
