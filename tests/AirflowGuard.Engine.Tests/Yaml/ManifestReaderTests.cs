using System.Text.Json.Nodes;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Tests;

/// <summary>The streaming manifest reader gives the same JSON as loading the YAML into nodes, and locates its errors.</summary>
public class ManifestReaderTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { Repo.Path("examples", "seeds"), Repo.Path("examples", "charts"), Repo.Path("policies", "tests", "fixtures") })
        {
            foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Root, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void StreamingReader_MatchesTheNodeModel(string fixture)
    {
        var text = File.ReadAllText(Repo.Path(fixture));
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var expected = stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => YamlJson.ToJson(d.RootNode)).ToList();

        var (objects, errors) = ManifestBundle.Read(fixture, text);

        Assert.Empty(errors);
        var top = objects.Where(o => o.EmbeddedIn is null).ToList();
        Assert.Equal(expected.Count, top.Count);
        foreach (var (want, got) in expected.Zip(top))
        {
            Assert.True(JsonNode.DeepEquals(want, JsonNode.Parse(got.Json.GetRawText())), $"{fixture}:{got.Line}");
        }
    }

    [Fact]
    public void AnchorsAndAliases_AreResolved()
    {
        var (objects, errors) = ManifestBundle.Read("anchors.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: p, labels: &labels { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: a
                  image: apache/airflow:2.9.3
                  env: &env [{ name: A, value: "1" }]
                - name: b
                  image: apache/airflow:2.9.3
                  env: *env
            """);

        Assert.Empty(errors);
        var pod = Assert.Single(objects).Json;
        Assert.Equal("A", pod.GetProperty("spec").GetProperty("containers")[1].GetProperty("env")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void ListsAndEmptyDocuments_AsHelmTemplateWritesThem()
    {
        var (objects, errors) = ManifestBundle.Read("list.yaml", """
            # Source: chart/templates/nothing.yaml
            ---
            ---
            apiVersion: v1
            kind: List
            items:
              - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }
              - { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }
            ---
            apiVersion: v1
            kind: Secret
            metadata: { name: c }
            """);

        Assert.Empty(errors);
        Assert.Equal([("ConfigMap", 7), ("ConfigMap", 8), ("Secret", 10)], objects.Select(o => (o.Kind!, o.Line)));
    }

    [Fact]
    public void ASyntaxErrorLater_KeepsTheObjectsBeforeIt_AndSaysWhere()
    {
        var (objects, errors) = ManifestBundle.Read("late.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: a }\n---\nkind: Pod\nmetadata: { name: [x\n");

        Assert.Equal("Secret", Assert.Single(objects).Kind);
        var error = Assert.Single(errors);
        Assert.Equal(("late.yaml", 7), (error.File, error.Line));
    }

    [Fact]
    public void ABrokenDocument_IsReportedWhereItIs_AndTheDocumentsAfterItAreStillRead()
    {
        var (objects, errors) = ManifestBundle.Read("middle.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: { name: a }\n---\nkind: Pod\nmetadata: { name: [x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n");

        Assert.Equal([("Secret", 1), ("ConfigMap", 8)], objects.Select(o => (o.Kind!, o.Line)));
        var error = Assert.Single(errors);
        Assert.Equal(("middle.yaml", 7), (error.File, error.Line));
    }

    [Fact]
    public void ABlockScalarWhoseFirstLineHoldsOnlySpaces_IsReadAsHelmAndKubectlReadIt()
    {
        // aaubry/YamlDotNet#523: the official chart renders airflow_local_settings.py like this
        var (objects, errors) = ManifestBundle.Read("helm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  a.py: |-\n    \n    import os\n  b.py: |\n    \n  \n    x = 1\n\n      y\n  c: ok\n");

        Assert.Empty(errors);
        var data = Assert.Single(objects).Json.GetProperty("data");
        Assert.Equal("\nimport os", data.GetProperty("a.py").GetString());
        Assert.Equal("\n\nx = 1\n\n  y\n", data.GetProperty("b.py").GetString());
        Assert.Equal("ok", data.GetProperty("c").GetString());
    }

    [Fact]
    public void ALeadingLineWiderThanTheContent_IsStillAnError()
    {
        var (_, errors) = ManifestBundle.Read("wide.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  a: |\n        \n    x\n");

        Assert.Equal(5, Assert.Single(errors).Line, tolerance: 2);
    }

    [Fact]
    public void SpacesInsideABlockScalar_AreContent_AndStayExactly()
    {
        // a nested header inside a block scalar is content: its following spaces are kept
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  t: |\n    data: |\n      \n      x\n";
        var (objects, errors) = ManifestBundle.Read("nested.yaml", text);

        Assert.Empty(errors);
        Assert.Equal("data: |\n  \n  x\n", Assert.Single(objects).Json.GetProperty("data").GetProperty("t").GetString());
    }

    [Fact]
    public void AnAliasBomb_IsRefusedWithItsLocation_WithoutExpandingIt()
    {
        var bomb = new System.Text.StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 12; i++)
        {
            bomb.Append($"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var (objects, errors) = ManifestBundle.Read("bomb.yaml", bomb.ToString());

        Assert.Empty(objects);
        var error = Assert.Single(errors);
        Assert.Contains("too much aliasing", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void NestingThirtyThousandLevelsDeep_IsRefusedWithItsLocation_WithoutOverflowingTheStack()
    {
        var deep = "apiVersion: v1\nkind: Pod\nmetadata: { name: deep }\nspec: " + new string('[', 30_000) + new string(']', 30_000) + "\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: after }\n";

        var (objects, errors) = ManifestBundle.Read("deep.yaml", deep);

        Assert.Equal("Secret", Assert.Single(objects).Kind);
        var error = Assert.Single(errors);
        Assert.Contains("nested deeper than 100 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nmetadata: { name: b }\n", 4, "Duplicate key metadata")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n", 5, "Duplicate key name")]
    public void ADuplicateKey_IsAnErrorAtItsPlace_AndTheObjectIsReadWithTheLastValue_AsHelmReadsIt(string yaml, int line, string message)
    {
        var (objects, errors) = ManifestBundle.Read("dup.yaml", "# first\n---\n" + yaml);

        Assert.Equal("b", Assert.Single(objects).Json.GetProperty("metadata").GetProperty("name").GetString());
        var error = Assert.Single(errors);
        Assert.Equal(("dup.yaml", line + 2), (error.File, error.Line));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("keep the last value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateKeyInAConfigMapThatAChartRendered_KeepsEveryOtherKey_AndTheLastValue()
    {
        // the stable chart writes AIRFLOW__CELERY__WORKER_CONCURRENCY, and the user's airflow.config sets it again
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: airflow-env }\ndata:\n  A: \"1\"\n  WORKER_CONCURRENCY: \"1\"\n  nested: { x: [1, { y: 2, y: 3 }] }\n  WORKER_CONCURRENCY: \"16\"\n  B: \"2\"\n";

        var (objects, errors) = ManifestBundle.Read("cm.yaml", yaml);

        var data = Assert.Single(objects).Json.GetProperty("data");
        Assert.Equal(["A", "nested", "WORKER_CONCURRENCY", "B"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("16", data.GetProperty("WORKER_CONCURRENCY").GetString());
        Assert.Equal(3, data.GetProperty("nested").GetProperty("x")[1].GetProperty("y").GetInt32());
        Assert.Equal(["cm.yaml:7:28: YAML error: Duplicate key y, set before at line 7", "cm.yaml:8:3: YAML error: Duplicate key WORKER_CONCURRENCY, set before at line 6"],
            errors.Select(e => e.ToString()[..e.ToString().IndexOf(" (helm", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }
}
