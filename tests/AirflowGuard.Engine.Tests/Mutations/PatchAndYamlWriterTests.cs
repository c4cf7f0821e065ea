using System.Text.Json.Nodes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// What `check --mutate manifests` relies on: the built-in patch applier agrees with an independent
/// RFC 6902 implementation, and YAML written back reads as the same JSON.
/// </summary>
public class PatchAndYamlWriterTests
{
    public static TheoryData<string> Seeds()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repo.Path("examples", "seeds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PatchApplier_AgreesWithAnIndependentImplementation(string seed)
    {
        var bundle = Bundle.Seed(seed);
        var pack = Packs.Load(Repo.Path("policies"), Repo.Path("policies", "examples", "fuse-mount-options-persistent-volumes.yaml"),
            Repo.Path("policies", "examples", "remote-logging-oss.yaml"), Repo.Path("policies", "examples", "shared-data-volume.yaml"));

        foreach (var (obj, verdict) in bundle.Evaluate(pack).Where(v => v.Verdict.Decision.Patch.Count > 0))
        {
            var ours = JsonNode.Parse(obj.Json.GetRawText())!;
            PatchApplier.Apply(ours, verdict.Decision.Patch);

            Assert.True(JsonNode.DeepEquals(Patches.Apply(obj.Json, verdict.Decision.Patch), ours), obj.Location);
        }
    }

    [Fact]
    public void PatchApplier_RefusesAnOperationThatDoesNotFit()
    {
        var document = JsonNode.Parse("""{"spec":{"volumes":[]}}""")!;

        var error = Assert.Throws<InvalidOperationException>(() =>
            PatchApplier.Apply(document, [PatchOperation.Replace("/spec/volumes/3/csi", JsonValue.Create("x"))]));

        Assert.Contains("/spec/volumes/3/csi", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void YamlWriter_RoundTripsEveryObject(string seed)
    {
        var bundle = Bundle.Seed(seed);
        var originals = bundle.Objects.Where(o => o.EmbeddedIn is null).Select(o => JsonNode.Parse(o.Json.GetRawText())).ToList();

        using var text = new StringWriter();
        YamlWriter.WriteDocuments(originals, text);
        var (again, errors) = ManifestBundle.Read("again.yaml", text.ToString());

        Assert.Empty(errors);
        Assert.Equal(originals.Count, again.Count(o => o.EmbeddedIn is null));
        foreach (var (original, read) in originals.Zip(again.Where(o => o.EmbeddedIn is null)))
        {
            Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(read.Json.GetRawText())), text.ToString());
        }
    }

    [Theory]
    [InlineData("True")]
    [InlineData("0012")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("two\nlines")]
    [InlineData("- starts like a list")]
    [InlineData("key: value")]
    [InlineData("#not a comment")]
    public void YamlWriter_QuotesStringsThatWouldReadAsSomethingElse(string value)
    {
        var document = new JsonObject { ["value"] = value };

        using var text = new StringWriter();
        YamlWriter.WriteDocuments([document], text);
        var (read, errors) = ManifestBundle.Read("q.yaml", text.ToString());

        Assert.Empty(errors);
        Assert.Equal(value, Assert.Single(read).Json.GetProperty("value").GetString());
    }
}
