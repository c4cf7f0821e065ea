using System.Xml.Linq;
using AirflowGuard.Cli.Tests.Support;

namespace AirflowGuard.Cli.Tests;

/// <summary>`airflowguard test`: policy tests pass, mismatches show what differs, broken tests say where.</summary>
public class TestCommandTests
{
    [Fact]
    public void TheDefaultPacksOwnTests_Pass()
    {
        var (code, output, error) = Cli.Run("test", Path.Combine("policies", "tests"));

        Assert.True(code == 0, output + error);
        Assert.Contains(" passed, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongExpectation_Fails_SayingExpectedAndActual_WithTheLocation()
    {
        using var folder = new TempFolder();
        folder.Write("t.yaml", $$"""
            apiVersion: airflowguard.dev/v1
            kind: PolicyTest
            metadata: { name: wrong }
            spec:
              resources: [{{Path.Combine(Cli.Root, "examples", "seeds", "004-host-path-dags-unsafe.yaml")}}]
              results:
                - resource: Pod/samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6
                  policy: no-literal-secrets
                  result: pass
            """);

        var (code, output, _) = Cli.Run("test", folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("FAIL  wrong:", output, StringComparison.Ordinal);
        Assert.Contains("t.yaml:7:7", output, StringComparison.Ordinal);
        Assert.Contains("expected pass, got fail", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongPatchedResource_ShowsADiff()
    {
        using var folder = new TempFolder();
        var fixtures = Path.Combine(Cli.Root, "policies", "tests", "fixtures");
        folder.Write("expected.yaml", File.ReadAllText(Path.Combine(fixtures, "scheduler-dags-on-oss-patched.yaml")).Replace("umask=002", "umask=022", StringComparison.Ordinal));
        folder.Write("t.yaml", $$"""
            apiVersion: airflowguard.dev/v1
            kind: PolicyTest
            metadata: { name: patch }
            spec:
              resources: [{{Path.Combine(fixtures, "scheduler-dags-on-oss.yaml")}}]
              results:
                - { resource: Pod/airflow/airflow-scheduler-0, patchedResource: expected.yaml }
            """);

        var (code, output, _) = Cli.Run("test", Path.Combine(folder.Path, "t.yaml"));

        Assert.Equal(1, code);
        Assert.Contains("- /spec/volumes/0/csi/volumeAttributes/otherOpts: \"-o uid=50000 -o gid=0 -o umask=022 -o allow_other\"", output, StringComparison.Ordinal);
        Assert.Contains("+ /spec/volumes/0/csi/volumeAttributes/otherOpts: \"-o uid=50000 -o gid=0 -o umask=002 -o allow_other\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenTestFile_IsAUsageError_WithFileLineColumn()
    {
        using var folder = new TempFolder();
        folder.Write("t.yaml", """
            apiVersion: airflowguard.dev/v1
            kind: PolicyTest
            metadata: { name: broken }
            spec:
              resources: [x.yaml]
              results:
                - { resource: Pod/p, policy: no-literal-secrets, result: failed }
            """);

        var (code, _, error) = Cli.Run("test", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("t.yaml:7:62: result must be pass, fail, warn or skip, found \"failed\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Junit_Parses_WithOneTestCasePerResult()
    {
        var (code, output, _) = Cli.Run("test", Path.Combine("policies", "tests"), "--output", "junit");

        Assert.Equal(0, code);
        var cases = XDocument.Parse(output).Descendants("testcase").ToList();
        Assert.True(cases.Count >= 20);
        Assert.DoesNotContain(cases, c => c.Element("failure") is not null);
    }
}
