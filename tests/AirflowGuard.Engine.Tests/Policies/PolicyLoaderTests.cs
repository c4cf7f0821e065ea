using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Broken policy files give located errors (file:line:column) with a hint, never an exception.</summary>
public class PolicyLoaderTests
{
    private const string Header = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata:
          name: p
        spec:

        """;

    [Fact]
    public void ShippedPacks_LoadWithoutErrors()
    {
        Assert.NotEmpty(Packs.Default.Policies);
        Assert.NotEmpty(Packs.Examples.Policies);
        Assert.Contains(Packs.Examples.Drivers.Drivers, d => d.Driver == "s3fs.csi.example.com");
        Assert.Single(Packs.Examples.Recognition.Sources);
    }

    [Fact]
    public void DefaultPack_DoesNotLoadTheExamplesFolder()
    {
        Assert.DoesNotContain(Packs.Default.Policies, p => p.Name == "remote-logging-oss");
    }

    [Theory]
    [InlineData("  mode: Enforce\n  rules:\n    - name: r\n      forbidVolum: { at: logs, backing: [host-path] }\n",
        9, 7, "unknown field \"forbidVolum\" in a rule; did you mean \"forbidVolume\"?")]
    [InlineData("  mode: Enforced\n  rules: [{ name: r, readWriteOnceWrites: {} }]\n",
        6, 9, "mode must be Enforce, Warn or Audit, found \"Enforced\"")]
    [InlineData("  match:\n    components: [schedular]\n  rules: [{ name: r, readWriteOnceWrites: {} }]\n",
        7, 18, "unknown component \"schedular\"; did you mean \"scheduler\"?")]
    [InlineData("  rules:\n    - name: r\n      forbidVolume: { at: logs, backing: [object-storage-fuze] }\n",
        8, 43, "unknown backing \"object-storage-fuze\"; did you mean \"object-storage-fuse\"?")]
    [InlineData("  rules:\n    - name: r\n      forbidVolume: { at: logs, backing: [host-path] }\n      message: \"{volme} is bad\"\n",
        9, 16, "message: unknown placeholder {volme}; did you mean {volume}?")]
    [InlineData("  rules:\n    - name: r\n      forbidVolume: { at: tmp, backing: [host-path] }\n",
        8, 27, "at must be logs, dags or an absolute path, found \"tmp\"")]
    [InlineData("  rules: [{ name: r, readWriteOnceWrites: {} }]\n  exceptions:\n    - namespaces: [sandbox]\n",
        8, 7, "an exception needs \"reason\"")]
    [InlineData("  rules: [{ name: r, readWriteOnceWrites: {} }]\n  exceptions:\n    - { reason: legacy, namespaces: [x], rules: [rr] }\n",
        8, 50, "the exception names rule \"rr\", which this policy does not have")]
    [InlineData("  mutations:\n    - fuseMountOptions: { umask: 002 }\n",
        7, 34, "write the umask quoted")]
    [InlineData("  mutations:\n    - setEnv: { values: { A: 1 }, target: sidecars }\n",
        7, 43, "target must be airflow-containers or all-containers")]
    [InlineData("  rules:\n    - name: r\n      readWriteOnceWrites: {}\n      gitSyncSingleWriter: {}\n",
        7, 7, "rule \"r\" has 2 checks")]
    [InlineData("  rules:\n    - name: r\n      readWriteOnceWrites: {}\n    - name: r\n      readWriteOnceWrites: {}\n",
        9, 13, "this policy already has a rule named \"r\"")]
    public void BrokenPolicy_ReportsFileLineColumnAndHint(string spec, int line, int column, string message)
    {
        var result = PolicyLoader.LoadText("broken.yaml", Header + spec);

        Assert.Null(result.Set);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("broken.yaml", line, column), (error.File, error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"broken.yaml:{line}:{column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void YamlSyntaxError_IsLocatedNotThrown()
    {
        var result = PolicyLoader.LoadText("syntax.yaml", Header + "  rules: [{ name: r\n  mode: Warn\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("syntax.yaml", error.File);
        Assert.True(error.Line >= 7, error.ToString());
        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKey_IsAnError()
    {
        var result = PolicyLoader.LoadText("dup.yaml", Header + "  mode: Warn\n  mode: Enforce\n  rules: [{ name: r, readWriteOnceWrites: {} }]\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WrongApiVersionAndUnknownKind_AreNamed()
    {
        var result = PolicyLoader.LoadText("kinds.yaml", """
            apiVersion: airflowguard.dev/v2
            kind: AirflowPolicy
            metadata: { name: a }
            ---
            apiVersion: airflowguard.dev/v1
            kind: AirflowPolicies
            metadata: { name: b }
            """);

        Assert.Collection(result.Errors,
            e => Assert.Equal((1, 13, "apiVersion must be airflowguard.dev/v1, found \"airflowguard.dev/v2\""), (e.Line, e.Column, e.Message)),
            e => Assert.Equal((6, 7, "unknown kind \"AirflowPolicies\"; did you mean \"AirflowPolicy\"?"), (e.Line, e.Column, e.Message)));
    }

    [Fact]
    public void SamePolicyNameInTwoFiles_NamesTheFirstDefinition()
    {
        var policy = Header + "  rules: [{ name: r, readWriteOnceWrites: {} }]\n";

        var result = PolicyLoader.LoadTexts([("a.yaml", policy), ("b.yaml", policy)]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("b.yaml", 4), (error.File, error.Line));
        Assert.Contains("already defined at a.yaml:1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorInAFile_IsReportedAtOnce()
    {
        var result = PolicyLoader.LoadText("many.yaml", Header + "  mode: Sometimes\n  match: { components: [nobody] }\n  rules: [{ name: r, readWriteOnceWrites: {}, colour: red }]\n");

        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void BrokenDriverCatalogue_TemplateWithoutPlaceholder_IsAnError()
    {
        var result = PolicyLoader.LoadText("drivers.yaml", """
            apiVersion: airflowguard.dev/v1
            kind: DriverCatalog
            metadata: { name: d }
            spec:
              drivers:
                - driver: x.example.com
                  class: object-storage-fuse
                  mountOptions:
                    persistentVolume: { style: list }
                    uid: "uid=1000"
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal((10, 14), (error.Line, error.Column));
        Assert.Contains("must contain {uid}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_IsAnErrorNotAnException()
    {
        var result = PolicyLoader.LoadPaths([Path.Combine(Path.GetTempPath(), "no-such-policy-folder-" + Guid.NewGuid())]);

        Assert.Contains("no such file or folder", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
