using System.Text;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// Files and objects written to hurt: each once took a process down or stalled it (issue 11). They must
/// now be refused with a located one-line error, or handled in linear time.
/// </summary>
public class HostileInputTests
{
    private const string PolicyHead = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: bomb }
        spec:
          mode: Warn
          mutations:
            - addVolume:
                target: airflow-containers
                mountPath: /data
        """;

    [Fact]
    public void APolicyWithAnAliasBomb_IsRefusedWithItsLocation_InsteadOfRunningOutOfMemory()
    {
        // 930 bytes that expand to 9^10 nodes inside addVolume.volume
        var text = new StringBuilder(PolicyHead).Append("\n      volume:\n        name: data\n        a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 10; i++)
        {
            text.Append($"        a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var result = PolicyLoader.LoadText("bomb.yaml", text.ToString());

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("bomb.yaml", error.File);
        Assert.Contains("too much aliasing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicyNestedThirtyThousandLevelsDeep_IsRefusedWithItsLocation_WithoutOverflowingTheStack()
    {
        var text = PolicyHead + "\n      volume: " + new string('[', 30_000) + new string(']', 30_000) + "\n";

        var result = PolicyLoader.LoadText("deep.yaml", text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(10, error.Line);
        Assert.Contains("nested deeper than 100 levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# apiVersion: airflowguard.dev/v1\n# kind: AirflowPolicy\n")]
    [InlineData("---\n---\n")]
    public void AFileCutToNothing_IsAnError_NotAnEmptySuccess(string text)
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-empty-").FullName;
        try
        {
            File.Copy(Repo.Path("policies", "no-literal-secrets.yaml"), Path.Combine(folder, "a.yaml"));
            File.WriteAllText(Path.Combine(folder, "b.yaml"), text);

            var result = PolicyLoader.LoadPaths([folder]);

            Assert.False(result.Succeeded);
            var error = Assert.Single(result.Errors);
            Assert.EndsWith("b.yaml", error.File, StringComparison.Ordinal);
            Assert.Contains("holds no YAML document", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnEmptyFolder_IsRefused_WherePoliciesAreEnforced()
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-empty-").FullName;
        try
        {
            var refused = PolicyLoader.LoadPaths([folder], requirePolicies: true);
            var allowed = PolicyLoader.LoadPaths([folder]); // lint of a catalogue-only folder

            Assert.Contains("an empty policy set would admit every pod unchecked", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
            Assert.True(allowed.Succeeded);
            Assert.Empty(allowed.Set!.Policies);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void APodWithTwoContainersOfTwentyThousandGitSyncMounts_IsEvaluated_AndTheSharedClaimFound()
    {
        // once quadratic: ~2 s for this pod; the handler benchmark (HostilePodBenchmarks) measures it now
        var pod = HostilePods.GitSyncMounts(20_000);
        var bundle = Bundle.FromText("wide.yaml", pod);

        var decision = bundle.Verdict(Packs.Default, "Deployment", "wide").Decision;

        var finding = Assert.Single(decision.Findings, f => f.Rule == "single-git-sync-writer");
        Assert.Equal(FindingKind.Violation, finding.Kind);
    }
}

/// <summary>Pods built to stress evaluation, shared by tests and benchmarks.</summary>
public static class HostilePods
{
    /// <summary>A webserver Deployment (not a git-sync writer) with an Airflow container and a git-sync sidecar of <paramref name="mounts"/> mounts each.</summary>
    public static string GitSyncMounts(int mounts)
    {
        var text = new StringBuilder("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: wide, namespace: airflow }
            spec:
              template:
                metadata: { labels: { tier: airflow, component: webserver } }
                spec:
                  containers:
            """).Append('\n');
        foreach (var (name, image) in new[] { ("webserver", "apache/airflow:2.10.5"), ("git-sync", "registry.k8s.io/git-sync/git-sync:v4.2.3") })
        {
            text.Append($"        - name: {name}\n          image: {image}\n          volumeMounts:\n");
            text.Append("            - { name: dags, mountPath: /opt/airflow/dags }\n");
            for (var i = 0; i < mounts - 1; i++)
            {
                text.Append($"            - {{ name: v{i}, mountPath: /data/{name}/m{i} }}\n");
            }
        }
        text.Append("      volumes:\n        - { name: dags, persistentVolumeClaim: { claimName: dags } }\n");
        for (var i = 0; i < mounts - 1; i++)
        {
            text.Append($"        - {{ name: v{i}, emptyDir: {{}} }}\n");
        }
        return text.ToString();
    }
}
