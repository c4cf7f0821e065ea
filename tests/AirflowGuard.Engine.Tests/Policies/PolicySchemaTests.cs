using System.Text.RegularExpressions;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;
using NJsonSchema;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The JSON Schema in policies/schema is what editors use to complete and check policy files. These
/// tests keep it in step with the loader: everything shipped or documented passes both, and the
/// classic mistakes fail both.
/// </summary>
public partial class PolicySchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFileAsync(Repo.Path("policies", "schema", "airflowguard-policy.schema.json")).GetAwaiter().GetResult());

    public static TheoryData<string> PolicyFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "policies", Path.Combine("policies", "examples") })
        {
            foreach (var file in Directory.GetFiles(Repo.Path(folder), "*.yaml").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Root, file));
            }
        }
        return data;
    }

    /// <summary>Every ```yaml block in the docs that is an AirflowGuard document, as "file#n".</summary>
    public static TheoryData<string> DocumentedExamples()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in DocBlocks())
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyFiles))]
    public void ShippedPolicyFile_ValidatesAgainstSchema(string relativePath)
    {
        var text = File.ReadAllText(Repo.Path(relativePath));

        AssertValid(relativePath, text);
        Assert.Empty(PolicyLoader.LoadText(relativePath, text).Errors);
    }

    [Theory]
    [MemberData(nameof(DocumentedExamples))]
    public void DocumentedExample_ValidatesAgainstSchemaAndLoads(string name)
    {
        var text = DocBlocks().Single(b => b.Name == name).Text;

        AssertValid(name, text);
        var result = PolicyLoader.LoadText(name, text);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
    }

    [Theory]
    [MemberData(nameof(PolicyFiles))]
    public void ShippedPolicyFile_StartsWithTheModeline_ThatPointsAtTheSchema(string relativePath)
    {
        var path = Repo.Path(relativePath);
        var first = File.ReadLines(path).First();

        Assert.StartsWith("# yaml-language-server: $schema=", first, StringComparison.Ordinal);
        var schema = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, first["# yaml-language-server: $schema=".Length..]));
        Assert.Equal(Path.GetFullPath(Repo.Path("policies", "schema", "airflowguard-policy.schema.json")), schema);
    }

    [Fact]
    public void DocumentedAndExampleExceptions_ReadWithoutError_AndWaiveARuleOfTheDefaultPack()
    {
        var texts = new List<(string Name, string Text)>();
        foreach (Match match in YamlBlock().Matches(File.ReadAllText(Repo.Path("docs", "policies.md"))))
        {
            if (match.Groups["body"].Value.Contains("kind: AirflowPolicyException", StringComparison.Ordinal))
            {
                texts.Add(("docs/policies.md", match.Groups["body"].Value));
            }
        }
        texts.AddRange(Directory.GetFiles(Repo.Path("examples", "exceptions"), "*.yaml").Select(f => (f, File.ReadAllText(f))));
        Assert.True(texts.Count >= 2);

        foreach (var (name, text) in texts)
        {
            var (objects, readErrors) = ManifestBundle.Read(name, text);
            Assert.Empty(readErrors);
            var errors = new Kubernetes.InputErrors();
            var exception = PolicyExceptionObject.Read(Assert.Single(objects).Json, "default", errors);
            Assert.True(exception is not null, $"{name}: {string.Join("; ", errors.All.Select(e => $"{e.Path}: {e.Message}"))}");
            var (_, problems) = PolicyExceptionObject.Apply(Packs.Default, [exception], DateTimeOffset.UtcNow);
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void CommittedSchema_IsTheOneTheKindsGenerate()
    {
        // regenerate with: dotnet run --project src/AirflowGuard -- schema > policies/schema/airflowguard-policy.schema.json
        var committed = File.ReadAllText(Repo.Path("policies", "schema", "airflowguard-policy.schema.json"));

        Assert.Equal(PolicySchema.Text(), committed);
    }

    [Fact]
    public void Schema_ListsEveryRuleAndMutationKindTheLoaderReads_AndNoOther()
    {
        var definitions = System.Text.Json.JsonDocument.Parse(PolicySchema.Text()).RootElement.GetProperty("definitions");
        var rule = definitions.GetProperty("rule");
        var ruleKinds = rule.GetProperty("oneOf").EnumerateArray().Select(o => o.GetProperty("required")[0].GetString()!).ToList();
        var commonFields = new[] { "name", "message", "fix", "match" };

        Assert.Equal(RuleKinds.Keys, ruleKinds);
        Assert.Equal([.. commonFields, .. RuleKinds.Keys], rule.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(MutationKinds.Keys, definitions.GetProperty("mutation").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        foreach (var key in RuleKinds.Keys)
        {
            // each kind's body is read by its reader: an unknown field in it is refused by both
            var result = PolicyLoader.LoadText("p.yaml", $"apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: {{ name: p }}\nspec:\n  rules: [{{ name: r, {key}: {{ notAField: 1 }} }}]\n");
            Assert.Contains(result.Errors, e => e.Message.Contains("notAField", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void TheDocsContainExamples()
    {
        Assert.True(DocBlocks().Count() >= 8, "docs/policies.md should show every rule and mutation kind");
    }

    [Theory]
    [InlineData("  mode: Enforced\n  rules: [{ name: r, readWriteOnceWrites: {} }]\n")]
    [InlineData("  rules: [{ name: r, forbidVolum: { at: logs, backing: [host-path] } }]\n")]
    [InlineData("  rules: [{ name: r, forbidVolume: { at: tmp, backing: [host-path] } }]\n")]
    [InlineData("  rules: [{ name: r, forbidVolume: { at: logs, backing: [object-storage-fuze] } }]\n")]
    [InlineData("  rules: [{ name: r, readWriteOnceWrites: {}, gitSyncSingleWriter: {} }]\n")]
    [InlineData("  match: { components: [schedular] }\n  rules: [{ name: r, readWriteOnceWrites: {} }]\n")]
    [InlineData("  rules: [{ name: r, readWriteOnceWrites: {} }]\n  exceptions: [{ namespaces: [x] }]\n")]
    [InlineData("  mutations: [{ fuseMountOptions: { umask: \"9\" } }]\n")]
    [InlineData("  mutations: [{ setEnv: { values: { A: x }, target: sidecars } }]\n")]
    [InlineData("  mutations: [{ fuseMountOptions: { uid: { fromPod: runAsUzer } } }]\n")]
    [InlineData("  mode: Warn\n")]
    public void BrokenPolicy_IsRejectedByBothSchemaAndLoader(string spec)
    {
        var text = "apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: { name: p }\nspec:\n" + spec;

        Assert.NotEmpty(SchemaErrors(text));
        Assert.NotEmpty(PolicyLoader.LoadText("broken.yaml", text).Errors);
    }

    [Fact]
    public void BrokenCatalogue_IsRejectedByBothSchemaAndLoader()
    {
        const string text = """
            apiVersion: airflowguard.dev/v1
            kind: DriverCatalog
            metadata: { name: d }
            spec:
              drivers:
                - { driver: x.example.com, class: object-storage-fuse, mountOptions: { uid: "uid=1000" } }
            """;

        Assert.NotEmpty(SchemaErrors(text));
        Assert.NotEmpty(PolicyLoader.LoadText("drivers.yaml", text).Errors);
    }

    private static void AssertValid(string name, string text)
    {
        var errors = SchemaErrors(text);
        Assert.True(errors.Count == 0, name + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    private static List<string> SchemaErrors(string text)
    {
        var stream = YamlText.Load(text, out var syntaxError);
        Assert.True(stream is not null, syntaxError?.Message);
        var errors = new List<string>();
        foreach (var document in stream!.Documents)
        {
            var json = YamlJson.ToJson(document.RootNode);
            if (json is null)
            {
                continue;
            }
            errors.AddRange(Schema.Value.Validate(json.ToJsonString()).Select(e => $"{e.Path}: {e.Kind}"));
        }
        return errors;
    }

    private static IEnumerable<(string Name, string Text)> DocBlocks()
    {
        foreach (var file in new[] { "README.md", Path.Combine("docs", "policies.md"), Path.Combine("docs", "engine.md") })
        {
            var path = Repo.Path(file);
            if (!File.Exists(path))
            {
                continue;
            }
            var index = 0;
            foreach (Match match in YamlBlock().Matches(File.ReadAllText(path)))
            {
                var text = match.Groups["body"].Value;
                if (text.Contains("apiVersion: airflowguard.dev/v1", StringComparison.Ordinal) && !text.Contains("kind: PolicyTest", StringComparison.Ordinal) &&
                    !text.Contains("kind: AirflowPolicyException", StringComparison.Ordinal))
                {
                    yield return ($"{file.Replace('\\', '/')}#{++index}", text);
                }
            }
        }
    }

    [GeneratedRegex(@"^```yaml\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
