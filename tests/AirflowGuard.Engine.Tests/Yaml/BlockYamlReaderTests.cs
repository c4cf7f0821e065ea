using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;
using Xunit.Abstractions;
using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// <c>check</c>'s fast YAML reader against YamlDotNet, the reference: wherever the fast reader converts a
/// document, YamlDotNet must parse the same text without error to the very same JSON, with its root on the
/// same line; where the fast reader calls a document empty, YamlDotNet must find no object in it. Run on every
/// YAML file in the repository (chart renders of the official, community and Bitnami charts, examples,
/// policies), on the YAML test suite's cases, valid and invalid, and on thousands of damaged documents.
/// </summary>
public class BlockYamlReaderTests(ITestOutputHelper output)
{
    private sealed class Tally
    {
        public int Converted;
        public int Empty;
        public int NotHandled;
        public int ReferenceObjects; // documents YamlDotNet reads to one object that the fast path could take

        public override string ToString() => $"converted {Converted}, empty {Empty}, left to YamlDotNet {NotHandled}";
    }

    private static IEnumerable<string> RepositoryYaml()
    {
        var folders = new[] { Repo.Path("tests"), Repo.Path("examples"), Repo.Path("policies"), Repo.Path("deploy") };
        return folders
            .SelectMany(f => Directory.EnumerateFiles(f, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static IEnumerable<YamlDocumentText> Chunks(string text) => YamlDocumentSplitter.Split(new StringReader(text));

    [Fact]
    public void Agrees_with_YamlDotNet_on_every_yaml_file_in_the_repository()
    {
        var tally = new Tally();
        var charts = new Tally();
        var files = 0;
        foreach (var file in RepositoryYaml())
        {
            files++;
            var isChart = file.Contains("/tests/charts/", StringComparison.Ordinal);
            foreach (var chunk in Chunks(File.ReadAllText(file)))
            {
                AssertAgrees(chunk, file, tally);
                if (isChart)
                {
                    AssertAgrees(chunk, file, charts);
                }
            }
        }
        output.WriteLine($"{files} files: {tally}; chart renders alone: {charts}");
        Assert.True(files > 100, $"only {files} YAML files found");
        // helm's output is what the fast path is for: nearly every chart document must take it
        Assert.True(charts.Converted >= 0.95 * charts.ReferenceObjects, $"chart renders: {charts}, of {charts.ReferenceObjects} plain objects");
    }

    [Fact]
    public void Agrees_with_YamlDotNet_on_the_yaml_test_suite()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "yaml-test-suite", "cases.json"));
        using var cases = JsonDocument.Parse(json);
        var tally = new Tally();
        foreach (var c in cases.RootElement.EnumerateArray())
        {
            var yaml = c.GetProperty("yaml").GetString()!;
            foreach (var chunk in Chunks(yaml))
            {
                AssertAgrees(chunk, c.GetProperty("id").GetString()!, tally);
            }
        }
        output.WriteLine($"yaml-test-suite: {tally}");
        Assert.True(tally.Converted > 30, tally.ToString());
    }

