using System.Text.Json;
using NJsonSchema;

namespace AirflowGuard.Cli.Tests;

/// <summary>`airflowguard check` as CI runs it: the real command line over the shipped seed manifests.</summary>
public class CheckCommandTests
{
    public static TheoryData<string, int> Seeds => new()
    {
        { "000-oss-logs-unsafe.yaml", 1 },
        { "000-oss-logs-safe.yaml", 0 },
        { "001-ke-task-logs-unsafe.yaml", 0 }, // warned, not enforced
        { "001-ke-task-logs-safe.yaml", 0 },
        { "002-dags-path-mismatch-unsafe.yaml", 1 },
        { "002-dags-path-mismatch-safe.yaml", 0 },
        { "003-git-sync-writers-unsafe.yaml", 1 },
        { "003-git-sync-writers-safe.yaml", 0 },
        { "004-host-path-dags-unsafe.yaml", 1 },
        { "004-host-path-dags-safe.yaml", 0 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_GivesTheExpectedExitCode(string seed, int exitCode)
    {
        var (code, output, error) = Run("check", Seed(seed));

        Assert.True(exitCode == code, $"exit {code}\n{output}\n{error}");
        Assert.Equal("", error);
    }

    [Fact]
    public void RenderedOfficialChart_WarnsAboutItsPodTemplateFile_AtTheTemplatesLine()
    {
        var chart = Path.Combine("examples", "charts", "official-chart-kubernetes-executor.yaml");

        var (code, output, error) = Run("check", chart);

        Assert.True(code == 0, output + error);
        Assert.Contains($"{chart}:52  the pod template pod_template_file.yaml in ConfigMap airflow-config (task)", output, StringComparison.Ordinal);
        Assert.Contains("WARN  task-logs-outlive-the-pod/persistent-task-logs", output, StringComparison.Ordinal);
        // the triggerer's logs volumeClaimTemplate uses the default StorageClass, assumed block storage: no note about it
        Assert.DoesNotContain("StorageClass (default) could not be resolved", output, StringComparison.Ordinal);
        Assert.Equal(1, Run("check", chart, "--fail-on", "warn").Code);
    }

    [Fact]
    public void TheSeedsFolderAsOneBundle_GivesEachFileItsOwnVerdicts_AndNamesTheConflicts()
    {
        var (code, output, error) = Run("check", Path.Combine("examples", "seeds"), "--output", "json", "--fail-on", "never");

        Assert.Equal(0, code);
        // the safe and unsafe twins declare the same PersistentVolume differently
        Assert.Contains("examples/seeds/004-host-path-dags-unsafe.yaml:4: PersistentVolume airflow-dags is also declared, differently, at examples/seeds/004-host-path-dags-safe.yaml:3", error, StringComparison.Ordinal);
        using var folder = JsonDocument.Parse(output);
        foreach (var (seed, expected) in Seeds.Select(s => ((string)s[0], (int)s[1])))
        {
            var alone = Run("check", Seed(seed)).Code;
            Assert.Equal(expected, alone);
            var deniedInFolder = folder.RootElement.GetProperty("objects").EnumerateArray()
                .Any(o => o.GetProperty("file").GetString()!.EndsWith(seed, StringComparison.Ordinal) && !o.GetProperty("allowed").GetBoolean());
            Assert.True(deniedInFolder == (expected == 1), $"{seed}: denied alone {expected == 1}, in the folder {deniedInFolder}");
        }
    }

    [Fact]
    public void ReleaseWideFindings_SharedDagClaimWithoutWriter_AndRwoClaimWrittenByTwoWorkloads()
    {
        var file = Path.Combine("examples", "release", "shared-claims-unsafe.yaml");

        var (code, output, _) = Run("check", file, "--fail-on", "warn");

        Assert.Equal(1, code);
        Assert.Contains($"{file}:3  PersistentVolumeClaim airflow/airflow-dags (across the release)\n  WARN  release-wide-claims/dag-claim-has-a-writer", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"{file}:11  PersistentVolumeClaim airflow/airflow-logs (across the release)\n  WARN  release-wide-claims/rwo-claim-one-writing-workload", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ReleaseWideFinding_OverManyTaskPods_NamesFiveAndCountsTheRestOnce()
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-many-").FullName;
        try
        {
            var yaml = new System.Text.StringBuilder("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: { name: dags, namespace: airflow }
                spec: { accessModes: [ReadWriteMany], resources: { requests: { storage: 1Gi } } }

                """);
            for (var i = 0; i < 43; i++)
            {
                var name = $"task-{i % 40}"; // three pods repeat a name: counted once each
                yaml.Append($"""
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {"{"} name: {name}, namespace: airflow, labels: {"{"} component: worker, release: airflow {"}"} {"}"}
                    spec:
                      containers:
                        - name: base
                          image: apache/airflow:2.9.3
                          volumeMounts: [{"{"} name: dags, mountPath: /opt/airflow/dags, readOnly: true {"}"}]
                      volumes: [{"{"} name: dags, persistentVolumeClaim: {"{"} claimName: dags {"}"} {"}"}]

                    """);
            }
            var file = Path.Combine(folder, "many.yaml");
            File.WriteAllText(file, yaml.ToString());

            var (_, text, _) = Run("check", file, "--fail-on", "never");
            var (_, json, _) = Run("check", file, "--fail-on", "never", "--output", "json");

            Assert.Contains("Pod airflow/task-0, Pod airflow/task-1, Pod airflow/task-2, Pod airflow/task-3, Pod airflow/task-4 and 35 more, all read-only", text, StringComparison.Ordinal);
            // the text report is written as objects are checked; its summary counts what the kept JSON report lists
            using var report = System.Text.Json.JsonDocument.Parse(json);
            Assert.Contains($"{report.RootElement.GetProperty("summary").GetProperty("checked").GetInt32()} Airflow object(s) checked", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("000-oss-logs-safe.yaml")]
    [InlineData("001-ke-task-logs-safe.yaml")]
    [InlineData("002-dags-path-mismatch-safe.yaml")]
    [InlineData("003-git-sync-writers-safe.yaml")]
    [InlineData("004-host-path-dags-safe.yaml")]
    public void SafeTwin_HasNoWarningsEither_EvenAcrossTheRelease(string seed)
    {
        var (code, output, _) = Run("check", Seed(seed), "--fail-on", "warn");

        Assert.True(code == 0, output);
    }

    [Fact]
    public void WarnedSeed_FailsOnlyWithFailOnWarn()
    {
        Assert.Equal(1, Run("check", Seed("001-ke-task-logs-unsafe.yaml"), "--fail-on", "warn").Code);
        Assert.Equal(0, Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--fail-on", "never").Code);
    }

    [Fact]
    public void BadOutputFormat_IsAUsageError()
    {
        var (code, _, error) = Run("check", Seed("000-oss-logs-safe.yaml"), "--output", "html");

        Assert.Equal(2, code);
        Assert.Contains("--output must be one of text, json, sarif, junit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenInput_IsReportedWithFileLineColumn_AndTheRestIsStillChecked()
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-cli-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n");
            File.Copy(Path.Combine(Root, "examples", "seeds", "004-host-path-dags-unsafe.yaml"), Path.Combine(folder, "unsafe.yaml"));

            var (code, output, error) = Run("check", folder);

            Assert.Equal(2, code);
            Assert.Contains("broken.yaml:", error, StringComparison.Ordinal);
            Assert.Contains("DENY", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Root => Cli.Root;

    private static string Seed(string name) => Path.Combine("examples", "seeds", name);

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}

/// <summary>Inputs check cannot use get one clear line each, and the other inputs are still checked.</summary>
public class CheckBadInputTests
{
    [Theory]
    [InlineData("no-kind.yaml", "apiVersion: v1\nmetadata: { name: x }\n", "no-kind.yaml:1: a manifest needs a kind")]
    [InlineData("scalar.yaml", "just a string\n", "scalar.yaml:1:1: a manifest document must be an object, found \"just a string\"")]
    [InlineData("syntax.yaml", "kind: Pod\nmetadata: { name: [x\n", "syntax.yaml:3:1: YAML syntax error")]
    [InlineData("binary.yaml", "PK\u0003\u0004\0\0binary", "binary.yaml: a binary file, not YAML or JSON (a NUL byte at offset 4); skipped")]
    [InlineData("bad-pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: p, labels: { tier: airflow, component: scheduler } }\nspec: { containers: [{ name: 7, image: apache/airflow }] }\n", "bad-pod.yaml:1: spec.containers[0].name: expected a string, found the number 7")]
    public void BadInput_OneClearLine_AndTheRestIsChecked(string name, string content, string message)
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, name), content);
            File.Copy(Path.Combine(Cli.Root, "examples", "seeds", "004-host-path-dags-unsafe.yaml"), Path.Combine(folder, "z-unsafe.yaml"));

            var (code, output, error) = Cli.Run("check", folder, Path.Combine(folder, "missing.yaml"));

            Assert.Equal(2, code);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.Contains("missing.yaml: no such file or folder", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.Contains("DENY  no-literal-secrets/secrets-from-secret-objects", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