    [Fact]
    public void Agrees_with_YamlDotNet_on_damaged_chart_documents()
    {
        var documents = RepositoryYaml()
            .Where(f => f.Contains("/tests/charts/", StringComparison.Ordinal))
            .SelectMany(f => Chunks(File.ReadAllText(f)))
            .Where(c => c.Text.Length < 20_000 && BlockYamlReader.TryConvert(c.Text, out _, out _, out _) == BlockYamlReader.Outcome.Converted)
            .ToList();
        var random = new Random(523);
        var tally = new Tally();
        string[] inserts = [" ", "  ", ":", ": ", "-", "- ", "#", " #", "\"", "'", "|", ">", "|-", "[", "]", "{", "}", ",", "\n", "\n  ", "&a ", "*a", "!", "\\", "? ", "...", "---", "\t", "é", "0x1", "~", "null", "1e3"];
        for (var i = 0; i < 6000; i++)
        {
            var text = documents[random.Next(documents.Count)].Text;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                text = Damage(text, random, inserts);
            }
            AssertAgrees(new YamlDocumentText(text, 1), $"damaged document {i}:\n{text}", tally);
        }
        output.WriteLine($"damaged documents: {tally}");
        Assert.True(tally.Converted > 2000 && tally.NotHandled > 1000, tally.ToString());
    }

    private static string Damage(string text, Random random, string[] inserts)
    {
        if (text.Length == 0)
        {
            return inserts[random.Next(inserts.Length)];
        }
        var at = random.Next(text.Length);
        var lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        return random.Next(5) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, inserts[random.Next(inserts.Length)]),
            2 => text.Insert(lineStart, random.Next(2) == 0 ? " " : "  "), // shift a line right
            3 => text[lineStart] == ' ' ? text.Remove(lineStart, 1) : text.Insert(at, " "), // or left
            _ => text.Insert(lineStart, text[lineStart..(text.IndexOf('\n', lineStart) is var end and >= 0 ? end + 1 : text.Length)]), // repeat a line
        };
    }

    public static TheoryData<string> SupportedDocuments() =>
    [
        "a: 1\nb: two\nc: \"three\"\nd: 'four'\n",
        "---\n# Source: chart/templates/pod.yaml\napiVersion: v1\nkind: Pod\n",
        "--- # a marker with a comment\nkind: Pod\n...\n# after the end\n",
        "metadata:\n  labels:\n    app: x # a comment\n    tier: \"y\"\n  annotations: {}\nspec: []\n",
        "list:\n- a\n- b: 1\n  c: 2\n-\n  d: 3\n- \n- [x, 'y', \"z\"]\nnext: true\n",
        "containers:\n  - name: base\n    args: [\"-c\", 'echo ''hi''', --local, -1, 1.5, null, ~, true, False]\n    env:\n      - { name: A, value: \"1\" }\n      - { name: B, valueFrom: { secretKeyRef: { name: s, key: k } } }\n",
        "script: |\n  #!/bin/sh\n  echo \"a: b\" # not a comment\n\n    indented more\n  last\nkept: |+\n  x\n\nstripped: |-\n  y\n\nempty: |\nafter: 1\n",
        "folded: >\n  one\n  two\n\n  three\n\n\n  four\nfoldedStrip: >-\n  a\n  b\n",
        "leading: |\n\n\n  text after two empty lines\nin:\n  - |\n    item text\n  - key: |\n      nested\n",
        "escapes: \"tab\\tnew\\nquote\\\" slash\\\\ uni\\u00e9 hex\\x41 nbsp\\_ end\"\nsingle: 'it''s'\n",
        "numbers: [0, -7, +3, 012, 1e3, .5, -.5, 0x1F, 0o17, .inf, 1_000, 9223372036854775808]\n",
        "\"quoted key\": 1\n'single key': 2\nkey with spaces  : 3\nurl: http://example.com:8080/x\ntime: 12:30\n",
        "a:\n  b:\n    c:\n      d: deep\n  e: back\nf: out\n",
        "resources:\n    {}\nlimits:\n  [ ]\nnext: 1\n",
        "kind: 'Pod'\nspec:\n  kind: Nested\n  template: { kind: Flow }\n",
        "\"kind\": |\n  Pod\nother: [kind]\n",
        "# only a comment\n",
        "---\n",
        "",
    ];

    [Theory]
    [MemberData(nameof(SupportedDocuments))]
    public void Reads_what_helm_emits_as_YamlDotNet_does(string yaml)
    {
        var tally = new Tally();
        AssertAgrees(new YamlDocumentText(yaml, 1), yaml, tally);
        Assert.Equal(0, tally.NotHandled); // taken by the fast path, not left to YamlDotNet
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")] // anchors and aliases
    [InlineData("kind: Pod\nkind: 7\n")] // a duplicate key: kubectl refuses it, and YamlDotNet says where
    [InlineData("a: { b: 1, b: 2 }\n")] // the same in a flow mapping
    [InlineData("a: !!str 1\n")] // tags
    [InlineData("%YAML 1.2\n---\na: 1\n")] // directives
    [InlineData("? a\n: b\n")] // complex keys
    [InlineData("a: one\n  two\n")] // a multi-line plain scalar
    [InlineData("a: \"one\n  two\"\n")] // a multi-line quoted scalar
    [InlineData("a: [1,\n  2]\n")] // a flow collection across lines
    [InlineData("a: |2\n   x\n")] // an explicit indentation indicator
    [InlineData("a:\tb\n")] // a tab
    [InlineData("a: b\r\n")] // a carriage return
    [InlineData("- a\n- b\n")] // a root that is not a mapping
    [InlineData("a: b: c\n")] // invalid: a mapping where a scalar belongs
    [InlineData("a: 1\n b: 2\n")] // invalid: a line indented past its mapping
    [InlineData("a: [1, 2,]\n")] // a trailing comma
    [InlineData("a: >\n  x\n    more\n")] // a more-indented line in a folded scalar
    public void Leaves_what_it_does_not_read_exactly_to_YamlDotNet(string yaml)
    {
        Assert.Equal(BlockYamlReader.Outcome.NotHandled, BlockYamlReader.TryConvert(yaml, out _, out _, out _));
    }

    [Fact]
    public void Check_reads_through_the_fast_path_with_lines_and_files_kept()
    {
        var text = "# header\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: a }\n---\n\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n";
        var objects = ManifestReader.Read(new StringReader(text), "pods.yaml").Select(r => r.Object!).ToList();
        Assert.Equal(["pods.yaml:3", "pods.yaml:8"], objects.Select(o => o.Location));
        Assert.Equal(["a", "b"], objects.Select(o => o.Json.GetProperty("metadata").GetProperty("name").GetString()));
    }

    /// <summary>
    /// The fast reader's outcome on <paramref name="chunk"/> must be what YamlDotNet's events say: on conversion, the same JSON
    /// (compared as text) and root line; on "empty", no object.
    /// </summary>
    private static void AssertAgrees(YamlDocumentText chunk, string where, Tally tally)
    {
        var outcome = BlockYamlReader.TryConvert(chunk.Text, out var utf8, out var line, out var kind);
        var json = Encoding.UTF8.GetString(utf8);
        var reference = ManifestReader.ParseWithYamlDotNet(chunk, "f");
        var failed = reference.Any(r => r.Error is not null);
        var documents = reference.Where(r => r.Document is not null).Select(r => r.Document!.Events!).ToList();
        var objects = documents.Where(IsPlainMapping).ToList();
        if (!failed && documents.Count == 1 && objects.Count == 1)
        {
            tally.ReferenceObjects++;
        }
        switch (outcome)
        {
            case BlockYamlReader.Outcome.NotHandled:
                tally.NotHandled++;
                return;
            case BlockYamlReader.Outcome.Empty:
                tally.Empty++;
                Assert.False(failed, $"the fast path found an empty document where YamlDotNet finds an error, in {where}");
                Assert.True(documents.All(IsEmpty), $"the fast path found an empty document where YamlDotNet finds content, in {where}");
                return;
        }
        tally.Converted++;
        Assert.False(failed, $"the fast path converted what YamlDotNet refuses ({reference.FirstOrDefault(r => r.Error is not null).Error}), in {where}");
        Assert.True(documents.Count == 1 && objects.Count == 1, $"the fast path converted one mapping where YamlDotNet finds {documents.Count} document(s), in {where}");
        var expected = YamlJson.ToElement(ManifestReader.ToNode(objects[0]));
        Assert.True(expected.GetRawText() == json, $"in {where}:\nYamlDotNet: {expected.GetRawText()}\nfast path:  {json}");
        Assert.True(Kubernetes.KubeObjectReader.Kind(expected) == kind, $"kind \"{kind}\", the JSON says \"{Kubernetes.KubeObjectReader.Kind(expected)}\", in {where}");
        Assert.True((int)objects[0][1].Start.Line == line, $"root line {line}, YamlDotNet says {objects[0][1].Start.Line}, in {where}");
    }

    private static bool IsPlainMapping(List<ParsingEvent> events) =>
        events.Count > 2 && events[1] is MappingStart && !events.Any(e => e is AnchorAlias || e is NodeEvent { Anchor.IsEmpty: false });

    private static bool IsEmpty(List<ParsingEvent> events) =>
        events.Count <= 2 || events[1] is Scalar { Value: "" or null, Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any };
}
